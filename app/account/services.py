"""A parent deleting their own account, at once and for good.

The rows go through the retention purge's own step (`erase_parent`), so the purge and this page
can never disagree about what "everything about a parent" is. Then the roll-ups of the parent's
classes are recomputed without them: the class funnel counts the class's current guardians, and
someone who has left is no longer one. The per-question answer counts of the school
(`question_rollups`) keep their answers as anonymous numbers: they never name anyone.
"""

from __future__ import annotations

from datetime import datetime

from app.auth.models import Role, User
from app.content.registry import catalogue
from app.reports.rollups.refresh import classes_touching, refresh_classes
from app.retention.purge import erase_parent


class NotAParent(Exception):
    """Teachers', staff's and bureau accounts are the school's to switch off."""


def delete_parent_account(user: User, now: datetime) -> dict[str, int]:
    """Delete everything about this parent and the account; recompute their classes' roll-ups.
    Returns the rows deleted by table: all zero for an account that is already gone (a second
    tap arriving together with the first), never an error. The caller commits."""
    if user.role != Role.PARENT:
        raise NotAParent
    class_ids, _schools = classes_touching([user.id])  # before the links go
    rows = erase_parent(user.id)
    refresh_classes(class_ids, [c.slug for c in catalogue().for_audience("parent")], now)
    return rows
