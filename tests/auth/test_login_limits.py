"""Password guessing is stopped: sign-ins are limited per account (whatever address they come
from), then failed ones per client address (many accounts from one place)."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from tests import factories
from tests.helpers import post


@pytest.fixture
def limits(app):
    saved = {k: app.config[k] for k in ("LOGIN_RATE_LIMIT_ACCOUNT", "LOGIN_RATE_LIMIT_CLIENT")}
    app.config.update(LOGIN_RATE_LIMIT_ACCOUNT="3 per 15 minutes", LOGIN_RATE_LIMIT_CLIENT="6 per 15 minutes")
    yield
    app.config.update(saved)


def attempt(app, phone, password, address="198.51.100.7", lang="en"):
    client = app.test_client()
    client.set_cookie("pp_lang", lang)
    return post(
        client, "/login", {"phone": phone, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def test_an_account_is_locked_after_a_few_wrong_passwords_from_anywhere(app, world, limits):
    db.session.commit()
    phone = world.users["parent"].phone
    answers = [attempt(app, phone, "wrong-guess-1", address=f"203.0.113.{n}").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    # Even the right password waits now: the guesser cannot tell when they found it.
    assert attempt(app, phone, factories.PASSWORD, address="192.0.2.1").status_code == 429
    # Another parent is not affected.
    assert attempt(app, world.users["parent_other"].phone, factories.PASSWORD).status_code == 302


def test_many_accounts_tried_from_one_address_are_stopped(app, world, limits):
    answers = [attempt(app, f"1390000{n:04d}", "wrong-guess-1").status_code for n in range(7)]
    assert answers == [200] * 6 + [429]
    assert attempt(app, "13900009999", "wrong-guess-1", address="192.0.2.99").status_code == 200


def test_successful_sign_ins_do_not_count_against_the_address(app, world, limits):
    """Eight parents sign in from one carrier address whose allowance is six failures."""
    parents = [factories.make_parent(world.class_a, child=f"孩子{n}") for n in range(8)]
    db.session.commit()
    assert [attempt(app, p.phone, factories.PASSWORD).status_code for p in parents] == [302] * 8


def test_the_wait_is_explained_in_the_readers_language(app, world, limits):
    phone = world.users["parent"].phone
    for _ in range(3):
        attempt(app, phone, "wrong-guess-1")
    english = attempt(app, phone, "wrong-guess-1")
    chinese = attempt(app, phone, "wrong-guess-1", lang="zh_Hans")
    assert english.status_code == chinese.status_code == 429
    assert "Too many tries" in english.get_data(as_text=True)
    assert 'lang="zh-Hans"' in chinese.get_data(as_text=True)
    assert "Too many tries" not in chinese.get_data(as_text=True)


SPELLINGS = [
    "139000\x0200013",  # a control character inside
    "1390000\u200b0013",  # a zero-width space
    "\ufeff13900000013",  # a byte-order mark in front
    "１３９００００００１３",  # full-width digits
    "+86 139-0000-0013",
    "0086 13900000013",
    "（139）0000 0013",  # full-width brackets and spaces
]


def test_no_other_spelling_of_a_locked_phone_gets_another_try(app, world, limits):
    """The limit is keyed on the canonical phone, the value the sign-in looks up: once the
    account is locked, neither a wrong nor the right password gets through under any spelling."""
    parent = world.users["parent"]
    parent.phone = "13900000013"
    db.session.commit()
    for _ in range(3):
        assert attempt(app, parent.phone, "wrong-guess-1").status_code == 200
    for spelling in SPELLINGS:
        assert attempt(app, spelling, "wrong-guess-1").status_code == 429, repr(spelling)
        assert attempt(app, spelling, factories.PASSWORD).status_code == 429, repr(spelling)


def test_every_spelling_of_a_phone_signs_in_to_its_one_account(app, world):
    """The other half of the same promise: each spelling is the same account, not an unknown one."""
    parent = world.users["parent"]
    parent.phone = "13900000013"
    db.session.commit()
    for spelling in SPELLINGS:
        assert attempt(app, spelling, factories.PASSWORD).status_code == 302, repr(spelling)


def test_the_wait_says_how_many_minutes(app, world, limits):
    phone = world.users["parent"].phone
    for _ in range(3):
        attempt(app, phone, "wrong-guess-1")
    refused = attempt(app, phone, "wrong-guess-1")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    said = re.search(r"wait about (\d+) minutes", refused.get_data(as_text=True))
    assert said and 14 <= int(said.group(1)) <= 15
