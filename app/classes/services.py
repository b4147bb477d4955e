"""Class rules: finding a class by its join code, matching a child to the roster, approving
guardian links and accepting the charter. Plain functions; the caller commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit.services import Action, record
from app.auth.models import User
from app.classes.models import (
    Charter,
    CharterAcceptance,
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


def match_roster(
    school_class: SchoolClass, child_name: str, student_number: str, parent_phone: str
) -> tuple[RosterStudent | None, bool]:
    """The roster child of that name, and whether a second fact confirms it: the student number
    typed, or the parent's own phone being the guardian phone on the roster."""
    candidates = db.session.scalars(
        select(RosterStudent).where(
            RosterStudent.class_id == school_class.id,
            RosterStudent.name == clean_name(child_name),
        )
    ).all()
    number = student_number.strip()
    for student in candidates:
        if (number and student.student_number == number) or (
            student.guardian_phone and student.guardian_phone == parent_phone
        ):
            return student, True
    return (candidates[0] if len(candidates) == 1 else None), False


def link_guardian(
    parent: User,
    school_class: SchoolClass,
    child_name: str,
    relation: str,
    student_number: str,
    now: datetime,
) -> GuardianLink:
    """Link a parent to a child in a class: approved at once on a two-fact roster match,
    otherwise left for the class's teacher to approve."""
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
    student, confirmed = match_roster(school_class, child_name, student_number, parent.phone)
    try:
        with db.session.begin_nested():  # two taps at once: the unique constraint stops the second
            link = GuardianLink(
                parent=parent,
                school_class=school_class,
                student=student,
                child_name=child_name,
                relation=relation,
                status=LinkStatus.APPROVED if confirmed else LinkStatus.PENDING,
                created_at=now,
                decided_at=now if confirmed else None,
            )
            db.session.add(link)
    except IntegrityError as clash:
        raise AlreadyLinked from clash
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
