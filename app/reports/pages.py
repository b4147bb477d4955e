"""What each report page shows: filters read from the query string, figures gathered, tables built.
The page and its CSV exports get the same `ReportTable`s from here.

With `small_cell` (the threshold, for school staff and the bureau; None for a class's own head
teacher) small cells are hidden before rows are sorted: app/reports/small_cells.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Select, select

from app.content.catalogue import Catalogue
from app.forms import whole_number
from app.i18n import content_lang
from app.reports import families, figures, queries, small_cells
from app.reports.tables import (
    ReportTable,
    count_row,
    count_table,
    course_table,
    funnel_table,
    question_table,
    sort_rows,
    weekly_table,
)

TREND_WEEKS = 12
MAX_TREND_WEEKS = 104


@dataclass
class Filters:
    """The page's filters, from the query string. Anything unreadable falls back to the default
    and leaves a note for the page to show."""

    grade: int | None = None
    start: date | None = None
    end: date | None = None
    sort: str = "name"
    descending: bool = False
    page: int = 1
    notes: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, args, today: date) -> Filters:
        f = cls()
        if args.get("grade"):
            f.grade = whole_number(args.get("grade"), 12) or None
            if f.grade is None:
                f.notes.append(_("That grade was not understood, so every grade is shown."))
        f.end = _day(args.get("to"), f) or _monday(today)
        f.start = _day(args.get("from"), f) or f.end - timedelta(weeks=TREND_WEEKS - 1)
        f.start, f.end = _monday(min(f.start, f.end)), _monday(max(f.start, f.end))
        if (f.end - f.start).days > 7 * MAX_TREND_WEEKS:
            f.start = f.end - timedelta(weeks=MAX_TREND_WEEKS)
            f.notes.append(_("The trend shows at most two years."))
        f.sort = args.get("sort") if args.get("sort") in ("name", "size", "rate") else "name"
        f.descending = args.get("dir") == "desc"
        f.page = whole_number(args.get("page"), 10_000) or 1
        return f

    def query(self, **changes) -> dict:
        """The query-string values of these filters, with some changed (for links)."""
        values = {
            "grade": self.grade,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "sort": self.sort,
            "dir": "desc" if self.descending else None,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


# Days a report may start or end on. Far beyond them (0001-01-01, 9999-12-31) the weeks around a
# day fall outside what `date` can hold, so such a day is not understood rather than a crash.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _day(raw: str | None, f: Filters) -> date | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        f.notes.append(_("A date was not understood; dates look like 2026-09-01."))
        return None
    return day


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


@dataclass
class Headline:
    """The figures at the top of a report; `shown` holds them as printed (numbers, or `Hidden`)."""

    counts: queries.Counts
    shown: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.shown:
            self.shown = {**vars(self.counts), "students_share": self.students_share}

    @property
    def students_share(self) -> float:
        return queries.rate(self.counts.students_with_certified, self.counts.students)


@dataclass
class ReportPage:
    headline: Headline
    tables: dict[str, ReportTable]
    help_needed: list[figures.HelpNeeded] = field(default_factory=list)
    course_figures: list[figures.CourseFigure] = field(default_factory=list)
    small_cell: int | None = None  # the threshold when small cells are hidden


def _titles(catalogue: Catalogue) -> dict[str, str]:
    return {c.slug: c.title.get(content_lang()) for c in catalogue.for_audience("parent")}


def _question_texts(catalogue: Catalogue) -> dict[tuple[str, str], str]:
    return {
        (c.slug, q.id): q.prompt.get(content_lang())
        for c in catalogue.for_audience("parent")
        if c.quiz
        for q in c.quiz.questions
    }


def _common(
    scope: Select, school_ids: Select, f: Filters, catalogue: Catalogue, now: datetime, whole_schools: bool
) -> ReportPage:
    slugs = [c.slug for c in catalogue.for_audience("parent")]
    counts = queries.totals(scope)
    titles = _titles(catalogue)
    schools = school_ids if whole_schools else None
    courses = figures.course_figures(scope, slugs, schools)
    tables = {
        "funnel": funnel_table(counts),
        "courses": course_table(courses, titles),
        "weekly": weekly_table(figures.weekly(scope, f.start, f.end, schools)),
        "questions": question_table(
            figures.hardest_questions(school_ids), _question_texts(catalogue), titles
        ),
    }
    return ReportPage(Headline(counts), tables, course_figures=courses)


def _hide_common(page: ReportPage, node, hiding: families.Hiding) -> None:
    """The parts every report has, hidden by `node`'s figures in the family's decision."""
    page.headline.shown = small_cells.hide_headline(page.headline.counts, node, hiding)
    small_cells.hide_funnel(page.tables["funnel"], node, hiding)
    small_cells.hide_weekly(page.tables["weekly"], node, hiding)
    small_cells.hide_courses(page.tables["courses"], page.course_figures, hiding.threshold)
    if "questions" in page.tables:
        small_cells.hide_questions(page.tables["questions"], hiding.threshold)


def school_page(
    school_id: int, f: Filters, catalogue: Catalogue, now: datetime, small_cell: int | None = None
) -> ReportPage:
    scope = queries.school_scope(school_id, f.grade)
    page = _common(scope, select(school_id), f, catalogue, now, whole_schools=f.grade is None)
    grades = [count_row(r, _("Grade %(num)d", num=r.label)) for r in queries.grade_rows(scope)]
    page.tables["grades"] = count_table("grades", _("By grade"), _("Grade"), grades, with_classes=True)
    class_rows = queries.class_rows(scope)
    classes = [count_row(r) for r in class_rows]
    page.tables["classes"] = count_table("classes", _("By class"), _("Class"), classes, with_classes=False)
    page.help_needed = figures.classes_needing_help(scope)
    if small_cell:
        hiding = families.school_family(school_id, small_cell, None if f.grade else class_rows)
        node = ("grade", f.grade) if f.grade else "school"
        _hide_common(page, node, hiding)
        small_cells.hide_count_table(page.tables["grades"], "grade", node, hiding)
        small_cells.hide_count_table(page.tables["classes"], "class", node, hiding)
        page.help_needed = small_cells.hide_help(page.help_needed, small_cell)
        page.small_cell = small_cell
    page.tables["classes"].rows = sort_rows(page.tables["classes"].rows, f.sort, f.descending)
    return page


def bureau_page(
    bureau_id: int, f: Filters, catalogue: Catalogue, now: datetime, small_cell: int | None = None
) -> ReportPage:
    scope = queries.bureau_scope(bureau_id)
    page = _common(scope, queries.bureau_school_ids(bureau_id), f, catalogue, now, whole_schools=True)
    district_rows = queries.district_rows(bureau_id)
    if district_rows:
        page.tables["districts"] = count_table(
            "districts", _("By district"), _("District"), map(count_row, district_rows), with_classes=True
        )
    school_rows = queries.school_rows(bureau_id)
    schools = [count_row(r) for r in school_rows]
    page.tables["schools"] = count_table("schools", _("By school"), _("School"), schools, with_classes=True)
    if small_cell:
        total = page.headline.counts
        hiding = families.bureau_family(bureau_id, small_cell, total, district_rows, school_rows)
        _hide_common(page, "bureau", hiding)
        for name, kind in (("districts", "district"), ("schools", "school")):
            if name in page.tables:
                small_cells.hide_count_table(page.tables[name], kind, "bureau", hiding)
        page.small_cell = small_cell
    page.tables["schools"].rows = sort_rows(page.tables["schools"].rows, f.sort, f.descending)
    return page


def class_page(
    class_id: int,
    f: Filters,
    catalogue: Catalogue,
    now: datetime,
    school_id: int,
    small_cell: int | None = None,
) -> ReportPage:
    """A class's figures; with `small_cell` (anyone but its head teacher) hidden as they are on
    the school's report, so that the two never disagree about a cell."""
    page = _common(select(class_id), select(school_id), f, catalogue, now, whole_schools=False)
    del page.tables["questions"]  # per school: one class answers too few questions to tell
    if small_cell:
        _hide_common(page, ("class", class_id), families.school_family(school_id, small_cell))
        page.small_cell = small_cell
    return page
