"""Where each guardian of a class stands, in SQL: the funnel (registered, learning, passed,
certified, charter accepted, invited, joined; each step needs the ones before) counted per class,
and each course's progress per class. The same steps as app/invites/eligibility.py, which a test
holds them to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    and_,
    case,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.sql.elements import BindParameter

from app.classes.models import (
    LinkStatus,
)
from app.reports.models import (
    ClassRollup,
)
from app.reports.rollups.sources import (
    acceptances,
    attempts,
    certificates,
    charters,
    classes,
    count_of,
    guardians,
    links,
    memberships,
    roster,
    tokens,
    users_reads,
)


def flags(g, required: list[str], now: datetime):
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
    passed = and_(learning, passed_courses == count_of(required))
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


def class_counts(scope, required: list[str], now: datetime):
    """One row per class with every ClassRollup column, as one SELECT that INSERT … SELECT reads:
    the funnel summed per class, students and those with a certified guardian, and whether the
    head teacher holds a certificate. One statement (long, not split) so that the database does
    the whole class in one pass, for one class or the city."""
    f = flags(guardians(scope), required, now)
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


def course_counts(scope, required: list[str]):
    g = guardians(scope)
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
