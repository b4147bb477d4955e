"""The head teacher edits the charter: each real change is a new version parents accept again."""

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.classes.models import Charter, ClassStatus
from app.classes.services import current_charter, has_accepted
from app.extensions import db
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as


def as_teacher(client, world, person="teacher"):
    sign_in_as(client, world.users[person])
    client.set_cookie("pp_lang", "en")


def edit(client, school_class, body, start="21:30", end="07:00", **extra):
    data = {"body": body, "quiet_start": start, "quiet_end": end, **extra}
    return post(client, f"/classes/{school_class.id}/charter/edit", data)


def versions(school_class) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).where(Charter.class_id == school_class.id))


def test_edit_page_starts_from_the_default_template_with_its_placeholder(client, world):
    as_teacher(client, world)
    page = client.get(f"/classes/{world.class_a.id}/charter/edit").get_data(as_text=True)
    assert "No messages during {quiet_hours}" in page  # the English default, placeholder left in
    assert 'value="21:30"' in page and 'value="07:00"' in page
    assert "Asia/Shanghai" in page
    assert "new version" in page


def test_a_changed_text_becomes_the_next_version(client, world):
    as_teacher(client, world)
    response = edit(client, world.class_a, "1. Be kind.\r\n2. Quiet during {quiet_hours}.")
    assert response.status_code == 302
    charter = current_charter(world.class_a.id)
    assert charter.version == 2
    assert charter.body_md == "1. Be kind.\n2. Quiet during {quiet_hours}."
    assert charter.created_by_id == world.users["teacher"].id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "charter_changed")).one()
    assert event.detail == {"version": 2}


def test_saving_without_a_change_makes_no_new_version(client, world, catalogue):
    as_teacher(client, world)
    before = db_snapshot()
    response = edit(client, world.class_a, catalogue.charter.get("en").replace("\n", "\r\n"))
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "Nothing changed." in str(session["_flashes"])
    assert db_snapshot() == before


def test_new_quiet_hours_show_on_the_charter_in_every_language(client, world, catalogue):
    as_teacher(client, world)
    edit(client, world.class_a, catalogue.charter.get("en"), start="22:00", end="6:30")
    charter = current_charter(world.class_a.id)
    assert (charter.version, charter.body_md, charter.quiet_start, charter.quiet_end) == (
        2,
        None,
        "22:00",
        "06:30",
    )
    sign_in_as(client, world.users["parent"])
    client.set_cookie("pp_lang", "zh_Hans")
    page = client.get(f"/classes/{world.class_a.id}/charter").get_data(as_text=True)
    assert "22:00–06:30" in page and "群" in page  # the default template, in the reader's language


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("25:00", "07:00", "Please enter a time from 00:00 to 23:59"),
        ("21:60", "07:00", "Please enter a time from 00:00 to 23:59"),
        ("", "07:00", "Please enter a time from 00:00 to 23:59"),
        ("9pm", "07:00", "Please enter a time from 00:00 to 23:59"),
        ("21:30", "21:30", "need to end at a different time"),
    ],
)
def test_bad_quiet_hours_are_refused(client, world, start, end, message):
    as_teacher(client, world)
    before = db_snapshot()
    response = edit(client, world.class_a, "Be kind.", start=start, end=end)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("body", "message"), [(" \r\n ", "Please write the charter text."), ("x" * 8001, "8001")]
)
def test_an_empty_or_overlong_text_is_refused(client, world, body, message):
    as_teacher(client, world)
    before = db_snapshot()
    response = edit(client, world.class_a, body)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_script_in_the_charter_never_runs(client, world):
    as_teacher(client, world)
    body = "\n\n".join(
        [
            "<script>alert(1)</script>",
            '<img src=x onerror="alert(2)">',
            "[click](javascript:alert(3))",
            "**Kind**",
        ]
    )
    edit(client, world.class_a, body)
    assert current_charter(world.class_a.id).body_md == body  # stored as typed
    sign_in_as(client, world.users["parent"])
    page = client.get(f"/classes/{world.class_a.id}/charter").get_data(as_text=True)
    assert "<strong>Kind</strong>" in page
    assert "<script>alert(1)" not in page and "onerror" not in page and "javascript:" not in page


def test_preview_shows_the_text_rendered_and_saves_nothing(client, world):
    as_teacher(client, world)
    before = db_snapshot()
    page = edit(client, world.class_a, "**Quiet** {quiet_hours}", action="preview").get_data(as_text=True)
    assert "<strong>Quiet</strong> 21:30–07:00" in page
    assert db_snapshot() == before


def test_a_new_version_needs_the_parent_to_accept_again(client, world):
    parent = world.users["parent"]
    factories.accept_charter_of(parent, world.class_a)
    db.session.commit()
    assert has_accepted(parent, current_charter(world.class_a.id))
    as_teacher(client, world)
    edit(client, world.class_a, "Be kind.")
    assert not has_accepted(parent, current_charter(world.class_a.id))


def test_another_teacher_cannot_edit(client, world):
    as_teacher(client, world, "teacher_other")
    before = db_snapshot()
    assert client.get(f"/classes/{world.class_a.id}/charter/edit").status_code == 404
    assert edit(client, world.class_a, "Be kind.").status_code == 404
    assert db_snapshot() == before


def test_a_parent_cannot_edit(client, world):
    sign_in_as(client, world.users["parent"])
    assert client.get(f"/classes/{world.class_a.id}/charter/edit").status_code == 403


def test_a_graduated_class_keeps_its_charter(client, world):
    world.class_a.status = ClassStatus.GRADUATED
    db.session.commit()
    as_teacher(client, world)
    before = db_snapshot()
    assert edit(client, world.class_a, "Be kind.").status_code == 302
    assert versions(world.class_a) == 1
    assert db_snapshot() == before
