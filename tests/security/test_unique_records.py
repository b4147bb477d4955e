"""What a double tap at the very same moment cannot get past, because the database itself refuses
it: a second open attempt at one quiz, a second class of the same name, grade and year."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.quizzes.models import QuizAttempt
from app.timeutil import utcnow
from tests import factories


def attempt(user, submitted=False) -> QuizAttempt:
    return QuizAttempt(
        user_id=user.id,
        course_slug="etiquette",
        course_version="2026.1",
        draw=[],
        total=5,
        started_at=utcnow(),
        submitted_at=utcnow() if submitted else None,
    )


def test_one_open_attempt_per_person_and_course(world):
    parent = world.users["parent"]
    db.session.add_all([attempt(parent, submitted=True), attempt(parent, submitted=True), attempt(parent)])
    db.session.commit()  # any number of finished attempts beside one open one
    db.session.add(attempt(parent))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(attempt(world.users["parent_other"]))
    db.session.commit()  # someone else's is theirs


def test_one_class_of_a_name_per_grade_and_year(world):
    factories.make_class(world.school, name="五年级3班")
    db.session.commit()
    with pytest.raises(IntegrityError):
        factories.make_class(world.school, name="五年级3班")
        db.session.commit()
    db.session.rollback()
    factories.make_class(world.other_school, name="五年级3班")
    db.session.commit()  # another school may have one
