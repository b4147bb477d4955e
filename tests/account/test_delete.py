"""A parent deletes their own account: the password confirms it, everything about them goes, the
class counts are recomputed without them, and nothing breaks on a second tap."""

import pytest
from sqlalchemy import select, text

from app.account.services import NotAParent, delete_parent_account
from app.audit.models import AuditEvent
from app.audit.services import Action
from app.auth.models import User
from app.extensions import db
from app.invites.services import Outcome, verify_code
from app.reports.models import ClassRollup, QuestionRollup
from app.timeutil import utcnow
from tests import factories
from tests.account.helpers import rows_naming
from tests.helpers import csrf_token, db_snapshot, post, sign_in_as


@pytest.fixture
def parent_client(client, family):
    sign_in_as(client, family.parent)
    client.set_cookie("pp_lang", "en")
    return client


def delete_with(client, password: str):
    return client.post(
        "/account/delete", data={"password": password, "csrf_token": csrf_token(client, "/account/delete")}
    )


def class_counts(class_id: int) -> tuple[int, int, int]:
    """Guardians registered, confirmed, certified."""
    db.session.expire_all()
    rollup = db.session.get(ClassRollup, class_id)
    return rollup.registered, rollup.confirmed, rollup.certified


def test_the_page_says_plainly_what_deleting_does(parent_client):
    page = parent_client.get("/account/delete").get_data(as_text=True)
    for words in (
        "your certificate ends",
        "your invite codes end",
        "teachers no longer see you",
        "anonymous numbers",
        "cannot be undone",
    ):
        assert words in page
    assert 'type="password"' in page and 'action="/account/delete"' in page


def test_a_teacher_is_told_to_ask_the_school_and_cannot_delete(client, family):
    teacher = family.world.users["teacher"]
    sign_in_as(client, teacher)
    client.set_cookie("pp_lang", "en")
    page = client.get("/account/delete").get_data(as_text=True)
    assert "ask the school" in page and 'type="password"' not in page
    before = db_snapshot()
    assert delete_with(client, factories.PASSWORD).status_code == 403
    assert db_snapshot() == before


@pytest.mark.parametrize("password", ["wrong-password", "", factories.PASSWORD + " "])
def test_a_wrong_or_missing_password_changes_nothing(parent_client, family, password):
    before = db_snapshot()
    response = delete_with(parent_client, password)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="password-error"' in page
    assert "Nothing has been deleted" in page or "Please enter your password" in page
    assert db_snapshot() == before
    assert parent_client.get("/account").status_code == 200  # still signed in


def test_the_right_password_deletes_everything_and_signs_out(parent_client, family):
    parent_id = family.parent.id
    assert rows_naming(parent_id)
    response = delete_with(parent_client, factories.PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/account/deleted"
    confirmation = parent_client.get("/account/deleted").get_data(as_text=True)
    assert "Your account has been deleted" in confirmation
    assert rows_naming(parent_id) == {}
    assert parent_client.get("/account").status_code == 302  # signed out


def test_no_row_is_left_pointing_at_the_deleted_account(parent_client, family):
    delete_with(parent_client, factories.PASSWORD)
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA foreign_key_check")).fetchall() == []


def test_the_deleted_parent_cannot_sign_in_and_their_codes_are_gone(parent_client, family):
    teacher, phone, number = family.world.users["teacher"], family.parent.phone, family.certificate.number
    assert verify_code(teacher, family.code, utcnow()).outcome == Outcome.USED
    db.session.rollback()
    delete_with(parent_client, factories.PASSWORD)
    response = post(parent_client, "/login", {"phone": phone, "password": factories.PASSWORD})
    assert response.status_code == 200 and "not right" in response.get_data(as_text=True)
    assert verify_code(teacher, family.code, utcnow()).outcome == Outcome.UNKNOWN
    db.session.rollback()
    sign_in_as(parent_client, teacher)
    page = post(parent_client, "/certificates/check", {"number": number}).get_data(as_text=True)
    assert "Unknown" in page


def test_the_log_keeps_what_the_teacher_did_but_no_longer_names_the_parent(parent_client, family):
    parent_id = family.parent.id
    delete_with(parent_client, factories.PASSWORD)
    admitted = db.session.scalars(select(AuditEvent).where(AuditEvent.action == Action.ADMITTED)).all()
    assert [(e.actor_id, e.subject_id) for e in admitted if e.class_id == family.world.class_a.id] == [
        (family.world.users["teacher"].id, None)
    ]
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.actor_id == parent_id)) is None


def test_the_class_counts_are_recomputed_without_the_parent(parent_client, family):
    class_a = family.world.class_a.id
    assert class_counts(class_a) == (2, 1, 1)  # 王芳 (confirmed, certified) and the waiting 陈静
    answered = db.session.scalar(select(QuestionRollup.answered).limit(1))
    delete_with(parent_client, factories.PASSWORD)
    assert class_counts(class_a) == (1, 0, 0)
    assert class_counts(family.world.class_b.id) == (1, 1, 1)  # the other class is untouched
    # The school's per-question counts keep the answers, as numbers that name nobody.
    assert db.session.scalar(select(QuestionRollup.answered).limit(1)) == answered


def test_another_parent_keeps_everything(parent_client, family):
    other = family.other.id
    before = rows_naming(other)
    delete_with(parent_client, factories.PASSWORD)
    assert rows_naming(other) == before


def test_a_second_tap_is_harmless(parent_client, family):
    token = csrf_token(parent_client, "/account/delete")
    first = parent_client.post("/account/delete", data={"password": factories.PASSWORD, "csrf_token": token})
    assert first.status_code == 302
    after = db_snapshot()
    second = parent_client.post("/account/delete", data={"password": factories.PASSWORD, "csrf_token": token})
    assert second.status_code in (302, 400)  # signed out: the page has expired, or to sign in
    assert db_snapshot() == after


def test_deleting_an_account_that_is_already_gone_deletes_nothing(family):
    """Two taps that both got past the password before either committed: the second finds nothing."""
    parent, parent_id = family.parent, family.parent.id
    first = delete_parent_account(parent, utcnow())
    assert first["users"] == 1 and first["guardian_links"] == 1 and first["user_sessions"] == 1
    second = delete_parent_account(parent, utcnow())
    assert set(second.values()) == {0}
    db.session.commit()
    assert db.session.get(User, parent_id) is None


def test_the_service_refuses_a_teacher(family):
    with pytest.raises(NotAParent):
        delete_parent_account(family.world.users["teacher"], utcnow())
