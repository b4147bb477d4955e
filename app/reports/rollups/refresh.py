"""Recomputing the roll-ups of some classes (or all): delete, then INSERT … SELECT from the funnel
and weekly statements, built once per shape; new quiz answers added to question_rollups; and
which classes a set of people touch."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from sqlalchemy import (
    bindparam,
    delete,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.classes.models import (
    LinkStatus,
)
from app.extensions import db
from app.reports.models import (
    ClassRollup,
    CourseRollup,
    QuestionRollup,
    WeeklyRollup,
)
from app.reports.rollups.funnel import class_counts, course_counts
from app.reports.rollups.sources import (
    CLASS_IDS,
    NOW,
    REQUIRED,
    classes,
    links,
    schools,
    scope_of,
)
from app.reports.rollups.weekly import school_week_statements, weekly_counts


def refresh_classes(
    class_ids: Iterable[int] | None, required: list[str], now: datetime, *, weekly: bool = True
) -> None:
    """Recompute the roll-ups of these classes (None: all not purged). The caller commits.
    `weekly=False` leaves the weekly figures (class and school) as they are: for a change that
    adds no request, first certificate or admission (app/reports/rollups/events.py knows which).

    On PostgreSQL the classes' rows are locked first, then, when the weekly figures are rewritten,
    their schools' rows (each in id order, classes before schools, so two transactions never wait
    on each other in a circle): two commits touching one class, or two classes of one school
    (whose weekly school figures both rewrite), refresh one after the other, and the second sees
    the first's data."""
    ids = sorted(set(class_ids)) if class_ids is not None else None
    if ids == []:
        return
    weekly = weekly or ids is None
    if db.engine.dialect.name == "postgresql":
        locked = select(classes.c.id).order_by(classes.c.id).with_for_update()
        school_rows = select(schools.c.id).order_by(schools.c.id).with_for_update()
        if ids is not None:
            locked = locked.where(classes.c.id.in_(ids))
            school_rows = school_rows.where(
                schools.c.id.in_(select(classes.c.school_id).where(classes.c.id.in_(ids)))
            )
        db.session.execute(locked)
        if weekly:
            db.session.execute(school_rows)
    params = {"required": list(required), "required_count": len(required), "now": now}
    if ids is not None:
        params["class_ids"] = ids
    connection = db.session.connection()  # Core execution: the session's transaction, no ORM bulk mode
    for statement in _refresh_statements(ids is None, weekly):
        connection.execute(statement, params)


CLASS_COLUMNS = [
    "class_id",
    "school_id",
    "students",
    "students_with_certified",
    "registered",
    "confirmed",
    "pending",
    "learning",
    "passed",
    "certified",
    "charter_accepted",
    "invited",
    "joined",
    "teacher_certified",
    "refreshed_at",
]


@lru_cache(maxsize=4)
def _refresh_statements(every_class: bool, weekly: bool) -> tuple:
    """The refresh, in order: wipe the classes' rows, insert them anew, then the school weeks."""
    scope = scope_of(None if every_class else CLASS_IDS)
    wiped = (ClassRollup, CourseRollup, WeeklyRollup) if weekly else (ClassRollup, CourseRollup)
    statements = [delete(model).where(model.class_id.in_(scope)) for model in wiped]
    statements.append(insert(ClassRollup).from_select(CLASS_COLUMNS, class_counts(scope, REQUIRED, NOW)))
    statements.append(
        insert(CourseRollup).from_select(
            ["class_id", "course_slug", "school_id", "attempted", "passed", "stuck", "attempts"],
            course_counts(scope, REQUIRED),
        )
    )
    if weekly:
        statements.append(
            insert(WeeklyRollup).from_select(
                ["class_id", "week", "school_id", "registered", "certified", "joined"],
                weekly_counts(scope),
            )
        )
        schools_of = None if every_class else select(classes.c.school_id).where(classes.c.id.in_(CLASS_IDS))
        statements.extend(school_week_statements(schools_of))
    return tuple(statements)


def add_answers(counts: dict[tuple[int, str, str], tuple[int, int]]) -> None:
    """Add answers to the question roll-ups: {(school, course, question): (answered, correct)}."""
    if not counts:
        return
    dialect_insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    rows = [
        {"school_id": s, "course_slug": c, "question_id": q, "answered": a, "correct": r}
        for (s, c, q), (a, r) in sorted(counts.items())
    ]
    statement = dialect_insert(QuestionRollup).values(rows)
    table = QuestionRollup.__table__
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["school_id", "course_slug", "question_id"],
            set_={
                "answered": table.c.answered + statement.excluded.answered,
                "correct": table.c.correct + statement.excluded.correct,
            },
        )
    )


PEOPLE = bindparam("people", expanding=True)


_TOUCHING = union_all(
    select(links.c.parent_id, links.c.class_id, classes.c.school_id, links.c.status != LinkStatus.REJECTED)
    .join(classes, classes.c.id == links.c.class_id)
    .where(links.c.parent_id.in_(PEOPLE)),
    select(classes.c.head_teacher_id, classes.c.id, classes.c.school_id, literal(False)).where(
        classes.c.head_teacher_id.in_(PEOPLE)
    ),
)


def classes_touching(people: Iterable[int]) -> tuple[set[int], dict[int, set[int]]]:
    """In one query: the classes whose figures these people count in (their guardian links, any
    status, and the classes they head), and each parent's schools (links not declined), where
    their quiz answers count."""
    ids = sorted(set(people))
    if not ids:
        return set(), {}
    class_ids: set[int] = set()
    schools: dict[int, set[int]] = {}
    for person, class_id, school_id, counted in db.session.execute(_TOUCHING, {"people": ids}):
        class_ids.add(class_id)
        if counted:
            schools.setdefault(person, set()).add(school_id)
    return class_ids, schools
