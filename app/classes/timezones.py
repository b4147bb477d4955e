"""Whose clock a page shows: the school's time zone for staff and teachers, the school of a
parent's first class for a parent, else the site's default. Flask-Babel's time-zone selector
(installed by `create_app`); here because a parent's school is known only through classes."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import Role, User
from app.classes.models import GuardianLink, SchoolClass
from app.extensions import db
from app.orgs.models import School


def home_timezone(user: User) -> str | None:
    """The time zone of the school this person belongs to (a parent: their first class's)."""
    if user.school is not None:
        return user.school.timezone
    if user.role == Role.PARENT:
        return db.session.scalar(
            select(School.timezone)
            .join(SchoolClass, SchoolClass.school_id == School.id)
            .join(GuardianLink, GuardianLink.class_id == SchoolClass.id)
            .where(GuardianLink.parent_id == user.id)
            .order_by(GuardianLink.id)
            .limit(1)
        )
    return None


def select_timezone() -> str:
    """The time zone for this request."""
    if current_user.is_authenticated:
        zone = home_timezone(current_user)
        if zone:
            return zone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
