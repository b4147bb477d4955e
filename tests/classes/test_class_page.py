"""The head teacher's class page: who is where, what waits, and nothing for anyone else."""

import re

from sqlalchemy import select

from app.auth.links import find_password_link
from app.classes.models import GuardianLink
from app.extensions import db
from app.security import mask_phone
from app.timeutil import utcnow
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as


def as_person(client, user):
    sign_in_as(client, user)
    client.set_cookie("pp_lang", "en")


def test_teacher_sees_each_guardians_progress_and_state(client, world):
    parent = world.users["parent"]
    factories.certify(parent)
    db.session.commit()
    as_person(client, world.users["teacher"])
    response = client.get(f"/classes/{world.class_a.id}")
    page = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "王芳" in page and "王小明" in page
    assert "✓ Certified" in page and "Has not accepted the current charter" in page
    assert "not eligible yet" in page
    assert "1 guardian request to confirm" in page  # the waiting parent of the world


def test_phones_are_masked_except_on_requests_the_teacher_must_check(client, world):
    as_person(client, world.users["teacher"])
    page = client.get(f"/classes/{world.class_a.id}").get_data(as_text=True)
    parent = world.users["parent"]
    assert mask_phone(parent.phone) in page and parent.phone not in page
    waiting = world.pending_link.parent
    assert waiting.phone in page  # the teacher may need to call before confirming


def test_nobody_but_the_head_teacher_opens_the_class_page(client, world):
    for person in ("teacher_other", "staff", "parent", "bureau"):
        as_person(client, world.users[person])
        assert client.get(f"/classes/{world.class_a.id}").status_code in (403, 404), person
    as_person(client, world.users["teacher_other"])
    assert "王芳" not in client.get(f"/classes/{world.class_b.id}").get_data(as_text=True)


def test_declining_with_a_reason_tells_the_parent(client, app, world):
    as_person(client, world.users["teacher"])
    post(
        client,
        f"/teacher/approvals/{world.pending_link.id}/reject",
        {"reason": "Please come to the office with the student card", "next": f"/classes/{world.class_a.id}"},
    )
    db.session.expire_all()
    link = db.session.get(GuardianLink, world.pending_link.id)
    assert link.status == "rejected" and link.reject_reason.startswith("Please come")
    parent_client = app.test_client()
    as_person(parent_client, link.parent)
    assert "Please come to the office" in parent_client.get("/learn").get_data(as_text=True)


def test_a_reason_that_is_too_long_changes_nothing(client, world):
    as_person(client, world.users["teacher"])
    before = db_snapshot()
    response = post(
        client,
        f"/teacher/approvals/{world.pending_link.id}/reject",
        {"reason": "x" * 201},
        follow_redirects=True,
    )
    assert "200 characters or fewer" in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_teacher_gives_a_parent_a_one_time_reset_link(client, world):
    as_person(client, world.users["teacher"])
    response = post(client, f"/classes/{world.class_a.id}/parents/{world.users['parent'].id}/reset-link")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    secret = re.search(r"/password/([A-Za-z0-9_-]{40,})", response.get_data(as_text=True)).group(1)
    link = find_password_link(secret, utcnow())
    assert link is not None and link.user_id == world.users["parent"].id


def test_no_reset_link_for_a_parent_of_another_class(client, world):
    as_person(client, world.users["teacher"])
    before = db_snapshot()
    url = f"/classes/{world.class_a.id}/parents/{world.users['parent_other'].id}/reset-link"
    assert post(client, url).status_code == 404
    assert db_snapshot() == before


def test_teacher_home_counts_what_waits(client, world):
    as_person(client, world.users["teacher"])
    page = client.get("/home").get_data(as_text=True)
    assert "1 thing waits for you." in page
    assert db.session.scalar(select(GuardianLink).where(GuardianLink.status == "pending")) is not None
