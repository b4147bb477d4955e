"""Shared fixtures: one migrated database per run, emptied after every test.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL points at it. The schema
comes from the Alembic migrations (not `create_all`), so the migrations are tested on every run.
"""

from __future__ import annotations

import os
import re
import threading

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import MetaData, inspect, select
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db, limiter
from tests import factories

CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _drop_everything() -> None:
    """Start a PostgreSQL run from an empty schema, whatever an earlier run left."""
    existing = MetaData()
    existing.reflect(db.engine)
    existing.drop_all(db.engine)


class RequestIsolatingClient(FlaskClient):
    """Each test holds an app context for its factories, and Flask reuses it for the client's
    requests. Clearing `g` before each request stops one request's signed-in user or language
    from leaking into the next, as it never could between real requests."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory)})
    app.test_client_class = RequestIsolatingClient
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            _drop_everything()
        upgrade()
    return app


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Each test gets an app context and leaves an empty database and fresh rate limits behind."""
    with app.app_context():
        yield
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name != "alembic_version"]
        with db.engine.begin() as conn:
            # DELETE, child tables first: on the few rows a test leaves it is much faster than
            # TRUNCATE, whose fixed cost per table dominates a PostgreSQL run.
            for table in tables:
                conn.execute(table.delete())
        limiter.reset()


@pytest.fixture(scope="session")
def live_server(app):
    """The test app on a free local port, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


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


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token of this client's session, read from a page as a browser would."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_INPUT.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST with the session's CSRF token, like the site's own forms."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def sign_in_as(client, user) -> None:
    """Sign `user` in without the password round trip (fast, for access tests): a real session
    row, its token in the client's cookie."""
    from app.auth.sessions import start_session
    from app.timeutil import utcnow

    token = start_session(user, utcnow())
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True


def db_snapshot() -> dict[str, list[tuple]]:
    """Every row of every table: compare before and after to prove that nothing changed."""
    db.session.expire_all()
    snapshot = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        snapshot[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return snapshot


@pytest.fixture
def world():
    """Real objects of every role: two districts, two schools, two classes in school one."""
    return factories.build_world()


@pytest.fixture
def catalogue(app):
    from app.content.registry import catalogue as get

    return get()


def table_names() -> list[str]:
    return inspect(db.engine).get_table_names()
