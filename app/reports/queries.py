"""Report figures: sums over the roll-up tables, one query per table shown, whatever the scope.

A scope is a query of class ids (a school's classes, optionally one grade; a bureau's schools'
classes). Rates are computed from summed counts, never averaged over classes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import Select, func, literal, select

from app.classes.models import SchoolClass
from app.extensions import db
from app.orgs.models import Bureau, School
from app.reports.models import ClassRollup


@dataclass
class Counts:
    """Summed class roll-ups. The funnel steps are cumulative (see ClassRollup)."""

    classes: int = 0
    students: int = 0
    students_with_certified: int = 0
    registered: int = 0
    confirmed: int = 0
    pending: int = 0
    learning: int = 0
    passed: int = 0
    certified: int = 0
    charter_accepted: int = 0
    invited: int = 0
    joined: int = 0
    teacher_certified: int = 0  # classes whose head teacher holds the group-owner certificate

    @property
    def funnel(self) -> list[tuple[str, int]]:
        return [
            ("registered", self.registered),
            ("learning", self.learning),
            ("passed", self.passed),
            ("charter_accepted", self.charter_accepted),
            ("invited", self.invited),
            ("joined", self.joined),
        ]


def rate(part: int, whole: int) -> float:
    """A share from 0 to 1; 0 when there is nobody to count."""
    return part / whole if whole else 0.0


_COUNT_COLUMNS = [f.name for f in fields(Counts) if f.name != "classes"]


def _sums():
    return [func.coalesce(func.sum(getattr(ClassRollup, name)), 0).label(name) for name in _COUNT_COLUMNS]


def school_scope(school_id: int, grade: int | None = None) -> Select:
    query = select(SchoolClass.id).where(SchoolClass.school_id == school_id)
    return query.where(SchoolClass.grade == grade) if grade is not None else query


def subtree(bureau_id: int):
    """The bureau and all beneath it, as a recursive CTE of ids."""
    tree = select(Bureau.id).where(Bureau.id == bureau_id).cte("tree", recursive=True)
    return tree.union_all(select(Bureau.id).where(Bureau.parent_id == tree.c.id))


def bureau_school_ids(bureau_id: int) -> Select:
    return select(School.id).where(School.bureau_id.in_(select(subtree(bureau_id).c.id)))


def bureau_scope(bureau_id: int) -> Select:
    return select(SchoolClass.id).where(SchoolClass.school_id.in_(bureau_school_ids(bureau_id)))


def totals(scope: Select) -> Counts:
    row = db.session.execute(
        select(func.count().label("classes"), *_sums()).where(ClassRollup.class_id.in_(scope))
    ).one()
    return Counts(**row._asdict())


@dataclass
class Row:
    """One line of a table: what it names, and its counts."""

    key: int | str
    label: str
    counts: Counts
    extra: dict


def _rows(query) -> list[Row]:
    result = []
    for row in db.session.execute(query).mappings():
        counts = Counts(**{k: row[k] for k in ("classes", *_COUNT_COLUMNS)})
        extra = {k: v for k, v in row.items() if k not in ("key", "label", "classes", *_COUNT_COLUMNS)}
        result.append(Row(row["key"], row["label"], counts, extra))
    return result


def class_rows(scope: Select) -> list[Row]:
    """Per class, by grade and name (the page may sort otherwise)."""
    query = (
        select(
            SchoolClass.id.label("key"),
            SchoolClass.name.label("label"),
            SchoolClass.grade.label("grade"),
            SchoolClass.school_year.label("school_year"),
            SchoolClass.status.label("status"),
            func.count().label("classes"),
            *_sums(),
        )
        .join(ClassRollup, ClassRollup.class_id == SchoolClass.id)
        .where(SchoolClass.id.in_(scope))
        .group_by(
            SchoolClass.id, SchoolClass.name, SchoolClass.grade, SchoolClass.school_year, SchoolClass.status
        )
        .order_by(SchoolClass.grade, SchoolClass.name)
    )
    return _rows(query)


def class_rows_stream(scope: Select):
    """Every class of the scope with its school, pulled from the database in batches (a whole
    city's classes never sit in memory at once)."""
    query = (
        select(
            SchoolClass.id.label("key"),
            SchoolClass.name.label("label"),
            School.name.label("school"),
            SchoolClass.grade.label("grade"),
            literal(1).label("classes"),
            *[getattr(ClassRollup, name).label(name) for name in _COUNT_COLUMNS],
        )
        .join(ClassRollup, ClassRollup.class_id == SchoolClass.id)
        .join(School, School.id == SchoolClass.school_id)
        .where(SchoolClass.id.in_(scope))
        .order_by(School.name, SchoolClass.grade, SchoolClass.name, SchoolClass.id)
        .execution_options(yield_per=2000)
    )
    for row in db.session.execute(query).mappings():
        counts = Counts(**{k: row[k] for k in ("classes", *_COUNT_COLUMNS)})
        yield Row(row["key"], row["label"], counts, {"school": row["school"], "grade": row["grade"]})


def grade_rows(scope: Select) -> list[Row]:
    query = (
        select(
            SchoolClass.grade.label("key"),
            SchoolClass.grade.label("label"),
            func.count().label("classes"),
            *_sums(),
        )
        .join(ClassRollup, ClassRollup.class_id == SchoolClass.id)
        .where(SchoolClass.id.in_(scope))
        .group_by(SchoolClass.grade)
        .order_by(SchoolClass.grade)
    )
    return _rows(query)


def school_rows(bureau_id: int) -> list[Row]:
    """Per school beneath a bureau, by name; a school without classes shows zeros."""
    query = (
        select(
            School.id.label("key"),
            School.name.label("label"),
            func.count(ClassRollup.class_id).label("classes"),
            *_sums(),
        )
        .outerjoin(ClassRollup, ClassRollup.school_id == School.id)
        .where(School.id.in_(bureau_school_ids(bureau_id)))
        .group_by(School.id, School.name)
        .order_by(School.name, School.id)
    )
    return _rows(query)


def district_rows(bureau_id: int) -> list[Row]:
    """Per bureau directly beneath this one, each with everything beneath it (one recursive
    query); a district without schools or classes shows zeros."""
    tree = (
        select(Bureau.id.label("id"), Bureau.id.label("root"))
        .where(Bureau.parent_id == bureau_id)
        .cte("branches", recursive=True)
    )
    tree = tree.union_all(select(Bureau.id, tree.c.root).where(Bureau.parent_id == tree.c.id))
    root = Bureau.__table__.alias("root_bureau")
    query = (
        select(
            tree.c.root.label("key"),
            root.c.name.label("label"),
            func.count(ClassRollup.class_id).label("classes"),
            *_sums(),
        )
        .select_from(tree)
        .join(root, root.c.id == tree.c.root)
        .outerjoin(School, School.bureau_id == tree.c.id)
        .outerjoin(ClassRollup, ClassRollup.school_id == School.id)
        .group_by(tree.c.root, root.c.name)
        .order_by(root.c.name)
    )
    return _rows(query)
