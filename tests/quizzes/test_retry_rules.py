"""A failed attempt asks for its lessons to be reread; three failures in an hour mean a wait."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.quizzes.models import QuizAttempt
from app.timeutil import utcnow
from tests import factories
from tests.helpers import post, sign_in_as
from tests.journey_helpers import attempts_of, read_course, take_quiz


@pytest.fixture
def parent(client):
    school = factories.make_school(factories.make_bureau())
    parent = factories.make_parent(factories.make_class(school))
    db.session.commit()
    sign_in_as(client, parent)
    client.set_cookie("pp_lang", "en")
    return parent


@pytest.fixture
def course(catalogue):
    return catalogue.for_audience("parent")[0]


def test_quiz_waits_until_every_lesson_is_read(client, parent, course):
    page = client.get(f"/learn/{course.slug}/quiz").get_data(as_text=True)
    assert "Please read every lesson of this course first" in page
    response = post(client, f"/learn/{course.slug}/quiz/start")
    assert response.headers["Location"].endswith(f"/learn/{course.slug}/quiz")
    assert attempts_of(parent.id) == []


def test_retry_opens_only_after_the_missed_lessons_are_reread(client, parent, course):
    read_course(client, course)
    take_quiz(client, course, right=False)
    page = client.get(f"/learn/{course.slug}/quiz").get_data(as_text=True)
    assert "Before you try again, please reread these lessons" in page
    assert post(client, f"/learn/{course.slug}/quiz/start").headers["Location"].endswith("/quiz")
    assert len(attempts_of(parent.id)) == 1

    read_course(client, course)
    assert "Try the quiz again" in client.get(f"/learn/{course.slug}/quiz").get_data(as_text=True)
    retry = post(client, f"/learn/{course.slug}/quiz/start")
    assert "/quiz/" in retry.headers["Location"] and len(attempts_of(parent.id)) == 2


def test_retry_draw_prefers_questions_not_seen(client, parent, course):
    read_course(client, course)
    _, first = take_quiz(client, course, right=False)
    read_course(client, course)
    _, second = take_quiz(client, course, right=False)
    seen = {item["q"] for item in first.draw}
    fresh = [item["q"] for item in second.draw if item["q"] not in seen]
    assert len(fresh) == min(len(course.quiz.questions) - len(seen), course.quiz.draw)


def test_three_failures_within_an_hour_make_the_next_try_wait(client, parent, course):
    read_course(client, course)
    for _ in range(3):
        take_quiz(client, course, right=False)
        read_course(client, course)
    page = client.get(f"/learn/{course.slug}/quiz").get_data(as_text=True)
    assert "you can try again at" in page
    assert post(client, f"/learn/{course.slug}/quiz/start").headers["Location"].endswith("/quiz")
    assert len(attempts_of(parent.id)) == 3


def test_the_wait_ends_an_hour_after_the_third_failure(client, parent, course):
    read_course(client, course)
    for _ in range(3):
        take_quiz(client, course, right=False)
        read_course(client, course)
    for attempt in db.session.scalars(db.select(QuizAttempt)):
        attempt.submitted_at = utcnow() - timedelta(minutes=61)
        attempt.started_at = utcnow() - timedelta(minutes=62)
    db.session.commit()
    read_course(client, course)
    assert "/quiz/" in post(client, f"/learn/{course.slug}/quiz/start").headers["Location"]


def test_starting_twice_returns_the_open_attempt(client, parent, course):
    read_course(client, course)
    first = post(client, f"/learn/{course.slug}/quiz/start").headers["Location"]
    second = post(client, f"/learn/{course.slug}/quiz/start").headers["Location"]
    assert first == second
    assert len(attempts_of(parent.id)) == 1
