"""Every state-changing request is refused without a CSRF token and accepted with one."""

import pytest

from tests.helpers import csrf_token, db_snapshot, sign_in_as
from tests.test_access_matrix import MATRIX


def allowed_person(expected: dict) -> str:
    """Someone the route serves (not refused by sign-in, role or scope)."""
    return next(p for p, status in expected.items() if p != "anonymous" and status not in (403, 404))


# endpoint: (url from the world, who posts, status when the token is there)
POST_CASES = {
    name: (url_of, allowed_person(expected), expected[allowed_person(expected)])
    for name, (method, url_of, expected) in MATRIX.items()
    if method == "POST"
}
POST_CASES |= {
    "auth.login": (lambda w: "/login", "anonymous", 200),
    "registration.register": (lambda w: "/register", "anonymous", 200),
    "registration.add_child": (lambda w: "/learn/children/add", "parent", 200),
    "auth.set_password": (lambda w: f"/password/{w.secret}", "anonymous", 200),
    "auth.change_password": (lambda w: "/account/password", "parent", 200),
    "classes.settings": (lambda w: f"/classes/{w.class_a.id}/settings", "teacher", 302),
    "classes.graduate": (lambda w: f"/classes/{w.class_a.id}/graduate", "teacher", 200),
    "classes.roster_import": (lambda w: f"/classes/{w.class_a.id}/roster", "teacher", 200),
    "classes.edit_charter": (lambda w: f"/classes/{w.class_a.id}/charter/edit", "teacher", 302),
    "invites.verify": (lambda w: "/teacher/verify", "teacher", 200),
    "certificates.check": (lambda w: "/certificates/check", "teacher", 200),
    "school.new_class": (lambda w: "/school/classes/new", "staff", 200),
    "school.new_teacher": (lambda w: "/school/teachers/new", "staff", 200),
    "school.rollover": (lambda w: "/school/rollover", "staff", 302),
}
POST_ENDPOINTS = sorted(POST_CASES)


def act_as(client, world, person: str) -> None:
    if person != "anonymous":
        sign_in_as(client, world.users[person])
    client.set_cookie("pp_lang", "en")


def test_every_post_route_is_covered(app):
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in (r.methods or ())}
    assert posts == set(POST_ENDPOINTS)


@pytest.mark.shared_world
class TestRefused:
    """A refused POST changes nothing (the first test proves it), so these share one world."""

    @pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
    def test_post_without_token_is_refused_and_changes_nothing(self, client, shared_world, endpoint):
        url_of, person, _ = POST_CASES[endpoint]
        act_as(client, shared_world, person)
        before = db_snapshot()
        response = client.post(url_of(shared_world), data={})
        assert response.status_code == 400
        assert "This page has expired" in response.get_data(as_text=True)
        assert db_snapshot() == before

    @pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
    def test_post_with_a_token_from_another_session_is_refused(self, client, app, shared_world, endpoint):
        url_of, person, _ = POST_CASES[endpoint]
        foreign = csrf_token(app.test_client())
        act_as(client, shared_world, person)
        assert client.post(url_of(shared_world), data={"csrf_token": foreign}).status_code == 400


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_with_token_is_accepted(client, full_world, endpoint):
    url_of, person, status = POST_CASES[endpoint]
    act_as(client, full_world, person)
    response = client.post(url_of(full_world), data={"csrf_token": csrf_token(client)})
    assert response.status_code == status
    assert "This page has expired" not in response.get_data(as_text=True)
