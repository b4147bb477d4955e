"""What the account page shows: the person's details, their children, and how many records of
each kind are kept about them (the download has the records themselves)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.audit.models import AuditEvent
from app.auth.models import User, UserSession
from app.certificates.models import Certificate
from app.classes.models import CharterAcceptance, GuardianLink
from app.extensions import db
from app.invites.models import GroupMembership, InviteToken
from app.learning.models import LessonRead
from app.quizzes.models import QuizAttempt


@dataclass(frozen=True)
class Holdings:
    """How many rows of each kind are kept about one person."""

    lesson_reads: int
    quiz_attempts: int
    certificates: int
    charter_acceptances: int
    invite_codes: int
    group_memberships: int
    sessions: int
    audit_events: int


def own_links(user: User) -> list[GuardianLink]:
    """The person's children, with their classes, in one query."""
    return list(
        db.session.scalars(
            select(GuardianLink)
            .options(joinedload(GuardianLink.school_class))
            .where(GuardianLink.parent_id == user.id)
            .order_by(GuardianLink.id)
        )
    )


def holdings(user: User, now: datetime) -> Holdings:
    """Counts of the person's records, one small query each."""

    def count(model, *conditions) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0

    return Holdings(
        lesson_reads=count(LessonRead, LessonRead.user_id == user.id),
        quiz_attempts=count(QuizAttempt, QuizAttempt.user_id == user.id),
        certificates=count(Certificate, Certificate.user_id == user.id),
        charter_acceptances=count(CharterAcceptance, CharterAcceptance.user_id == user.id),
        invite_codes=count(InviteToken, InviteToken.parent_id == user.id),
        group_memberships=count(GroupMembership, GroupMembership.parent_id == user.id),
        sessions=count(UserSession, UserSession.user_id == user.id, UserSession.expires_at > now),
        audit_events=count(AuditEvent, or_(AuditEvent.actor_id == user.id, AuditEvent.subject_id == user.id)),
    )
