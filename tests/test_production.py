"""Production refuses development secrets and per-process rate limits, and turns on HTTPS-only
cookies under the `__Host-` prefix and HSTS; behind one proxy the client address cannot be forged."""

from __future__ import annotations

import pytest

from app.web.production import UnsafeProductionConfig
from tests import factories
from tests.helpers import CSRF_INPUT, post

GOOD = {
    "TESTING": True,
    "PRODUCTION": True,
    "SECRET_KEY": "s" * 40,
    "TOKEN_KEYS": {"k1": "t" * 40},
    "TOKEN_KEY_ID": "k1",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
}


@pytest.fixture
def production_app(make_app):
    return lambda **changes: make_app(**{**GOOD, **changes})


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"SECRET_KEY": "dev-only-secret-change-me"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"TOKEN_KEYS": {"dev1": "dev-only-token-key-change-me"}}, "TOKEN_KEYS"),
        ({"TOKEN_KEYS": {"k1": "s" * 40}}, "must not reuse SECRET_KEY"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI"),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_setting(production_app, changes, named):
    with pytest.raises(UnsafeProductionConfig, match=named):
        production_app(**changes)


def test_development_starts_with_its_defaults(app):
    assert app.config["SESSION_COOKIE_NAME"] == "pp_session"
    assert not app.config["SESSION_COOKIE_SECURE"]


def test_production_cookies_are_host_bound_and_https_only(production_app, world):
    from app.extensions import db

    db.session.commit()
    client = production_app().test_client()
    https = "https://localhost"  # a Secure cookie only travels over HTTPS
    token = CSRF_INPUT.search(client.get("/login", base_url=https).get_data(as_text=True))
    form = {
        "phone": world.users["parent"].phone,
        "password": factories.PASSWORD,
        "csrf_token": token.group(1) or token.group(2),
    }
    response = client.post("/login", data=form, base_url=https)
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("__Host-pp_session="))
    assert "Secure" in cookie and "Path=/" in cookie and "HttpOnly" in cookie
    assert "Domain=" not in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_hsts_in_development(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def _address_seen(application, forwarded: str | None, caplog) -> str:
    client = application.test_client()
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    caplog.clear()
    with caplog.at_level("INFO", logger="parentpass.security"):
        client.get("/login", headers=headers)
        post(client, "/login", {"phone": "13800000000", "password": "x" * 9}, headers=headers)
    line = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("login.failed"))
    return line.rsplit("ip=", 1)[1]


def test_behind_one_proxy_the_address_is_the_one_the_proxy_saw(make_app, caplog):
    proxied = make_app(TRUSTED_PROXIES=1)
    assert _address_seen(proxied, "6.6.6.6, 203.0.113.5", caplog) == "203.0.113.5"  # 6.6.6.6 was forged


def test_without_a_proxy_a_forwarded_header_is_ignored(app, caplog):
    assert _address_seen(app, "6.6.6.6", caplog) == "127.0.0.1"
