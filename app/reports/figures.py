"""Report figures beyond the funnel counts of app/reports/queries.py: each course's progress,
the weekly trend, the hardest questions and the classes that may need a hand. The same scopes
and the same rule: sums over the roll-ups, rates from summed counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select

from app.extensions import db
from app.reports.models import CourseRollup, QuestionRollup, SchoolWeeklyRollup, WeeklyRollup
from app.reports.queries import class_rows, rate

HARDEST_MIN_ANSWERS = 10  # fewer answers than this say nothing about a question


HELP_PENDING = 3  # this many guardian requests waiting: the teacher may need a hand


HELP_STUCK = 3  # this many guardians stuck on one quiz …


HELP_STUCK_SHARE = 0.3  # … and at least this share of the class's guardians


@dataclass
class CourseFigure:
    slug: str
    attempted: int
    passed: int
    stuck: int
    attempts: int

    @property
    def average_attempts(self) -> float:
        return self.attempts / self.attempted if self.attempted else 0.0


def _within(model, scope: Select, schools: Select | None):
    """Rows of a roll-up in scope: by school when whole schools are asked for (its own index),
    else by class."""
    return model.school_id.in_(schools) if schools is not None else model.class_id.in_(scope)


def course_figures(
    scope: Select, course_slugs: list[str], schools: Select | None = None
) -> list[CourseFigure]:
    rows = {
        slug: (attempted, passed, stuck, attempts)
        for slug, attempted, passed, stuck, attempts in db.session.execute(
            select(
                CourseRollup.course_slug,
                func.sum(CourseRollup.attempted),
                func.sum(CourseRollup.passed),
                func.sum(CourseRollup.stuck),
                func.sum(CourseRollup.attempts),
            )
            .where(_within(CourseRollup, scope, schools))
            .group_by(CourseRollup.course_slug)
        )
    }
    return [CourseFigure(slug, *(int(v or 0) for v in rows.get(slug, (0, 0, 0, 0)))) for slug in course_slugs]


@dataclass
class Week:
    week: date
    registered: int
    certified: int
    joined: int


def weekly(scope: Select, start: date, end: date, schools: Select | None = None) -> list[Week]:
    """Every week from `start` to `end` (Mondays), zeros included, so the trend has no gaps.
    Whole schools read the per-school weeks; a grade or a class reads the per-class weeks.
    A `start` that is not a Monday counts from the Monday of its week."""
    start = date.fromordinal(start.toordinal() - start.weekday())
    model = SchoolWeeklyRollup if schools is not None else WeeklyRollup
    where = model.school_id.in_(schools) if schools is not None else model.class_id.in_(scope)
    found = {
        week: (r, c, j)
        for week, r, c, j in db.session.execute(
            select(model.week, func.sum(model.registered), func.sum(model.certified), func.sum(model.joined))
            .where(where, model.week >= start, model.week <= end)
            .group_by(model.week)
        )
    }
    weeks = []
    day = start
    while day <= end:
        weeks.append(Week(day, *(int(v or 0) for v in found.get(day, (0, 0, 0)))))
        day = date.fromordinal(day.toordinal() + 7)
    return weeks


@dataclass
class QuestionFigure:
    course_slug: str
    question_id: str
    answered: int
    correct: int

    @property
    def share_correct(self) -> float:
        return rate(self.correct, self.answered)


def hardest_questions(school_ids: Select, limit: int = 10) -> list[QuestionFigure]:
    """Lowest share of right answers first, among questions answered often enough to tell."""
    answered = func.sum(QuestionRollup.answered)
    correct = func.sum(QuestionRollup.correct)
    query = (
        select(QuestionRollup.course_slug, QuestionRollup.question_id, answered, correct)
        .where(QuestionRollup.school_id.in_(school_ids))
        .group_by(QuestionRollup.course_slug, QuestionRollup.question_id)
        .having(answered >= HARDEST_MIN_ANSWERS)
        .order_by((1.0 * correct / answered).asc(), QuestionRollup.course_slug, QuestionRollup.question_id)
        .limit(limit)
    )
    return [QuestionFigure(c, q, int(a), int(r)) for c, q, a, r in db.session.execute(query)]


@dataclass
class HelpNeeded:
    class_id: int
    label: str
    reasons: list[tuple[str, dict]]  # (reason key, its numbers)


def classes_needing_help(scope: Select) -> list[HelpNeeded]:
    """Classes where many guardian requests wait, or many guardians are stuck on one quiz."""
    stuck = {
        (class_id, slug): n
        for class_id, slug, n in db.session.execute(
            select(CourseRollup.class_id, CourseRollup.course_slug, CourseRollup.stuck).where(
                CourseRollup.class_id.in_(scope), CourseRollup.stuck >= HELP_STUCK
            )
        )
    }
    result = []
    for row in class_rows(scope):
        reasons = []
        if row.counts.pending >= HELP_PENDING:
            reasons.append(("pending", {"n": row.counts.pending}))
        for (class_id, slug), n in sorted(stuck.items()):
            if class_id == row.key and n >= HELP_STUCK_SHARE * max(row.counts.registered, 1):
                reasons.append(("stuck", {"n": n, "course": slug}))
        if reasons:
            result.append(HelpNeeded(row.key, row.label, reasons))
    return result
