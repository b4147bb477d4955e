"""A signed-in session cannot guess the account's current password: each check (changing the
password, deleting the account) spends one of a few tries per account."""

from __future__ import annotations

import logging

import pytest

from app.extensions import db
from app.security import verify_password
from tests import factories
from tests.helpers import post, sign_in_as


@pytest.fixture
def five_tries(settings):
    settings(PASSWORD_CHECK_RATE_LIMIT="5 per 15 minutes")


def change(client, current: str, new: str = "a new long passphrase"):
    return post(
        client,
        "/account/password",
        {"current": current, "password": new, "repeat": new},
        headers={"Accept-Language": "en"},
    )


def test_wrong_current_passwords_are_stopped_after_five(app, client, world, five_tries):
    parent = world.users["parent"]
    sign_in_as(client, parent)
    answers = [change(client, f"guess-number-{n}").status_code for n in range(6)]
    assert answers == [200] * 5 + [429]
    # The right password waits too, and the password is unchanged.
    refused = change(client, factories.PASSWORD)
    assert refused.status_code == 429
    assert "minute" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert verify_password(db.session.get(type(parent), parent.id).password_hash, factories.PASSWORD)


def test_the_tries_belong_to_the_account_not_the_device(app, world, five_tries):
    """Signing in again on another phone does not bring fresh tries."""
    parent = world.users["parent"]
    first, second = app.test_client(), app.test_client()
    sign_in_as(first, parent)
    sign_in_as(second, parent)
    for n in range(5):
        change(first, f"guess-number-{n}")
    assert change(second, "guess-number-9").status_code == 429
    other = app.test_client()
    sign_in_as(other, world.users["parent_other"])
    assert change(other, "guess-number-1").status_code == 200


def test_deleting_the_account_shares_the_same_tries(app, client, world, five_tries):
    parent = world.users["parent"]
    sign_in_as(client, parent)
    for n in range(5):
        change(client, f"guess-number-{n}")
    refused = post(client, "/account/delete", {"password": factories.PASSWORD})
    assert refused.status_code == 429
    assert db.session.get(type(parent), parent.id) is not None


def test_a_new_password_that_is_refused_spends_no_try(app, client, world, five_tries):
    """Only checks of the current password count: a grandparent whose new password is too easy
    six times over is not locked out."""
    sign_in_as(client, world.users["parent"])
    for _ in range(6):
        assert change(client, factories.PASSWORD, new="12345678").status_code == 200
    assert change(client, factories.PASSWORD).status_code == 302


def test_a_wrong_current_password_is_in_the_security_log(app, client, world, caplog):
    parent = world.users["parent"]
    sign_in_as(client, parent)
    with caplog.at_level(logging.INFO, logger="parentpass.security"):
        change(client, "guess-number-1")
    assert any(
        "password.check_failed" in r.getMessage() and f"user={parent.id}" in r.getMessage()
        for r in caplog.records
    )
