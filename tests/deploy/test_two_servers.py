"""Nothing lives in an app process: two gunicorn servers on different ports over one database and
one Redis behave as one site. A phone signs in on one and carries on on the other; a code admitted
through one is refused as used by the other; signing out on one ends the session on both."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.parse
import urllib.request

import pytest

from app.extensions import db
from app.invites.services import issue_invite
from app.timeutil import utcnow
from tests import factories
from tests.factories import make_eligible

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class Phone:
    """One browser: its own cookies, whichever server the balancer sends it to."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        lang = http.cookiejar.Cookie(0, "pp_lang", "en", None, False, "127.0.0.1", True, False, "/", True,
                                     False, None, False, None, None, {})  # fmt: skip
        self.jar.set_cookie(lang)

    def get(self, url: str) -> tuple[int, str]:
        with self.opener.open(url, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, url: str, form_page: str, data: dict) -> tuple[int, str, str]:
        _, page = self.get(form_page)
        body = urllib.parse.urlencode({"csrf_token": TOKEN.search(page).group(1), **data}).encode()
        with self.opener.open(url, data=body, timeout=30) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


@pytest.fixture
def two_servers(gunicorn, redis_url):
    env = {"RATELIMIT_STORAGE_URI": redis_url}
    return gunicorn(env)[0], gunicorn(env)[0]


def test_two_app_servers_act_as_one_site(two_servers, world):
    a, b = two_servers
    parent, teacher = world.users["parent"], world.users["teacher"]
    make_eligible(parent, world.class_a)
    _token, code = issue_invite(parent, world.class_a, utcnow())
    db.session.commit()

    for server in (a, b):
        assert json.loads(urllib.request.urlopen(server + "/healthz").read()) == {
            "status": "ok",
            "database": "ok",
            "redis": "ok",
        }

    phone = Phone()
    status, location, _ = phone.post(
        a + "/login", a + "/login", {"phone": parent.phone, "password": factories.PASSWORD}
    )
    assert status == 302 and not location.endswith("/login")
    status, page = phone.get(b + "/learn")  # the next request lands on the other server
    assert status == 200 and parent.real_name in page

    desk = Phone()
    desk.post(b + "/login", b + "/login", {"phone": teacher.phone, "password": factories.PASSWORD})
    _, _, checked = desk.post(a + "/teacher/verify", a + "/teacher/verify", {"code": code})
    admit = re.search(r'action="(/teacher/invites/\d+/admit)"', checked).group(1)
    status, _, _ = desk.post(a + admit, a + "/teacher/verify", {})
    assert status == 302
    _, _, again = desk.post(b + "/teacher/verify", b + "/teacher/verify", {"code": code})
    assert "Already used: this code admitted someone before." in again and admit not in again
    status, _, _ = desk.post(b + admit, b + "/teacher/verify", {})  # and admitting twice fails
    assert status == 302
    _, page = desk.get(b + "/teacher/verify")
    assert "can no longer be admitted" in page

    phone.post(b + "/logout", b + "/learn", {})  # sign out on one server…
    status, _ = phone.get(a + "/learn")
    assert status == 302  # …and the other no longer knows the session
