"""Roll-up tables: anonymous counts per class, per class and course, per class and week, and per
school and question. Reports read these, never the raw rows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import UTCDateTime


class ClassRollup(db.Model):
    """Where one class stands. The funnel columns are cumulative: each counts guardians who reached
    that step *and every step before it* (registered ⊇ learning ⊇ passed ⊇ charter ⊇ invited ⊇
    joined). A guardian is a parent with a guardian link in the class that was not declined."""

    __tablename__ = "class_rollups"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    students: Mapped[int] = mapped_column(Integer, default=0)
    students_with_certified: Mapped[int] = mapped_column(Integer, default=0)
    registered: Mapped[int] = mapped_column(Integer, default=0)
    confirmed: Mapped[int] = mapped_column(Integer, default=0)
    pending: Mapped[int] = mapped_column(Integer, default=0)
    learning: Mapped[int] = mapped_column(Integer, default=0)
    passed: Mapped[int] = mapped_column(Integer, default=0)
    certified: Mapped[int] = mapped_column(Integer, default=0)
    charter_accepted: Mapped[int] = mapped_column(Integer, default=0)
    invited: Mapped[int] = mapped_column(Integer, default=0)
    joined: Mapped[int] = mapped_column(Integer, default=0)
    # 1 when the class's head teacher holds a valid group-owner certificate.
    teacher_certified: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CourseRollup(db.Model):
    """One required course's quiz in one class: guardians who tried it, passed it, and are stuck
    (tried, not passed yet), and all their submitted attempts."""

    __tablename__ = "course_rollups"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), primary_key=True)
    course_slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    attempted: Mapped[int] = mapped_column(Integer, default=0)
    passed: Mapped[int] = mapped_column(Integer, default=0)
    stuck: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class WeeklyRollup(db.Model):
    """Per class and week (Monday, in the school's time zone): guardians who registered, got
    their certificate, and were admitted to the group that week."""

    __tablename__ = "weekly_rollups"

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    registered: Mapped[int] = mapped_column(Integer, default=0)
    certified: Mapped[int] = mapped_column(Integer, default=0)
    joined: Mapped[int] = mapped_column(Integer, default=0)


class SchoolWeeklyRollup(db.Model):
    """The weekly roll-up summed per school, so that a city's trend reads 2,161 × weeks rows, not
    30,000 × weeks. Rebuilt for a school whenever one of its classes is refreshed."""

    __tablename__ = "school_weekly_rollups"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)
    registered: Mapped[int] = mapped_column(Integer, default=0)
    certified: Mapped[int] = mapped_column(Integer, default=0)
    joined: Mapped[int] = mapped_column(Integer, default=0)


class QuestionRollup(db.Model):
    """Answers to one question by guardians of one school, and how many were right. Added to at
    each quiz submission and never recomputed, so purged attempts still count."""

    __tablename__ = "question_rollups"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    course_slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


class QueuedRefresh(db.Model):
    """A class whose roll-ups wait for `flask reports drain` (ROLLUP_REFRESH=queued): written by
    the commit that changed what the class counts, deleted by the drain that refreshes it. One row
    per commit, never updated, so a commit never waits on a drain (app/reports/rollups/queue.py)."""

    __tablename__ = "rollup_queue"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    class_id: Mapped[int] = mapped_column(Integer)  # no foreign key: a class may be purged meanwhile
    weekly: Mapped[bool] = mapped_column(Boolean, default=False)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
