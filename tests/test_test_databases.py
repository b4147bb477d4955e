"""The suite's own databases on PostgreSQL: made per worker, marked, dropped, and a database it did
not make is never dropped (a newcomer who points DATABASE_URL at real data keeps it)."""

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.databases import OWNED_MARK, PostgresTestDatabase, worker_name

SERVER = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not SERVER.startswith("postgresql"), reason="PostgreSQL only")


@pytest.fixture
def admin():
    engine = create_engine(make_url(SERVER).set(database="postgres"), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def _names(admin) -> set[str]:
    with admin.connect() as conn:
        return set(conn.scalars(text("SELECT datname FROM pg_database")))


def test_this_worker_runs_in_its_own_marked_database(app, admin):
    from app.extensions import db

    assert db.engine.url.database == f"parentpass_test_{worker_name()}"
    assert db.engine.url.database != make_url(SERVER).database
    with admin.connect() as conn:
        mark = conn.scalar(
            text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"),
            {"n": db.engine.url.database},
        )
    assert mark == OWNED_MARK


def test_a_database_the_suite_did_not_make_is_refused_not_dropped(admin):
    probe = PostgresTestDatabase(SERVER, worker=f"probe_{worker_name()}")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{probe.name}"'))
    try:
        with pytest.raises(pytest.UsageError, match="was not made by the test suite"):
            probe.create()
        probe.drop()  # not ours: left alone
        assert probe.name in _names(admin)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{probe.name}"'))


def test_a_database_the_suite_made_is_dropped_at_the_end(admin):
    probe = PostgresTestDatabase(SERVER, worker=f"made_{worker_name()}")
    probe.create()
    assert probe.name in _names(admin)
    probe.drop()
    assert probe.name not in _names(admin)
