"""Signing in and out."""

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from app.extensions import db
from tests import factories
from tests.helpers import post


@pytest.fixture
def parent(client):
    school = factories.make_school(factories.make_bureau())
    parent = factories.make_parent(factories.make_class(school), phone="13811112222")
    db.session.commit()
    client.set_cookie("pp_lang", "en")
    return parent


def login(client, phone, password, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return post(client, url, {"phone": phone, "password": password})


def test_right_password_signs_in(client, parent):
    response = login(client, "13811112222", factories.PASSWORD)
    assert response.status_code == 302
    assert client.get("/learn").status_code == 200


def test_unknown_phone_and_wrong_password_get_the_same_answer(client, parent):
    wrong = login(client, "13811112222", "not-the-password").get_data(as_text=True)
    unknown = login(client, "13899998888", "not-the-password").get_data(as_text=True)
    assert "The mobile number or password is not right" in wrong

    def strip(page: str) -> str:
        """Without the typed number and the CSRF tokens (their signature carries the second)."""
        page = page.replace("13811112222", "").replace("13899998888", "")
        return re.sub(r'name="csrf_token"( type="hidden")? value="[^"]+"', "", page)

    assert strip(wrong) == strip(unknown)


def test_next_redirect_stays_on_this_site(client, parent):
    assert (
        login(client, "13811112222", factories.PASSWORD, "/certificate").headers["Location"] == "/certificate"
    )


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_redirect_to_another_site_is_ignored(client, parent, target):
    location = login(client, "13811112222", factories.PASSWORD, target).headers["Location"]
    assert location == "/home"


def test_session_cookie_is_httponly_and_samesite_lax(client, parent):
    response = login(client, "13811112222", factories.PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("pp_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_cookie_lasts_as_long_as_the_sign_in_and_pages_do_not_reissue_it(client, parent):
    """Set once at sign-in for the parent's 30 days (the session row ends it then anyway), not
    re-sent with every page: fewer bytes on a slow phone connection."""
    response = login(client, "13811112222", factories.PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("pp_session="))
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    assert timedelta(days=29, hours=23) < expires - datetime.now(UTC) <= timedelta(days=30)
    client.get("/learn/etiquette/why-rules")  # the first form page keeps a CSRF secret
    again = client.get("/learn/etiquette/why-rules")
    assert again.status_code == 200
    assert not [h for h in again.headers.getlist("Set-Cookie") if h.startswith("pp_session=")]


def test_logout_ends_the_session(client, parent):
    login(client, "13811112222", factories.PASSWORD)
    assert post(client, "/logout").status_code == 302
    response = client.get("/learn")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_pages_need_sign_in(client):
    response = client.get("/learn")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_a_password_set_through_a_link_signs_out_every_other_session(client, app, parent):
    """A copied cookie of the old password's session stops working once the password changes."""
    from app.auth.links import find_password_link, issue_password_link, use_password_link
    from app.auth.models import LinkPurpose
    from app.timeutil import utcnow

    login(client, "13811112222", factories.PASSWORD)
    assert client.get("/learn").status_code == 200
    secret = issue_password_link(parent, LinkPurpose.RESET, None, utcnow())
    assert use_password_link(find_password_link(secret, utcnow()), "a-brand-new-password", utcnow())
    db.session.commit()
    assert client.get("/learn").status_code == 302  # back to the login page
    login(client, "13811112222", "a-brand-new-password")
    assert client.get("/learn").status_code == 200


def test_a_forged_session_id_loads_nobody(client, parent):
    for forged in (str(parent.id), f"{parent.id}.99", f"{parent.id}.²", "x.1", ""):
        with client.session_transaction() as session:
            session["_user_id"] = forged
        assert client.get("/learn").status_code == 302, forged
