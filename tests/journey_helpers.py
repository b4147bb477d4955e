"""Steps of the parent journey, as a person takes them through the pages."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.content.registry import catalogue
from app.extensions import db
from app.quizzes.models import QuizAttempt
from tests.helpers import post

CHOICE_INPUT = re.compile(r'name="(q\d+)" value="([^"]+)"')


def read_course(client, course) -> None:
    for lesson in course.lessons:
        page = client.get(f"/learn/{course.slug}/{lesson.slug}")
        assert page.status_code == 200
        assert post(client, f"/learn/{course.slug}/{lesson.slug}/read").status_code == 302


def open_attempt(client, course) -> QuizAttempt:
    response = post(client, f"/learn/{course.slug}/quiz/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt_id)


def answers_for(attempt: QuizAttempt, right: bool) -> dict[str, list[str]]:
    """Tokens choosing the right answers (or a wrong one for every question), read from the
    server's record the way only a test can."""
    course = catalogue().courses[attempt.course_slug]
    data = {}
    for position, item in enumerate(attempt.draw):
        question = course.quiz.question(item["q"])
        if right:
            data[f"q{position}"] = [t for t, key in item["choices"] if key in question.correct_keys]
        else:
            data[f"q{position}"] = [next(t for t, key in item["choices"] if key not in question.correct_keys)]
    return data


def take_quiz(client, course, right: bool = True):
    attempt = open_attempt(client, course)
    page = client.get(f"/quiz/{attempt.id}").get_data(as_text=True)
    assert len(CHOICE_INPUT.findall(page)) >= attempt.total * 2
    return post(client, f"/quiz/{attempt.id}", answers_for(attempt, right)), attempt


def attempts_of(user_id: int) -> list[QuizAttempt]:
    db.session.expire_all()
    return list(db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user_id)))
