"""Quiz rules: when an attempt may start, how a submission is checked and graded, what a
failed attempt asks the parent to review. Plain functions over model objects; the caller commits."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import User
from app.content.catalogue import Course, Lesson
from app.extensions import db
from app.quizzes.draw import build_draw
from app.quizzes.grading import allows_many, grade, quiz_of
from app.quizzes.models import AttemptAnswer, QuizAttempt
from app.quizzes.queries import attempts_for, missed_question_ids, recent_failures


@dataclass(frozen=True)
class RetryRules:
    """Limits that stop guessing by brute force: after `fails` failures within `window`, wait."""

    fails: int = 3
    window: timedelta = timedelta(hours=1)


@dataclass
class QuizState:
    """Where a person stands with one quiz.

    kind: passed | open (an unsubmitted attempt exists) | unread (lessons not read yet) |
    wait (too many recent failures; `wait_until`) | review (`lessons` to reread) | ready.
    """

    kind: str
    attempt: QuizAttempt | None = None
    lessons: list[Lesson] = field(default_factory=list)
    wait_until: datetime | None = None
    last: QuizAttempt | None = None


class SubmissionRefused(Exception):
    """A submission that records nothing. `reason`: closed, missing or tampered;
    `positions` are the questions concerned (0-based)."""

    def __init__(self, reason: str, positions: list[int] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.positions = positions or []


def is_stale(course: Course, attempt: QuizAttempt) -> bool:
    """Drawn from an older version of the bank: its choice keys may now mean other texts."""
    return attempt.course_version != course.version


def discard_stale(user_id: int, course: Course) -> None:
    """Delete an unsubmitted attempt drawn from an older bank (nothing was graded), so the
    one-open-attempt index lets a fresh one start."""
    db.session.execute(
        delete(QuizAttempt)
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.course_slug == course.slug,
            QuizAttempt.submitted_at.is_(None),
            QuizAttempt.course_version != course.version,
        )
        .execution_options(synchronize_session="fetch")
    )


def lessons_to_review(course: Course, attempt: QuizAttempt) -> list[Lesson]:
    """The lessons behind the questions missed in `attempt`, in course order (a question a
    newer content version retired names no lesson)."""
    quiz = quiz_of(course)
    slugs = {q.lesson for qid in missed_question_ids(attempt) if (q := quiz.find(qid)) is not None}
    return [lesson for lesson in course.lessons if lesson.slug in slugs]


def quiz_state(
    user: User, course: Course, reads: dict[str, datetime], now: datetime, rules: RetryRules
) -> QuizState:
    """Decide what the quiz page offers this person now."""
    attempts = attempts_for(user.id, course.slug)
    submitted = [a for a in attempts if a.submitted_at is not None]
    last = submitted[0] if submitted else None
    passed = next((a for a in submitted if a.passed), None)
    if passed is not None:
        return QuizState("passed", attempt=passed, last=last)
    open_attempt = next((a for a in attempts if a.submitted_at is None and not is_stale(course, a)), None)
    if open_attempt is not None:
        return QuizState("open", attempt=open_attempt, last=last)
    unread = [lesson for lesson in course.lessons if lesson.slug not in reads]
    if unread:
        return QuizState("unread", lessons=unread, last=last)
    failures = recent_failures(submitted, now - rules.window)
    if len(failures) >= rules.fails:
        until = failures[rules.fails - 1].submitted_at + rules.window
        if until > now:
            return QuizState("wait", wait_until=until, last=last)
    if last is not None:
        review = [
            lesson for lesson in lessons_to_review(course, last) if reads[lesson.slug] <= last.submitted_at
        ]
        if review:
            return QuizState("review", lessons=review, last=last)
    return QuizState("ready", last=last)


def start_attempt(
    user: User, course: Course, state: QuizState, now: datetime, rng: random.Random | None = None
) -> QuizAttempt | None:
    """Open an attempt when the state allows; a double tap gets the attempt already open.
    Returns None when the person may not start now."""
    if state.kind == "open":
        return state.attempt
    if state.kind != "ready" or course.quiz is None:
        return None
    seen = {item["q"] for a in attempts_for(user.id, course.slug) for item in a.draw}
    discard_stale(user.id, course)
    attempt = QuizAttempt(
        user_id=user.id,
        course_slug=course.slug,
        course_version=course.version,
        draw=build_draw(course.quiz, seen, rng),
        started_at=now,
        total=course.quiz.draw,
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def read_responses(course: Course, attempt: QuizAttempt, form: dict[str, list[str]]) -> list[frozenset[int]]:
    """Turn the posted tokens into choice keys, refusing missing answers and unknown tokens."""
    quiz = quiz_of(course)
    chosen: list[frozenset[int]] = []
    missing, tampered = [], []
    for position, item in enumerate(attempt.draw):
        question = quiz.question(item["q"])
        key_of = dict((token, key) for token, key in item["choices"])
        tokens = form.get(f"q{position}", [])
        if not tokens:
            missing.append(position)
        elif any(t not in key_of for t in tokens) or (len(tokens) > 1 and not allows_many(question)):
            tampered.append(position)
        chosen.append(frozenset(key_of.get(t, -1) for t in tokens))
    if tampered:
        raise SubmissionRefused("tampered", tampered)
    if missing:
        raise SubmissionRefused("missing", missing)
    return chosen


def submit_attempt(
    course: Course, attempt: QuizAttempt, form: dict[str, list[str]], now: datetime
) -> QuizAttempt:
    """Grade a submission on the server and close the attempt.

    Closing is one conditional UPDATE on `submitted_at IS NULL`, so of two simultaneous taps only
    one records answers; the other is refused as closed.
    """
    quiz = quiz_of(course)
    if attempt.submitted_at is not None:
        raise SubmissionRefused("closed")
    chosen = read_responses(course, attempt, form)
    results = [grade(quiz.question(item["q"]), keys) for item, keys in zip(attempt.draw, chosen, strict=True)]
    outcome = {"submitted_at": now, "score": sum(results), "passed": sum(results) >= quiz.pass_mark()}
    closed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(**outcome)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:
        raise SubmissionRefused("closed")
    for name, value in outcome.items():  # what the UPDATE wrote, without reading the row back
        set_committed_value(attempt, name, value)
    for position, (item, keys, ok) in enumerate(zip(attempt.draw, chosen, results, strict=True)):
        db.session.add(
            AttemptAnswer(
                attempt_id=attempt.id,
                position=position,
                question_id=item["q"],
                chosen=sorted(keys),
                correct=ok,
            )
        )
    db.session.flush()
    return attempt
