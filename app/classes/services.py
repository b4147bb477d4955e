"""Class rules: finding a class by its join code, matching a child to the roster, approving
guardian links and accepting the charter. Plain functions; the caller commits."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app import seclog
from app.audit.services import Action, record
from app.auth.models import User
from app.canonical import canonical_student_number
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
from app.security import normalize_code, random_code

JOIN_CODE_LENGTH = 8


class AlreadyLinked(Exception):
    """This parent already asked to join this class for a child of that name."""


def clean_name(name: str) -> str:
    """Names as people type them: outer spaces dropped, inner runs of spaces made one."""
    return " ".join(name.split())


def new_join_code() -> str:
    """A fresh class join code that no class uses yet."""
    while True:
        code = random_code(JOIN_CODE_LENGTH)
        if db.session.scalar(select(SchoolClass.id).where(SchoolClass.join_code == code)) is None:
            return code


def find_class_by_join_code(raw: str) -> SchoolClass | None:
    """The class a typed join code opens, forgiving case, spaces, hyphens, O/0 and I/L/1."""
    code = normalize_code(raw)
    if len(code) != JOIN_CODE_LENGTH:
        return None
    return db.session.scalar(select(SchoolClass).where(SchoolClass.join_code == code))


def create_class(
    school_id: int, grade: int, name: str, school_year: str, head_teacher: User | None
) -> SchoolClass:
    """A class with a fresh join code and version 1 of its charter (the default template)."""
    school_class = SchoolClass(
        school_id=school_id,
        grade=grade,
        name=name,
        school_year=school_year,
        join_code=new_join_code(),
        head_teacher=head_teacher,
    )
    db.session.add(school_class)
    db.session.flush()
    db.session.add(Charter(class_id=school_class.id, version=1, body_md=None))
    return school_class


class TooManyPending(Exception):
    """The account already has as many requests waiting for teachers as it may have
    (`PENDING_REQUESTS_MAX`): a new one waits until a teacher has answered one of them."""


class RosterMatch(NamedTuple):
    """The roster child a request names, and which second fact confirms it, if any."""

    student: RosterStudent | None
    by_number: bool
    by_phone: bool

    @property
    def confirmed(self) -> bool:
        return self.by_number or self.by_phone


def match_roster(
    school_class: SchoolClass, child_name: str, student_number: str, parent_phone: str
) -> RosterMatch:
    """The roster child of that name, and whether a second fact confirms it: the student number
    typed (compared in its canonical form), or the parent's own phone being the guardian phone on
    the roster."""
    candidates = db.session.scalars(
        select(RosterStudent).where(
            RosterStudent.class_id == school_class.id,
            RosterStudent.name == clean_name(child_name),
        )
    ).all()
    number = canonical_student_number(student_number)
    for student in candidates:
        by_number = bool(number) and canonical_student_number(student.student_number) == number
        by_phone = bool(student.guardian_phone) and student.guardian_phone == parent_phone
        if by_number or by_phone:
            return RosterMatch(student, by_number, by_phone)
    return RosterMatch(candidates[0] if len(candidates) == 1 else None, False, False)


def number_misses_today(parent: User, school_class: SchoolClass, now: datetime, besides: int) -> int:
    """Requests of this account in this class in the last day (other than `besides`) whose typed
    student number matched no roster child by name and number: a guesser's tries."""
    return db.session.scalar(
        select(func.count()).where(
            GuardianLink.parent_id == parent.id,
            GuardianLink.class_id == school_class.id,
            GuardianLink.number_missed.is_(True),
            GuardianLink.created_at > now - timedelta(days=1),
            GuardianLink.id != besides,
        )
    )


def pending_requests(parent: User, besides: int | None = None) -> int:
    """The account's requests still waiting for a teacher, in every class (other than `besides`)."""
    return db.session.scalar(
        select(func.count()).where(
            GuardianLink.parent_id == parent.id,
            GuardianLink.status == LinkStatus.PENDING,
            GuardianLink.id != (besides or 0),
        )
    )


def _hold_account(parent: User) -> None:
    """Hold the account's row until the commit, so that its requests are decided one after
    another: twenty guesses sent at once still count one by one. PostgreSQL: FOR NO KEY UPDATE
    (rows that merely refer to the account stay free). SQLite: a write that changes nothing, which
    takes SQLite's one write lock and, as a side effect, opens the real transaction that the
    savepoint below needs (pysqlite opens none for reads, and a savepoint opened outside one is
    committed as soon as it is released)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(User).where(User.id == parent.id).values(id=User.id))
    else:
        db.session.execute(select(User.id).where(User.id == parent.id).with_for_update(key_share=True))


def link_guardian(
    parent: User,
    school_class: SchoolClass,
    child_name: str,
    relation: str,
    student_number: str,
    now: datetime,
) -> GuardianLink:
    """Link a parent to a child in a class: approved at once on a two-fact roster match,
    otherwise left for the class's teacher to approve.

    A student number that matches no roster child is a miss. After `ROSTER_MISSES_PER_DAY` misses
    in a day, every request of the account in that class waits for the teacher, a matching one
    too, so a guesser learns nothing from the answer. Raises TooManyPending when the request would
    wait while the account already has `PENDING_REQUESTS_MAX` waiting. Twenty requests sent at
    once are counted one by one (the account is held from before its new row is written until
    the commit)."""
    child_name = clean_name(child_name)
    existing = db.session.scalar(
        select(GuardianLink).where(
            GuardianLink.parent_id == parent.id,
            GuardianLink.class_id == school_class.id,
            GuardianLink.child_name == child_name,
        )
    )
    if existing is not None:
        raise AlreadyLinked
    match = match_roster(school_class, child_name, student_number, parent.phone)
    missed = bool(canonical_student_number(student_number)) and not match.by_number
    _hold_account(parent)
    try:
        with db.session.begin_nested():  # two taps at once: the unique constraint stops the second
            link = GuardianLink(
                parent=parent,
                school_class=school_class,
                student=match.student,
                child_name=child_name,
                relation=relation,
                status=LinkStatus.PENDING,
                created_at=now,
                number_missed=missed,
            )
            db.session.add(link)
    except IntegrityError as clash:
        raise AlreadyLinked from clash
    misses = number_misses_today(parent, school_class, now, besides=link.id)
    held = misses >= current_app.config["ROSTER_MISSES_PER_DAY"]
    if match.confirmed and not held:
        link.status = LinkStatus.APPROVED
        link.decided_at = now
    elif pending_requests(parent, besides=link.id) >= current_app.config["PENDING_REQUESTS_MAX"]:
        raise TooManyPending
    if held:
        seclog.record("roster.held", user=parent.id, school_class=school_class.id, missed=missed)
    elif missed:
        seclog.record("roster.miss", user=parent.id, school_class=school_class.id)
    return link


def decide_link(
    link: GuardianLink, teacher: User, approve: bool, now: datetime, reason: str | None = None
) -> None:
    """The teacher approves or rejects a pending guardian link (a rejection may say why)."""
    link.status = LinkStatus.APPROVED if approve else LinkStatus.REJECTED
    link.decided_at = now
    link.decided_by_id = teacher.id
    link.reject_reason = None if approve else reason
    action = Action.LINK_APPROVED if approve else Action.LINK_REJECTED
    record(action, teacher, now, school_class=link.school_class, subject=link.parent)


def decline_all_pending(
    teacher: User, parent: User, now: datetime, reason: str | None = None
) -> list[GuardianLink]:
    """Decline every request of one account waiting in the teacher's classes that have not
    graduated (one flood, one tap); each is decided and audited as if declined on its own."""
    links = db.session.scalars(
        select(GuardianLink)
        .join(GuardianLink.school_class)
        .where(
            GuardianLink.parent_id == parent.id,
            GuardianLink.status == LinkStatus.PENDING,
            SchoolClass.head_teacher_id == teacher.id,
            SchoolClass.status != ClassStatus.GRADUATED,
        )
        .order_by(GuardianLink.id)
    ).all()
    for link in links:
        decide_link(link, teacher, False, now, reason=reason)
    return list(links)


def current_charter(class_id: int) -> Charter:
    """The newest charter version of a class."""
    return db.session.scalars(
        select(Charter).where(Charter.class_id == class_id).order_by(Charter.version.desc()).limit(1)
    ).one()


def quiet_hours(charter: Charter) -> str:
    """`21:30–07:00`: the quiet hours of this version, in the school's time zone."""
    return f"{charter.quiet_start}–{charter.quiet_end}"


def charter_body(charter: Charter, default_template: str) -> str:
    """The Markdown of a version: the teacher's text, or the default template in the reader's
    language; `{quiet_hours}` stands for the version's quiet hours."""
    body = charter.body_md if charter.body_md is not None else default_template
    return body.replace("{quiet_hours}", quiet_hours(charter))


def has_accepted(user: User, charter: Charter) -> bool:
    return (
        db.session.scalar(
            select(func.count()).where(
                CharterAcceptance.user_id == user.id, CharterAcceptance.charter_id == charter.id
            )
        )
        > 0
    )


def accept_charter(user: User, charter: Charter, now: datetime) -> None:
    """Record that `user` accepted this charter version; accepting twice, even with two taps at
    the same moment, records it once."""
    if has_accepted(user, charter):
        return
    try:
        with db.session.begin_nested():
            db.session.add(CharterAcceptance(user_id=user.id, charter_id=charter.id, accepted_at=now))
    except IntegrityError:
        pass  # the other tap recorded it a moment ago: accepted either way
