"""The roll-up rule: after any service that writes a table the roll-ups read has committed, the
stored roll-ups are exactly what a from-scratch refresh computes.

The roll-ups are kept current by a session hook that notices ORM changes (app/reports/rollups/
events.py). A service that wrote with a bulk UPDATE touching no ORM row would leave the reports
stale without anyone noticing; each case here runs one real service on a class with parents at
every step, commits as the view does, and compares the class, course and weekly roll-ups (the
refresh time aside) with `refresh_classes(None, …)` over everything.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.account.services import delete_parent_account
from app.auth.models import Role, User
from app.certificates.services import certify_if_complete
from app.classes.charters import revise_charter
from app.classes.models import GuardianLink, LinkStatus, SchoolClass
from app.classes.roster_csv import RosterRow
from app.classes.roster_import import apply_roster
from app.classes.services import accept_charter, current_charter, decide_link, decline_all_pending
from app.content.registry import catalogue
from app.extensions import db
from app.invites.models import InviteToken
from app.invites.services import (
    admit,
    graduate_class,
    issue_invite,
    readmit_member,
    remove_member,
    revoke_token,
)
from app.learning.services import mark_read
from app.quizzes.queries import passed_course_slugs
from app.quizzes.services import RetryRules, quiz_state, start_attempt, submit_attempt
from app.registration.services import add_child, register_parent
from app.reports.models import ClassRollup, CourseRollup, SchoolWeeklyRollup, WeeklyRollup
from app.reports.rollups.refresh import refresh_classes
from app.school.services import (
    assign_head_teacher,
    new_class,
    roll_over,
    set_certificate_rule,
    set_teacher_active,
)
from app.school.years import current_school_year
from app.timeutil import utcnow
from tests import factories

ROLLUPS = (ClassRollup, CourseRollup, WeeklyRollup, SchoolWeeklyRollup)


def stored() -> dict[str, list[tuple]]:
    """Every roll-up row, without the moment it was computed."""
    db.session.expire_all()
    rows = {}
    for model in ROLLUPS:
        columns = [c for c in model.__table__.c if c.name != "refreshed_at"]
        rows[model.__tablename__] = sorted(tuple(r) for r in db.session.execute(select(*columns)))
    return rows


def from_scratch() -> dict[str, list[tuple]]:
    for model in ROLLUPS:
        db.session.execute(model.__table__.delete())
    refresh_classes(None, [c.slug for c in catalogue().for_audience("parent")], utcnow())
    db.session.flush()
    return stored()


@dataclass
class Scene:
    school: object
    teacher: User
    staff: User
    a: SchoolClass
    b: SchoolClass
    passed: User  # approved in class A, has read and passed every quiz, no charter yet
    certified: User  # eligible in class A (certified, charter accepted), no code yet
    invited: User  # holds an open code of class A
    member: User  # admitted to class A's group
    learner: User  # approved in class A, has read nothing
    waiting: User  # a pending request in class A


def pass_quiz(user: User, course) -> None:
    """A real attempt answered right, through the site's services."""
    now = utcnow()
    state = quiz_state(user, course, {lesson.slug: now for lesson in course.lessons}, now, RetryRules())
    attempt = start_attempt(user, course, state, now)
    answers = {}
    for position, item in enumerate(attempt.draw):
        question = course.quiz.question(item["q"])
        answers[f"q{position}"] = [token for token, key in item["choices"] if key in question.correct_keys]
    submit_attempt(course, attempt, answers, now)


@pytest.fixture
def scene() -> Scene:
    district = factories.make_bureau("区", factories.make_bureau("市"))
    school = factories.make_school(district, "一小")
    teacher = factories.make_user(Role.TEACHER, "李老师", school_id=school.id)
    staff = factories.make_user(Role.STAFF, "张主任", school_id=school.id)
    a = factories.make_class(school, teacher, "三年级1班")
    b = factories.make_class(school, None, "三年级2班")
    factories.add_student(a, "学生一", "S1")
    passed, certified, invited, member, learner = (
        factories.make_parent(a, f"学生{n}", name=f"家长{n}") for n in "一二三四六"
    )
    waiting = factories.make_parent(a, "不在名单", approved=False, name="家长五")
    for parent in (passed, certified, invited, member):
        for course in catalogue().for_audience("parent"):
            mark_read(parent, course, course.lessons[0], utcnow())
            pass_quiz(parent, course)
    for parent in (certified, invited, member):
        factories.make_eligible(parent, a)
    db.session.commit()
    token, _code = issue_invite(invited, a, utcnow())
    other, _code = issue_invite(member, a, utcnow())
    db.session.commit()
    admit(teacher, other.id, utcnow())
    db.session.commit()
    return Scene(school, teacher, staff, a, b, passed, certified, invited, member, learner, waiting)


def _pending(scene: Scene) -> GuardianLink:
    return db.session.scalars(select(GuardianLink).where(GuardianLink.status == LinkStatus.PENDING)).one()


def _open_token(scene: Scene) -> InviteToken:
    return db.session.scalars(select(InviteToken).where(InviteToken.parent_id == scene.invited.id)).one()


def _certify_after_passing(s: Scene) -> None:
    for course in catalogue().for_audience("parent"):
        pass_quiz(s.learner, course)
    db.session.commit()
    certify_if_complete(s.learner, catalogue(), passed_course_slugs(s.learner.id), utcnow(), 365)


SERVICES = {
    "register a parent": lambda s: register_parent(
        real_name="新家长",
        phone=factories.next_phone(),
        password="a long enough password",
        wechat_id="new_parent_1",
        school_class=s.a,
        child_name="学生一",
        relation="mother",
        student_number="S1",
        now=utcnow(),
    ),
    "add a child": lambda s: add_child(s.member, s.b, "另一个孩子", "father", "", utcnow()),
    "approve a request": lambda s: decide_link(_pending(s), s.teacher, True, utcnow()),
    "decline a request": lambda s: decide_link(_pending(s), s.teacher, False, utcnow()),
    "decline all of one account": lambda s: decline_all_pending(s.teacher, s.waiting, utcnow()),
    "read a first lesson": lambda s: mark_read(
        s.learner, (c := catalogue().for_audience("parent")[0]), c.lessons[0], utcnow()
    ),
    "pass a quiz": lambda s: pass_quiz(s.learner, catalogue().for_audience("parent")[0]),
    "pass them all and be certified": _certify_after_passing,
    "accept the charter": lambda s: accept_charter(s.passed, current_charter(s.a.id), utcnow()),
    "a new charter version": lambda s: revise_charter(s.a, "新的公约", "22:00", "07:00", s.teacher, utcnow()),
    "issue a code": lambda s: issue_invite(s.certified, s.a, utcnow()),
    "admit with a code": lambda s: admit(s.teacher, _open_token(s).id, utcnow()),
    "revoke a code": lambda s: revoke_token(s.teacher, _open_token(s), utcnow()),
    "remove a member": lambda s: remove_member(s.teacher, s.a, s.member, utcnow()),
    "remove, then readmit": lambda s: (
        remove_member(s.teacher, s.a, s.member, utcnow()),
        db.session.commit(),
        readmit_member(s.teacher, s.a, s.member, utcnow()),
    ),
    "graduate the class": lambda s: graduate_class(s.a, s.teacher, utcnow()),
    "import a roster": lambda s: apply_roster(
        s.a, [RosterRow(2, "新同学甲", "S2", None), RosterRow(3, "新同学乙", None, None)], s.teacher, utcnow()
    ),
    "a new class": lambda s: new_class(
        s.school, 4, "四年级1班", current_school_year(utcnow()), None, s.staff, utcnow()
    ),
    "a new head teacher": lambda s: assign_head_teacher(s.b, s.teacher, s.staff, utcnow()),
    "switch the head teacher off": lambda s: set_teacher_active(s.teacher, False, s.staff, utcnow()),
    "require the teacher's certificate": lambda s: set_certificate_rule(s.school, True, s.staff, utcnow()),
    "roll over to a new year": lambda s: roll_over(s.school, s.a.school_year, s.staff, utcnow()),
    "a parent deletes their account": lambda s: delete_parent_account(s.member, utcnow()),
}
# Still compared, though no figure moves: a revoked or ended code still counts as issued, and
# the rest change who may act, not what is counted.
MOVES_NOTHING = {
    "graduate the class",
    "revoke a code",
    "roll over to a new year",
    "switch the head teacher off",
    "require the teacher's certificate",
    "a new head teacher",
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_after_each_service_the_rollups_equal_a_refresh_from_scratch(scene, service):
    before = stored()
    SERVICES[service](scene)
    db.session.commit()
    after = stored()
    assert after == from_scratch(), service
    if service not in MOVES_NOTHING:
        assert after != before, f"{service} changed no figure: the case proves nothing"


def test_a_bulk_update_that_skips_the_orm_leaves_the_rollups_stale(scene):
    """The rule's reason, shown: an UPDATE statement touches no ORM row, so nothing refreshes
    (which is why deleting an account, whose erase is bulk DELETEs, refreshes its classes itself)."""
    db.session.execute(
        GuardianLink.__table__.update()
        .where(GuardianLink.parent_id == scene.waiting.id)
        .values(status=LinkStatus.APPROVED)
    )
    db.session.commit()
    assert stored() != from_scratch()
