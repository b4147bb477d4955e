"""Keeping the report roll-ups current: set-based SQL, the same for one class or the whole city.

`refresh_classes(ids)` recomputes the roll-ups of those classes (None: every class not yet
purged) with a few INSERT … SELECT statements, so the work grows with the classes touched, not
with the rows behind them. `app/reports/events.py` calls it when a commit changes what a class
counts; `flask --app app reports refresh` calls it for everything (nightly: certificates expire
without any event). Purged classes are never recomputed: their last counts stay, anonymous.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    and_,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import BindParameter

from app.certificates.models import Certificate
from app.classes.models import (
    Charter,
    CharterAcceptance,
    GuardianLink,
    LinkStatus,
    RosterStudent,
    SchoolClass,
)
from app.extensions import db
from app.invites.models import GroupMembership, InviteToken
from app.learning.models import LessonRead
from app.orgs.models import School
from app.quizzes.models import QuizAttempt
from app.reports.models import (
    ClassRollup,
    CourseRollup,
    QuestionRollup,
    SchoolWeeklyRollup,
    WeeklyRollup,
)
from app.timeutil import UTCDateTime

links = GuardianLink.__table__
users_reads = LessonRead.__table__
attempts = QuizAttempt.__table__
certificates = Certificate.__table__
acceptances = CharterAcceptance.__table__
charters = Charter.__table__
tokens = InviteToken.__table__
memberships = GroupMembership.__table__
classes = SchoolClass.__table__
roster = RosterStudent.__table__
schools = School.__table__


# The refresh statements are built once, with these parameters, and reused for every commit:
# building them anew cost more Python time (SQLAlchemy recomputes a statement's cache key) than the
# database spent running them.
CLASS_IDS = bindparam("class_ids", expanding=True)
REQUIRED = bindparam("required", expanding=True)
REQUIRED_COUNT = bindparam("required_count")
NOW = bindparam("now", type_=UTCDateTime())


def _scope(class_ids):
    """The classes to recompute: those given (a list, or CLASS_IDS), never a purged one."""
    query = select(classes.c.id).where(classes.c.purged_at.is_(None))
    if class_ids is not None:
        wanted = class_ids if isinstance(class_ids, BindParameter) else list(class_ids)
        query = query.where(classes.c.id.in_(wanted))
    return query


def _count_of(required):
    return REQUIRED_COUNT if isinstance(required, BindParameter) else len(required)


def _guardians(scope):
    """One row per class and parent with a link there that was not declined."""
    approved = func.max(case((links.c.status == LinkStatus.APPROVED, 1), else_=0))
    return (
        select(links.c.class_id, links.c.parent_id, approved.label("approved"))
        .where(links.c.status != LinkStatus.REJECTED, links.c.class_id.in_(scope))
        .group_by(links.c.class_id, links.c.parent_id)
        .subquery("g")
    )


def _flags(g, required: list[str], now: datetime):
    """Per guardian: 1/0 for each step, each step requiring the ones before (the funnel)."""
    read = exists().where(users_reads.c.user_id == g.c.parent_id)
    passed_courses = (
        select(func.count(func.distinct(attempts.c.course_slug)))
        .where(
            attempts.c.user_id == g.c.parent_id,
            attempts.c.passed.is_(True),
            attempts.c.course_slug.in_(required),
        )
        .scalar_subquery()
    )
    certified = exists().where(certificates.c.user_id == g.c.parent_id, certificates.c.expires_at > now)
    newer = charters.alias("newest")
    # Correlated to the charter row of the EXISTS below, not to `g`: a subquery two levels down
    # would take `g` into its own FROM and find the newest version of any class in the refresh,
    # so a batch (the drain, the nightly refresh) dropped parents of classes on an older version.
    current_version = select(func.max(newer.c.version)).where(newer.c.class_id == charters.c.class_id)
    accepted = exists().where(
        acceptances.c.user_id == g.c.parent_id,
        acceptances.c.charter_id == charters.c.id,
        charters.c.class_id == g.c.class_id,
        charters.c.version == current_version.scalar_subquery(),
    )
    invited = exists().where(tokens.c.class_id == g.c.class_id, tokens.c.parent_id == g.c.parent_id)
    joined = exists().where(
        memberships.c.class_id == g.c.class_id,
        memberships.c.parent_id == g.c.parent_id,
        memberships.c.joined_at.is_not(None),
        memberships.c.removed_at.is_(None),
    )
    learning = read
    passed = and_(learning, passed_courses == _count_of(required))
    charter = and_(passed, g.c.approved == 1, accepted)
    invite = and_(charter, invited)
    join = and_(invite, joined)

    def flag(condition, name):
        return case((condition, 1), else_=0).label(name)

    return select(
        g.c.class_id,
        g.c.approved,
        flag(learning, "learning"),
        flag(passed, "passed"),
        flag(certified, "certified"),
        flag(charter, "charter_accepted"),
        flag(invite, "invited"),
        flag(join, "joined"),
    ).subquery("f")


def _class_counts(scope, required: list[str], now: datetime):
    f = _flags(_guardians(scope), required, now)
    by_class = (
        select(
            f.c.class_id,
            func.count().label("registered"),
            func.sum(f.c.approved).label("confirmed"),
            func.sum(f.c.learning).label("learning"),
            func.sum(f.c.passed).label("passed"),
            func.sum(f.c.certified).label("certified"),
            func.sum(f.c.charter_accepted).label("charter_accepted"),
            func.sum(f.c.invited).label("invited"),
            func.sum(f.c.joined).label("joined"),
        )
        .group_by(f.c.class_id)
        .subquery("c")
    )
    certified_guardian = exists().where(
        links.c.student_id == roster.c.id,
        links.c.status == LinkStatus.APPROVED,
        certificates.c.user_id == links.c.parent_id,
        certificates.c.expires_at > now,
    )
    students = (
        select(
            roster.c.class_id,
            func.count().label("students"),
            func.sum(case((certified_guardian, 1), else_=0)).label("with_certified"),
        )
        .where(roster.c.class_id.in_(scope))
        .group_by(roster.c.class_id)
        .subquery("s")
    )
    pending = (
        select(links.c.class_id, func.count(func.distinct(links.c.parent_id)).label("pending"))
        .where(links.c.status == LinkStatus.PENDING, links.c.class_id.in_(scope))
        .group_by(links.c.class_id)
        .subquery("p")
    )

    def zero(column):
        return func.coalesce(column, 0)

    # A scalar subquery, not EXISTS: PostgreSQL may turn an EXISTS into one hashed pass over every
    # teacher certificate of the city (~100 ms on the synthetic city for a single class); a scalar
    # subquery is looked up per class, through the certificates' user_id index.
    teacher_certified = (
        select(literal(1))
        .where(
            certificates.c.user_id == classes.c.head_teacher_id,
            certificates.c.audience == "teacher",
            certificates.c.expires_at > now,
        )
        .limit(1)
        .scalar_subquery()
        .is_not(None)
    )

    return (
        select(
            classes.c.id,
            classes.c.school_id,
            zero(students.c.students),
            zero(students.c.with_certified),
            zero(by_class.c.registered),
            zero(by_class.c.confirmed),
            zero(pending.c.pending),
            zero(by_class.c.learning),
            zero(by_class.c.passed),
            zero(by_class.c.certified),
            zero(by_class.c.charter_accepted),
            zero(by_class.c.invited),
            zero(by_class.c.joined),
            case((teacher_certified, 1), else_=0),
            now
            if isinstance(now, BindParameter)
            else literal(now, ClassRollup.__table__.c.refreshed_at.type),
        )
        .select_from(classes)
        .outerjoin(by_class, by_class.c.class_id == classes.c.id)
        .outerjoin(students, students.c.class_id == classes.c.id)
        .outerjoin(pending, pending.c.class_id == classes.c.id)
        .where(classes.c.id.in_(scope))
    )


def _course_counts(scope, required: list[str]):
    g = _guardians(scope)
    per_person = (
        select(
            attempts.c.user_id,
            attempts.c.course_slug,
            func.count().label("attempts"),
            func.max(case((attempts.c.passed.is_(True), 1), else_=0)).label("passed"),
        )
        .where(
            attempts.c.submitted_at.is_not(None),
            attempts.c.course_slug.in_(required),
            attempts.c.user_id.in_(select(g.c.parent_id)),
        )
        .group_by(attempts.c.user_id, attempts.c.course_slug)
        .subquery("a")
    )
    return (
        select(
            g.c.class_id,
            per_person.c.course_slug,
            classes.c.school_id,
            func.count(),
            func.sum(per_person.c.passed),
            func.sum(1 - per_person.c.passed),
            func.sum(per_person.c.attempts),
        )
        .select_from(g)
        .join(per_person, per_person.c.user_id == g.c.parent_id)
        .join(classes, classes.c.id == g.c.class_id)
        .group_by(g.c.class_id, per_person.c.course_slug, classes.c.school_id)
    )


def week_of(column, zone_column):
    """The Monday (a date) of the week `column` falls in, in the school's time zone. PostgreSQL
    knows every zone; SQLite gets each zone's current UTC offset (exact for China, no DST)."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.date_trunc("week", func.timezone(zone_column, column)), Date)
    zones = db.session.scalars(select(schools.c.timezone).distinct()).all()
    offsets = [(zone, _offset(zone)) for zone in zones] or [("Asia/Shanghai", "+480 minutes")]
    shift = case(*[(zone_column == zone, literal(offset)) for zone, offset in offsets], else_="+480 minutes")
    return func.date(column, shift, "weekday 0", "-6 days")


def _offset(zone: str) -> str:
    try:
        delta = datetime.now(ZoneInfo(zone)).utcoffset()
    except (KeyError, ValueError):
        return "+480 minutes"
    return f"{int(delta.total_seconds() // 60):+d} minutes"


def _weekly_counts(scope):
    g = _guardians(scope)
    first_certificate = (
        select(certificates.c.user_id, func.min(certificates.c.issued_at).label("at"))
        .where(certificates.c.user_id.in_(select(g.c.parent_id)))
        .group_by(certificates.c.user_id)
        .subquery("fc")
    )
    registered = select(
        links.c.class_id, links.c.created_at.label("at"), literal(1).label("r"), literal(0), literal(0)
    ).where(links.c.status != LinkStatus.REJECTED, links.c.class_id.in_(scope))
    certified = select(g.c.class_id, first_certificate.c.at, literal(0), literal(1), literal(0)).join_from(
        g, first_certificate, first_certificate.c.user_id == g.c.parent_id
    )
    joined = select(
        memberships.c.class_id, memberships.c.joined_at, literal(0), literal(0), literal(1)
    ).where(memberships.c.joined_at.is_not(None), memberships.c.class_id.in_(scope))
    events = union_all(registered, certified, joined).subquery("e")
    columns = list(events.c)
    week = week_of(columns[1], schools.c.timezone).label("week")
    return (
        select(
            columns[0],
            week,
            classes.c.school_id,
            func.sum(columns[2]),
            func.sum(columns[3]),
            func.sum(columns[4]),
        )
        .join_from(events, classes, classes.c.id == columns[0])
        .join(schools, schools.c.id == classes.c.school_id)
        .group_by(columns[0], week, classes.c.school_id)
    )


def refresh_classes(
    class_ids: Iterable[int] | None, required: list[str], now: datetime, *, weekly: bool = True
) -> None:
    """Recompute the roll-ups of these classes (None: all not purged). The caller commits.
    `weekly=False` leaves the weekly figures (class and school) as they are: for a change that
    adds no request, first certificate or admission (app/reports/events.py knows which).

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
    scope = _scope(None if every_class else CLASS_IDS)
    wiped = (ClassRollup, CourseRollup, WeeklyRollup) if weekly else (ClassRollup, CourseRollup)
    statements = [delete(model).where(model.class_id.in_(scope)) for model in wiped]
    statements.append(insert(ClassRollup).from_select(CLASS_COLUMNS, _class_counts(scope, REQUIRED, NOW)))
    statements.append(
        insert(CourseRollup).from_select(
            ["class_id", "course_slug", "school_id", "attempted", "passed", "stuck", "attempts"],
            _course_counts(scope, REQUIRED),
        )
    )
    if weekly:
        statements.append(
            insert(WeeklyRollup).from_select(
                ["class_id", "week", "school_id", "registered", "certified", "joined"],
                _weekly_counts(scope),
            )
        )
        schools_of = None if every_class else select(classes.c.school_id).where(classes.c.id.in_(CLASS_IDS))
        statements.extend(_school_week_statements(schools_of))
    return tuple(statements)


def _school_week_statements(school_ids) -> tuple:
    """Sum the class weeks of these schools (None: all) into their school weeks."""
    weekly = WeeklyRollup.__table__
    query = select(
        weekly.c.school_id,
        weekly.c.week,
        func.sum(weekly.c.registered),
        func.sum(weekly.c.certified),
        func.sum(weekly.c.joined),
    ).group_by(weekly.c.school_id, weekly.c.week)
    wipe = delete(SchoolWeeklyRollup)
    if school_ids is not None:
        query = query.where(weekly.c.school_id.in_(school_ids))
        wipe = wipe.where(SchoolWeeklyRollup.school_id.in_(school_ids))
    return (
        wipe,
        insert(SchoolWeeklyRollup).from_select(
            ["school_id", "week", "registered", "certified", "joined"], query
        ),
    )


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
