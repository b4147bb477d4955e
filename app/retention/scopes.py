"""What each purge step covers, as queries: the classes past the retention period, the departed
parents, and for either the rows that name them, counted the same way by the dry run and the
real one; the anonymous counts a purged class keeps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import aliased

from app.audit.models import AuditEvent
from app.auth.models import PasswordLink, Role, User, UserSession
from app.certificates.models import Certificate
from app.classes.models import (
    Charter,
    CharterAcceptance,
    ClassStatus,
    GuardianLink,
    LinkStatus,
    RosterStudent,
    SchoolClass,
)
from app.extensions import db
from app.invites.models import GroupMembership, InviteToken
from app.learning.models import LessonRead
from app.quizzes.models import AttemptAnswer, QuizAttempt

UNLINKED = "audit_events_unlinked"  # events kept with a parent's id cleared, not deleted


def purgeable_class_ids(cutoff: datetime) -> Select:
    """Classes graduated before the cutoff whose personal data is still there."""
    return select(SchoolClass.id).where(
        SchoolClass.status == ClassStatus.GRADUATED,
        SchoolClass.graduated_at < cutoff,
        SchoolClass.purged_at.is_(None),
    )


def departed_parent_ids(cutoff: datetime) -> Select:
    """Parent accounts created before the cutoff with no guardian link outside the classes about
    to be purged (once those are purged: with no guardian link at all)."""
    parent = aliased(User)
    other_link = select(GuardianLink.id).where(
        GuardianLink.parent_id == parent.id, GuardianLink.class_id.not_in(purgeable_class_ids(cutoff))
    )
    return (
        select(parent.id)
        .where(parent.role == Role.PARENT, parent.created_at < cutoff, ~other_link.exists())
        .order_by(parent.id)
    )


def parents_query() -> Select:
    return select(User.id).where(User.role == Role.PARENT)


def count_rows(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def class_scopes(class_id: int) -> dict:
    """Table → the condition picking this class's personal rows."""
    charters = select(Charter.id).where(Charter.class_id == class_id)
    return {
        CharterAcceptance: CharterAcceptance.charter_id.in_(charters),
        InviteToken: InviteToken.class_id == class_id,
        GroupMembership: GroupMembership.class_id == class_id,
        GuardianLink: GuardianLink.class_id == class_id,
        RosterStudent: RosterStudent.class_id == class_id,  # last: guardian links point at it
    }


def names_a_parent(class_id: int):
    return (AuditEvent.class_id == class_id) & or_(
        AuditEvent.actor_id.in_(parents_query()), AuditEvent.subject_id.in_(parents_query())
    )


def class_rows(class_id: int) -> dict[str, int]:
    """What the class step deletes, by table, and how many of its audit events name a parent."""
    rows = {model.__tablename__: count_rows(model, scope) for model, scope in class_scopes(class_id).items()}
    rows[UNLINKED] = count_rows(AuditEvent, names_a_parent(class_id))
    return rows


def archived_counts(school_class: SchoolClass) -> dict[str, int]:
    """The class's anonymous figures at graduation, for reports once the people are gone.

    students: on the roster · registered: parents who asked to be linked · guardians: approved
    ones · learning / certified_guardians / charter_accepted: approved guardians who had read a
    lesson / held a certificate issued before graduation / accepted the last charter version ·
    students_with_certified_guardian · invited: parents given a code · invites_issued: codes ·
    joined: parents admitted to the group · charter_version: the last version.
    """
    class_id, graduated_at = school_class.id, school_class.graduated_at
    version = db.session.scalar(select(func.max(Charter.version)).where(Charter.class_id == class_id)) or 0
    last_charter = select(Charter.id).where(Charter.class_id == class_id, Charter.version == version)
    certified = select(Certificate.user_id).where(Certificate.issued_at <= graduated_at)

    def guardians(*conditions, of=GuardianLink.parent_id) -> int:
        approved = [GuardianLink.class_id == class_id, GuardianLink.status == LinkStatus.APPROVED]
        return db.session.scalar(select(func.count(func.distinct(of))).where(*approved, *conditions)) or 0

    return {
        "students": count_rows(RosterStudent, RosterStudent.class_id == class_id),
        "registered": db.session.scalar(
            select(func.count(func.distinct(GuardianLink.parent_id))).where(GuardianLink.class_id == class_id)
        )
        or 0,
        "guardians": guardians(),
        "learning": guardians(
            GuardianLink.parent_id.in_(
                select(LessonRead.user_id).where(LessonRead.first_read_at <= graduated_at)
            )
        ),
        "certified_guardians": guardians(GuardianLink.parent_id.in_(certified)),
        "charter_accepted": guardians(
            GuardianLink.parent_id.in_(
                select(CharterAcceptance.user_id).where(CharterAcceptance.charter_id.in_(last_charter))
            )
        ),
        "students_with_certified_guardian": guardians(
            GuardianLink.parent_id.in_(certified),
            GuardianLink.student_id.is_not(None),
            of=GuardianLink.student_id,
        ),
        "invited": db.session.scalar(
            select(func.count(func.distinct(InviteToken.parent_id))).where(InviteToken.class_id == class_id)
        )
        or 0,
        "invites_issued": count_rows(InviteToken, InviteToken.class_id == class_id),
        "joined": count_rows(
            GroupMembership, GroupMembership.class_id == class_id, GroupMembership.joined_at.is_not(None)
        ),
        "charter_version": version,
    }


def classes_purging(cutoff: datetime | None) -> Select:
    """The classes whose rows the class step deletes: those past the cutoff; none without one."""
    if cutoff is None:
        return select(SchoolClass.id).where(false())
    return purgeable_class_ids(cutoff)


def parent_scopes(ids: list[int], cutoff: datetime | None) -> dict:
    """Table → the condition picking these parents' rows, leaving out the rows of classes still
    to be purged (a dry run counts those under their class). In deleting order: answers before
    their attempts, everything before the account. Without a cutoff: all their rows."""
    purging = classes_purging(cutoff)
    purging_charters = select(Charter.id).where(Charter.class_id.in_(purging))
    scopes = {
        AttemptAnswer: AttemptAnswer.attempt_id.in_(
            select(QuizAttempt.id).where(QuizAttempt.user_id.in_(ids))
        ),
        QuizAttempt: QuizAttempt.user_id.in_(ids),
        LessonRead: LessonRead.user_id.in_(ids),
        Certificate: Certificate.user_id.in_(ids),
        CharterAcceptance: CharterAcceptance.user_id.in_(ids)
        & CharterAcceptance.charter_id.not_in(purging_charters),
        InviteToken: InviteToken.parent_id.in_(ids) & InviteToken.class_id.not_in(purging),
        GroupMembership: GroupMembership.parent_id.in_(ids) & GroupMembership.class_id.not_in(purging),
        PasswordLink: PasswordLink.user_id.in_(ids),
        UserSession: UserSession.user_id.in_(ids),  # a departed parent may still be signed in
    }
    if cutoff is None:
        # Only at the parent's own request: a departed parent has no link left by definition, and
        # one added meanwhile must make the purge fail rather than be deleted with the account.
        scopes[GuardianLink] = GuardianLink.parent_id.in_(ids)
    return scopes


def parent_rows(ids: list[int], cutoff: datetime | None = None) -> dict[str, int]:
    """What the parent step deletes for these parents, by table, with the audit events unlinked."""
    rows = {
        model.__tablename__: count_rows(model, scope) for model, scope in parent_scopes(ids, cutoff).items()
    }
    rows[UNLINKED] = count_rows(
        AuditEvent,
        or_(AuditEvent.actor_id.in_(ids), AuditEvent.subject_id.in_(ids)),
        or_(AuditEvent.class_id.is_(None), AuditEvent.class_id.not_in(classes_purging(cutoff))),
    )
    rows[User.__tablename__] = count_rows(User, User.id.in_(ids), User.role == Role.PARENT)
    return rows
