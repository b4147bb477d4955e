"""A new join code ends the old one at once; the poster carries the code and a QR code."""

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.classes.models import ClassStatus
from app.classes.services import find_class_by_join_code
from app.extensions import db
from app.security import group_code
from tests.helpers import db_snapshot, post, sign_in_as


def as_teacher(client, world, person="teacher"):
    sign_in_as(client, world.users[person])
    client.set_cookie("pp_lang", "en")


def test_a_new_join_code_ends_the_old_one(client, world):
    old = world.class_a.join_code
    as_teacher(client, world)
    response = post(client, f"/classes/{world.class_a.id}/join-code/rotate")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/classes/{world.class_a.id}")
    db.session.expire_all()
    new = world.class_a.join_code
    assert new != old and len(new) == 8
    assert find_class_by_join_code(old) is None
    assert find_class_by_join_code(group_code(new).lower()).id == world.class_a.id
    with client.session_transaction() as session:
        assert group_code(new) in str(session["_flashes"])
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "join_code_rotated")).one()
    assert event.class_id == world.class_a.id and event.detail is None  # the code itself is not logged


def test_only_the_head_teacher_gets_a_new_code(app, client, world):
    as_teacher(client, world, "teacher_other")
    parent = app.test_client()
    sign_in_as(parent, world.users["parent"])
    before = db_snapshot()
    assert post(client, f"/classes/{world.class_a.id}/join-code/rotate").status_code == 404
    assert post(parent, f"/classes/{world.class_a.id}/join-code/rotate").status_code == 403
    assert db_snapshot() == before


def test_a_graduated_class_keeps_its_code(client, world):
    world.class_a.status = ClassStatus.GRADUATED
    db.session.commit()
    as_teacher(client, world)
    before = db_snapshot()
    assert post(client, f"/classes/{world.class_a.id}/join-code/rotate").status_code == 302
    assert db_snapshot() == before


def test_poster_shows_the_grouped_code_a_qr_code_and_the_steps(client, world):
    as_teacher(client, world)
    response = client.get(f"/classes/{world.class_a.id}/poster")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert group_code(world.class_a.join_code) in page
    assert "<svg" in page and "QR code to register for 三年级1班" in page
    assert "东区第一小学" in page and "三年级1班" in page
    assert "http://localhost/register" in page
    assert "Please do not post this poster or the join code in any chat group." in page
    assert "Print this page" in page


def test_poster_is_only_for_the_head_teacher(client, world):
    as_teacher(client, world, "teacher_other")
    assert client.get(f"/classes/{world.class_a.id}/poster").status_code == 404
    sign_in_as(client, world.users["staff"])
    assert client.get(f"/classes/{world.class_a.id}/poster").status_code == 403
