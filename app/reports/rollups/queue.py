"""The deferred roll-up refresh (`ROLLUP_REFRESH=queued`), for a city's evening rush.

Inline (the default), a commit that changes what a class counts refreshes that class's roll-ups
just before it commits (app/reports/rollups/events.py): reports are exact at once, and every quiz
submission waits on a few INSERT … SELECT statements and on its class's row lock. Queued, the
commit only adds one row per class to `rollup_queue`; `flask reports drain`, a small service
beside the app, claims queued rows in batches, refreshes each class once however many commits
queued it, and deletes the rows in the same transaction. Reports then lag by the drain's pause
(a few seconds), and thirty parents of one class answering during a class meeting cost one
refresh instead of thirty.

Several drains may run at once (one per app server): on PostgreSQL each claims its rows with
`FOR UPDATE SKIP LOCKED`, so they share the work instead of waiting on each other. A commit made
while a drain runs adds a new row, which that drain did not claim: the next pass refreshes the
class again, so no change is lost between a drain's reading and its commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import Flask
from sqlalchemy import delete, func, insert, select

from app.extensions import db
from app.reports.models import QueuedRefresh
from app.reports.rollups.refresh import refresh_classes

MODES = ("inline", "queued")
BATCH = 200
queue = QueuedRefresh.__table__


def check_mode(app: Flask) -> None:
    """Refuse to start on a mistyped ROLLUP_REFRESH rather than quietly refresh inline."""
    mode = app.config["ROLLUP_REFRESH"]
    if mode not in MODES:
        raise ValueError(f"ROLLUP_REFRESH must be one of {', '.join(MODES)}, not {mode!r}")


def queue_classes(class_ids: Iterable[int], weekly: bool, now: datetime) -> None:
    """Queue these classes for the drain, in the caller's transaction (one INSERT)."""
    rows = [{"class_id": class_id, "weekly": weekly, "queued_at": now} for class_id in sorted(set(class_ids))]
    if rows:
        db.session.connection().execute(insert(queue), rows)


def drain_batch(required: list[str], now: datetime, batch: int = BATCH) -> tuple[int, int]:
    """Claim up to `batch` queued rows, refresh their classes and delete the rows; the caller
    commits. Returns (rows claimed, classes refreshed); (0, 0) when nothing is left to claim."""
    claimed = select(queue.c.id).order_by(queue.c.id).limit(batch).with_for_update(skip_locked=True)
    rows = db.session.execute(
        delete(queue).where(queue.c.id.in_(claimed)).returning(queue.c.class_id, queue.c.weekly)
    ).all()
    every = {class_id for class_id, _weekly in rows}
    weekly = {class_id for class_id, is_weekly in rows if is_weekly}
    # The first call locks every claimed class (in id order), the second then their schools: the
    # same order as every other refresh, so two drains sharing a class never wait in a circle.
    refresh_classes(every, required, now, weekly=False)
    refresh_classes(weekly, required, now, weekly=True)
    return len(rows), len(every)


def drain(required: list[str], now: datetime, batch: int = BATCH) -> tuple[int, int]:
    """Drain batch after batch, committing each, until nothing is left to claim."""
    rows = classes = 0
    while True:
        claimed, refreshed = drain_batch(required, now, batch)
        db.session.commit()
        if not claimed:
            return rows, classes
        rows, classes = rows + claimed, classes + refreshed


def waiting() -> int:
    """Rows still queued (for the drain's log and the tests)."""
    return db.session.scalar(select(func.count()).select_from(queue)) or 0
