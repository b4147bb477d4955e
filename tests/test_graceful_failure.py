"""When a part fails: the database unreachable → a clear 503 page in the reader's language, no
stack trace, nothing half-written; the rate-limit storage (Redis) unreachable → pages still read,
while sign-in, registration and code checks are refused (fail closed) with a clear message."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from app.auth.models import User, UserSession
from app.extensions import db
from tests import factories
from tests.helpers import csrf_token, db_snapshot, post, sign_in_as

DEAD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"
DEAD_REDIS = "redis://127.0.0.1:1/0?socket_connect_timeout=1"


def test_an_unreachable_database_gets_a_clear_page_and_no_trace(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=DEAD_DATABASE)
    client = app.test_client()
    client.set_cookie("pp_lang", "zh_Hans")
    response = post(client, "/login", {"phone": "13800138000", "password": "whatever-it-is"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert 'lang="zh-Hans"' in page and "<h1>" in page
    assert "Traceback" not in page and "psycopg" not in page and "OperationalError" not in page
    client.set_cookie("pp_lang", "en")
    english = post(client, "/login", {"phone": "13800138000", "password": "whatever-it-is"})
    assert "ParentPass is briefly unavailable" in english.get_data(as_text=True)


def test_a_failure_while_saving_leaves_nothing_half_written(app, client, world, monkeypatch):
    db.session.commit()
    client.set_cookie("pp_lang", "en")
    token = csrf_token(client, "/register")
    before = db_snapshot()

    def lost_connection():
        raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(db.session, "commit", lost_connection)
    response = client.post(
        "/register",
        data={
            "csrf_token": token,
            "join_code": world.class_a.join_code,
            "real_name": "刘洋",
            "phone": "13912345678",
            "password": "a long walk home",
            "relation": "father",
            "child_name": "刘小雨",
            "wechat_id": "liu_yang_88",
            "privacy_consent": "y",
            "child_consent": "y",
        },
    )
    monkeypatch.undo()
    assert response.status_code == 503
    assert "Nothing was changed" in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_a_restarted_database_costs_a_signed_in_reader_nothing(client, world):
    """PostgreSQL restarted (here: every connection of the site cut by the server): the next
    signed-in pages load as usual, without a 503, though the pool holds only dead connections."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("cuts PostgreSQL's connections")
    sign_in_as(client, world.users["parent"])
    assert client.get("/learn/etiquette/why-rules").status_code == 200
    db.session.remove()
    with create_engine(db.engine.url, poolclass=NullPool).connect() as admin:  # outside the pool
        cut = admin.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    assert cut >= 1
    assert client.get("/learn/etiquette/why-rules").status_code == 200
    assert client.get("/learn").status_code == 200


@pytest.fixture
def redis_down_app(make_app):
    return make_app(RATELIMIT_STORAGE_URI=DEAD_REDIS)


def test_without_the_limit_storage_pages_still_read(redis_down_app, world):
    db.session.commit()
    client = redis_down_app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/login").status_code == 200
    sign_in_as(client, world.users["parent"])
    assert client.get("/learn").status_code == 200
    assert client.get("/learn/etiquette/why-rules").status_code == 200


@pytest.mark.parametrize(
    ("path", "person", "data"),
    [
        ("/login", None, {"phone": "PARENT", "password": factories.PASSWORD}),
        ("/register", None, {"phone": "13912345678"}),
        ("/teacher/verify", "teacher", {"code": "ZZZZ-ZZZZ-ZZ"}),
    ],
)
def test_without_the_limit_storage_guarded_steps_fail_closed(redis_down_app, world, path, person, data):
    db.session.commit()
    client = redis_down_app.test_client()
    client.set_cookie("pp_lang", "en")
    if person:
        sign_in_as(client, world.users[person])
    data = {k: world.users["parent"].phone if v == "PARENT" else v for k, v in data.items()}
    sessions_before = db.session.scalar(select(func.count()).select_from(UserSession))
    users_before = db.session.scalar(select(func.count()).select_from(User))
    response = post(client, path, data)
    assert response.status_code == 503
    assert "This step is paused for a moment" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == sessions_before
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before
