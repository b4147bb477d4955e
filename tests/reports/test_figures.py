"""Every report figure on small hand-made data, with exact expected values.

Class A of school one has five parents at different points; class B is empty; class C is in
another school. Roll-ups are kept current by the commits themselves, and a full refresh gives
the same numbers.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.classes.charters import revise_charter
from app.classes.models import GuardianLink, SchoolClass
from app.extensions import db
from app.invites.services import admit, issue_invite
from app.learning.models import LessonRead
from app.quizzes.models import AttemptAnswer, QuizAttempt
from app.reports import figures, queries
from app.reports.models import (
    ClassRollup,
    CourseRollup,
    QuestionRollup,
    SchoolWeeklyRollup,
    WeeklyRollup,
)
from app.reports.rollups.refresh import refresh_classes
from app.timeutil import utcnow
from tests import factories

COURSES = ["etiquette", "scams", "law"]


def read(user: User, course="etiquette", lesson="why-rules") -> None:
    now = utcnow()
    db.session.add(
        LessonRead(
            user_id=user.id, course_slug=course, lesson_slug=lesson, first_read_at=now, last_read_at=now
        )
    )


def attempt(user: User, course: str, passed: bool, answers=()) -> QuizAttempt:
    now = utcnow()
    row = QuizAttempt(
        user_id=user.id,
        course_slug=course,
        course_version="test",
        draw=[],
        total=6,
        score=6 if passed else 2,
        passed=passed,
        started_at=now,
        submitted_at=now,
    )
    db.session.add(row)
    db.session.flush()
    for position, (question, correct) in enumerate(answers):
        db.session.add(
            AttemptAnswer(
                attempt_id=row.id, position=position, question_id=question, chosen=[0], correct=correct
            )
        )
    return row


@dataclass
class Scene:
    school: object
    a: SchoolClass
    b: SchoolClass
    c: SchoolClass
    parents: list[User]


@pytest.fixture
def scene():
    city = factories.make_bureau("市")
    district = factories.make_bureau("区", city)
    other_district = factories.make_bureau("西区", city)
    school = factories.make_school(district, "一小")
    other = factories.make_school(other_district, "二小")
    teacher = factories.make_user("teacher", "李老师", school_id=school.id)
    a = factories.make_class(school, teacher, "三年级1班")
    b = factories.make_class(school, None, "三年级2班")
    c = factories.make_class(other, None, "一年级1班")
    p1 = factories.make_parent(a, "学生一", name="家长一")
    p2 = factories.make_parent(a, "学生二", name="家长二")
    p3 = factories.make_parent(a, "学生三", name="家长三")
    p4 = factories.make_parent(a, "不在名单", approved=False, name="家长四")
    p5 = factories.make_parent(a, "也不在", approved=False, name="家长五")
    factories.add_student(a, "学生四")
    db.session.scalars(select(GuardianLink).where(GuardianLink.parent_id == p5.id)).one().status = "rejected"
    factories.make_parent(c, "别校学生", name="别校家长")
    for parent in (p1, p2):
        read(parent)
        for course in COURSES:
            attempt(parent, course, passed=True)
        factories.make_eligible(parent, a)
    read(p3)
    attempt(p3, "etiquette", passed=True)
    attempt(p3, "scams", passed=False, answers=[("s-q1", True), ("s-q2", False)])
    attempt(p3, "scams", passed=False)
    db.session.commit()
    token, _ = issue_invite(p1, a, utcnow())
    issue_invite(p2, a, utcnow())
    db.session.commit()
    admit(teacher, token.id, utcnow())
    db.session.commit()
    return Scene(school, a, b, c, [p1, p2, p3, p4, p5])


EXPECTED_A = {
    "students": 4,
    "students_with_certified": 2,
    "registered": 4,
    "confirmed": 3,
    "pending": 1,
    "learning": 3,
    "passed": 2,
    "certified": 2,
    "charter_accepted": 2,
    "invited": 2,
    "joined": 1,
}


def rollup(class_id: int) -> dict:
    db.session.expire_all()
    row = db.session.get(ClassRollup, class_id)
    return {key: getattr(row, key) for key in EXPECTED_A}


def test_the_class_rollup_follows_each_commit(scene):
    assert rollup(scene.a.id) == EXPECTED_A


def test_an_empty_class_has_a_row_of_zeros(scene):
    assert rollup(scene.b.id) == dict.fromkeys(EXPECTED_A, 0)


def test_a_full_refresh_gives_the_same_numbers(scene):
    refresh_classes(None, COURSES, utcnow())
    db.session.commit()
    assert rollup(scene.a.id) == EXPECTED_A
    assert rollup(scene.c.id)["registered"] == 1


def test_course_figures(scene):
    by_course = {f.slug: f for f in figures.course_figures(queries.school_scope(scene.school.id), COURSES)}
    assert (
        by_course["etiquette"].attempted,
        by_course["etiquette"].passed,
        by_course["etiquette"].stuck,
    ) == (
        3,
        3,
        0,
    )
    scams = by_course["scams"]
    assert (scams.attempted, scams.passed, scams.stuck, scams.attempts) == (3, 2, 1, 4)
    assert scams.average_attempts == pytest.approx(4 / 3)
    assert (by_course["law"].attempted, by_course["law"].passed) == (2, 2)


def test_school_totals_add_the_classes_and_nothing_else(scene):
    counts = queries.totals(queries.school_scope(scene.school.id))
    assert counts.classes == 2 and counts.registered == 4 and counts.students == 4
    assert queries.rate(counts.students_with_certified, counts.students) == 0.5
    assert [n for _step, n in counts.funnel] == [4, 3, 2, 2, 2, 1]


def test_rates_of_nobody_are_zero(scene):
    counts = queries.totals(queries.school_scope(scene.school.id, grade=6))
    assert counts.classes == 0 and queries.rate(counts.certified, counts.registered) == 0.0


def test_bureau_tables(scene):
    city = scene.school.bureau.parent
    districts = {row.label: row.counts.registered for row in queries.district_rows(city.id)}
    assert districts == {"区": 4, "西区": 1}
    schools = {row.label: row.counts.classes for row in queries.school_rows(city.id)}
    assert schools == {"一小": 2, "二小": 1}
    assert queries.totals(queries.bureau_scope(city.id)).registered == 5


def test_grade_rows_and_class_rows(scene):
    scope = queries.school_scope(scene.school.id)
    assert [(r.label, r.counts.classes, r.counts.registered) for r in queries.grade_rows(scope)] == [
        (3, 2, 4)
    ]
    assert [r.label for r in queries.class_rows(scope)] == ["三年级1班", "三年级2班"]


def test_weekly_trend_counts_each_event_once(scene):
    today = utcnow().date()
    weeks = figures.weekly(
        queries.school_scope(scene.school.id), today - timedelta(days=21), today + timedelta(days=7)
    )
    assert sum(w.registered for w in weeks) == 4  # the declined request is not counted
    assert sum(w.certified for w in weeks) == 2 and sum(w.joined for w in weeks) == 1
    assert len({w.week.weekday() for w in weeks}) == 1  # all Mondays, or all the same weekday


def test_question_counts_come_from_submitted_answers(scene, monkeypatch):
    rows = db.session.scalars(select(QuestionRollup).order_by(QuestionRollup.question_id)).all()
    assert [(r.school_id, r.question_id, r.answered, r.correct) for r in rows] == [
        (scene.school.id, "s-q1", 1, 1),
        (scene.school.id, "s-q2", 1, 0),
    ]
    monkeypatch.setattr(figures, "HARDEST_MIN_ANSWERS", 1)
    hardest = figures.hardest_questions(select(scene.school.id))
    assert [(q.question_id, q.share_correct) for q in hardest] == [("s-q2", 0.0), ("s-q1", 1.0)]


def test_help_names_classes_with_waiting_requests_or_a_stuck_quiz(scene, monkeypatch):
    monkeypatch.setattr(figures, "HELP_PENDING", 1)
    monkeypatch.setattr(figures, "HELP_STUCK", 1)
    monkeypatch.setattr(figures, "HELP_STUCK_SHARE", 0.25)
    help_needed = figures.classes_needing_help(queries.school_scope(scene.school.id))
    assert [(h.label, h.reasons) for h in help_needed] == [
        ("三年级1班", [("pending", {"n": 1}), ("stuck", {"n": 1, "course": "scams"})])
    ]


def test_classes_whose_head_teacher_is_certified(scene):
    scope = queries.school_scope(scene.school.id)
    assert (queries.totals(scope).teacher_certified, queries.totals(scope).classes) == (0, 2)
    factories.certify(scene.a.head_teacher)  # the teacher's own certificate refreshes their class
    db.session.commit()
    assert queries.totals(scope).teacher_certified == 1


def test_a_purged_class_keeps_its_counts(scene, runner):
    scene.a.status = "graduated"
    scene.a.graduated_at = utcnow() - timedelta(days=400)
    db.session.commit()
    before = rollup(scene.a.id)
    result = runner.invoke(args=["purge", "--yes"])
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(GuardianLink).where(GuardianLink.class_id == scene.a.id)).all() == []
    assert rollup(scene.a.id) == before
    refresh_classes(None, COURSES, utcnow())
    db.session.commit()
    assert rollup(scene.a.id) == before  # a full refresh leaves purged classes alone
    assert db.session.scalars(select(CourseRollup).where(CourseRollup.class_id == scene.a.id)).all()


def test_learning_counts_from_the_first_lesson_even_when_two_come_in_one_commit(scene):
    newcomer = factories.make_parent(scene.a, "学生五", name="家长六")
    db.session.commit()
    before = rollup(scene.a.id)["learning"]
    read(newcomer, "etiquette", "why-rules")
    read(newcomer, "etiquette", "names-and-charter")
    db.session.commit()
    assert rollup(scene.a.id)["learning"] == before + 1


def weekly_rows() -> list[tuple]:
    db.session.expire_all()
    class_weeks = db.session.execute(
        select(
            WeeklyRollup.class_id, WeeklyRollup.week, WeeklyRollup.registered, WeeklyRollup.certified
        ).order_by(WeeklyRollup.class_id, WeeklyRollup.week)
    ).all()
    school_weeks = db.session.execute(
        select(SchoolWeeklyRollup.school_id, SchoolWeeklyRollup.week, SchoolWeeklyRollup.certified).order_by(
            SchoolWeeklyRollup.school_id, SchoolWeeklyRollup.week
        )
    ).all()
    return [tuple(r) for r in (*class_weeks, *school_weeks)]


def test_the_weekly_trend_follows_a_certificate_that_comes_with_a_quiz(scene):
    """Quiz answers alone leave the weekly figures as they are; a pass that brings the
    certificate in the same commit counts in its week, as a full refresh would count it."""
    p3 = scene.parents[2]
    attempt(p3, "scams", passed=True, answers=[("s-q1", True)])
    db.session.commit()
    before = weekly_rows()
    attempt(p3, "law", passed=True)
    factories.certify(p3)
    db.session.commit()
    after = weekly_rows()
    assert sum(r[3] for r in after if len(r) == 4) == sum(r[3] for r in before if len(r) == 4) + 1
    refresh_classes(None, COURSES, utcnow())
    db.session.commit()
    assert weekly_rows() == after


def test_refreshing_many_classes_at_once_gives_each_its_own_charter_version(scene):
    """The nightly refresh and the drain refresh many classes in one statement: a parent who
    accepted their class's current charter counts there even when another class of the batch
    is on a later version."""
    teacher = scene.a.head_teacher
    factories.make_parent(scene.b, "二班学生")
    revise_charter(scene.b, "新的群规", "21:00", "07:00", teacher, utcnow())  # class B: version 2
    db.session.commit()
    alone = rollup(scene.a.id)["charter_accepted"]
    refresh_classes([scene.a.id, scene.b.id], COURSES, utcnow())
    db.session.commit()
    assert alone == EXPECTED_A["charter_accepted"]
    assert rollup(scene.a.id)["charter_accepted"] == alone
    refresh_classes(None, COURSES, utcnow())
    db.session.commit()
    assert rollup(scene.a.id)["charter_accepted"] == alone
