"""A token admits exactly one person once, even when eight admissions race.

Eight threads, each with its own app context (so its own session and database connection), wait
at a barrier and then admit the same token. The real `admit` is one conditional UPDATE with a
row-count check: exactly one wins, on SQLite and on PostgreSQL alike. The same harness pointed at
a naive check-then-update lets several win, which proves the harness can catch a double admission.
"""

import threading
import time

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db
from app.invites.models import InviteToken, TokenState
from app.invites.services import admit, issue_invite
from app.timeutil import utcnow
from tests import factories

THREADS = 8


def naive_admit(teacher: User, token_id: int, now) -> InviteToken | None:
    """Read, check, then write: the race this product must not have."""
    token = db.session.get(InviteToken, token_id)
    if token.state(now) != TokenState.ISSUED:
        return None
    time.sleep(0.05)  # the time a real request spends between its check and its write
    token.used_at = now
    token.used_by_id = teacher.id
    return token


def race(app, admit_function, teacher_id: int, token_id: int) -> list[bool]:
    barrier = threading.Barrier(THREADS)
    results: list[bool] = []
    lock = threading.Lock()

    def worker():
        with app.app_context():
            teacher = db.session.get(User, teacher_id)
            barrier.wait()
            try:
                won = admit_function(teacher, token_id, utcnow()) is not None
                db.session.commit()
            except Exception:
                db.session.rollback()
                won = False
            finally:
                db.session.remove()
            with lock:
                results.append(won)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def issued_token(world) -> int:
    parent = factories.make_eligible(world.users["parent"], world.class_a)
    token, _ = issue_invite(parent, world.class_a, utcnow())
    db.session.commit()
    return token.id


def test_eight_simultaneous_admissions_admit_once(app, world):
    token_id = issued_token(world)
    results = race(app, admit, world.users["teacher"].id, token_id)
    assert len(results) == THREADS
    assert results.count(True) == 1
    db.session.expire_all()
    assert db.session.get(InviteToken, token_id).used_at is not None
    admissions = select(func.count()).where(AuditEvent.action == "admitted")
    assert db.session.scalar(admissions) == 1


def test_the_harness_catches_a_naive_check_then_update(app, world):
    token_id = issued_token(world)
    results = race(app, naive_admit, world.users["teacher"].id, token_id)
    assert len(results) == THREADS
    assert results.count(True) > 1  # the naive version admits the same code more than once
