"""`flask purge` also deletes ended sign-in sessions, and a departed parent's sessions with them."""

from datetime import timedelta

from sqlalchemy import func, select, text

from app.auth.models import UserSession
from app.extensions import db
from app.retention.purge import purge
from tests.helpers import db_snapshot
from tests.retention.test_purge import NOW, run, scene  # noqa: F401  (fixture)


def add_session(user, *, created_days_ago: int, lasts_days: int) -> None:
    created = NOW - timedelta(days=created_days_ago)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=f"{user.id:032d}{created_days_ago:032d}",
            key_id="t1",
            created_at=created,
            expires_at=created + timedelta(days=lasts_days),
        )
    )


def sessions_of(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id)
    )


def test_ended_sessions_are_deleted_and_live_ones_kept(runner, scene):  # noqa: F811
    add_session(scene.active_parent, created_days_ago=40, lasts_days=30)  # ended 10 days ago
    add_session(scene.active_parent, created_days_ago=1, lasts_days=30)  # live
    add_session(scene.teacher, created_days_ago=2, lasts_days=1)  # ended yesterday
    db.session.commit()
    active_parent, teacher = scene.active_parent.id, scene.teacher.id
    dry = run(runner)
    assert "ended sign-in sessions: 2" in dry.output
    result = run(runner, "--yes")
    assert "ended sign-in sessions: 2" in result.output
    assert sessions_of(active_parent) == 1 and sessions_of(teacher) == 0


def test_a_departed_parent_still_signed_in_is_deleted_with_their_sessions(runner, scene):  # noqa: F811
    add_session(scene.departed, created_days_ago=1, lasts_days=30)  # live
    add_session(scene.departed, created_days_ago=90, lasts_days=30)  # ended
    db.session.commit()
    departed = scene.departed.id
    result = run(runner, "--yes")
    assert "user_sessions 2" in result.output
    assert sessions_of(departed) == 0
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA foreign_key_check")).fetchall() == []


def test_the_dry_run_counts_the_sessions_the_real_run_deletes(scene):  # noqa: F811
    add_session(scene.departed, created_days_ago=90, lasts_days=30)
    add_session(scene.active_parent, created_days_ago=90, lasts_days=30)
    db.session.commit()
    planned = purge(NOW, 180)
    db.session.rollback()
    done = purge(NOW, 180, apply=True)
    assert planned.totals == done.totals
    assert planned.ended_sessions == done.ended_sessions == 1  # the departed parent's goes with them
    assert done.parent_rows["user_sessions"] == 1


def test_with_only_live_sessions_a_second_run_deletes_nothing(runner, scene):  # noqa: F811
    add_session(scene.active_parent, created_days_ago=1, lasts_days=30)
    db.session.commit()
    run(runner, "--yes")
    after_first = db_snapshot()
    again = run(runner, "--yes")
    assert "nothing to purge" in again.output
    assert db_snapshot() == after_first
