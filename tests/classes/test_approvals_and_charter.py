"""The teacher confirms guardians; parents accept the class charter."""

from sqlalchemy import func, select

from app.classes.models import CharterAcceptance, GuardianLink
from app.extensions import db
from tests.helpers import db_snapshot, post, sign_in_as


def status_of(link_id: int) -> str:
    db.session.expire_all()
    return db.session.get(GuardianLink, link_id).status


def test_teacher_sees_and_approves_a_waiting_parent(client, world):
    sign_in_as(client, world.users["teacher"])
    client.set_cookie("pp_lang", "en")
    page = client.get("/teacher/approvals").get_data(as_text=True)
    assert "陈静" in page and "陈一一" in page
    response = post(client, f"/teacher/approvals/{world.pending_link.id}/approve", follow_redirects=True)
    assert "Approved: 陈静 is now linked to 陈一一." in response.get_data(as_text=True)
    assert status_of(world.pending_link.id) == "approved"
    assert "陈静" not in client.get("/teacher/approvals").get_data(as_text=True)


def test_teacher_can_decline(client, world):
    sign_in_as(client, world.users["teacher"])
    post(client, f"/teacher/approvals/{world.pending_link.id}/reject")
    assert status_of(world.pending_link.id) == "rejected"


def test_a_decided_request_is_not_decided_again(client, world):
    sign_in_as(client, world.users["teacher"])
    client.set_cookie("pp_lang", "en")
    post(client, f"/teacher/approvals/{world.pending_link.id}/approve")
    before = db_snapshot()
    again = post(client, f"/teacher/approvals/{world.pending_link.id}/reject", follow_redirects=True)
    assert "already decided" in again.get_data(as_text=True)
    assert db_snapshot() == before


def test_teacher_of_another_class_sees_nothing_to_approve(client, world):
    sign_in_as(client, world.users["teacher_other"])
    assert "陈静" not in client.get("/teacher/approvals").get_data(as_text=True)
    before = db_snapshot()
    assert post(client, f"/teacher/approvals/{world.pending_link.id}/approve").status_code == 404
    assert db_snapshot() == before


def test_accepting_the_charter_twice_records_it_once(client, world):
    sign_in_as(client, world.users["parent"])
    client.set_cookie("pp_lang", "en")
    url = f"/classes/{world.class_a.id}/charter"
    assert "I have read and accept the group charter" in client.get(url).get_data(as_text=True)
    post(client, f"{url}/accept")
    post(client, f"{url}/accept")
    assert db.session.scalar(select(func.count()).select_from(CharterAcceptance)) == 1
    assert "You have accepted this version" in client.get(url).get_data(as_text=True)


def test_default_charter_is_shown_in_the_readers_language(client, world):
    sign_in_as(client, world.users["parent"])
    zh = client.get(f"/classes/{world.class_a.id}/charter").get_data(as_text=True)
    client.set_cookie("pp_lang", "en")
    en = client.get(f"/classes/{world.class_a.id}/charter").get_data(as_text=True)
    assert "21:30" in zh and "21:30" in en
    assert "群公约" in zh and "charter" in en.lower()
