"""The tables of the report pages, defined once for the page and its CSV export.

A `ReportTable` holds export `Column`s and plain row dicts; the page renders the same rows, and
`totals()` gives the page the same totals row the export streams. Once small cells are hidden
(app/reports/small_cells.py) a cell may hold a `Hidden` marker instead of its number, and the
totals row is the one decided with them (`total_row`), never summed again from the shown cells.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _

from app.reports.csv_export import Column
from app.reports.figures import CourseFigure, QuestionFigure, Week
from app.reports.queries import Counts, Row, rate

SORTS = ("name", "size", "rate")


@dataclass
class ReportTable:
    name: str  # in the export's URL and file name
    title: str
    columns: list[Column]
    rows: list[dict]
    totals_label: str | None = None
    total_row: dict | None = None  # set when cells are hidden: the totals row as shown

    def totals(self) -> dict | None:
        if self.totals_label is None:
            return None
        if self.total_row is not None:
            return self.total_row
        keys = {c.key for c in self.columns if c.total == "sum"}
        keys.update(k for c in self.columns if c.ratio_of for k in c.ratio_of)
        sums = {k: sum(int(row.get(k) or 0) for row in self.rows) for k in keys}
        result = {self.columns[0].key: self.totals_label}
        for column in self.columns[1:]:
            if column.total == "sum":
                result[column.key] = sums[column.key]
            elif column.ratio_of:
                result[column.key] = rate(sums[column.ratio_of[0]], sums[column.ratio_of[1]])
        return result


def count_columns(first: str, with_classes: bool) -> list[Column]:
    columns = [Column("label", first)]
    if with_classes:
        columns.append(Column("classes", _("Classes"), "int", "sum"))
    return columns + [
        Column("students", _("Students"), "int", "sum"),
        Column("registered", _("Guardians registered"), "int", "sum"),
        Column("certified", _("Certified guardians"), "int", "sum"),
        Column(
            "certified_share", _("Certified, of registered"), "rate", "ratio", ("certified", "registered")
        ),
        Column(
            "students_share",
            _("Students with a certified guardian"),
            "rate",
            "ratio",
            ("students_with_certified", "students"),
        ),
        Column("invited", _("Invited"), "int", "sum"),
        Column("joined", _("Joined"), "int", "sum"),
    ]


def count_row(row: Row, label: str | None = None) -> dict:
    c = row.counts
    return {
        "key": row.key,
        "label": label if label is not None else row.label,
        "classes": c.classes,
        "students": c.students,
        "students_with_certified": c.students_with_certified,
        "registered": c.registered,
        "certified": c.certified,
        "certified_share": rate(c.certified, c.registered),
        "students_share": rate(c.students_with_certified, c.students),
        "invited": c.invited,
        "joined": c.joined,
        **row.extra,
    }


def sort_rows(rows: list[dict], sort: str, descending: bool) -> list[dict]:
    """By name, size (students) or rate (students with a certified guardian). No rank is shown.
    Rows whose figure is hidden come after the others (before, reversed), by name: their place
    in the order says nothing about the hidden number."""
    key = {
        "name": lambda r: (str(r["label"]),),
        "size": lambda r: (_shown_first(r["students"]), str(r["label"])),
        "rate": lambda r: (_shown_first(r["students_share"]), str(r["label"])),
    }[sort if sort in SORTS else "name"]
    return sorted(rows, key=key, reverse=descending)


def _shown_first(value) -> tuple:
    return (1, 0) if getattr(value, "hidden", False) else (0, value)


def count_table(name: str, title: str, first: str, rows: Iterable[dict], with_classes: bool) -> ReportTable:
    return ReportTable(name, title, count_columns(first, with_classes), list(rows), _("All"))


FUNNEL_LABELS = {
    "registered": lambda: _("Registered"),
    "learning": lambda: _("Learning"),
    "passed": lambda: _("All quizzes passed"),
    "charter_accepted": lambda: _("Charter accepted"),
    "invited": lambda: _("Invited"),
    "joined": lambda: _("Joined the group"),
}


def funnel_table(counts: Counts) -> ReportTable:
    first = counts.registered
    rows = [
        {"key": step, "label": FUNNEL_LABELS[step](), "count": n, "whole": first, "share": rate(n, first)}
        for step, n in counts.funnel
    ]
    columns = [
        Column("label", _("Step")),
        Column("count", _("Guardians"), "int"),
        Column("share", _("Of registered"), "rate"),
    ]
    return ReportTable("funnel", _("From registration to the group"), columns, rows)


def course_table(figures: list[CourseFigure], titles: dict[str, str]) -> ReportTable:
    rows = [
        {
            "key": f.slug,
            "label": titles.get(f.slug, f.slug),
            "attempted": f.attempted,
            "passed": f.passed,
            "pass_rate": rate(f.passed, f.attempted),
            "stuck": f.stuck,
            "attempts": f.attempts,
            "average_attempts": round(f.average_attempts, 1),
        }
        for f in figures
    ]
    columns = [
        Column("label", _("Course")),
        Column("attempted", _("Took the quiz"), "int", "sum"),
        Column("passed", _("Passed"), "int", "sum"),
        Column("pass_rate", _("Pass rate"), "rate", "ratio", ("passed", "attempted")),
        Column("stuck", _("Not passed yet"), "int", "sum"),
        Column("average_attempts", _("Attempts per person"), "text"),
    ]
    return ReportTable("courses", _("Courses"), columns, rows, _("All"))


def weekly_table(weeks: list[Week]) -> ReportTable:
    rows = [
        {
            "key": w.week,
            "label": w.week.isoformat(),
            "registered": w.registered,
            "certified": w.certified,
            "joined": w.joined,
        }
        for w in weeks
    ]
    columns = [
        Column("label", _("Week from")),
        Column("registered", _("Registered"), "int", "sum"),
        Column("certified", _("Certified"), "int", "sum"),
        Column("joined", _("Joined the group"), "int", "sum"),
    ]
    return ReportTable("weekly", _("Week by week"), columns, rows, _("All"))


def question_table(figures: list[QuestionFigure], texts: dict[tuple[str, str], str], titles) -> ReportTable:
    rows = [
        {
            "label": texts.get((f.course_slug, f.question_id), f.question_id),
            "course": titles.get(f.course_slug, f.course_slug),
            "answered": f.answered,
            "correct": f.correct,
            "share": f.share_correct,
        }
        for f in figures
    ]
    columns = [
        Column("label", _("Question")),
        Column("course", _("Course")),
        Column("answered", _("Answers"), "int"),
        Column("share", _("Answered right"), "rate"),
    ]
    return ReportTable("questions", _("Hardest questions"), columns, rows)
