"""Reading progress and the parent's path through the required courses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.content.catalogue import Course, Lesson
from app.extensions import db
from app.learning.models import LessonRead
from app.quizzes.queries import passed_course_slugs


def mark_read(user: User, course: Course, lesson: Lesson, now: datetime) -> None:
    """Record that `user` read `lesson` now (again, if they had read it before)."""
    existing = db.session.scalar(
        select(LessonRead).where(
            LessonRead.user_id == user.id,
            LessonRead.course_slug == course.slug,
            LessonRead.lesson_slug == lesson.slug,
        )
    )
    if existing is not None:
        existing.last_read_at = now
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                LessonRead(
                    user_id=user.id,
                    course_slug=course.slug,
                    lesson_slug=lesson.slug,
                    first_read_at=now,
                    last_read_at=now,
                )
            )
    except IntegrityError:
        pass  # a double tap inserted it a moment ago: the read is recorded either way


def reads_by_course(user: User) -> dict[str, dict[str, datetime]]:
    """{course slug: {lesson slug: last read}} for one person, in one query."""
    reads: dict[str, dict[str, datetime]] = {}
    for row in db.session.scalars(select(LessonRead).where(LessonRead.user_id == user.id)):
        reads.setdefault(row.course_slug, {})[row.lesson_slug] = row.last_read_at
    return reads


@dataclass(frozen=True)
class CourseProgress:
    """Where a person stands in one course; `state` is not_started, in_progress or done."""

    course: Course
    lessons_read: int
    quiz_passed: bool

    @property
    def steps(self) -> int:
        return len(self.course.lessons) + 1

    @property
    def steps_done(self) -> int:
        return self.lessons_read + (1 if self.quiz_passed else 0)

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps)

    @property
    def state(self) -> str:
        if self.quiz_passed:
            return "done"
        return "in_progress" if self.steps_done else "not_started"


def path_progress(
    user: User, courses: list[Course], reads: dict[str, dict[str, datetime]]
) -> list[CourseProgress]:
    """Progress in each course of the path, from the person's reads (`reads_by_course`, which the
    page needs too) and one query whatever the number of courses."""
    passed = passed_course_slugs(user.id)
    return [
        CourseProgress(
            course=c,
            lessons_read=sum(1 for lesson in c.lessons if lesson.slug in reads.get(c.slug, {})),
            quiz_passed=c.slug in passed,
        )
        for c in courses
    ]


def next_lesson(course: Course, read: dict[str, datetime]) -> Lesson | None:
    """The first lesson of the course not read yet: where the person resumes."""
    return next((lesson for lesson in course.lessons if lesson.slug not in read), None)


def lesson_after(course: Course, lesson: Lesson) -> Lesson | None:
    """The lesson that follows `lesson` in its course, if any."""
    index = course.lessons.index(lesson)
    return course.lessons[index + 1] if index + 1 < len(course.lessons) else None
