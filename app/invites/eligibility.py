"""Where a parent stands for a class's invite: the one definition, used by the invite page, the
verify page, the class overview and the path.

The product's *eligible* (PRODUCT.md): certified, an approved guardian link, the class's
current charter accepted, not removed, the class not graduated. On top of those the class's own
conditions: not already in the group, a WeChat ID to bind the code to, an active (and, where
the school asks, certified) head teacher, and the teacher's go-ahead in a class that issues on
approval. `gaps_from` turns the facts into what is missing, in the order a parent would fix it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from app.auth.models import User
from app.certificates.services import is_certified
from app.classes.models import GuardianLink, InvitePolicy, LinkStatus, SchoolClass
from app.classes.services import current_charter, has_accepted
from app.extensions import db
from app.invites.models import GroupMembership, InviteToken
from app.invites.queries import membership, open_token
from app.learning.models import LessonRead
from app.quizzes.queries import passed_course_slugs


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
    (`facts_for`) or for a whole class at once (app/invites/overview.py), both through `facts_of`."""

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


def facts_of(
    *,
    link_approved: bool,
    certified: bool,
    charter_accepted: bool,
    member: GroupMembership | None,
    wechat_id: str | None,
) -> Facts:
    """The facts from the rows that hold them, however they were fetched (one parent here, a
    whole class in app/invites/overview.py): the one place that reads a membership row."""
    return Facts(
        link_approved=link_approved,
        certified=certified,
        charter_accepted=charter_accepted,
        removed=member is not None and member.removed_at is not None,
        joined=member is not None and member.joined_at is not None,
        has_wechat_id=bool(wechat_id),
        invite_approved=member is not None and member.invite_approved_at is not None,
    )


def facts_for(parent: User, school_class: SchoolClass, now: datetime, certified: bool | None = None) -> Facts:
    """`certified` when the caller has already looked it up (the path page, once for every class)."""
    return facts_of(
        link_approved=has_approved_link(parent, school_class),
        certified=is_certified(parent, now) if certified is None else certified,
        charter_accepted=has_accepted(parent, current_charter(school_class.id)),
        member=membership(school_class.id, parent.id),
        wechat_id=parent.wechat_id,
    )


def eligibility_gaps(parent: User, school_class: SchoolClass, now: datetime) -> list[Refusal]:
    """Checked afresh from the database at the moment of issuing."""
    return gaps_from(
        facts_for(parent, school_class, now), school_class, teacher_blocks_invites(school_class, now)
    )


def lapsed(token: InviteToken, now: datetime) -> list[Refusal]:
    """What the token's parent has lost since it was issued (a new charter version not yet
    accepted, an expired certificate, removal, graduation): a code admits only while its parent
    is still eligible."""
    gaps = eligibility_gaps(token.parent, token.school_class, now)
    return [gap for gap in gaps if gap in ELIGIBILITY]


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


@dataclass(frozen=True)
class Standing:
    """How far one guardian of one class has come, the steps the reports count (app/reports/
    rollups/funnel.py computes the same in SQL for every class at once, and a test holds the two
    together). Each step needs the ones before it, except `certified`, which counts a valid
    certificate on its own; a declined request is no guardian at all."""

    learning: bool  # has read a lesson
    passed: bool  # has passed every required quiz
    certified: bool
    charter_accepted: bool  # passed, guardian confirmed, the class's current charter accepted
    invited: bool  # has been issued a code for the class
    joined: bool  # admitted to the group and not removed


def standing_of(
    *,
    read_any: bool,
    passed_all: bool,
    certified: bool,
    link_approved: bool,
    charter_accepted: bool,
    invited: bool,
    in_group: bool,
) -> Standing:
    """The steps from the facts that decide them."""
    learning = read_any
    passed = learning and passed_all
    charter = passed and link_approved and charter_accepted
    invite = charter and invited
    return Standing(learning, passed, certified, charter, invite, invite and in_group)


def standing_for(parent: User, school_class: SchoolClass, required: list[str], now: datetime) -> Standing:
    """Where `parent` stands in `school_class`, asked of the database one fact at a time."""
    member = membership(school_class.id, parent.id)
    read_any = db.session.scalar(select(LessonRead.id).where(LessonRead.user_id == parent.id).limit(1))
    invited = db.session.scalar(
        select(InviteToken.id)
        .where(InviteToken.class_id == school_class.id, InviteToken.parent_id == parent.id)
        .limit(1)
    )
    return standing_of(
        read_any=read_any is not None,
        passed_all=set(required) <= passed_course_slugs(parent.id),
        certified=is_certified(parent, now),
        link_approved=has_approved_link(parent, school_class),
        charter_accepted=has_accepted(parent, current_charter(school_class.id)),
        invited=invited is not None,
        in_group=member is not None and member.joined_at is not None and member.removed_at is None,
    )
