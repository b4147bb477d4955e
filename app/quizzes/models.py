"""Quiz attempts and their answers: immutable records, kept apart from the question banks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class QuizAttempt(db.Model):
    """One try at a course quiz.

    `draw` is the server-side record of what the page showed: the question ids in order and, for
    each, the per-attempt random token of every choice with the choice key it stands for. The page
    only ever sees the tokens, so nothing in it tells a right choice from a wrong one.
    """

    __tablename__ = "quiz_attempts"
    # At most one open attempt per person and course, even when "start" is tapped twice at once.
    __table_args__ = (
        Index(
            "uq_quiz_attempts_open",
            "user_id",
            "course_slug",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_slug: Mapped[str] = mapped_column(String(40), index=True)
    course_version: Mapped[str] = mapped_column(String(20))
    draw: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    answers: Mapped[list[AttemptAnswer]] = relationship(
        order_by="AttemptAnswer.position", cascade="all, delete-orphan"
    )


class AttemptAnswer(db.Model):
    """What was chosen for one question of a submitted attempt, and whether it was right."""

    __tablename__ = "attempt_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(40), index=True)
    chosen: Mapped[list[int]] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
