"""What a person has read."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class LessonRead(db.Model):
    """A person finished reading a lesson. `last_read_at` moves on each re-read: a failed quiz
    asks for the lessons behind missed questions to be read again after the attempt."""

    __tablename__ = "lesson_reads"
    __table_args__ = (UniqueConstraint("user_id", "course_slug", "lesson_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_slug: Mapped[str] = mapped_column(String(40))
    lesson_slug: Mapped[str] = mapped_column(String(60))
    first_read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
