"""Reads over quiz attempts."""

from __future__ import annotations

from datetime import datetime

from flask import abort
from sqlalchemy import select

from app.extensions import db
from app.quizzes.models import AttemptAnswer, QuizAttempt


def passed_course_slugs(user_id: int) -> set[str]:
    """Courses whose quiz this person has passed at least once."""
    return set(
        db.session.scalars(
            select(QuizAttempt.course_slug)
            .where(QuizAttempt.user_id == user_id, QuizAttempt.passed.is_(True))
            .distinct()
        )
    )


def attempts_for(user_id: int, course_slug: str) -> list[QuizAttempt]:
    """A person's attempts at one quiz, newest first."""
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.user_id == user_id, QuizAttempt.course_slug == course_slug)
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        )
    )


def recent_failures(attempts: list[QuizAttempt], since: datetime) -> list[QuizAttempt]:
    """Failed attempts submitted after `since`, newest first."""
    return [a for a in attempts if a.passed is False and a.submitted_at and a.submitted_at > since]


def missed_question_ids(attempt: QuizAttempt) -> list[str]:
    """Question ids answered wrongly in a submitted attempt, in the order shown."""
    return list(
        db.session.scalars(
            select(AttemptAnswer.question_id)
            .where(AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.correct.is_(False))
            .order_by(AttemptAnswer.position)
        )
    )


def own_attempt_or_404(user_id: int, attempt_id: int) -> QuizAttempt:
    """An attempt of this person's, or 404: nobody learns that another person's attempt exists."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        abort(404)
    return attempt
