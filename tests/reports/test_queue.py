"""ROLLUP_REFRESH=queued: a commit queues the classes it changed and `flask reports drain`
refreshes them. A parent's quiz reaches the school's figures when the drain has run, not before;
after it the figures are those a full refresh gives. On PostgreSQL, two drains share the queue
without waiting on each other, and a parent's commit never waits on a drain."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from app.content.registry import catalogue
from app.extensions import db
from app.reports.models import ClassRollup, CourseRollup, QuestionRollup, WeeklyRollup
from app.reports.rollups import queue
from app.reports.rollups.refresh import refresh_classes
from app.timeutil import utcnow
from tests import factories
from tests.helpers import sign_in_as
from tests.journey_helpers import read_course, take_quiz


@pytest.fixture
def queued(app, monkeypatch):
    monkeypatch.setitem(app.config, "ROLLUP_REFRESH", "queued")


@pytest.fixture
def school_class(queued, runner):
    """A class with one approved parent, its roll-ups drained once (a clean start)."""
    school = factories.make_school(factories.make_bureau())
    school_class = factories.make_class(school)
    parent = factories.make_parent(school_class, "学生一")
    db.session.commit()
    assert runner.invoke(args=["reports", "drain"]).exit_code == 0
    return SimpleNamespace(id=school_class.id, school=school, parent=parent)


def required() -> list[str]:
    return [c.slug for c in catalogue().for_audience("parent")]


def passed(class_id: int, course: str) -> int:
    db.session.expire_all()
    row = db.session.get(CourseRollup, (class_id, course))
    return row.passed if row else 0


def rollup_rows() -> dict[str, list[tuple]]:
    db.session.expire_all()
    tables = (ClassRollup, CourseRollup, WeeklyRollup)
    return {
        model.__tablename__: sorted(
            tuple(v for k, v in vars(row).items() if k != "refreshed_at" and not k.startswith("_"))
            for row in db.session.scalars(select(model))
        )
        for model in tables
    }


def test_a_passed_quiz_reaches_the_report_when_the_drain_has_run(client, runner, school_class):
    parent = school_class.parent
    sign_in_as(client, parent)
    course = catalogue().for_audience("parent")[0]
    read_course(client, course)
    response, _attempt = take_quiz(client, course, right=True)
    assert response.status_code == 302
    assert passed(school_class.id, course.slug) == 0  # not yet: the class waits in the queue
    assert queue.waiting() >= 1
    # The hardest-questions counts are added at once: they are a sum, not a refresh.
    assert db.session.scalar(select(db.func.sum(QuestionRollup.answered))) > 0

    result = runner.invoke(args=["reports", "drain"])
    assert result.exit_code == 0, result.output
    assert "1 classes refreshed" in result.output
    assert passed(school_class.id, course.slug) == 1
    assert queue.waiting() == 0

    drained = rollup_rows()
    refresh_classes(None, required(), utcnow())
    db.session.commit()
    assert rollup_rows() == drained


def test_a_certificate_reaches_the_weekly_trend_through_the_queue(runner, school_class):
    parent = school_class.parent
    factories.certify(parent)
    db.session.commit()
    certified = select(db.func.sum(WeeklyRollup.certified)).where(WeeklyRollup.class_id == school_class.id)
    assert not db.session.scalar(certified)
    assert runner.invoke(args=["reports", "drain"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(certified) == 1


def test_inline_refresh_queues_nothing(client, world):
    sign_in_as(client, world.users["parent"])
    course = catalogue().for_audience("parent")[0]
    read_course(client, course)
    assert queue.waiting() == 0


def test_a_mistyped_mode_refuses_to_start(make_app):
    with pytest.raises(ValueError, match="ROLLUP_REFRESH must be one of inline, queued"):
        make_app(ROLLUP_REFRESH="later")


@pytest.fixture
def other_connection():
    """A second PostgreSQL connection outside the app's pool: another drain, elsewhere."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks across connections are PostgreSQL's")
    engine = create_engine(db.engine.url, poolclass=NullPool)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def no_waiting() -> None:
    """Fail at once instead of hanging if this transaction would wait on another's row lock."""
    db.session.execute(text("SET LOCAL lock_timeout = '2s'"))


def test_two_drains_share_the_queue_without_waiting(school_class, other_connection):
    second = factories.make_class(school_class.school, name="三年级9班")
    db.session.commit()
    queue.drain(required(), utcnow())
    queue.queue_classes([school_class.id], False, utcnow())
    queue.queue_classes([second.id], False, utcnow())
    db.session.commit()
    with other_connection.begin():
        held = other_connection.execute(
            text("SELECT class_id FROM rollup_queue ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
        ).scalar_one()
        no_waiting()
        assert queue.drain_batch(required(), utcnow()) == (1, 1)  # the other row, not the held one
        db.session.commit()
        assert held == school_class.id
    assert queue.drain(required(), utcnow()) == (1, 1)  # released: now it is drained
    assert queue.waiting() == 0


def test_a_change_made_during_a_drain_is_kept_for_the_next(school_class, other_connection):
    queue.queue_classes([school_class.id], False, utcnow())
    db.session.commit()
    with other_connection.begin():  # a drain has claimed the class's row and is still refreshing
        other_connection.execute(text("DELETE FROM rollup_queue RETURNING class_id")).all()
        no_waiting()
        factories.certify(school_class.parent)
        db.session.commit()  # the certificate's commit queues the class again, without waiting
    assert queue.waiting() == 1
    assert queue.drain(required(), utcnow()) == (1, 1)
    certified = select(db.func.sum(WeeklyRollup.certified)).where(WeeklyRollup.class_id == school_class.id)
    assert db.session.scalar(certified) == 1
