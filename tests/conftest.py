"""Shared fixtures: one migrated database per test process, emptied after every test.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL points at a PostgreSQL
server. It never touches the database the URL names: each process (each pytest-xdist worker, or
the single process with `-n 0`) creates its own database on that server, `parentpass_test_<worker>`,
marks it as the suite's with a comment, and drops it at the end. A database of that name without
the mark is refused, not dropped. The schema comes from the Alembic migrations (not
`create_all`), so the migrations are tested on every run.
"""

from __future__ import annotations

import os
import threading
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db, limiter
from tests import factories
from tests.databases import PostgresTestDatabase, worker_index
from tests.helpers import empty_database
from tests.world_template import WorldTemplate


class RequestIsolatingClient(FlaskClient):
    """Each test holds an app context for its factories, and Flask reuses it for the client's
    requests. Clearing `g` before each request stops one request's signed-in user or language
    from leaking into the next, as it never could between real requests."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """SQLite in this process's temporary folder, or this process's own PostgreSQL database."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    database = PostgresTestDatabase(server)
    yield database.create()
    database.drop()


def _commit_without_sync(dbapi_connection, _record) -> None:
    """The suite's throwaway SQLite file is not synced to disk at every commit (1.3 ms each,
    thousands of commits), as its PostgreSQL databases commit without waiting for the WAL flush.
    Only durability after a crash differs: what a commit does and what others see is the same."""
    dbapi_connection.execute("PRAGMA synchronous = OFF")


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    app.test_client_class = RequestIsolatingClient
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _commit_without_sync)
            db.engine.dispose()  # connections opened before the listener get it too
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # so that the worker's database can be dropped


@pytest.fixture(autouse=True)
def _clean_database(app, request):
    """Each test gets an app context and leaves an empty database and fresh rate limits behind.
    Tests marked `shared_world` only read a world their module built once (see
    `tests/test_access_matrix.py`): their module's fixture empties the database at its end."""
    with app.app_context():
        yield
        db.session.remove()
        if request.node.get_closest_marker("shared_world") is None:
            empty_database()
        limiter.reset()


@pytest.fixture(scope="session")
def live_server(app):
    """The test app on a free local port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _worker_redis_url(base: str) -> str:
    """A database number per worker, counting down from the one REDIS_URL names (15 by default):
    workers never see each other's rate-limit counters."""
    parts = urlsplit(base)
    path = parts.path.strip("/")
    number = int(path) if path.isdigit() else 15
    return urlunsplit(parts._replace(path=f"/{max(0, number - worker_index())}"))


REDIS_URL = _worker_redis_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


@pytest.fixture
def redis_url():
    if not redis_available():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required here but not reachable at {REDIS_URL}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def make_app(app):
    """Another app over the suite's database, with other settings. Flask-Limiter keeps one storage
    per limiter object, which the new app replaces: the suite's is put back afterwards."""
    saved = (limiter._storage, limiter._limiter)

    def make(**config):
        settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
        return create_app({**settings, **config})

    yield make
    limiter._storage, limiter._limiter = saved


@pytest.fixture
def settings(app):
    """Change some of the app's settings for one test (`settings(PENDING_REQUESTS_MAX=2)`); they
    are put back afterwards."""
    saved: dict = {}

    def change(**values):
        for key, value in values.items():
            saved.setdefault(key, app.config[key])
            app.config[key] = value

    yield change
    app.config.update(saved)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class QueryCounter:
    """SQL statements sent while a `with counter:` block runs (the session-lookup query of a
    signed-in request included: what a page costs is what it costs)."""

    def __init__(self):
        self.statements: list[str] = []
        self._on = False

    def __enter__(self):
        self.statements.clear()
        self._on = True
        return self

    def __exit__(self, *exc):
        self._on = False

    def __len__(self) -> int:
        return len(self.statements)

    def record(self, conn, cursor, statement, parameters, context, executemany):
        if self._on:
            self.statements.append(statement)


@pytest.fixture
def count_queries(app):
    """`with count_queries as q: client.get(...)`, then `len(q)`."""
    from sqlalchemy import event

    counter = QueryCounter()
    event.listen(db.engine, "before_cursor_execute", counter.record)
    yield counter
    event.remove(db.engine, "before_cursor_execute", counter.record)


WORLD = WorldTemplate(factories.build_world)
FULL_WORLD = WorldTemplate(factories.build_full_world)


@pytest.fixture
def world():
    """Real objects of every role: two districts, two schools, two classes in school one. Built
    by the factories, then put back row for row for the next tests (`tests/world_template.py`)."""
    return WORLD.world()


@pytest.fixture
def full_world():
    """The world plus an open quiz attempt and the parent's issued invite code (see factories)."""
    return FULL_WORLD.world()


@pytest.fixture(scope="class")
def shared_world(app):
    """One full world for every test of a class marked `shared_world`: tests that only read it,
    or whose request is refused and changes nothing a later test could see (signing in adds a
    session row per test, which no other test reads). Its objects are loaded, then detached, so
    that each test's own session can read their ids. Class scope: the world is gone (the
    database emptied) before any other test runs."""
    with app.app_context():
        world = factories.build_full_world()
        for obj in list(db.session.identity_map.values()):
            db.session.refresh(obj)
        db.session.expunge_all()
    yield world
    with app.app_context():
        empty_database()


@pytest.fixture
def catalogue(app):
    from app.content.registry import catalogue as get

    return get()
