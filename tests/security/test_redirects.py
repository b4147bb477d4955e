"""After signing in, `?next=` leads only to a page of this site.

Each address below is written as it appears in the link (already percent-encoded where a browser
would have it so). Only `/ok` is followed; everything else lands on the person's home page. The
same rule guards the `next` field of the language and elder-mode switches and of the teacher's
approve/decline buttons.
"""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

import pytest

from tests import factories
from tests.helpers import csrf_token, post, sign_in_as

# (what the link carries after `?next=`, exactly as typed in the address)
HOSTILE = {
    "protocol-relative": quote("//evil.example", safe=""),
    "absolute": quote("https://evil.example", safe=""),
    "slash-backslash": quote("/\\evil.example", safe=""),
    "backslash-slash": quote("\\/evil", safe=""),
    "encoded slashes": "%2F%2Fevil.example",
    "javascript": quote("javascript:alert(1)", safe=""),
    "double-encoded slashes": "%252F%252Fevil.example",
    "raw protocol-relative": "//evil.example",
    "raw absolute": "https://evil.example/path",
    "tab inside": quote("/\t/evil.example", safe=""),
    "newline inside": quote("/\n/evil.example", safe=""),
    "three slashes": quote("///evil.example", safe=""),
    "scheme without slashes": quote("https:evil.example", safe=""),
    "leading space": quote(" //evil.example", safe=""),
    "data url": quote("data:text/html,<script>alert(1)</script>", safe=""),
    "empty": "",
}


def sign_in(client, user, next_query: str):
    """The login form posted from `/login?next=…`, as the page's form does (it has no action)."""
    client.get(f"/login?next={next_query}")
    return client.post(
        f"/login?next={next_query}",
        data={
            "phone": user.phone,
            "password": factories.PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )


def lands_on_this_site(location: str) -> bool:
    """Where a browser goes: the Location resolved against the page, as browsers also read `\\`."""
    resolved = urljoin("http://localhost/login", location.replace("\\", "/"))
    return urlsplit(resolved).netloc == "localhost" and urlsplit(resolved).scheme == "http"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_sign_in_never_leads_off_the_site(client, world, name):
    response = sign_in(client, world.users["parent"], HOSTILE[name])
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_sign_in_follows_a_path_of_this_site(client, world):
    response = sign_in(client, world.users["parent"], "/ok")
    assert response.status_code == 302
    assert response.headers["Location"] == "/ok"


def test_sign_in_keeps_the_query_of_a_page_of_this_site(client, world):
    response = sign_in(client, world.users["teacher"], quote("/audit?page=2", safe=""))
    assert response.headers["Location"] == "/audit?page=2"


def test_a_page_that_asks_to_sign_in_is_where_signing_in_leads(client, world):
    asked = client.get("/learn")
    assert asked.status_code == 302
    login = asked.headers["Location"]
    assert urlsplit(login).path == "/login"
    response = client.post(
        login,
        data={
            "phone": world.users["parent"].phone,
            "password": factories.PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    assert response.headers["Location"] == "/learn"


NEXT_FIELDS = sorted(set(HOSTILE) - {"encoded slashes", "double-encoded slashes"})


def _form_value(name: str) -> str:
    """The hostile address as a form field holds it (decoded once, as the browser sends it)."""
    from urllib.parse import unquote

    return unquote(HOSTILE[name])


@pytest.mark.parametrize("name", NEXT_FIELDS)
@pytest.mark.parametrize("url", ["/language", "/display"])
def test_the_switches_never_lead_off_the_site(client, url, name):
    response = post(client, url, {"next": _form_value(name), "lang": "en", "elder": "on"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert lands_on_this_site(response.headers["Location"])


@pytest.mark.parametrize("name", NEXT_FIELDS)
def test_a_teachers_decision_never_leads_off_the_site(client, world, name):
    sign_in_as(client, world.users["teacher"])
    response = post(
        client, f"/teacher/approvals/{world.pending_link.id}/approve", {"next": _form_value(name)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/teacher/approvals"


def test_the_switches_follow_a_path_of_this_site(client):
    assert post(client, "/language", {"next": "/ok", "lang": "en"}).headers["Location"] == "/ok"
