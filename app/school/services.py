"""School staff's changes: classes (create, assign the head teacher, roll over to a new year),
teachers (create with a welcome link, switch off and on), the school's certificate rule. Plain
functions; the caller commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from app.audit.services import Action, record
from app.auth.links import issue_password_link
from app.auth.models import LinkPurpose, PasswordLink, Role, User
from app.auth.passwords import UNUSABLE_PASSWORD
from app.auth.services import PhoneTaken, find_user_by_phone
from app.auth.sessions import end_all_sessions
from app.classes.models import ClassStatus, SchoolClass
from app.classes.services import create_class
from app.extensions import db
from app.orgs.models import School
from app.school.queries import newest_active_year
from app.school.years import TOP_GRADE, next_school_year, parse_school_year


class NotAssignable(Exception):
    """The person is not an active teacher of the class's school, or the class has graduated."""


class ClassExists(Exception):
    """The school already has a class of this grade, name and school year (a second tap of the
    same form, say): creating it again would split one class's parents over two join codes."""


def roll_over(school: School, from_year: str, actor: User, now: datetime) -> int:
    """Move the school's active classes of `from_year` to the next year and grade, keeping their
    roster, join code, charter and parents. Only when `from_year` is still the newest year, and
    with one conditional UPDATE, so a second tap of the same button moves nothing. Returns the count."""
    if parse_school_year(from_year) != from_year or newest_active_year(school.id) != from_year:
        return 0
    to_year = next_school_year(from_year)
    result = db.session.execute(
        update(SchoolClass)
        .where(
            SchoolClass.school_id == school.id,
            SchoolClass.status == ClassStatus.ACTIVE,
            SchoolClass.school_year == from_year,
            SchoolClass.grade < TOP_GRADE,
        )
        .values(grade=SchoolClass.grade + 1, school_year=to_year)
        .execution_options(synchronize_session=False)
    )
    moved = result.rowcount or 0
    if moved:
        record(
            Action.CLASSES_ROLLED_OVER,
            actor,
            now,
            school_id=school.id,
            from_year=from_year,
            to_year=to_year,
            classes=moved,
        )
    return moved


def new_class(
    school: School,
    grade: int,
    name: str,
    school_year: str,
    head_teacher: User | None,
    actor: User,
    now: datetime,
) -> SchoolClass:
    """A class of this school (with its join code and charter v1), audited. Raises ClassExists
    when the school has one of this grade, name and school year already."""
    if head_teacher is not None:
        _check_assignable(school.id, head_teacher)
    same = select(SchoolClass.id).where(
        SchoolClass.school_id == school.id,
        SchoolClass.grade == grade,
        SchoolClass.name == name,
        SchoolClass.school_year == school_year,
    )
    if db.session.scalar(same.limit(1)) is not None:
        raise ClassExists
    school_class = create_class(school.id, grade, name, school_year, head_teacher)
    record(Action.CLASS_CREATED, actor, now, school_class=school_class, grade=grade, school_year=school_year)
    return school_class


def _check_assignable(school_id: int, teacher: User) -> None:
    if teacher.role != Role.TEACHER or teacher.school_id != school_id or not teacher.active:
        raise NotAssignable


def assign_head_teacher(school_class: SchoolClass, teacher: User | None, actor: User, now: datetime) -> bool:
    """Give the class a head teacher, hand it to another, or leave it without one (None).
    False when nothing changed."""
    if school_class.graduated:
        raise NotAssignable
    if teacher is not None:
        _check_assignable(school_class.school_id, teacher)
    before = school_class.head_teacher_id
    after = teacher.id if teacher else None
    if before == after:
        return False
    school_class.head_teacher = teacher
    record(
        Action.TEACHER_ASSIGNED,
        actor,
        now,
        school_class=school_class,
        subject=teacher,
        from_id=before or 0,
        to_id=after or 0,
    )
    return True


def create_teacher(
    school: School, real_name: str, phone: str, actor: User, now: datetime
) -> tuple[User, str]:
    """A teacher account with no usable password yet, and the secret of its welcome link."""
    if find_user_by_phone(phone) is not None:
        raise PhoneTaken
    teacher = User(
        role=Role.TEACHER,
        real_name=real_name,
        phone=phone,
        school_id=school.id,
        password_hash=UNUSABLE_PASSWORD,
        active=True,
        created_at=now,
    )
    db.session.add(teacher)
    db.session.flush()
    return teacher, issue_password_link(teacher, LinkPurpose.WELCOME, actor, now)


def set_teacher_active(teacher: User, active: bool, actor: User, now: datetime) -> bool:
    """Switch an account off (it cannot sign in; its sessions end; its open password links end)
    or on again. False when it was already so."""
    if teacher.active == active:
        return False
    teacher.active = active
    end_all_sessions(teacher.id)
    if not active:
        db.session.execute(
            update(PasswordLink)
            .where(PasswordLink.user_id == teacher.id, PasswordLink.used_at.is_(None))
            .values(expires_at=now)
        )
    action = Action.ACCOUNT_REACTIVATED if active else Action.ACCOUNT_DEACTIVATED
    record(action, actor, now, school_id=teacher.school_id, subject=teacher)
    return True


def set_certificate_rule(school: School, required: bool, actor: User, now: datetime) -> bool:
    """Whether invites of a class wait for its head teacher's group-owner certificate.
    False when nothing changed."""
    if school.require_teacher_certificate == required:
        return False
    school.require_teacher_certificate = required
    record(Action.SCHOOL_SETTINGS, actor, now, school_id=school.id, require_teacher_certificate=int(required))
    return True
