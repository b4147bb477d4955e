"""Deleting personal data after the retention period (S20), keeping anonymous counts.

Three steps, in the caller's one transaction (the caller commits, or rolls back on any error):

1. Each class graduated before the cutoff and not yet purged: its anonymous counts are stored
   in `archived_counts`; its roster, guardian links, charter acceptances, invite tokens and group
   memberships are deleted; its audit events keep what the school's staff did but no longer name
   a parent; its join code is replaced by a fresh one that was never handed out. The class row
   and its charters (the teacher's text) stay, so reports and the log still add up.
2. Each departed parent (a parent account created before the cutoff with no guardian link left):
   everything about them is deleted, their sign-in sessions included, and the account with it;
   audit events keep no trace of them. Teacher, staff and bureau accounts are never touched.
3. Ended sign-in sessions of every account (expired ones; signing out deletes a row at once).

A parent deleting their own account (app/account/services.py) goes through step 2 at once,
with no cutoff: `erase_parent()` deletes every row of theirs in every class.

`purge(now, days, apply=False)` only counts (the dry run); with `apply=True` it also deletes.
Both count with the same queries, so a dry run announces exactly what the real run deletes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from app.audit.models import AuditEvent
from app.audit.services import Action, record
from app.auth.models import PasswordLink, Role, User, UserSession
from app.auth.sessions import purge_expired
from app.classes.models import (
    Charter,
    GuardianLink,
    SchoolClass,
)
from app.classes.services import new_join_code
from app.extensions import db
from app.invites.models import GroupMembership, InviteToken
from app.retention.scopes import (
    archived_counts,
    class_rows,
    class_scopes,
    count_rows,
    departed_parent_ids,
    parent_rows,
    parent_scopes,
    parents_query,
    purgeable_class_ids,
)

CHUNK = 500  # departed parents handled per round of statements


@dataclass
class ClassPurge:
    """One graduated class: the personal rows deleted (or to delete) and the counts kept."""

    school_class: SchoolClass
    rows: dict[str, int]
    archived: dict[str, int]


@dataclass
class PurgeReport:
    cutoff: datetime
    applied: bool
    classes: list[ClassPurge] = field(default_factory=list)
    parents: int = 0
    parent_rows: dict[str, int] = field(default_factory=dict)
    ended_sessions: int = 0  # sign-ins that have ended, of accounts that stay

    @property
    def totals(self) -> dict[str, int]:
        """Rows by table over every step (plus the audit events unlinked)."""
        total: Counter[str] = Counter()
        for item in self.classes:
            total.update(item.rows)
        total.update(self.parent_rows)
        total[UserSession.__tablename__] += self.ended_sessions
        return {name: n for name, n in total.items() if n}

    @property
    def empty(self) -> bool:
        return not self.classes and not self.parents and not self.ended_sessions


def purge(now: datetime, days: int, *, apply: bool = False) -> PurgeReport:
    """Count (and with `apply`, delete) the personal data older than `days` days."""
    report = PurgeReport(cutoff=now - timedelta(days=days), applied=apply)
    classes = db.session.scalars(
        select(SchoolClass)
        .where(SchoolClass.id.in_(purgeable_class_ids(report.cutoff)))
        .order_by(SchoolClass.id)
    ).all()
    for school_class in classes:
        item = ClassPurge(school_class, class_rows(school_class.id), archived_counts(school_class))
        if apply:
            purge_class(item, now)
        report.classes.append(item)
    # After the class step (or, in a dry run, as if it had run): parents with no other link left.
    parent_ids = list(db.session.scalars(departed_parent_ids(report.cutoff)))
    rows: Counter[str] = Counter()
    for start in range(0, len(parent_ids), CHUNK):
        chunk = parent_ids[start : start + CHUNK]
        rows.update(parent_rows(chunk, report.cutoff))
        if apply:
            delete_parents(chunk, report.cutoff)
    report.parents = len(parent_ids)
    report.parent_rows = dict(rows)
    if apply and parent_ids:
        record(Action.PURGED, None, now, **{name: n for name, n in report.parent_rows.items() if n})
    # Last, so that the departed parents' sessions are counted once, with the parents.
    if apply:
        report.ended_sessions = purge_expired(now)
    else:
        report.ended_sessions = count_rows(
            UserSession,
            UserSession.expires_at <= now,
            UserSession.user_id.not_in(departed_parent_ids(report.cutoff)),
        )
    db.session.flush()
    return report


def purge_class(item: ClassPurge, now: datetime) -> None:
    """Store the counts, delete the class's personal rows, record the purge."""
    school_class = item.school_class
    school_class.archived_counts = item.archived
    for field_ in (AuditEvent.actor_id, AuditEvent.subject_id):
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.class_id == school_class.id, field_.in_(parents_query()))
            .values({field_: None})
            .execution_options(synchronize_session=False)
        )
    for model, scope in class_scopes(school_class.id).items():
        db.session.execute(delete(model).where(scope).execution_options(synchronize_session=False))
    # The old code is on paper notices; it must not open the class (and so add people) again.
    school_class.join_code = new_join_code()
    school_class.purged_at = now
    record(Action.PURGED, None, now, school_class=school_class, **{k: n for k, n in item.rows.items() if n})
    db.session.flush()


# Columns where a parent's id may stand for who did something (a replaced code is revoked by its
# own parent): cleared before the account goes, so no foreign key is left pointing at it.
_DONE_BY = (
    AuditEvent.actor_id,
    AuditEvent.subject_id,
    PasswordLink.created_by_id,
    GuardianLink.decided_by_id,
    InviteToken.used_by_id,
    InviteToken.revoked_by_id,
    GroupMembership.invite_approved_by_id,
    GroupMembership.removed_by_id,
    Charter.created_by_id,
)


def delete_parents(ids: list[int], cutoff: datetime | None = None) -> None:
    """Delete everything about these parents, then the accounts. Runs after the class step, so
    the scopes are the ones `parent_rows` counted. A parent who gains a guardian link meanwhile
    makes the account delete fail, and the caller rolls the whole purge back. Without a cutoff
    (a parent deleting their own account) every row of theirs goes, guardian links included."""
    for column in _DONE_BY:
        db.session.execute(
            update(column.class_)
            .where(column.in_(ids))
            .values({column: None})
            .execution_options(synchronize_session=False)
        )
    for model, scope in parent_scopes(ids, cutoff).items():
        db.session.execute(delete(model).where(scope).execution_options(synchronize_session=False))
    db.session.execute(
        delete(User)
        .where(User.id.in_(ids), User.role == Role.PARENT)
        .execution_options(synchronize_session=False)
    )


def erase_parent(parent_id: int) -> dict[str, int]:
    """Delete one parent now, at their own request: every row about them in every class (guardian
    links, reads, attempts and answers, certificates, charter acceptances, invite codes, group
    memberships, password links, sessions), their id cleared from audit events and from what they
    did, then the account. Returns the rows by table; all zero when the account is already gone
    (a second tap), and nothing fails."""
    ids = [parent_id]
    rows = parent_rows(ids)
    delete_parents(ids)
    return rows
