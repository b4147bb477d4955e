"""Every route × every kind of person → the expected status, with real objects.

The table must name every endpoint in `app.url_map`: a new route without a row fails the suite,
so nobody adds a page without deciding who may see it.
"""

import pytest

from app.web.assets import digest
from tests.helpers import csrf_token, sign_in_as

PEOPLE = [
    "anonymous",
    "parent",
    "parent_other",
    "teacher",
    "teacher_other",
    "staff",
    "staff_other",
    "bureau",
    "bureau_other",
]


def row(*statuses: int) -> dict[str, int]:
    """Expected statuses in the order of PEOPLE."""
    return dict(zip(PEOPLE, statuses, strict=True))


EVERYONE_200 = row(200, 200, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_200 = row(302, 200, 200, 200, 200, 200, 200, 200, 200)
PARENTS_ONLY = row(302, 200, 200, 404, 404, 403, 403, 403, 403)  # teachers have no parent courses
PARENT_POSTS = row(302, 302, 302, 404, 404, 403, 403, 403, 403)
OWN_ATTEMPT = row(302, 200, 404, 404, 404, 403, 403, 403, 403)
CLASS_A = row(302, 200, 404, 200, 404, 200, 404, 200, 404)
HEAD_TEACHER_A = row(302, 403, 403, 200, 404, 403, 403, 403, 403)
HEAD_TEACHER_A_POSTS = row(302, 403, 403, 302, 404, 403, 403, 403, 403)
TEACHERS = row(302, 403, 403, 200, 200, 403, 403, 403, 403)
SCHOOL_REPORT = row(302, 403, 403, 403, 403, 200, 404, 200, 404)
BUREAU_REPORT = row(302, 403, 403, 403, 403, 403, 403, 200, 404)
CLASS_REPORT = row(302, 403, 403, 200, 404, 200, 404, 200, 404)
STAFF_PAGES = row(302, 403, 403, 403, 403, 200, 200, 403, 403)  # each sees their own school's
STAFF_A_POSTS = row(302, 403, 403, 403, 403, 302, 404, 403, 403)

# endpoint: (method, url from the world, expected status per person)
MATRIX = {
    "main.index": ("GET", lambda w: "/", EVERYONE_200),
    "main.service_worker": ("GET", lambda w: "/sw.js", EVERYONE_200),
    "main.offline": ("GET", lambda w: "/offline", EVERYONE_200),
    "health.healthz": ("GET", lambda w: "/healthz", EVERYONE_200),
    "assets.serve": ("GET", lambda w: f"/assets/css/{digest('css/app.css')}-app.css", EVERYONE_200),
    "main.home": ("GET", lambda w: "/home", row(302, 302, 302, 200, 200, 302, 302, 302, 302)),
    "main.set_display": ("POST", lambda w: "/display", row(302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "main.set_language": (
        "POST",
        lambda w: "/language",
        row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    ),
    "auth.login": ("GET", lambda w: "/login", row(200, 302, 302, 302, 302, 302, 302, 302, 302)),
    "auth.logout": ("POST", lambda w: "/logout", row(302, 302, 302, 302, 302, 302, 302, 302, 302)),
    "auth.change_password": ("GET", lambda w: "/account/password", row(302, *[200] * 8)),
    "auth.logout_everywhere": (
        "POST",
        lambda w: "/logout/everywhere",
        row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    ),
    "registration.register": (
        "GET",
        lambda w: "/register",
        row(200, 302, 302, 302, 302, 302, 302, 302, 302),
    ),
    "main.path": ("GET", lambda w: "/learn", row(302, 200, 200, 200, 200, 403, 403, 403, 403)),
    "learning.course": ("GET", lambda w: f"/learn/{w.course.slug}", PARENTS_ONLY),
    "learning.lesson": ("GET", lambda w: f"/learn/{w.course.slug}/{w.lesson.slug}", PARENTS_ONLY),
    "learning.finish_lesson": (
        "POST",
        lambda w: f"/learn/{w.course.slug}/{w.lesson.slug}/read",
        PARENT_POSTS,
    ),
    "registration.add_child": (
        "GET",
        lambda w: "/learn/children/add",
        row(302, 200, 200, 403, 403, 403, 403, 403, 403),
    ),
    "quizzes.overview": ("GET", lambda w: f"/learn/{w.course.slug}/quiz", PARENTS_ONLY),
    "quizzes.start": ("POST", lambda w: f"/learn/{w.course.slug}/quiz/start", PARENT_POSTS),
    "quizzes.take": ("GET", lambda w: f"/quiz/{w.attempt.id}", OWN_ATTEMPT),
    "quizzes.submit": (
        "POST",
        lambda w: f"/quiz/{w.attempt.id}",
        row(302, 400, 404, 404, 404, 403, 403, 403, 403),
    ),
    "quizzes.result": (
        "GET",
        lambda w: f"/quiz/{w.attempt.id}/result",
        row(302, 302, 404, 404, 404, 403, 403, 403, 403),
    ),
    "classes.charter": ("GET", lambda w: f"/classes/{w.class_a.id}/charter", CLASS_A),
    "classes.accept": (
        "POST",
        lambda w: f"/classes/{w.class_a.id}/charter/accept",
        row(302, 302, 404, 403, 403, 403, 403, 403, 403),
    ),
    "classes.approvals": (
        "GET",
        lambda w: "/teacher/approvals",
        row(302, 403, 403, 200, 200, 403, 403, 403, 403),
    ),
    "classes.decide": (
        "POST",
        lambda w: f"/teacher/approvals/{w.pending_link.id}/approve",
        row(302, 403, 403, 302, 404, 403, 403, 403, 403),
    ),
    "classes.decline_all": (
        "POST",
        lambda w: f"/teacher/approvals/parents/{w.pending_link.parent_id}/decline",
        HEAD_TEACHER_A_POSTS,
    ),
    "classes.detail": ("GET", lambda w: f"/classes/{w.class_a.id}", HEAD_TEACHER_A),
    "classes.settings": ("GET", lambda w: f"/classes/{w.class_a.id}/settings", HEAD_TEACHER_A),
    "classes.graduate": ("GET", lambda w: f"/classes/{w.class_a.id}/graduate", HEAD_TEACHER_A),
    "classes.parent_reset_link": (
        "POST",
        lambda w: f"/classes/{w.class_a.id}/parents/{w.users['parent'].id}/reset-link",
        HEAD_TEACHER_A,
    ),
    "invites.mine": (
        "GET",
        lambda w: f"/classes/{w.class_a.id}/invite",
        row(302, 200, 404, 403, 403, 403, 403, 403, 403),
    ),
    "invites.issue": (
        "POST",
        lambda w: f"/classes/{w.class_a.id}/invite",
        row(302, 200, 404, 403, 403, 403, 403, 403, 403),
    ),
    "invites.verify": ("GET", lambda w: "/teacher/verify", TEACHERS),
    "invites.admit_token": ("POST", lambda w: f"/teacher/invites/{w.token.id}/admit", HEAD_TEACHER_A_POSTS),
    "invites.revoke": ("POST", lambda w: f"/teacher/invites/{w.token.id}/revoke", HEAD_TEACHER_A_POSTS),
    "invites.member": (
        "POST",
        lambda w: f"/classes/{w.class_a.id}/parents/{w.users['parent'].id}/remove",
        HEAD_TEACHER_A_POSTS,
    ),
    "classes.roster_import": ("GET", lambda w: f"/classes/{w.class_a.id}/roster", HEAD_TEACHER_A),
    "classes.edit_charter": ("GET", lambda w: f"/classes/{w.class_a.id}/charter/edit", HEAD_TEACHER_A),
    "classes.rotate_join_code": (
        "POST",
        lambda w: f"/classes/{w.class_a.id}/join-code/rotate",
        HEAD_TEACHER_A_POSTS,
    ),
    "classes.poster": ("GET", lambda w: f"/classes/{w.class_a.id}/poster", HEAD_TEACHER_A),
    "school.classes": ("GET", lambda w: "/school/classes", STAFF_PAGES),
    "school.new_class": ("GET", lambda w: "/school/classes/new", STAFF_PAGES),
    "school.assign_teacher": ("POST", lambda w: f"/school/classes/{w.class_a.id}/teacher", STAFF_A_POSTS),
    "school.rollover": ("GET", lambda w: "/school/rollover", STAFF_PAGES),
    "school.settings": (
        "POST",
        lambda w: "/school/settings",
        row(302, 403, 403, 403, 403, 302, 302, 403, 403),
    ),
    "school.teachers": ("GET", lambda w: "/school/teachers", STAFF_PAGES),
    "school.new_teacher": ("GET", lambda w: "/school/teachers/new", STAFF_PAGES),
    "school.deactivate_teacher": (
        "POST",
        lambda w: f"/school/teachers/{w.users['teacher'].id}/deactivate",
        STAFF_A_POSTS,
    ),
    "school.reactivate_teacher": (
        "POST",
        lambda w: f"/school/teachers/{w.users['teacher'].id}/reactivate",
        STAFF_A_POSTS,
    ),
    "school.reset_teacher": (
        "POST",
        lambda w: f"/school/teachers/{w.users['teacher'].id}/reset-link",
        row(302, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "auth.set_password": ("GET", lambda w: f"/password/{w.secret}", EVERYONE_200),
    "reports.index": ("GET", lambda w: "/reports", row(302, 403, 403, 302, 302, 302, 302, 302, 302)),
    "reports.school": ("GET", lambda w: f"/reports/schools/{w.school.id}", SCHOOL_REPORT),
    "reports.school_csv": ("GET", lambda w: f"/reports/schools/{w.school.id}/classes.csv", SCHOOL_REPORT),
    "reports.bureau": ("GET", lambda w: f"/reports/bureaus/{w.district.id}", BUREAU_REPORT),
    "reports.bureau_csv": (
        "GET",
        lambda w: f"/reports/bureaus/{w.district.id}/all-classes.csv",
        BUREAU_REPORT,
    ),
    "reports.school_class": ("GET", lambda w: f"/reports/classes/{w.class_a.id}", CLASS_REPORT),
    "reports.class_csv": ("GET", lambda w: f"/reports/classes/{w.class_a.id}/funnel.csv", CLASS_REPORT),
    "audit.log": ("GET", lambda w: "/audit", row(302, 403, 403, 200, 200, 200, 200, 403, 403)),
    "certificates.check": (
        "GET",
        lambda w: "/certificates/check",
        row(302, 403, 403, 200, 200, 200, 200, 200, 200),
    ),
    "certificates.mine": (
        "GET",
        lambda w: "/certificate",
        row(302, 200, 200, 200, 200, 403, 403, 403, 403),
    ),
    "account.privacy": ("GET", lambda w: "/privacy", EVERYONE_200),
    "account.overview": ("GET", lambda w: "/account", SIGNED_IN_200),
    "account.download": ("GET", lambda w: "/account/data.json", SIGNED_IN_200),
    # Everyone signed in reads what deleting means; only a parent may do it (the others are told
    # that the school switches their account off). A POST without the password shows the form again.
    "account.delete": ("GET", lambda w: "/account/delete", SIGNED_IN_200),
    "account.delete_account": (
        "POST",
        lambda w: "/account/delete",
        row(302, 200, 200, 403, 403, 403, 403, 403, 403),
    ),
    "account.deleted": (
        "GET",
        lambda w: "/account/deleted",
        row(200, 302, 302, 302, 302, 302, 302, 302, 302),
    ),
}
IGNORED = {"static"}


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED
    assert endpoints == set(MATRIX)


def _answer(client, world, endpoint: str, person: str):
    method, url_of, expected = MATRIX[endpoint]
    if person != "anonymous":
        sign_in_as(client, world.users[person])
    url = url_of(world)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": csrf_token(client)})
    assert response.status_code == expected[person], f"{method} {url} as {person}"


READS = sorted(e for e, (method, _, _) in MATRIX.items() if method == "GET")
WRITES = sorted(e for e, (method, _, _) in MATRIX.items() if method != "GET")
# A POST refused with 403 or 404 changes nothing, so it can share the pages' world; a POST that
# goes through (a redirect, for a signed-in person) gets a world of its own.
REFUSED = [(e, p) for e in WRITES for p in PEOPLE if MATRIX[e][2][p] in (403, 404)]
ALLOWED = [(e, p) for e in WRITES for p in PEOPLE if MATRIX[e][2][p] not in (403, 404)]


@pytest.mark.shared_world
class TestPages:
    @pytest.mark.parametrize("person", PEOPLE)
    @pytest.mark.parametrize("endpoint", READS)
    def test_page_answers_each_person_as_expected(self, client, shared_world, endpoint, person):
        _answer(client, shared_world, endpoint, person)

    @pytest.mark.parametrize(("endpoint", "person"), REFUSED)
    def test_refused_action_answers_as_expected(self, client, shared_world, endpoint, person):
        _answer(client, shared_world, endpoint, person)


@pytest.mark.parametrize(("endpoint", "person"), ALLOWED)
def test_action_answers_each_person_as_expected(client, full_world, endpoint, person):
    """Each POST case that goes through gets a world of its own: the action changes it."""
    _answer(client, full_world, endpoint, person)


def test_reads_and_writes_cover_the_whole_table():
    assert sorted(READS + WRITES) == sorted(MATRIX)
    assert len(REFUSED) + len(ALLOWED) == len(WRITES) * len(PEOPLE)
