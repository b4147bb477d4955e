"""`flask purge`: personal data of old graduated classes and departed parents goes; counts stay."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, or_, select

from app.audit.models import AuditEvent
from app.audit.services import Action, record
from app.auth.links import issue_password_link
from app.auth.models import LinkPurpose, PasswordLink, Role, User
from app.certificates.models import Certificate
from app.classes.models import (
    Charter,
    CharterAcceptance,
    ClassStatus,
    GuardianLink,
    RosterStudent,
    SchoolClass,
)
from app.classes.services import accept_charter, current_charter, link_guardian
from app.extensions import db
from app.invites.models import GroupMembership, InviteToken
from app.learning.models import LessonRead
from app.quizzes.models import AttemptAnswer, QuizAttempt
from app.retention.purge import purge
from app.timeutil import utcnow
from tests import factories
from tests.helpers import db_snapshot

NOW = utcnow()
LONG_AGO = NOW - timedelta(days=400)
_serial = iter(range(1, 10_000))


@dataclass
class Scene:
    old: SchoolClass  # graduated 200 days ago: to be purged
    recent: SchoolClass  # graduated 30 days ago: kept
    active: SchoolClass
    teacher: User
    departed: User  # only in the old class: deleted with everything
    staying: User  # in the old class and, with another child, in the active class
    waiting: User  # an unapproved request in the old class only: departed too
    recent_parent: User
    active_parent: User


def give_history(parent: User, school_class: SchoolClass, teacher: User, at, *, certified_at=None) -> None:
    """Lessons read, a quiz attempt with an answer, the charter, a used code, admission, a reset link."""
    n = next(_serial)
    db.session.add(LessonRead(user_id=parent.id, course_slug="c", lesson_slug=f"l{n}", first_read_at=at))
    attempt = QuizAttempt(
        user_id=parent.id, course_slug="c", course_version="1", draw=[], total=1, started_at=at
    )
    db.session.add(attempt)
    db.session.flush()
    db.session.add(
        AttemptAnswer(attempt_id=attempt.id, position=0, question_id="q1", chosen=[0], correct=True)
    )
    if certified_at is not None:
        db.session.add(
            Certificate(
                number=f"PP-TEST-{n:04d}",
                user_id=parent.id,
                audience="parent",
                content_version="v1",
                issued_at=certified_at,
                expires_at=certified_at + timedelta(days=365),
            )
        )
    accept_charter(parent, current_charter(school_class.id), at)
    db.session.add(
        InviteToken(
            class_id=school_class.id,
            parent_id=parent.id,
            wechat_id="wx_test",
            token_hash=f"{n:064d}",
            key_id="t1",
            issued_at=at,
            expires_at=at + timedelta(hours=72),
            used_at=at,
            used_by_id=teacher.id,
        )
    )
    db.session.add(GroupMembership(class_id=school_class.id, parent_id=parent.id, joined_at=at))
    record(Action.INVITE_ISSUED, parent, at, school_class=school_class, subject=parent, replaced=0)
    record(Action.ADMITTED, teacher, at, school_class=school_class, subject=parent)
    issue_password_link(parent, LinkPurpose.RESET, teacher, at, school_class=school_class)
    db.session.flush()


def graduate(school_class: SchoolClass, days_ago: int) -> None:
    school_class.status = ClassStatus.GRADUATED
    school_class.graduated_at = NOW - timedelta(days=days_ago)
    record(Action.GRADUATED, school_class.head_teacher, school_class.graduated_at, school_class=school_class)


@pytest.fixture
def scene() -> Scene:
    school = factories.make_school(factories.make_bureau())
    teacher = factories.make_user(Role.TEACHER, "李老师", school_id=school.id)
    old = factories.make_class(school, teacher, "六年级1班")
    recent = factories.make_class(school, teacher, "六年级2班")
    active = factories.make_class(school, teacher, "三年级1班")
    departed = factories.make_parent(old, "王小明", name="王芳")
    staying = factories.make_parent(old, "刘洋", name="刘强")
    factories.add_student(active, "刘小洋", phone=staying.phone)
    link_guardian(staying, active, "刘小洋", "father", "", NOW)
    waiting = factories.make_parent(old, "陈一一", approved=False, name="陈静")
    factories.add_student(old, "赵一一")  # a child nobody registered for
    recent_parent = factories.make_parent(recent, "孙小红", name="孙丽")
    active_parent = factories.make_parent(active, "周小杰", name="周伟")
    graduated_at = NOW - timedelta(days=200)
    give_history(
        departed,
        old,
        teacher,
        graduated_at - timedelta(days=100),
        certified_at=graduated_at - timedelta(days=50),
    )
    give_history(
        staying, old, teacher, graduated_at - timedelta(days=100), certified_at=NOW - timedelta(days=10)
    )
    give_history(recent_parent, recent, teacher, NOW - timedelta(days=100))
    give_history(active_parent, active, teacher, NOW - timedelta(days=100))
    graduate(old, 200)
    graduate(recent, 30)
    for user in db.session.scalars(select(User)):
        user.created_at = LONG_AGO
    db.session.commit()
    return Scene(old, recent, active, teacher, departed, staying, waiting, recent_parent, active_parent)


def run(runner, *args):
    result = runner.invoke(args=["purge", *args])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def class_rows(school_class: SchoolClass) -> dict[str, int]:
    charters = select(Charter.id).where(Charter.class_id == school_class.id)
    return {
        "roster": count(RosterStudent, RosterStudent.class_id == school_class.id),
        "links": count(GuardianLink, GuardianLink.class_id == school_class.id),
        "acceptances": count(CharterAcceptance, CharterAcceptance.charter_id.in_(charters)),
        "tokens": count(InviteToken, InviteToken.class_id == school_class.id),
        "members": count(GroupMembership, GroupMembership.class_id == school_class.id),
        "events": count(AuditEvent, AuditEvent.class_id == school_class.id),
    }


def user_rows(user_id: int) -> dict[str, int]:
    return {
        "users": count(User, User.id == user_id),
        "reads": count(LessonRead, LessonRead.user_id == user_id),
        "attempts": count(QuizAttempt, QuizAttempt.user_id == user_id),
        "answers": count(
            AttemptAnswer,
            AttemptAnswer.attempt_id.in_(select(QuizAttempt.id).where(QuizAttempt.user_id == user_id)),
        ),
        "certificates": count(Certificate, Certificate.user_id == user_id),
        "acceptances": count(CharterAcceptance, CharterAcceptance.user_id == user_id),
        "tokens": count(InviteToken, InviteToken.parent_id == user_id),
        "members": count(GroupMembership, GroupMembership.parent_id == user_id),
        "password_links": count(PasswordLink, PasswordLink.user_id == user_id),
        "events": count(AuditEvent, or_(AuditEvent.actor_id == user_id, AuditEvent.subject_id == user_id)),
    }


def test_dry_run_changes_nothing_and_lists_what_it_would_delete(runner, scene):
    before = db_snapshot()
    result = run(runner)
    assert db_snapshot() == before
    out = result.output
    assert "DRY RUN" in out and "would delete" in out
    assert f'class {scene.old.id} "六年级1班"' in out
    assert "六年级2班" not in out and "三年级1班" not in out
    assert "roster_students 3" in out and "guardian_links 3," in out and "invite_tokens 2," in out
    assert "departed parent accounts: 2" in out
    assert "total: 1 classes, 2 parent accounts" in out


def test_dry_run_counts_exactly_what_the_real_run_deletes(scene):
    planned = purge(NOW, 180)
    db.session.rollback()
    done = purge(NOW, 180, apply=True)
    assert planned.totals == done.totals
    assert planned.parents == done.parents == 2
    assert planned.classes[0].archived == done.classes[0].archived


def test_yes_deletes_the_personal_rows_of_an_old_graduated_class(runner, scene):
    join_code = scene.old.join_code
    result = run(runner, "--yes")
    assert "deleted: " in result.output and "DRY RUN" not in result.output
    rows = class_rows(scene.old)
    assert {k: v for k, v in rows.items() if k != "events"} == dict.fromkeys(
        ("roster", "links", "acceptances", "tokens", "members"), 0
    )
    old = db.session.get(SchoolClass, scene.old.id)
    assert old.purged_at is not None and old.status == ClassStatus.GRADUATED
    assert old.join_code != join_code
    assert count(Charter, Charter.class_id == old.id) == 1


def test_the_old_class_keeps_its_anonymous_counts(runner, scene):
    run(runner, "--yes")
    assert db.session.get(SchoolClass, scene.old.id).archived_counts == {
        "students": 3,
        "registered": 3,
        "guardians": 2,
        "learning": 2,
        "certified_guardians": 1,  # 刘强's certificate came after graduation
        "charter_accepted": 2,
        "students_with_certified_guardian": 1,
        "invited": 2,
        "invites_issued": 2,
        "joined": 2,
        "charter_version": 1,
    }


def test_the_old_class_log_keeps_staff_actions_but_names_no_parent(runner, scene):
    run(runner, "--yes")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.class_id == scene.old.id)).all()
    parents = set(db.session.scalars(select(User.id).where(User.role == Role.PARENT)))
    assert all(e.actor_id not in parents and e.subject_id not in parents for e in events)
    actions = [e.action for e in events]
    assert actions.count(Action.ADMITTED) == 2 and actions.count(Action.GRADUATED) == 1
    assert all(e.actor_id == scene.teacher.id for e in events if e.action == Action.ADMITTED)
    purged = next(e for e in events if e.action == Action.PURGED)
    assert purged.actor_id is None and purged.detail["roster_students"] == 3


def test_a_recent_graduated_class_and_an_active_class_are_untouched(runner, scene):
    before = {c.id: class_rows(c) for c in (scene.recent, scene.active)}
    run(runner, "--yes")
    assert {c.id: class_rows(c) for c in (scene.recent, scene.active)} == before
    for school_class in (scene.recent, scene.active):
        row = db.session.get(SchoolClass, school_class.id)
        assert row.purged_at is None and row.archived_counts is None
    assert user_rows(scene.recent_parent.id)["users"] == 1


def test_a_departed_parent_is_deleted_with_everything_about_them(runner, scene):
    departed, waiting = scene.departed.id, scene.waiting.id
    assert all(user_rows(departed).values())
    run(runner, "--yes")
    assert set(user_rows(departed).values()) == {0}
    assert user_rows(waiting)["users"] == 0


def test_a_parent_with_a_child_in_an_active_class_is_kept(runner, scene):
    active_parent_before = user_rows(scene.active_parent.id)
    run(runner, "--yes")
    rows = user_rows(scene.staying.id)
    assert rows["users"] == rows["reads"] == rows["attempts"] == rows["certificates"] == 1
    links = db.session.scalars(
        select(GuardianLink.class_id).where(GuardianLink.parent_id == scene.staying.id)
    )
    assert list(links) == [scene.active.id]
    assert rows["tokens"] == rows["members"] == rows["acceptances"] == 0  # those were the old class's
    assert user_rows(scene.active_parent.id) == active_parent_before


def test_teacher_staff_and_bureau_accounts_are_never_deleted(runner, scene):
    staff = factories.make_user(Role.STAFF, "张主任", school_id=scene.old.school_id, created_at=LONG_AGO)
    bureau = factories.make_user(Role.BUREAU, "陈科长", created_at=LONG_AGO)
    db.session.commit()
    run(runner, "--yes")
    for user_id in (scene.teacher.id, staff.id, bureau.id):
        assert db.session.get(User, user_id) is not None


def test_a_new_parent_without_a_class_yet_is_kept(runner, scene):
    newcomer = factories.make_user(Role.PARENT, "新家长")
    db.session.commit()
    run(runner, "--yes")
    assert db.session.get(User, newcomer.id) is not None


def test_a_second_run_deletes_nothing_more(runner, scene):
    run(runner, "--yes")
    after_first = db_snapshot()
    again = run(runner, "--yes")
    assert "nothing to purge" in again.output
    assert db_snapshot() == after_first


def test_a_longer_retention_period_keeps_the_old_class(runner, scene):
    before = db_snapshot()
    result = run(runner, "--yes", "--days", "300")
    assert "nothing to purge" in result.output
    assert db_snapshot() == before


def test_the_retention_period_comes_from_the_config(app, runner, scene):
    app.config["RETENTION_DAYS"] = 365
    try:
        result = run(runner)
    finally:
        app.config["RETENTION_DAYS"] = 180
    assert "retention 365 days" in result.output and "nothing to purge" in result.output


def test_nonsense_days_are_refused(runner, scene):
    before = db_snapshot()
    result = runner.invoke(args=["purge", "--yes", "--days", "0"])
    assert result.exit_code != 0 and "--days" in result.output
    assert db_snapshot() == before
