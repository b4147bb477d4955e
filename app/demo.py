"""Demo data for `make run`: a small city with one school and one class, and three parents at
different points of the path. `flask demo load` keeps existing data."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.auth.models import Role, User
from app.certificates.services import certify_if_complete
from app.classes.models import RosterStudent, SchoolClass
from app.classes.services import accept_charter, create_class, current_charter, link_guardian
from app.content.catalogue import Course
from app.content.registry import catalogue
from app.extensions import db
from app.invites.services import admit, issue_invite
from app.learning.services import mark_read
from app.orgs.models import Bureau, School
from app.quizzes.queries import passed_course_slugs
from app.quizzes.services import RetryRules, quiz_state, start_attempt, submit_attempt
from app.security import group_code, hash_password
from app.timeutil import utcnow

demo_cli = AppGroup("demo", help="Demo data for trying ParentPass locally.")

DEMO_PASSWORD = "parentpass-demo"  # noqa: S105  # nosec B105  # printed for local demos only
# Student numbers shaped like real 学籍号 (G + an 18-character ID number; fictional ones here):
# long and unpredictable, since the number is the second fact that confirms a guardian.
ROSTER = [
    ("王小明", "G330106201803152210", "13900000011"),
    ("刘洋", "G330106201807224277", "13900000012"),
    ("赵一一", "G330105201811096144", None),
    ("陈思琪", "G330108201802046240", None),
    ("林子涵", "G330106201805277623", None),
    ("黄浩然", "G330102201809189801", None),
]
ACCOUNTS = [
    # phone, name, role, what they show
    ("13900000001", "陈科长", Role.BUREAU, "bureau (city)"),
    ("13900000002", "张主任", Role.STAFF, "school staff"),
    ("13900000003", "李老师", Role.TEACHER, "head teacher of 三年级2班"),
    ("13900000011", "王芳", Role.PARENT, "parent, certified (王小明妈妈)"),
    ("13900000012", "刘强", Role.PARENT, "parent, half-way (刘洋爸爸)"),
    ("13900000013", "赵秀兰", Role.PARENT, "parent, just registered (赵一一奶奶)"),
    ("13900000014", "孙丽", Role.PARENT, "parent, admitted to the group (陈思琪妈妈)"),
    ("13900000015", "周建国", Role.PARENT, "parent, waiting for the teacher to confirm (黄浩然爷爷)"),
]


def _user(phone: str, name: str, role: str, **extra) -> User:
    user = User(phone=phone, real_name=name, role=role, password_hash=hash_password(DEMO_PASSWORD), **extra)
    db.session.add(user)
    db.session.flush()
    return user


def _read_all(user: User, course: Course) -> None:
    for lesson in course.lessons:
        mark_read(user, course, lesson, utcnow())


def _pass_quiz(user: User, course: Course) -> None:
    """Answer a real attempt with the right choices, through the same services as the site."""
    state = quiz_state(
        user, course, {lesson.slug: utcnow() for lesson in course.lessons}, utcnow(), RetryRules()
    )
    attempt = start_attempt(user, course, state, utcnow())
    answers = {}
    for position, item in enumerate(attempt.draw):
        question = course.quiz.question(item["q"])
        answers[f"q{position}"] = [t for t, key in item["choices"] if key in question.correct_keys]
    submit_attempt(course, attempt, answers, utcnow())


def load_demo() -> SchoolClass:
    """Create the demo organisation, class and people; return the class."""
    now = utcnow()
    city = Bureau(name="示范市教育局")
    district = Bureau(name="示范区教育局", parent=city)
    school = School(name="示范区实验小学", bureau=district)
    db.session.add_all([city, district, school])
    db.session.flush()
    _user("13900000001", "陈科长", Role.BUREAU, bureau_id=city.id)
    _user("13900000002", "张主任", Role.STAFF, school_id=school.id)
    teacher = _user("13900000003", "李老师", Role.TEACHER, school_id=school.id)
    school_class = create_class(school.id, 3, "三年级2班", "2026-2027", teacher)
    db.session.add_all(
        RosterStudent(class_id=school_class.id, name=n, student_number=s, guardian_phone=p)
        for n, s, p in ROSTER
    )
    db.session.flush()
    parents = [
        (_user("13900000011", "王芳", Role.PARENT, wechat_id="wangfang_1988"), "王小明", "mother"),
        (_user("13900000012", "刘强", Role.PARENT, wechat_id="liuqiang-sz"), "刘洋", "father"),
        (
            _user("13900000013", "赵秀兰", Role.PARENT, wechat_id="zhaoxl1958"),
            "赵一一",
            "grandmother_maternal",
        ),
    ]
    admitted = _user("13900000014", "孙丽", Role.PARENT, wechat_id="sunli_2019")
    waiting = _user("13900000015", "周建国", Role.PARENT, wechat_id="zhoujg1955")
    for parent, child, relation in parents:
        link_guardian(parent, school_class, child, relation, "", now)
    link_guardian(admitted, school_class, "陈思琪", "mother", ROSTER[3][1], now)
    link_guardian(waiting, school_class, "黄浩然", "grandfather_paternal", "", now)
    courses = catalogue().for_audience("parent")
    certified, halfway = parents[0][0], parents[1][0]
    for parent in (certified, admitted):
        for course in courses:
            _read_all(parent, course)
            _pass_quiz(parent, course)
        certify_if_complete(
            parent,
            catalogue(),
            passed_course_slugs(parent.id),
            utcnow(),
            current_app.config["CERTIFICATE_VALID_DAYS"],
        )
        accept_charter(parent, current_charter(school_class.id), utcnow())
    token, _code = issue_invite(admitted, school_class, utcnow())
    admit(teacher, token.id, utcnow())
    _read_all(halfway, courses[0])
    _pass_quiz(halfway, courses[0])
    if len(courses) > 1:
        mark_read(halfway, courses[1], courses[1].lessons[0], utcnow())
    return school_class


@demo_cli.command("load")
def load_command() -> None:
    """Load the demo data unless it is there already; print the logins either way."""
    school_class = db.session.scalar(select(SchoolClass).order_by(SchoolClass.id).limit(1))
    if school_class is None:
        school_class = load_demo()
        db.session.commit()
        click.echo("Demo data loaded.")
    else:
        click.echo("Existing data kept.")
    click.echo(f"Class join code ({school_class.name}): {group_code(school_class.join_code)}")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for phone, name, _role, what in ACCOUNTS:
        click.echo(f"  {phone}  {name:<4}  {what}")
    child, number, _phone = ROSTER[4]
    click.echo(f"To register as a new parent: child {child}, student number {number}")
