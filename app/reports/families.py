"""Which figures are suppressed together, and the figures they are decided from.

A *family* is the pages that show parts of one hierarchy, so that they must agree on what is
hidden: a school report (every grade filter), its CSV exports and the class reports of that school
that staff and the bureau open share one decision, taken on the whole school (school → grades →
classes). Otherwise a class withheld on the school report would be shown on its own class report,
one click away, and the small class beside it worked out again. A bureau report decides on its
districts and schools; the bureau's every-class export on its classes; a course table on its own
(its rows and columns add up within the table).

What is shared is the class roll-up's counts of people (students, students with a certified
guardian, registered, learning, passed, certified, charter accepted, invited, joined) and each
node's weekly figures over all its history (not only the weeks on screen: any two date ranges of
the trend would otherwise give a week away; the weekly registrations add up to the registered
figure). Numbers of classes count no one and are never hidden.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import Select, func, select

from app.extensions import db
from app.orgs.models import Bureau, School
from app.reports import queries
from app.reports.cells import Hidden, Problem, is_small
from app.reports.figures import CourseFigure
from app.reports.models import SchoolWeeklyRollup, WeeklyRollup
from app.reports.queries import Counts
from app.reports.suppression import suppress

PEOPLE = (
    "students",
    "students_with_certified",
    "registered",
    "learning",
    "passed",
    "certified",
    "charter_accepted",
    "invited",
    "joined",
)
# Always true of one class, grade, school or bureau: someone reading a report knows them too.
ORDERS = (
    ("students_with_certified", "students"),
    ("certified", "registered"),
    ("learning", "registered"),
    ("passed", "learning"),
    ("charter_accepted", "passed"),
    ("invited", "charter_accepted"),
    ("joined", "invited"),
)
WEEKLY = ("registered", "certified", "joined")
COURSE = ("attempted", "passed", "stuck")
ALL_COURSES = "*"

Node = Hashable
WeekCounts = dict[date, tuple[int, int, int]]


@dataclass
class Hiding:
    """A family's decisions: a cell's key → how it is hidden. `shown()` gives what a page prints."""

    marks: dict[Hashable, Hidden]
    threshold: int

    def shown(self, key: Hashable, value: int) -> int | Hidden:
        """The value, or its marker. A small value is hidden even if the family missed it (a
        figure read a moment later than the family's), so a small number is never printed."""
        mark = self.marks.get(key)
        if mark is None and is_small(value, self.threshold):
            return Hidden("small", self.threshold)
        return mark if mark is not None else value


def tree_problem(
    counts: dict[Node, Counts], children: dict[Node, list[Node]], weeks: dict[Node, WeekCounts]
) -> Problem:
    """Cells `(node, figure)` and `(node, week, figure)`; each node's figures are the sums of its
    children's, and its weekly registrations add up to its registered figure."""
    problem = Problem(values={})
    for node, c in counts.items():
        for name in PEOPLE:
            problem.values[(node, name)] = getattr(c, name)
        problem.orders.extend(((node, a), (node, b)) for a, b in ORDERS)
    for parent, kids in children.items():
        for name in PEOPLE:
            problem.sums.append(((parent, name), tuple((kid, name) for kid in kids)))
    for node, by_week in weeks.items():
        for week, values in by_week.items():
            for name, value in zip(WEEKLY, values, strict=True):
                problem.values[(node, week, name)] = value
        registered = [(node, week, "registered") for week in by_week]
        if sum(problem.values[key] for key in registered) == counts[node].registered:
            problem.sums.append(((node, "registered"), tuple(registered)))
    return problem


def _add(a: Counts, b: Counts) -> Counts:
    return Counts(**{f.name: getattr(a, f.name) + getattr(b, f.name) for f in fields(Counts)})


def _add_weeks(into: WeekCounts, other: WeekCounts) -> None:
    for week, values in other.items():
        before = into.get(week, (0, 0, 0))
        into[week] = tuple(x + y for x, y in zip(before, values, strict=True))  # type: ignore[assignment]


def school_family(school_id: int, threshold: int, rows: list[queries.Row] | None = None) -> Hiding:
    """The decision shared by a school's report, its exports and its class reports, from the
    school's class rows (read here unless given). Nodes: `"school"`, `("grade", n)`, `("class", id)`."""
    if rows is None:
        rows = queries.class_rows(queries.school_scope(school_id))
    class_weeks = _class_weeks(queries.school_scope(school_id))
    counts: dict[Node, Counts] = {"school": Counts()}
    children: dict[Node, list[Node]] = defaultdict(list)
    weeks: dict[Node, WeekCounts] = {"school": {}}
    for row in rows:
        node, grade = ("class", row.key), ("grade", row.extra["grade"])
        counts[node] = row.counts
        weeks[node] = class_weeks.get(row.key, {})
        if grade not in counts:
            counts[grade], weeks[grade] = Counts(), {}
            children["school"].append(grade)
        children[grade].append(node)
        for total in (grade, "school"):
            counts[total] = _add(counts[total], row.counts)
            _add_weeks(weeks[total], weeks[node])
    return Hiding(suppress(tree_problem(counts, children, weeks), threshold), threshold)


def _class_weeks(scope: Select) -> dict[int, WeekCounts]:
    result: dict[int, WeekCounts] = defaultdict(dict)
    query = select(
        WeeklyRollup.class_id,
        WeeklyRollup.week,
        WeeklyRollup.registered,
        WeeklyRollup.certified,
        WeeklyRollup.joined,
    ).where(WeeklyRollup.class_id.in_(scope))
    for class_id, week, r, c, j in db.session.execute(query):
        result[class_id][week] = (r, c, j)
    return result


def bureau_family(
    bureau_id: int, threshold: int, total: Counts, districts: list[queries.Row], schools: list[queries.Row]
) -> Hiding:
    """The decision of a bureau's report from its figures (the bureau's, `queries.district_rows`,
    `queries.school_rows`). Nodes: `"bureau"`, `("district", id)`, `("school", id)`; a school sits
    under its district, or under the bureau itself."""
    branches = _school_branches(bureau_id)
    counts: dict[Node, Counts] = {"bureau": total}
    children: dict[Node, list[Node]] = defaultdict(list)
    for row in districts:
        counts[("district", row.key)] = row.counts
        children["bureau"].append(("district", row.key))
    for row in schools:
        node = ("school", row.key)
        counts[node] = row.counts
        branch = branches.get(row.key)
        parent = ("district", branch) if ("district", branch) in counts else "bureau"
        children[parent].append(node)
    weeks = {"bureau": _all_weeks(queries.bureau_school_ids(bureau_id))}
    return Hiding(suppress(tree_problem(counts, children, weeks), threshold), threshold)


def _school_branches(bureau_id: int) -> dict[int, int]:
    """Each school beneath the bureau → the bureau directly beneath this one it sits in."""
    tree = (
        select(Bureau.id.label("id"), Bureau.id.label("root"))
        .where(Bureau.parent_id == bureau_id)
        .cte("school_branches", recursive=True)
    )
    tree = tree.union_all(select(Bureau.id, tree.c.root).where(Bureau.parent_id == tree.c.id))
    query = select(School.id, tree.c.root).join(tree, School.bureau_id == tree.c.id)
    return dict(db.session.execute(query).tuples().all())


def _all_weeks(school_ids: Select) -> WeekCounts:
    model = SchoolWeeklyRollup
    query = (
        select(model.week, func.sum(model.registered), func.sum(model.certified), func.sum(model.joined))
        .where(model.school_id.in_(school_ids))
        .group_by(model.week)
    )
    return {week: (int(r or 0), int(c or 0), int(j or 0)) for week, r, c, j in db.session.execute(query)}


def flat_family(total: Counts, rows: Iterable[tuple[Hashable, Counts]], threshold: int) -> Hiding:
    """Rows that add up to one total and nothing else (the bureau's every-class export).
    Nodes: `"total"` and each row's key."""
    counts: dict[Node, Counts] = {"total": total}
    for key, c in rows:
        counts[key] = c
    children = {"total": [key for key in counts if key != "total"]}
    return Hiding(suppress(tree_problem(counts, children, {}), threshold), threshold)


def course_family(figures: list[CourseFigure], threshold: int) -> Hiding:
    """A course table on its own: each course's attempts are its passed plus its stuck, and the
    totals row adds up each column. Keys `(slug, figure)`, `("*", figure)` for the totals row."""
    problem = Problem(values={})
    for f in figures:
        for name in COURSE:
            problem.values[(f.slug, name)] = getattr(f, name)
        problem.sums.append(((f.slug, "attempted"), ((f.slug, "passed"), (f.slug, "stuck"))))
    for name in COURSE:
        problem.values[(ALL_COURSES, name)] = sum(getattr(f, name) for f in figures)
        problem.sums.append(((ALL_COURSES, name), tuple((f.slug, name) for f in figures)))
    return Hiding(suppress(problem, threshold), threshold)
