"""The audit log records who did what, and shows it only within the reader's scope."""

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.invites.services import issue_invite
from app.timeutil import utcnow
from tests import factories
from tests.helpers import post, sign_in_as


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_invite_lifecycle_is_recorded(client, world):
    parent = factories.make_eligible(world.users["parent"], world.class_a)
    token, code = issue_invite(parent, world.class_a, utcnow())
    db.session.commit()
    sign_in_as(client, world.users["teacher"])
    post(client, "/teacher/verify", {"code": code})
    post(client, f"/teacher/invites/{token.id}/admit")
    post(client, f"/teacher/approvals/{world.pending_link.id}/approve")
    assert actions() == ["invite_issued", "invite_checked", "admitted", "link_approved"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "admitted")).one()
    assert event.actor_id == world.users["teacher"].id and event.subject_id == parent.id
    assert event.class_id == world.class_a.id and event.school_id == world.school.id
    assert all(code not in str(e.detail) for e in db.session.scalars(select(AuditEvent)))


def test_each_reader_sees_only_their_scope(client, world):
    factories.make_eligible(world.users["parent"], world.class_a)
    factories.make_eligible(world.users["parent_other"], world.class_b)
    issue_invite(world.users["parent"], world.class_a, utcnow())
    issue_invite(world.users["parent_other"], world.class_b, utcnow())
    db.session.commit()
    client.set_cookie("pp_lang", "en")

    sign_in_as(client, world.users["teacher"])
    page = client.get("/audit").get_data(as_text=True)
    assert "王芳" in page and "刘强" not in page
    assert client.get(f"/audit?class_id={world.class_b.id}").status_code == 404

    sign_in_as(client, world.users["staff"])
    page = client.get("/audit").get_data(as_text=True)
    assert "三年级1班" in page and "三年级2班" in page  # both classes of the school
    assert "王芳" not in page and "刘强" not in page  # only a class's own teacher sees parents
    assert "a parent" in page

    sign_in_as(client, world.users["staff_other"])
    page = client.get("/audit").get_data(as_text=True)
    assert "王芳" not in page and "Nothing recorded yet." in page

    for person in ("parent", "bureau"):
        sign_in_as(client, world.users[person])
        assert client.get("/audit").status_code == 403


def test_odd_page_and_class_parameters_do_not_break_the_log(client, world):
    sign_in_as(client, world.users["staff"])
    assert client.get("/audit?page=abc").status_code == 200
    assert client.get("/audit?page=-1").status_code == 200
    assert client.get("/audit?page=²").status_code == 200
    assert client.get("/audit?class_id=²").status_code == 404
    assert client.get("/audit?class_id=abc").status_code == 404
    assert client.get("/audit?class_id=99999999999").status_code == 404


def test_every_check_is_logged_even_of_an_unknown_code(client, world):
    sign_in_as(client, world.users["teacher"])
    post(client, "/teacher/verify", {"code": "ZZZZ-ZZZZ-ZZ"})
    event = db.session.scalars(select(AuditEvent)).one()
    assert event.action == "invite_checked" and event.detail == {"outcome": "unknown"}
    assert event.school_id == world.school.id and event.subject_id is None


def test_a_check_of_another_class_code_shows_in_that_class_log(client, world):
    factories.make_eligible(world.users["parent_other"], world.class_b)
    _token, code = issue_invite(world.users["parent_other"], world.class_b, utcnow())
    db.session.commit()
    sign_in_as(client, world.users["teacher"])
    post(client, "/teacher/verify", {"code": code})
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "invite_checked")).one()
    assert event.class_id == world.class_b.id and event.actor_id == world.users["teacher"].id
    assert event.subject_id is None  # the checking teacher learns nothing of the parent
