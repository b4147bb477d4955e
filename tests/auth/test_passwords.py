"""A new password: at least 8 characters, not one attackers try first, not the person's own
mobile number; no rules about digits or symbols. Old hashes are upgraded at sign-in."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.auth.models import User
from app.auth.passwords import too_easy
from app.extensions import db
from app.security import needs_rehash
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as


@pytest.mark.parametrize(
    "password",
    [
        "password1",
        "Password1",
        "  12345678 ",
        "5201314520",
        "woaini1314",
        "qq123456",
        "88888888",
        "12121212",
        "abcabcab",
        "87654321",
        "abcdefgh",
        "qwertyuiop",
        "1qaz2wsx",
        "asdfghjk",
        "19800101",
        "20150630",
    ],
)
def test_passwords_attackers_try_first_are_refused(password):
    assert too_easy(password)


@pytest.mark.parametrize(
    "password",
    ["green tea at seven", "外婆的小院子里", "my grandson likes trains", "Lantern-Harbor-42", "19800132x"],
)
def test_ordinary_memorable_passwords_pass(password):
    assert not too_easy(password)


def test_the_persons_own_phone_number_is_refused():
    assert too_easy("13912345678", phone="13912345678")
    assert too_easy("my13912345678", phone="13912345678")
    assert too_easy("12345678a", phone="13912345678")  # the last 8 digits (also a straight run)
    assert not too_easy("13912345678", phone="13800000000")  # someone else's number is no pattern


def test_registration_refuses_an_easy_password_with_a_clear_message(client, world):
    db.session.commit()
    client.set_cookie("pp_lang", "en")
    before = db_snapshot()
    page = post(
        client,
        "/register",
        {
            "join_code": world.class_a.join_code,
            "real_name": "刘洋",
            "phone": "13912345678",
            "password": "13912345678",
            "relation": "father",
            "child_name": "刘小雨",
            "wechat_id": "liu_yang_88",
            "privacy_consent": "y",
            "child_consent": "y",
        },
    ).get_data(as_text=True)
    assert "one of the first that people who break into accounts try" in page
    assert 'id="password-error"' in page
    assert db_snapshot() == before


def test_changing_to_an_easy_password_is_refused(client, world):
    parent = world.users["parent"]
    sign_in_as(client, parent)
    client.set_cookie("pp_lang", "zh_Hans")
    before = db_snapshot()
    response = post(
        client,
        "/account/password",
        {"current": factories.PASSWORD, "password": "woaini1314", "repeat": "woaini1314"},
    )
    assert response.status_code == 200
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_a_hash_made_with_older_settings_is_upgraded_at_sign_in(client, world):
    parent = world.users["parent"]
    parent.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(
        factories.PASSWORD
    )
    db.session.commit()
    assert needs_rehash(parent.password_hash)
    response = post(client, "/login", {"phone": parent.phone, "password": factories.PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.scalar(select(User.password_hash).where(User.id == parent.id))
    assert not needs_rehash(stored) and "m=19456,t=2,p=1" in stored
    post(client, "/logout")
    assert post(client, "/login", {"phone": parent.phone, "password": factories.PASSWORD}).status_code == 302


def test_the_password_field_welcomes_pasting(client):
    page = client.get("/login").get_data(as_text=True)
    assert "onpaste" not in page and 'autocomplete="current-password"' in page
