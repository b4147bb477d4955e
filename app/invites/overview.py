"""The head teacher's view of one class: every guardian with their progress, certificate,
charter and invite state, gathered in a fixed handful of queries whatever the class size. Where
each parent stands comes from app/invites/eligibility.py, as on the parent's own pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.certificates.models import Certificate
from app.classes.models import CharterAcceptance, GuardianLink, LinkStatus, RosterStudent, SchoolClass
from app.classes.services import current_charter
from app.content.catalogue import Course
from app.extensions import db
from app.invites.eligibility import Refusal, facts_of, gaps_from, teacher_blocks_invites
from app.invites.models import GroupMembership, InviteToken
from app.learning.models import LessonRead
from app.quizzes.models import QuizAttempt


@dataclass
class CourseMark:
    lessons_read: int
    lessons: int
    passed: bool


@dataclass
class GuardianRow:
    """One parent of the class as the teacher sees them."""

    parent: User
    links: list[GuardianLink] = field(default_factory=list)
    courses: list[CourseMark] = field(default_factory=list)
    certificate: Certificate | None = None
    charter_accepted: bool = False
    member: GroupMembership | None = None
    token: InviteToken | None = None  # the newest one
    gaps: list[Refusal] = field(default_factory=list)

    @property
    def joined(self) -> bool:
        return self.member is not None and self.member.joined_at is not None

    @property
    def removed(self) -> bool:
        return self.member is not None and self.member.removed_at is not None

    @property
    def awaiting_invite_approval(self) -> bool:
        return self.gaps == [Refusal.AWAITING_APPROVAL]


@dataclass
class ClassOverview:
    guardians: list[GuardianRow]
    pending: list[GuardianLink]
    roster: list[RosterStudent]
    linked_students: set[int]
    charter_version: int
    teacher_blocks: Refusal | None

    @property
    def waiting_approval(self) -> int:
        return sum(1 for g in self.guardians if g.awaiting_invite_approval)

    @property
    def certified(self) -> int:
        return sum(1 for g in self.guardians if g.certificate is not None)

    @property
    def joined(self) -> int:
        return sum(1 for g in self.guardians if g.joined)


def class_overview(school_class: SchoolClass, courses: list[Course], now: datetime) -> ClassOverview:
    """Every guardian of the class with their progress, certificate, charter, membership, newest
    code and gaps. Long because it is one pass: one query per kind of fact whatever the class size
    (links, reads, passes, certificates, acceptances, memberships, codes, roster), then the rows
    put together in Python (tests/test_query_counts.py holds the count)."""
    links = db.session.scalars(
        select(GuardianLink)
        .where(GuardianLink.class_id == school_class.id, GuardianLink.status != LinkStatus.REJECTED)
        .options(joinedload(GuardianLink.parent))  # each guardian's account in the same query
        .order_by(GuardianLink.child_name, GuardianLink.id)
    ).all()
    rows: dict[int, GuardianRow] = {}
    pending = []
    for link in links:
        if link.status == LinkStatus.PENDING:
            pending.append(link)
            continue
        rows.setdefault(link.parent_id, GuardianRow(parent=link.parent)).links.append(link)
    ids = list(rows)
    charter = current_charter(school_class.id)
    reads = {
        (user_id, slug): n
        for user_id, slug, n in db.session.execute(
            select(LessonRead.user_id, LessonRead.course_slug, func.count())
            .where(LessonRead.user_id.in_(ids))
            .group_by(LessonRead.user_id, LessonRead.course_slug)
        )
    }
    passed = set(
        db.session.execute(
            select(QuizAttempt.user_id, QuizAttempt.course_slug)
            .where(QuizAttempt.user_id.in_(ids), QuizAttempt.passed.is_(True))
            .distinct()
        ).tuples()
    )
    certificates = {
        c.user_id: c
        for c in db.session.scalars(
            select(Certificate)
            .where(Certificate.user_id.in_(ids), Certificate.expires_at > now)
            .order_by(Certificate.issued_at)
        )
    }
    accepted = set(
        db.session.scalars(
            select(CharterAcceptance.user_id).where(
                CharterAcceptance.user_id.in_(ids), CharterAcceptance.charter_id == charter.id
            )
        )
    )
    members = {
        m.parent_id: m
        for m in db.session.scalars(
            select(GroupMembership).where(
                GroupMembership.class_id == school_class.id, GroupMembership.parent_id.in_(ids)
            )
        )
    }
    tokens = {
        t.parent_id: t
        for t in db.session.scalars(
            select(InviteToken)
            .where(InviteToken.class_id == school_class.id)
            .order_by(InviteToken.issued_at, InviteToken.id)
        )
    }
    blocks = teacher_blocks_invites(school_class, now)
    for parent_id, row in rows.items():
        row.courses = [
            CourseMark(
                min(reads.get((parent_id, c.slug), 0), len(c.lessons)),
                len(c.lessons),
                (parent_id, c.slug) in passed,
            )
            for c in courses
        ]
        row.certificate = certificates.get(parent_id)
        row.charter_accepted = parent_id in accepted
        row.member = members.get(parent_id)
        row.token = tokens.get(parent_id)
        facts = facts_of(
            link_approved=True,
            certified=row.certificate is not None,
            charter_accepted=row.charter_accepted,
            member=row.member,
            wechat_id=row.parent.wechat_id,
        )
        row.gaps = gaps_from(facts, school_class, blocks)
    roster = db.session.scalars(
        select(RosterStudent).where(RosterStudent.class_id == school_class.id).order_by(RosterStudent.name)
    ).all()
    return ClassOverview(
        guardians=sorted(rows.values(), key=lambda r: (r.links[0].child_name, r.parent.real_name)),
        pending=pending,
        roster=list(roster),
        linked_students={link.student_id for link in links if link.student_id and link.status == "approved"},
        charter_version=charter.version,
        teacher_blocks=blocks,
    )
