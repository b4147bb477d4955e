"""/healthz tells the load balancer whether this process reaches the database and Redis."""

from __future__ import annotations

DEAD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"
DEAD_REDIS = "redis://127.0.0.1:1/0?socket_connect_timeout=1"


def test_healthy_with_the_suites_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "in-process"}
    assert response.headers["Cache-Control"] == "no-store"


def test_unhealthy_without_the_database(make_app):
    response = make_app(SQLALCHEMY_DATABASE_URI=DEAD_DATABASE).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_unhealthy_without_redis(make_app):
    response = make_app(RATELIMIT_STORAGE_URI=DEAD_REDIS).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "ok", "redis": "unreachable"}


def test_healthy_with_redis(make_app, redis_url):
    response = make_app(RATELIMIT_STORAGE_URI=redis_url).test_client().get("/healthz")
    assert response.status_code == 200 and response.json["redis"] == "ok"
