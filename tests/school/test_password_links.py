"""The set-password page: a one-time link that ends when used, when replaced, or when it expires."""

from datetime import timedelta

import pytest

from app.auth.links import issue_password_link
from app.auth.models import LinkPurpose
from app.extensions import db
from app.timeutil import utcnow
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as

NEW_PASSWORD = "a-fresh-password"


@pytest.fixture
def teacher(client, world):
    client.set_cookie("pp_lang", "en")
    return world.users["teacher"]


def new_link(teacher, staff, purpose=LinkPurpose.RESET) -> str:
    secret = issue_password_link(teacher, purpose, staff, utcnow())
    db.session.commit()
    return secret


def choose(client, secret, password=NEW_PASSWORD, repeat=None):
    data = {"password": password, "repeat": password if repeat is None else repeat}
    return post(client, f"/password/{secret}", data)


def signs_in(app, phone, password) -> bool:
    response = post(app.test_client(), "/login", {"phone": phone, "password": password})
    return response.status_code == 302


def test_link_works_once(app, client, world, teacher):
    secret = new_link(teacher, world.users["staff"])
    assert choose(client, secret).status_code == 302
    again = choose(client, secret, "yet-another-password")
    assert again.status_code == 404
    assert "This link has expired or was already used. Ask for a new one." in again.get_data(as_text=True)
    assert signs_in(app, teacher.phone, NEW_PASSWORD)
    assert not signs_in(app, teacher.phone, "yet-another-password")


def test_link_expires_after_the_configured_hours(app, client, world, teacher, monkeypatch):
    secret = new_link(teacher, world.users["staff"])
    later = utcnow() + timedelta(hours=app.config["PASSWORD_LINK_HOURS"], minutes=1)
    monkeypatch.setattr("app.auth.views.utcnow", lambda: later)
    assert client.get(f"/password/{secret}").status_code == 404
    before = db_snapshot()
    assert choose(client, secret).status_code == 404
    assert db_snapshot() == before


def test_a_second_link_ends_the_first(client, world, teacher):
    first = new_link(teacher, world.users["staff"])
    second = new_link(teacher, world.users["staff"])
    assert client.get(f"/password/{first}").status_code == 404
    assert client.get(f"/password/{second}").status_code == 200


def test_switching_off_ends_an_open_link(client, world, teacher):
    secret = new_link(teacher, world.users["staff"], LinkPurpose.WELCOME)
    sign_in_as(client, world.users["staff"])
    post(client, f"/school/teachers/{teacher.id}/deactivate")
    post(client, f"/school/teachers/{teacher.id}/reactivate")
    assert client.get(f"/password/{secret}").status_code == 404


def test_unknown_link_is_a_clear_page_that_is_not_cached(client):
    client.set_cookie("pp_lang", "en")
    page = client.get("/password/not-a-real-secret")
    assert page.status_code == 404
    assert "This link has expired or was already used" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_form_page_is_not_cached(client, world, teacher):
    page = client.get(f"/password/{new_link(teacher, world.users['staff'])}")
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert teacher.phone not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "repeat", "message"),
    [
        ("a-fresh-password", "a-fresh-passw0rd", "The two passwords are not the same."),
        ("short", "short", "The password needs at least 8 characters."),
        ("", "", "Please choose a password."),
    ],
)
def test_bad_passwords_are_refused_and_the_link_still_works(
    client, world, teacher, password, repeat, message
):
    secret = new_link(teacher, world.users["staff"])
    before = db_snapshot()
    page = choose(client, secret, password, repeat)
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert db_snapshot() == before
    assert choose(client, secret).status_code == 302


def test_setting_a_password_signs_out_whoever_was_signed_in(client, world, teacher):
    secret = new_link(teacher, world.users["staff"])
    sign_in_as(client, world.users["parent"])
    choose(client, secret)
    assert client.get("/learn").status_code == 302


def test_a_parent_reset_link_works_the_same(app, client, world):
    parent = world.users["parent"]
    secret = new_link(parent, world.users["teacher"])
    assert choose(client, secret).status_code == 302
    assert signs_in(app, parent.phone, NEW_PASSWORD)
    assert not signs_in(app, parent.phone, factories.PASSWORD)
