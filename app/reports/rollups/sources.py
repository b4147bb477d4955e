"""The tables the roll-ups are computed from, and the parameters their statements are built with
(once: see refresh.py)."""

from __future__ import annotations

from sqlalchemy import bindparam, case, func, select
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
from app.invites.models import GroupMembership, InviteToken
from app.learning.models import LessonRead
from app.orgs.models import School
from app.quizzes.models import QuizAttempt
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


def scope_of(class_ids):
    """The classes to recompute: those given (a list, or CLASS_IDS), never a purged one."""
    query = select(classes.c.id).where(classes.c.purged_at.is_(None))
    if class_ids is not None:
        wanted = class_ids if isinstance(class_ids, BindParameter) else list(class_ids)
        query = query.where(classes.c.id.in_(wanted))
    return query


def count_of(required):
    return REQUIRED_COUNT if isinstance(required, BindParameter) else len(required)


def guardians(scope):
    """One row per class and parent with a link there that was not declined."""
    approved = func.max(case((links.c.status == LinkStatus.APPROVED, 1), else_=0))
    return (
        select(links.c.class_id, links.c.parent_id, approved.label("approved"))
        .where(links.c.status != LinkStatus.REJECTED, links.c.class_id.in_(scope))
        .group_by(links.c.class_id, links.c.parent_id)
        .subquery("g")
    )
