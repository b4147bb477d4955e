"""A class's own settings and its join code (its end, graduation, dissolves the group:
app/invites/services.py)."""

from __future__ import annotations

from datetime import datetime

from app.audit.services import Action, record
from app.auth.models import User
from app.classes.models import InvitePolicy, SchoolClass
from app.classes.services import new_join_code


def update_invite_settings(
    school_class: SchoolClass, policy: InvitePolicy, valid_hours: int, actor: User, now: datetime
) -> bool:
    """Set how invites are issued and how long a code lives (for codes issued from now on).
    False when nothing changed."""
    if school_class.invite_policy == policy and school_class.invite_valid_hours == valid_hours:
        return False
    school_class.invite_policy = policy
    school_class.invite_valid_hours = valid_hours
    record(Action.CLASS_SETTINGS, actor, now, school_class=school_class, policy=policy, hours=valid_hours)
    return True


def replace_join_code(school_class: SchoolClass, actor: User, now: datetime) -> str:
    """A new join code for the class; the old one opens nothing from now on."""
    school_class.join_code = new_join_code()
    record(Action.JOIN_CODE_ROTATED, actor, now, school_class=school_class)
    return school_class.join_code
