"""Invite changes. A token is issued only to a parent eligible for the class at that moment, whatever
a page shows; redemption is one conditional UPDATE, so a code admits one person once.

Plain functions; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.audit.services import Action, record
from app.auth.models import User
from app.classes.models import ClassStatus, SchoolClass
from app.extensions import db
from app.invites.eligibility import Refusal, eligibility_gaps, lapsed
from app.invites.models import GroupMembership, InviteToken, RevokeReason, TokenState
from app.invites.queries import INVITE_CODE_LENGTH, find_token, membership
from app.keyring import keyed_hash
from app.security import random_code


class NotEligible(Exception):
    def __init__(self, reasons: list[Refusal]):
        super().__init__(", ".join(reasons))
        self.reasons = reasons


class IssueClash(Exception):
    """Another request issued a code for the same parent and class at the same moment."""


def membership_for_update(class_id: int, parent_id: int) -> GroupMembership:
    """The parent's membership row of this class, created on first need (by one of two taps at
    the same moment: the other finds the row the first created)."""
    row = membership(class_id, parent_id)
    if row is None:
        try:
            with db.session.begin_nested():
                row = GroupMembership(class_id=class_id, parent_id=parent_id)
                db.session.add(row)
        except IntegrityError:
            row = membership(class_id, parent_id)
    return row


def _revoke_open(class_id: int, parent_id: int | None, actor: User | None, reason: RevokeReason, now):
    """End every open token of a parent (or, with parent None, of the whole class)."""
    query = update(InviteToken).where(
        InviteToken.class_id == class_id,
        InviteToken.used_at.is_(None),
        InviteToken.revoked_at.is_(None),
    )
    if parent_id is not None:
        query = query.where(InviteToken.parent_id == parent_id)
    result = db.session.execute(
        query.values(revoked_at=now, revoked_by_id=actor.id if actor else None, revoke_reason=reason)
    )
    return result.rowcount


def issue_invite(parent: User, school_class: SchoolClass, now: datetime) -> tuple[InviteToken, str]:
    """A new code for an eligible parent; any earlier open code of theirs for the class ends.

    Returns the token and the code in clear: the only moment the code exists outside the
    parent's page. Raises NotEligible, or IssueClash when a simultaneous request won.
    """
    gaps = eligibility_gaps(parent, school_class, now)
    if gaps:
        raise NotEligible(gaps)
    code = random_code(INVITE_CODE_LENGTH)
    key_id, token_hash = keyed_hash(code)
    try:
        with db.session.begin_nested():
            replaced = _revoke_open(school_class.id, parent.id, parent, RevokeReason.REPLACED, now)
            if _status_locked(school_class.id) != ClassStatus.ACTIVE:  # graduated a moment ago
                raise NotEligible([Refusal.GRADUATED])
            token = InviteToken(
                class_id=school_class.id,
                parent_id=parent.id,
                wechat_id=parent.wechat_id,
                token_hash=token_hash,
                key_id=key_id,
                issued_at=now,
                expires_at=now + timedelta(hours=school_class.invite_valid_hours),
            )
            db.session.add(token)
            db.session.flush()
    except IntegrityError as error:
        raise IssueClash from error
    record(Action.INVITE_ISSUED, parent, now, school_class=school_class, subject=parent, replaced=replaced)
    return token, code


def _status_locked(class_id: int) -> str:
    """The class's status read under a row lock (FOR UPDATE on PostgreSQL; on SQLite the write
    lock taken just before serialises it), so a graduation cannot slip between check and insert:
    graduation changes the class row first and then ends the open codes."""
    return db.session.scalar(select(SchoolClass.status).where(SchoolClass.id == class_id).with_for_update())


class Outcome(StrEnum):
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_ELIGIBLE = "not_eligible"
    OTHER_CLASS = "other_class"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verification:
    outcome: Outcome
    token: InviteToken | None  # None unless the token belongs to one of the teacher's classes
    gaps: tuple[Refusal, ...] = ()  # with NOT_ELIGIBLE: what the parent lacks now


def verify_code(teacher: User, raw_code: str, now: datetime) -> Verification:
    """What a typed or scanned code is, for this teacher. A code of another class says only
    that: its parent's details stay with that class's teacher."""
    token = find_token(raw_code)
    if token is None:
        record(Action.INVITE_CHECKED, teacher, now, school_id=teacher.school_id, outcome=Outcome.UNKNOWN)
        return Verification(Outcome.UNKNOWN, None)
    school_class = token.school_class
    if school_class.head_teacher_id != teacher.id:
        # Logged on the code's own class: its teacher learns that the code is going round.
        record(Action.INVITE_CHECKED, teacher, now, school_class=school_class, outcome=Outcome.OTHER_CLASS)
        return Verification(Outcome.OTHER_CLASS, None)
    gaps: list[Refusal] = []
    if token.state(now) != TokenState.ISSUED:
        outcome = Outcome(token.state(now).value)
    else:
        gaps = lapsed(token, now)
        outcome = Outcome.NOT_ELIGIBLE if gaps else Outcome.VALID
    record(
        Action.INVITE_CHECKED, teacher, now, school_class=school_class, subject=token.parent, outcome=outcome
    )
    return Verification(outcome, token, tuple(gaps))


def admit(teacher: User, token_id: int, now: datetime) -> InviteToken | None:
    """Mark the token used by this teacher's admission. One conditional UPDATE with a row-count
    check: of any number of simultaneous admissions of one token, exactly one succeeds.
    Returns the token on success, None when it was not admissible (used, revoked, expired,
    another teacher's class, a graduated class, a parent no longer eligible)."""
    token = db.session.get(InviteToken, token_id)
    if token is None or lapsed(token, now):
        return None
    own_classes = select(SchoolClass.id).where(
        SchoolClass.head_teacher_id == teacher.id, SchoolClass.status == ClassStatus.ACTIVE
    )
    result = db.session.execute(
        update(InviteToken)
        .where(
            InviteToken.id == token_id,
            InviteToken.class_id.in_(own_classes),
            InviteToken.used_at.is_(None),
            InviteToken.revoked_at.is_(None),
            InviteToken.expires_at > now,
        )
        .values(used_at=now, used_by_id=teacher.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    db.session.refresh(token)
    member = membership_for_update(token.class_id, token.parent_id)
    member.joined_at = now
    record(Action.ADMITTED, teacher, now, school_class=token.school_class, subject=token.parent)
    return token


def revoke_token(teacher: User, token: InviteToken, now: datetime) -> bool:
    """The teacher ends an open token. False when it was already used or revoked."""
    if _revoke_open(token.class_id, token.parent_id, teacher, RevokeReason.TEACHER, now) == 0:
        return False
    record(Action.INVITE_REVOKED, teacher, now, school_class=token.school_class, subject=token.parent)
    return True


def approve_invite(teacher: User, school_class: SchoolClass, parent: User, now: datetime) -> None:
    """In a class that issues on approval: let this parent get a code once eligible."""
    member = membership_for_update(school_class.id, parent.id)
    if member.invite_approved_at is None:
        member.invite_approved_at = now
        member.invite_approved_by_id = teacher.id
        record(Action.INVITE_APPROVED, teacher, now, school_class=school_class, subject=parent)


def remove_member(teacher: User, school_class: SchoolClass, parent: User, now: datetime) -> None:
    """The teacher removed this parent from the group: open codes end, none is issued again
    until the teacher readmits them."""
    member = membership_for_update(school_class.id, parent.id)
    if member.removed_at is not None:
        return
    member.removed_at = now
    member.removed_by_id = teacher.id
    member.joined_at = None
    member.invite_approved_at = None
    _revoke_open(school_class.id, parent.id, teacher, RevokeReason.REMOVED, now)
    record(Action.MEMBER_REMOVED, teacher, now, school_class=school_class, subject=parent)


def readmit_member(teacher: User, school_class: SchoolClass, parent: User, now: datetime) -> None:
    """Undo a removal: the parent may get a new code (readmitting counts as the teacher's go-ahead)."""
    member = membership_for_update(school_class.id, parent.id)
    if member.removed_at is None:
        return
    member.removed_at = None
    member.removed_by_id = None
    member.invite_approved_at = now
    member.invite_approved_by_id = teacher.id
    record(Action.MEMBER_READMITTED, teacher, now, school_class=school_class, subject=parent)


def end_all_tokens(school_class: SchoolClass, actor: User, reason: RevokeReason, now: datetime) -> int:
    """Revoke every open token of a class (graduation)."""
    return _revoke_open(school_class.id, None, actor, reason, now)


def graduate_class(school_class: SchoolClass, actor: User, now: datetime) -> int:
    """The class has graduated: every open code ends and the group is marked dissolved; the
    purge removes its personal data after the retention period. Returns the codes ended."""
    school_class.status = ClassStatus.GRADUATED
    school_class.graduated_at = now
    db.session.flush()  # the class row first: an invite being issued now waits on it, then sees it
    ended = end_all_tokens(school_class, actor, RevokeReason.GRADUATED, now)
    record(Action.GRADUATED, actor, now, school_class=school_class, codes_ended=ended)
    return ended
