"""Writing to the audit log. Callers pass people and classes (anything with ids: this module
imports neither); this keeps the scope columns right."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol

from app.audit.models import AuditEvent
from app.extensions import db


class Person(Protocol):
    """A user, as far as the log needs one."""

    id: int


class InSchool(Protocol):
    """A class, as far as the log needs one."""

    id: int
    school_id: int


class Action(StrEnum):
    INVITE_ISSUED = "invite_issued"
    INVITE_CHECKED = "invite_checked"
    ADMITTED = "admitted"
    INVITE_REVOKED = "invite_revoked"
    INVITE_APPROVED = "invite_approved"
    MEMBER_REMOVED = "member_removed"
    MEMBER_READMITTED = "member_readmitted"
    LINK_APPROVED = "link_approved"
    LINK_REJECTED = "link_rejected"
    CHARTER_CHANGED = "charter_changed"
    CLASS_SETTINGS = "class_settings"
    JOIN_CODE_ROTATED = "join_code_rotated"
    ROSTER_IMPORTED = "roster_imported"
    RESET_LINK = "reset_link"
    WELCOME_LINK = "welcome_link"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    CLASS_CREATED = "class_created"
    TEACHER_ASSIGNED = "teacher_assigned"
    CLASSES_ROLLED_OVER = "classes_rolled_over"
    GRADUATED = "graduated"
    PURGED = "purged"
    SCHOOL_SETTINGS = "school_settings"


def record(
    action: Action,
    actor: Person | None,
    now: datetime,
    *,
    school_class: InSchool | None = None,
    school_id: int | None = None,
    subject: Person | None = None,
    **detail: str | int,
) -> AuditEvent:
    """Add one event. The school comes from the class when there is one."""
    event = AuditEvent(
        at=now,
        action=action,
        actor_id=actor.id if actor else None,
        subject_id=subject.id if subject else None,
        class_id=school_class.id if school_class else None,
        school_id=school_class.school_id if school_class else school_id,
        detail=detail or None,
    )
    db.session.add(event)
    return event
