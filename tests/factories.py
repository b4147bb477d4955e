"""Small factories that build real rows through the same services as the site."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import count

from sqlalchemy import select

from app.auth.models import Role, User
from app.classes.models import GuardianLink, RosterStudent, SchoolClass
from app.classes.services import create_class, link_guardian
from app.extensions import db
from app.orgs.models import Bureau, School
from app.security import hash_password
from app.timeutil import utcnow

PASSWORD = "correct-horse-battery"
_phones = count(13700000000)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    """One real argon2id hash reused by every factory user: hashing costs ~50 ms each."""
    return hash_password(PASSWORD)


def next_phone() -> str:
    return str(next(_phones))


def make_user(role: str = Role.PARENT, name: str = "测试用户", **extra) -> User:
    extra.setdefault("phone", next_phone())
    if role == Role.PARENT:
        extra.setdefault("wechat_id", f"wx_{extra['phone'][3:]}")
    user = User(role=role, real_name=name, password_hash=_password_hash(), **extra)
    db.session.add(user)
    db.session.flush()
    return user


def make_bureau(name: str = "市教育局", parent: Bureau | None = None) -> Bureau:
    bureau = Bureau(name=name, parent=parent)
    db.session.add(bureau)
    db.session.flush()
    return bureau


def make_school(bureau: Bureau, name: str = "实验小学") -> School:
    school = School(name=name, bureau=bureau)
    db.session.add(school)
    db.session.flush()
    return school


def make_class(school: School, teacher: User | None = None, name: str = "三年级2班") -> SchoolClass:
    return create_class(school.id, 3, name, "2026-2027", teacher)


def add_student(school_class: SchoolClass, name: str, number: str | None = None, phone: str | None = None):
    student = RosterStudent(class_id=school_class.id, name=name, student_number=number, guardian_phone=phone)
    db.session.add(student)
    db.session.flush()
    return student


def make_parent(school_class: SchoolClass, child: str = "王小明", approved: bool = True, **extra) -> User:
    """A parent linked to a child of the class; `approved` puts that child on the roster with the
    parent's phone, so the link is confirmed on two facts."""
    parent = make_user(Role.PARENT, **extra)
    if approved:
        add_student(school_class, child, phone=parent.phone)
    link_guardian(parent, school_class, child, "mother", "", utcnow())
    return parent


@dataclass
class World:
    """Everyone the access matrix needs, with their objects."""

    city: Bureau
    district: Bureau
    other_district: Bureau
    school: School
    other_school: School
    class_a: SchoolClass
    class_b: SchoolClass
    users: dict[str, User]
    pending_link: GuardianLink


def build_world() -> World:
    city = make_bureau("示范市教育局")
    district = make_bureau("东区教育局", city)
    other_district = make_bureau("西区教育局", city)
    school = make_school(district, "东区第一小学")
    other_school = make_school(other_district, "西区第一小学")
    teacher = make_user(Role.TEACHER, "李老师", school_id=school.id)
    teacher_other = make_user(Role.TEACHER, "周老师", school_id=school.id)
    class_a = make_class(school, teacher, "三年级1班")
    class_b = make_class(school, teacher_other, "三年级2班")
    parent = make_parent(class_a, "王小明", name="王芳")
    parent_other = make_parent(class_b, "刘洋", name="刘强")
    waiting = make_parent(class_a, "陈一一", approved=False, name="陈静")
    users = {
        "parent": parent,
        "parent_other": parent_other,
        "teacher": teacher,
        "teacher_other": teacher_other,
        "staff": make_user(Role.STAFF, "张主任", school_id=school.id),
        "staff_other": make_user(Role.STAFF, "赵主任", school_id=other_school.id),
        "bureau": make_user(Role.BUREAU, "东区科长", bureau_id=district.id),
        "bureau_other": make_user(Role.BUREAU, "西区科长", bureau_id=other_district.id),
    }
    pending = db.session.scalars(select(GuardianLink).where(GuardianLink.parent_id == waiting.id)).one()
    db.session.commit()
    return World(city, district, other_district, school, other_school, class_a, class_b, users, pending)


def certify(user: User, days_left: int = 365):
    """A certificate for `user`, valid for `days_left` more days (negative: already expired)."""
    from datetime import timedelta

    from app.certificates.models import Certificate
    from app.certificates.services import new_certificate_number

    now = utcnow()
    certificate = Certificate(
        number=new_certificate_number(),
        user_id=user.id,
        audience=user.audience,
        content_version="test 1",
        issued_at=now - timedelta(days=365 - days_left),
        expires_at=now + timedelta(days=days_left),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def accept_charter_of(user: User, school_class: SchoolClass) -> None:
    from app.classes.services import accept_charter, current_charter

    accept_charter(user, current_charter(school_class.id), utcnow())
    db.session.flush()


def make_eligible(user: User, school_class: SchoolClass) -> User:
    """Certified and the current charter accepted (the guardian link must already be approved)."""
    certify(user)
    accept_charter_of(user, school_class)
    return user


def build_full_world():
    """The world plus an open quiz attempt and an issued invite code of the parent of class A."""
    from app.auth.links import issue_password_link
    from app.auth.models import LinkPurpose
    from app.content.registry import catalogue
    from app.extensions import db
    from app.invites.services import issue_invite
    from app.quizzes.draw import build_draw
    from app.quizzes.models import QuizAttempt
    from app.timeutil import utcnow

    world = build_world()
    world.course = catalogue().for_audience("parent")[0]
    world.lesson = world.course.lessons[0]
    world.attempt = QuizAttempt(
        user_id=world.users["parent"].id,
        course_slug=world.course.slug,
        course_version=world.course.version,
        draw=build_draw(world.course.quiz, set()),
        total=world.course.quiz.draw,
    )
    db.session.add(world.attempt)
    make_eligible(world.users["parent"], world.class_a)
    world.token, _code = issue_invite(world.users["parent"], world.class_a, utcnow())
    world.secret = issue_password_link(world.users["teacher_other"], LinkPurpose.RESET, None, utcnow())
    db.session.commit()
    return world
