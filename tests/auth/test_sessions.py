"""Sessions: rotated at sign-in, ended by sign-out, by "sign out everywhere" and by a new
password, capped at 30 days for parents and 12 hours for everyone else; a copied cookie stops
working as soon as its session ends."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import select, update

from app.auth.models import UserSession
from app.auth.sessions import purge_expired
from app.extensions import db
from app.timeutil import utcnow
from tests import factories
from tests.helpers import post


def sign_in(client, user, password=factories.PASSWORD):
    response = post(client, "/login", {"phone": user.phone, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return response


def signed_in(client) -> bool:
    return client.get("/learn").status_code == 200


def copy_cookies(source, target) -> None:
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain)


@pytest.fixture
def parent(world):
    db.session.commit()
    return world.users["parent"]


def test_signing_in_gives_a_new_session_so_a_planted_one_is_useless(app, client, parent):
    client.get("/login")
    attacker = app.test_client()
    copy_cookies(client, attacker)  # the attacker planted this cookie before the victim signed in
    sign_in(client, parent)
    assert signed_in(client)
    assert not signed_in(attacker)


def test_a_copied_cookie_stops_working_after_sign_out(app, client, parent):
    sign_in(client, parent)
    thief = app.test_client()
    copy_cookies(client, thief)
    assert signed_in(thief)
    post(client, "/logout")
    assert not signed_in(client)
    assert not signed_in(thief)
    assert db.session.scalars(select(UserSession)).all() == []


def test_signing_out_on_one_phone_keeps_the_other_signed_in(app, client, parent):
    other = app.test_client()
    sign_in(client, parent)
    sign_in(other, parent)
    post(client, "/logout")
    assert signed_in(other)


def test_sign_out_everywhere_ends_every_session_of_the_account(app, client, parent, world):
    other, teacher = app.test_client(), app.test_client()
    sign_in(client, parent)
    sign_in(other, parent)
    sign_in(teacher, world.users["teacher"])
    response = post(client, "/logout/everywhere")
    assert response.headers["Location"].endswith("/login")
    assert not signed_in(client) and not signed_in(other)
    assert teacher.get("/home").status_code == 200  # someone else's session is untouched


def test_a_new_password_signs_out_every_other_device(app, client, parent):
    other = app.test_client()
    sign_in(client, parent)
    sign_in(other, parent)
    new = "green tea at seven"
    response = post(
        client, "/account/password", {"current": factories.PASSWORD, "password": new, "repeat": new}
    )
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(other)
    post(client, "/logout")
    sign_in(client, parent, new)


def test_a_wrong_current_password_changes_nothing(client, parent):
    from tests.helpers import db_snapshot

    sign_in(client, parent)
    client.set_cookie("pp_lang", "en")
    before = db_snapshot()
    page = post(
        client,
        "/account/password",
        {"current": "not-it-at-all", "password": "green tea", "repeat": "green tea"},
    ).get_data(as_text=True)
    assert "This is not your current password." in page
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("person", "hours"), [("parent", 30 * 24), ("teacher", 12), ("staff", 12), ("bureau", 12)]
)
def test_how_long_a_sign_in_lasts(client, world, person, hours):
    db.session.commit()
    before = utcnow()
    sign_in(client, world.users[person])
    row = db.session.scalars(select(UserSession)).one()
    assert timedelta(hours=hours) <= row.expires_at - before <= timedelta(hours=hours, minutes=1)


def test_an_expired_session_is_signed_out_and_purged(client, parent):
    sign_in(client, parent)
    db.session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert not signed_in(client)
    assert purge_expired(utcnow()) == 1


def test_switching_an_account_off_ends_its_sessions(client, parent):
    sign_in(client, parent)
    parent.active = False
    db.session.commit()
    assert not signed_in(client)


def test_the_database_keeps_only_a_keyed_hash_of_the_session_token(client, parent):
    sign_in(client, parent)
    with client.session_transaction() as session:
        token = session["_user_id"]
    row = db.session.scalars(select(UserSession)).one()
    assert len(token) >= 43  # 32 random bytes
    assert token not in row.token_hash and row.token_hash != token


def test_the_session_cookie_is_httponly_lax_and_lasts_30_days(client, parent):
    response = sign_in(client, parent)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("pp_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie


def cookie_expiry(response) -> datetime:
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("pp_session="))
    expires = re.search(r"Expires=([^;]+)", cookie).group(1)
    return parsedate_to_datetime(expires)


@pytest.mark.parametrize(
    ("person", "hours"), [("parent", 30 * 24), ("teacher", 12), ("staff", 12), ("bureau", 12)]
)
def test_the_cookie_ends_when_the_sign_in_does(client, world, person, hours):
    """A teacher's cookie on a shared school computer must not claim a month: it expires with
    the 12-hour session behind it, even when a later page (a flashed message) sends it again."""
    db.session.commit()
    before = utcnow().replace(microsecond=0)
    first = sign_in(client, world.users[person])
    row = db.session.scalars(select(UserSession)).one()
    assert before + timedelta(hours=hours) - timedelta(seconds=1) <= cookie_expiry(first)
    assert cookie_expiry(first) <= row.expires_at
    resent = client.get("/account/password")  # its form puts a new CSRF token in the session
    assert cookie_expiry(resent) <= row.expires_at
