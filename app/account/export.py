"""Everything ParentPass holds about one person, as one JSON document they can download.

Strictly the person's own rows. Left out: the password hash and every other hash or key id
(they are not information about the person, and a hash is a secret), the server's record of a
quiz draw, and anything naming someone else: no other person's id, name or phone appears, and a
roster child's details from the school's list are not repeated (a link still waiting for the
teacher must not reveal them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from app.audit.models import AuditEvent
from app.auth.models import PasswordLink, User, UserSession
from app.certificates.models import Certificate
from app.classes.models import Charter, CharterAcceptance, GuardianLink, LinkStatus, SchoolClass
from app.content.notice import notice_version
from app.extensions import db
from app.invites.models import GroupMembership, InviteToken
from app.learning.models import LessonRead
from app.orgs.models import School
from app.quizzes.models import AttemptAnswer, QuizAttempt


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(value: Any) -> Any:
    return _when(value) if isinstance(value, datetime) else value


def personal_data(user: User, now: datetime) -> dict[str, Any]:
    """The person's data, section by section; dates in ISO 8601, UTC."""
    classes = _ClassNames()
    return {
        "exported_at": _when(now),
        "privacy_notice_version": notice_version(),
        "account": _account(user),
        "guardian_links": _guardian_links(user, classes),
        "lesson_reads": _lesson_reads(user),
        "quiz_attempts": _quiz_attempts(user),
        "certificates": _certificates(user),
        "charter_acceptances": _charter_acceptances(user, classes),
        "invite_codes": _invite_codes(user, now, classes),
        "group_memberships": _memberships(user, classes),
        "classes_headed": [classes.of(c) for c in _headed_class_ids(user)],
        "charter_versions_written": _charters_written(user, classes),
        "password_links": _password_links(user),
        "sign_in_sessions": _sessions(user),
        "audit_events": _audit_events(user, classes),
    }


def _account(user: User) -> dict[str, Any]:
    """Every column of the account but the password hash, plus the names of school and bureau."""
    account = {
        column.name: _plain(getattr(user, column.key))
        for column in User.__table__.columns
        if not column.name.endswith("_hash")
    }
    account["school"] = user.school.name if user.school else None
    account["bureau"] = user.bureau.name if user.bureau else None
    return account


class _ClassNames:
    """Class id → {class, school_year, school}, fetched once per id."""

    def __init__(self) -> None:
        self._known: dict[int, dict[str, Any]] = {}

    def of(self, class_id: int | None) -> dict[str, Any] | None:
        if class_id is None:
            return None
        if class_id not in self._known:
            row = db.session.execute(
                select(SchoolClass.name, SchoolClass.school_year, School.name)
                .join(School, School.id == SchoolClass.school_id)
                .where(SchoolClass.id == class_id)
            ).one()
            self._known[class_id] = {"class": row[0], "school_year": row[1], "school": row[2]}
        return self._known[class_id]


def _guardian_links(user: User, classes: _ClassNames) -> list[dict[str, Any]]:
    links = db.session.scalars(
        select(GuardianLink).where(GuardianLink.parent_id == user.id).order_by(GuardianLink.id)
    )
    return [
        {
            **classes.of(link.class_id),
            "child_name": link.child_name,
            "relation": link.relation,
            "status": link.status,
            "matched_to_class_list": link.student_id is not None and link.status == LinkStatus.APPROVED,
            "created_at": _when(link.created_at),
            "decided_at": _when(link.decided_at),
            "reject_reason": link.reject_reason,
            "child_consent_at": _when(link.child_consent_at),
            "child_consent_version": link.child_consent_version,
        }
        for link in links
    ]


def _lesson_reads(user: User) -> list[dict[str, Any]]:
    reads = db.session.scalars(
        select(LessonRead).where(LessonRead.user_id == user.id).order_by(LessonRead.first_read_at)
    )
    return [
        {
            "course": r.course_slug,
            "lesson": r.lesson_slug,
            "first_read_at": _when(r.first_read_at),
            "last_read_at": _when(r.last_read_at),
        }
        for r in reads
    ]


def _quiz_attempts(user: User) -> list[dict[str, Any]]:
    attempts = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == user.id).order_by(QuizAttempt.started_at)
    ).all()
    answers: dict[int, list[dict[str, Any]]] = {}
    for answer in db.session.scalars(
        select(AttemptAnswer)
        .where(AttemptAnswer.attempt_id.in_([a.id for a in attempts]))
        .order_by(AttemptAnswer.attempt_id, AttemptAnswer.position)
    ):
        answers.setdefault(answer.attempt_id, []).append(
            {
                "question": answer.question_id,
                "chosen": answer.chosen,
                "correct": answer.correct,
            }
        )
    return [
        {
            "course": a.course_slug,
            "course_version": a.course_version,
            "started_at": _when(a.started_at),
            "submitted_at": _when(a.submitted_at),
            "score": a.score,
            "total": a.total,
            "passed": a.passed,
            "answers": answers.get(a.id, []),
        }
        for a in attempts
    ]


def _certificates(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at)
    )
    return [
        {
            "number": c.number,
            "audience": c.audience,
            "content_version": c.content_version,
            "issued_at": _when(c.issued_at),
            "expires_at": _when(c.expires_at),
        }
        for c in rows
    ]


def _charter_acceptances(user: User, classes: _ClassNames) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Charter.class_id, Charter.version, CharterAcceptance.accepted_at)
        .join(Charter, Charter.id == CharterAcceptance.charter_id)
        .where(CharterAcceptance.user_id == user.id)
        .order_by(CharterAcceptance.accepted_at)
    )
    return [
        {**classes.of(class_id), "charter_version": version, "accepted_at": _when(at)}
        for class_id, version, at in rows
    ]


def _invite_codes(user: User, now: datetime, classes: _ClassNames) -> list[dict[str, Any]]:
    """The codes' states and dates; never the code (it is not stored) nor its hash."""
    tokens = db.session.scalars(
        select(InviteToken).where(InviteToken.parent_id == user.id).order_by(InviteToken.issued_at)
    )
    return [
        {
            **classes.of(t.class_id),
            "state": str(t.state(now)),
            "wechat_id": t.wechat_id,
            "issued_at": _when(t.issued_at),
            "expires_at": _when(t.expires_at),
            "used_at": _when(t.used_at),
            "revoked_at": _when(t.revoked_at),
            "revoke_reason": t.revoke_reason,
        }
        for t in tokens
    ]


def _memberships(user: User, classes: _ClassNames) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(GroupMembership).where(GroupMembership.parent_id == user.id).order_by(GroupMembership.id)
    )
    return [
        {
            **classes.of(m.class_id),
            "invite_approved_at": _when(m.invite_approved_at),
            "joined_at": _when(m.joined_at),
            "removed_at": _when(m.removed_at),
        }
        for m in rows
    ]


def _headed_class_ids(user: User) -> list[int]:
    return list(
        db.session.scalars(
            select(SchoolClass.id).where(SchoolClass.head_teacher_id == user.id).order_by(SchoolClass.id)
        )
    )


def _charters_written(user: User, classes: _ClassNames) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Charter.class_id, Charter.version, Charter.created_at)
        .where(Charter.created_by_id == user.id)
        .order_by(Charter.created_at)
    )
    return [
        {**classes.of(class_id), "charter_version": version, "created_at": _when(at)}
        for class_id, version, at in rows
    ]


def _password_links(user: User) -> list[dict[str, Any]]:
    """Links to set this account's password (never the secret, never its hash)."""
    rows = db.session.scalars(
        select(PasswordLink).where(PasswordLink.user_id == user.id).order_by(PasswordLink.created_at)
    )
    return [
        {
            "purpose": link.purpose,
            "created_at": _when(link.created_at),
            "expires_at": _when(link.expires_at),
            "used_at": _when(link.used_at),
        }
        for link in rows
    ]


def _sessions(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.created_at)
    )
    return [{"signed_in_at": _when(s.created_at), "ends_at": _when(s.expires_at)} for s in rows]


def _audit_events(user: User, classes: _ClassNames) -> list[dict[str, Any]]:
    """Events where the person acted or was acted on: what, when, where, and their part in it.
    The other person of an event is left out, and so are ids in the detail."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(or_(AuditEvent.actor_id == user.id, AuditEvent.subject_id == user.id))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return [
        {
            "at": _when(e.at),
            "action": e.action,
            "you_were": [
                part for part, who in (("actor", e.actor_id), ("subject", e.subject_id)) if who == user.id
            ],
            "class": classes.of(e.class_id),
            "detail": {k: v for k, v in (e.detail or {}).items() if not k.endswith("_id")} or None,
        }
        for e in events
    ]
