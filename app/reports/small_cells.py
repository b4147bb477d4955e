"""Hiding small cells on the report pages of school staff and the bureau (the rule itself:
app/reports/suppression.py; which pages decide together: app/reports/families.py).

Each function takes a page's built tables and a family's decision and puts `Hidden` markers where
the numbers were. A rate whose part or whole is hidden is hidden too (shown "—"), and so is an
average over a hidden count. A class's own head teacher never comes here: their class report
shows every figure.

Which figures count people in a group small enough to point at a family, and are hidden: the
headline, the funnel, the rows and totals of the class, grade, district and school tables, the
course table (people who took, passed, have not passed a quiz), the weekly trend, the answers to
the hardest questions (a school's, at least 10 each unless the threshold is higher), and the
requests waiting in "Classes that may need help". Not hidden: numbers of classes, and the head
teachers' certificates (staff, not parents). A help card that names a quiz where many are stuck
gives no number: the classes' stuck figures add up to the course table's, and the cards would
give away the classes without a card.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator

from app.reports.cells import Hidden, is_small
from app.reports.families import ALL_COURSES, PEOPLE, WEEKLY, Hiding, course_family, flat_family
from app.reports.figures import HelpNeeded
from app.reports.queries import Counts, Row
from app.reports.tables import ReportTable, count_row

RATES = {
    "certified_share": ("certified", "registered"),
    "students_share": ("students_with_certified", "students"),
    "pass_rate": ("passed", "attempted"),
    "average_attempts": ("attempted", "attempted"),
    "share": ("count", "whole"),  # funnel
}


def _hide_rates(row: dict) -> dict:
    for rate, (part, whole) in RATES.items():
        if rate in row:
            hidden = [row[k] for k in (part, whole) if isinstance(row.get(k), Hidden)]
            if hidden:
                row[rate] = hidden[0]
    return row


def hidden_counts(row: dict, node: Hashable, hiding: Hiding) -> dict:
    """A count row (app/reports/tables.count_row) as shown: people counts hidden by `node`'s
    decision, and the rates that depend on them."""
    shown = dict(row)
    for name in PEOPLE:
        if name in shown:
            shown[name] = hiding.shown((node, name), int(shown[name] or 0))
    return _hide_rates(shown)


def hide_count_table(table: ReportTable, kind: str, total_node: Hashable, hiding: Hiding) -> None:
    """Rows of `kind` ("class", "grade", "district", "school") keyed by their id, and the totals
    row, which is the figure of `total_node`."""
    raw_totals = table.totals()
    table.rows = [hidden_counts(row, (kind, row["key"]), hiding) for row in table.rows]
    if raw_totals is not None:
        table.total_row = hidden_counts(raw_totals, total_node, hiding)


def hide_headline(counts: Counts, node: Hashable, hiding: Hiding) -> dict:
    figures = {**vars(counts), "students_share": _share(counts.students_with_certified, counts.students)}
    return hidden_counts(figures, node, hiding)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def hide_funnel(table: ReportTable, node: Hashable, hiding: Hiding) -> None:
    for row in table.rows:
        row["count"] = hiding.shown((node, row["key"]), row["count"])
        row["whole"] = hiding.shown((node, "registered"), row["whole"])
        _hide_rates(row)


def hide_weekly(table: ReportTable, node: Hashable, hiding: Hiding) -> None:
    """Weeks by the family's decision over all of `node`'s history. A column's totals row is
    hidden when any of its weeks is: otherwise two date ranges would give that week away."""
    raw_totals = table.totals()
    for row in table.rows:
        for name in WEEKLY:
            row[name] = hiding.shown((node, row["key"], name), row[name])
    if raw_totals is not None:
        for name in WEEKLY:
            if any(isinstance(row[name], Hidden) for row in table.rows):
                small = is_small(raw_totals[name], hiding.threshold)
                raw_totals[name] = Hidden("small" if small else "withheld", hiding.threshold)
        table.total_row = raw_totals


def hide_courses(table: ReportTable, figures, threshold: int) -> None:
    """A course table decided on its own: passed + stuck = took the quiz in each row, and the
    totals row adds up each column."""
    hiding = course_family(figures, threshold)
    raw_totals = table.totals()
    for row in table.rows:
        for name in ("attempted", "passed", "stuck"):
            row[name] = hiding.shown((row["key"], name), row[name])
        _hide_rates(row)
    if raw_totals is not None:
        for name in ("attempted", "passed", "stuck"):
            raw_totals[name] = hiding.shown((ALL_COURSES, name), raw_totals[name])
        table.total_row = _hide_rates(raw_totals)


def hide_questions(table: ReportTable, threshold: int) -> None:
    """Answers, not people, and at least HARDEST_MIN_ANSWERS each: hidden only when the threshold
    is set higher than that. No totals row, so nothing else to protect."""
    for row in table.rows:
        if is_small(row["answered"], threshold):
            row["answered"] = row["share"] = Hidden("small", threshold)


def hide_help(help_needed: list[HelpNeeded], threshold: int) -> list[HelpNeeded]:
    """Waiting requests as "fewer than N" when small; stuck guardians without a number."""
    result = []
    for h in help_needed:
        reasons = []
        for reason, numbers in h.reasons:
            shown = dict(numbers)
            if reason == "stuck":
                shown["n"] = None
            elif is_small(numbers["n"], threshold):
                shown["n"] = Hidden("small", threshold)
            reasons.append((reason, shown))
        result.append(HelpNeeded(h.class_id, h.label, reasons))
    return result


def hidden_flat_rows(
    read_rows: Callable[[], Iterable[Row]], total: Counts, label: str, threshold: int
) -> tuple[Iterator[dict], dict]:
    """Rows that add up to one total and nothing else (the bureau's every-class export): the rows
    as shown, streamed, and their totals row labelled `label`. `read_rows()` is called twice: now,
    for the decision (only the counts are kept), and again as the rows are sent."""
    hiding = flat_family(total, ((("class", r.key), r.counts) for r in read_rows()), threshold)
    rows = (hidden_counts(count_row(row), ("class", row.key), hiding) for row in read_rows())
    totals = hidden_counts(count_row(Row("total", label, total, {})), "total", hiding)
    return rows, totals
