"""Which audit events a person may read: a teacher their classes', staff their school's."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.classes.models import SchoolClass


def visible_events(user: User) -> Select:
    """Newest first, within the person's reach."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if user.role == Role.TEACHER:
        own = select(SchoolClass.id).where(SchoolClass.head_teacher_id == user.id)
        return query.where(AuditEvent.class_id.in_(own))
    if user.role == Role.STAFF and user.school_id is not None:
        return query.where(AuditEvent.school_id == user.school_id)
    return query.where(false())
