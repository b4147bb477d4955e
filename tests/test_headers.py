"""Headers on every page the site serves (each GET route of the access matrix, as someone it
serves): a strict CSP, nosniff, no framing, and no caching of anything but lessons and static
files; token pages send no referrer. Pages carry no inline script or style the CSP would block."""

from __future__ import annotations

import re

import pytest

from app.web.headers import CSP
from tests.helpers import sign_in_as
from tests.test_access_matrix import MATRIX

# Every GET route that serves a page to someone (a few only ever redirect).
GET_ROUTES = sorted(
    name for name, (method, _url, expected) in MATRIX.items() if method == "GET" and 200 in expected.values()
)
CACHEABLE = {"learning.lesson": "private, no-cache", "main.offline": "private, no-cache"}
STATIC = {"assets.serve", "main.service_worker"}
SECRET_PAGES = {"auth.set_password", "invites.verify"}


def fetch_as_someone_served(client, world, endpoint):
    _method, url_of, expected = MATRIX[endpoint]
    person = next(p for p, status in expected.items() if status == 200)
    if person != "anonymous":
        sign_in_as(client, world.users[person])
    return client.get(url_of(world))


@pytest.mark.shared_world
class TestEveryPage:
    @pytest.mark.parametrize("endpoint", GET_ROUTES)
    def test_every_page_carries_the_security_headers(self, client, shared_world, endpoint):
        response = fetch_as_someone_served(client, shared_world, endpoint)
        assert response.status_code == 200
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        if endpoint in STATIC:
            return
        if endpoint in CACHEABLE:
            assert headers["Cache-Control"] == CACHEABLE[endpoint]
        else:
            assert headers["Cache-Control"] == "no-store", endpoint
        if response.mimetype != "text/html":
            return
        csp = headers["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ):
            assert directive in csp
        assert csp == CSP
        assert headers["X-Frame-Options"] == "DENY"
        expected_referrer = "no-referrer" if endpoint in SECRET_PAGES else "same-origin"
        assert headers["Referrer-Policy"] == expected_referrer
        page = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page), "inline script"
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", page), "inline style or event handler"


def test_the_invite_code_page_sends_no_referrer(client, world):
    from app.extensions import db
    from tests.factories import make_eligible
    from tests.helpers import post

    make_eligible(world.users["parent"], world.class_a)
    db.session.commit()
    sign_in_as(client, world.users["parent"])
    response = post(client, f"/classes/{world.class_a.id}/invite")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
