"""Invite rules. A token is issued only to a parent eligible for the class at that moment, whatever
a page shows; redemption is one conditional UPDATE, so a code admits one person once.

Plain functions; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.audit.services import Action, record
from app.auth.models import User
from app.certificates.services import is_certified
from app.classes.models import ClassStatus, GuardianLink, InvitePolicy, LinkStatus, SchoolClass
from app.classes.services import current_charter, has_accepted
from app.extensions import db
from app.invites.models import GroupMembership, InviteToken, RevokeReason, TokenState
from app.keyring import candidate_hashes, keyed_hash, matches
from app.security import normalize_code, random_code

INVITE_CODE_LENGTH = 10  # 50 bits, read as K7PX-2QMD-9F


class Refusal(StrEnum):
    """Why no invite can be issued now, in the order a parent would fix them."""

    GRADUATED = "graduated"
    LINK_NOT_APPROVED = "link_not_approved"
    NOT_CERTIFIED = "not_certified"
    CHARTER_NOT_ACCEPTED = "charter_not_accepted"
    REMOVED = "removed"
    ALREADY_JOINED = "already_joined"
    NO_WECHAT_ID = "no_wechat_id"
    NO_TEACHER = "no_teacher"
    TEACHER_NOT_CERTIFIED = "teacher_not_certified"
    AWAITING_APPROVAL = "awaiting_approval"


class NotEligible(Exception):
    def __init__(self, reasons: list[Refusal]):
        super().__init__(", ".join(reasons))
        self.reasons = reasons


class IssueClash(Exception):
    """Another request issued a code for the same parent and class at the same moment."""


def membership(class_id: int, parent_id: int) -> GroupMembership | None:
    return db.session.scalar(
        select(GroupMembership).where(
            GroupMembership.class_id == class_id, GroupMembership.parent_id == parent_id
        )
    )


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


def has_approved_link(parent: User, school_class: SchoolClass) -> bool:
    return (
        db.session.scalar(
            select(GuardianLink.id)
            .where(
                GuardianLink.parent_id == parent.id,
                GuardianLink.class_id == school_class.id,
                GuardianLink.status == LinkStatus.APPROVED,
            )
            .limit(1)
        )
        is not None
    )


def teacher_blocks_invites(school_class: SchoolClass, now: datetime) -> Refusal | None:
    """Whether the head teacher side stops invites: nobody active to check the codes, or the
    school requires the group-owner certificate and the head teacher lacks it."""
    teacher = school_class.head_teacher
    if teacher is None or not teacher.active:
        return Refusal.NO_TEACHER
    if school_class.school.require_teacher_certificate and not is_certified(teacher, now):
        return Refusal.TEACHER_NOT_CERTIFIED
    return None


@dataclass(frozen=True)
class Facts:
    """What decides a parent's invite for one class, gathered one parent at a time
    (`facts_for`) or for a whole class at once (app.classes.overview)."""

    link_approved: bool
    certified: bool
    charter_accepted: bool
    removed: bool
    joined: bool
    has_wechat_id: bool
    invite_approved: bool


# The product's own definition of eligible; what a code needs to stay admissible.
ELIGIBILITY = frozenset(
    {
        Refusal.GRADUATED,
        Refusal.LINK_NOT_APPROVED,
        Refusal.NOT_CERTIFIED,
        Refusal.CHARTER_NOT_ACCEPTED,
        Refusal.REMOVED,
    }
)


def gaps_from(facts: Facts, school_class: SchoolClass, teacher_blocks: Refusal | None) -> list[Refusal]:
    """What stands between a parent and the class's invite code. Empty means: issue.

    The first four are the product's definition of *eligible* (certified, approved guardian link,
    current charter accepted, not removed); the rest are the class's own conditions.
    """
    if school_class.graduated:
        return [Refusal.GRADUATED]
    checks = [
        (facts.link_approved, Refusal.LINK_NOT_APPROVED),
        (facts.certified, Refusal.NOT_CERTIFIED),
        (facts.charter_accepted, Refusal.CHARTER_NOT_ACCEPTED),
        (not facts.removed, Refusal.REMOVED),
        (not facts.joined, Refusal.ALREADY_JOINED),
        (facts.has_wechat_id, Refusal.NO_WECHAT_ID),
    ]
    gaps = [refusal for ok, refusal in checks if not ok]
    if gaps:
        return gaps
    if teacher_blocks:
        return [teacher_blocks]
    if school_class.invite_policy == InvitePolicy.APPROVAL and not facts.invite_approved:
        return [Refusal.AWAITING_APPROVAL]
    return []


def facts_for(parent: User, school_class: SchoolClass, now: datetime, certified: bool | None = None) -> Facts:
    """`certified` when the caller has already looked it up (the path page, once for every class)."""
    member = membership(school_class.id, parent.id)
    return Facts(
        link_approved=has_approved_link(parent, school_class),
        certified=is_certified(parent, now) if certified is None else certified,
        charter_accepted=has_accepted(parent, current_charter(school_class.id)),
        removed=member is not None and member.removed_at is not None,
        joined=member is not None and member.joined_at is not None,
        has_wechat_id=bool(parent.wechat_id),
        invite_approved=member is not None and member.invite_approved_at is not None,
    )


def eligibility_gaps(parent: User, school_class: SchoolClass, now: datetime) -> list[Refusal]:
    """Checked afresh from the database at the moment of issuing."""
    return gaps_from(
        facts_for(parent, school_class, now), school_class, teacher_blocks_invites(school_class, now)
    )


def open_token(class_id: int, parent_id: int) -> InviteToken | None:
    """The parent's unused, unrevoked token for the class (it may have expired)."""
    return db.session.scalar(
        select(InviteToken).where(
            InviteToken.class_id == class_id,
            InviteToken.parent_id == parent_id,
            InviteToken.used_at.is_(None),
            InviteToken.revoked_at.is_(None),
        )
    )


def latest_token(class_id: int, parent_id: int) -> InviteToken | None:
    return db.session.scalar(
        select(InviteToken)
        .where(InviteToken.class_id == class_id, InviteToken.parent_id == parent_id)
        .order_by(InviteToken.issued_at.desc(), InviteToken.id.desc())
        .limit(1)
    )


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


def find_token(raw_code: str) -> InviteToken | None:
    """The token a typed code belongs to, under any live key, checked in constant time."""
    code = normalize_code(raw_code)
    if len(code) != INVITE_CODE_LENGTH:
        return None
    token = db.session.scalar(select(InviteToken).where(InviteToken.token_hash.in_(candidate_hashes(code))))
    if token is None or not matches(code, token.key_id, token.token_hash):
        return None
    return token


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


def lapsed(token: InviteToken, now: datetime) -> list[Refusal]:
    """What the token's parent has lost since it was issued (a new charter version not yet
    accepted, an expired certificate, removal, graduation): a code admits only while its parent
    is still eligible."""
    gaps = eligibility_gaps(token.parent, token.school_class, now)
    return [gap for gap in gaps if gap in ELIGIBILITY]


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


def invite_step(parent: User, school_class: SchoolClass, now: datetime, facts: Facts | None = None) -> str:
    """The parent's invite step for their path page, in one word: `graduated`, `joined`,
    `removed`, `code_issued`, `ready` (may get a code now), `waiting` (on the teacher) or `not_yet`."""
    facts = facts or facts_for(parent, school_class, now)
    gaps = gaps_from(facts, school_class, teacher_blocks_invites(school_class, now))
    if Refusal.GRADUATED in gaps:
        return "graduated"
    if Refusal.ALREADY_JOINED in gaps:
        return "joined"
    if Refusal.REMOVED in gaps:
        return "removed"
    if not gaps:
        token = open_token(school_class.id, parent.id)
        return "code_issued" if token is not None and token.expires_at > now else "ready"
    if gaps in ([Refusal.AWAITING_APPROVAL], [Refusal.TEACHER_NOT_CERTIFIED], [Refusal.NO_TEACHER]):
        return "waiting"
    return "not_yet"


def path_classes(
    parent: User, links: list[GuardianLink], now: datetime, certified: bool
) -> list[tuple[GuardianLink, bool, str | None]]:
    """For the parent's path page: each guardian link, whether its class's current charter is
    accepted, and (approved links only) the invite step, each fact asked once per class."""
    rows = []
    for link in links:
        if link.status != LinkStatus.APPROVED:
            rows.append((link, has_accepted(parent, current_charter(link.class_id)), None))
            continue
        facts = facts_for(parent, link.school_class, now, certified)
        rows.append((link, facts.charter_accepted, invite_step(parent, link.school_class, now, facts)))
    return rows
