"""What school staff may see, always within their own school: the school, its classes and
teachers (another school's id is a 404), who of them is certified, and what a roll-over would do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User
from app.certificates.models import Certificate
from app.classes.models import ClassStatus, SchoolClass
from app.extensions import db
from app.orgs.models import School
from app.school.years import TOP_GRADE, next_school_year


def own_school_or_404(staff: User) -> School:
    """The staff member's school; an account without one has nothing to manage here."""
    school = db.session.get(School, staff.school_id) if staff.school_id else None
    if school is None:
        abort(404)
    return school


def school_class_or_404(staff: User, class_id: int) -> SchoolClass:
    """A class of the staff member's own school, or 404, so another school's class stays unseen."""
    return db.first_or_404(
        select(SchoolClass).where(SchoolClass.id == class_id, SchoolClass.school_id == staff.school_id)
    )


def school_teacher_or_404(staff: User, user_id: int) -> User:
    """A teacher account of the staff member's own school, or 404."""
    return db.first_or_404(
        select(User).where(User.id == user_id, User.role == Role.TEACHER, User.school_id == staff.school_id)
    )


def school_classes(school_id: int) -> list[SchoolClass]:
    """Every class of the school with its head teacher: active first, then by grade and name."""
    return list(
        db.session.scalars(
            select(SchoolClass)
            .where(SchoolClass.school_id == school_id)
            .options(selectinload(SchoolClass.head_teacher))
            .order_by(SchoolClass.status, SchoolClass.grade, SchoolClass.name, SchoolClass.school_year)
        )
    )


def school_teachers(school_id: int, *, active_only: bool = False) -> list[User]:
    """The school's teacher accounts by name; `active_only` for choosing a head teacher."""
    query = select(User).where(User.school_id == school_id, User.role == Role.TEACHER)
    if active_only:
        query = query.where(User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.real_name, User.id)))


def certified_user_ids(user_ids: list[int], now: datetime) -> set[int]:
    """Which of these people hold an unexpired certificate: one query for a whole page."""
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(Certificate.user_id).where(Certificate.user_id.in_(user_ids), Certificate.expires_at > now)
        )
    )


@dataclass(frozen=True)
class RolloverPlan:
    from_year: str | None
    to_year: str | None
    moving: int
    staying: int  # classes already in the top grade: they graduate instead


def newest_active_year(school_id: int) -> str | None:
    return db.session.scalar(
        select(SchoolClass.school_year)
        .where(SchoolClass.school_id == school_id, SchoolClass.status == ClassStatus.ACTIVE)
        .order_by(SchoolClass.school_year.desc())
        .limit(1)
    )


def rollover_plan(school_id: int) -> RolloverPlan:
    """What a roll-over would do now: the active classes of the newest school year move on."""
    year = newest_active_year(school_id)
    if year is None:
        return RolloverPlan(None, None, 0, 0)
    grades = db.session.scalars(
        select(SchoolClass.grade).where(
            SchoolClass.school_id == school_id,
            SchoolClass.status == ClassStatus.ACTIVE,
            SchoolClass.school_year == year,
        )
    ).all()
    staying = sum(1 for grade in grades if grade >= TOP_GRADE)
    return RolloverPlan(year, next_school_year(year), len(grades) - staying, staying)
