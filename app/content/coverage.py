"""Which lessons and questions cover each seed point of the source document."""

from __future__ import annotations

from dataclasses import dataclass

from app.content.catalogue import Catalogue


@dataclass(frozen=True)
class PointCoverage:
    point: str
    lessons: tuple[str, ...]
    questions: tuple[str, ...]

    @property
    def covered(self) -> bool:
        """Every seed point needs at least one lesson and at least one question."""
        return bool(self.lessons) and bool(self.questions)


def seed_coverage(catalogue: Catalogue) -> list[PointCoverage]:
    """One row per seed point, in numeric order (S1, S2, … S21). Only what everyone must read and
    answer counts: required lessons of required courses (optional lessons are extra reading)."""
    required = [course for course in catalogue.courses.values() if course.required]
    rows = []
    for point in sorted(catalogue.points, key=lambda p: int(p.lstrip("S") or 0)):
        lessons = tuple(
            f"{course.slug}/{lesson.slug}"
            for course in required
            for lesson in course.lessons
            if point in lesson.covers
        )
        questions = tuple(
            question.id
            for course in required
            for question in (course.quiz.questions if course.quiz else ())
            if point in question.covers
        )
        rows.append(PointCoverage(point, lessons, questions))
    return rows
