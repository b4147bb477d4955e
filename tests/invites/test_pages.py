"""The invite lifecycle through the pages: a parent gets a code, the teacher checks and admits it."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.invites.models import GroupMembership, InviteToken
from app.invites.services import issue_invite
from app.timeutil import utcnow
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as

CODE_ON_PAGE = re.compile(r'class="invite-code code"[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2})<')


def as_person(client, user):
    sign_in_as(client, user)
    client.set_cookie("pp_lang", "en")


def get_code(client, class_id: int) -> str:
    """The parent asks for their code on the invite page and reads it off the page."""
    response = post(client, f"/classes/{class_id}/invite")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    match = CODE_ON_PAGE.search(response.get_data(as_text=True))
    assert match, "no code on the page"
    return match.group(1)


@pytest.fixture
def eligible(world):
    factories.make_eligible(world.users["parent"], world.class_a)
    db.session.commit()
    return world


def test_a_parent_who_is_not_ready_sees_what_is_missing(client, world):
    as_person(client, world.users["parent"])
    page = client.get(f"/classes/{world.class_a.id}/invite").get_data(as_text=True)
    assert "Pass the quiz of every course" in page
    assert "Read and accept the class" in page
    before = db_snapshot()
    response = post(client, f"/classes/{world.class_a.id}/invite", follow_redirects=True)
    assert "Pass the quiz of every course" in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_the_code_is_shown_once_then_only_its_status(client, eligible):
    as_person(client, eligible.users["parent"])
    url = f"/classes/{eligible.class_a.id}/invite"
    assert "Show my invite code" in client.get(url).get_data(as_text=True)
    code = get_code(client, eligible.class_a.id)
    again = client.get(url).get_data(as_text=True)
    assert code not in again and code.replace("-", "") not in again
    assert "shown only once" in again and "get a new one" in again


def test_the_code_page_has_a_qr_for_the_verify_page_and_the_steps(client, eligible):
    as_person(client, eligible.users["parent"])
    page = post(client, f"/classes/{eligible.class_a.id}/invite").get_data(as_text=True)
    assert "<svg" in page and "How to join the group" in page
    assert eligible.users["parent"].wechat_id in page


def check(client, code: str):
    return post(client, "/teacher/verify", {"code": code})


def test_teacher_checks_a_valid_code_and_sees_who_it_belongs_to(client, app, eligible):
    parent_client = app.test_client()
    as_person(parent_client, eligible.users["parent"])
    code = get_code(parent_client, eligible.class_a.id)

    as_person(client, eligible.users["teacher"])
    page = check(client, code.lower().replace("-", " ")).get_data(as_text=True)
    assert "Valid: this code may be admitted once." in page
    assert "王芳" in page and "王小明" in page and eligible.users["parent"].wechat_id in page
    assert "Mother" in page


def test_admitting_marks_the_code_used_and_the_parent_joined(client, app, eligible):
    parent_client = app.test_client()
    as_person(parent_client, eligible.users["parent"])
    code = get_code(parent_client, eligible.class_a.id)
    token = db.session.scalars(select(InviteToken)).one()

    as_person(client, eligible.users["teacher"])
    response = post(client, f"/teacher/invites/{token.id}/admit", follow_redirects=True)
    assert "is admitted" in response.get_data(as_text=True)
    db.session.expire_all()
    assert token.used_at is not None and token.used_by_id == eligible.users["teacher"].id
    member = db.session.scalars(select(GroupMembership)).one()
    assert member.joined_at is not None

    page = check(client, code).get_data(as_text=True)
    assert "Already used" in page and "admitted by 李老师" in page
    before = db_snapshot()
    again = post(client, f"/teacher/invites/{token.id}/admit", follow_redirects=True)
    assert "can no longer be admitted" in again.get_data(as_text=True)
    assert db_snapshot() == before
    assert "You are in the class group" in parent_client.get(
        f"/classes/{eligible.class_a.id}/invite"
    ).get_data(as_text=True)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("expired", "Expired"),
        ("revoked", "Revoked"),
        ("replaced", "Revoked"),
    ],
)
def test_each_outcome_is_said_plainly(client, app, eligible, setup, message):
    parent_client = app.test_client()
    as_person(parent_client, eligible.users["parent"])
    code = get_code(parent_client, eligible.class_a.id)
    token = db.session.scalars(select(InviteToken)).one()
    if setup == "expired":
        token.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    elif setup == "revoked":
        as_person(client, eligible.users["teacher"])
        post(client, f"/teacher/invites/{token.id}/revoke")
    else:
        get_code(parent_client, eligible.class_a.id)
    as_person(client, eligible.users["teacher"])
    assert message in check(client, code).get_data(as_text=True)
    before = db_snapshot()
    post(client, f"/teacher/invites/{token.id}/admit")
    db.session.expire_all()
    assert db.session.get(InviteToken, token.id).used_at is None
    assert {k: v for k, v in db_snapshot().items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }


def test_a_code_of_another_class_reveals_nothing(client, app, world):
    factories.make_eligible(world.users["parent_other"], world.class_b)
    db.session.commit()
    parent_client = app.test_client()
    as_person(parent_client, world.users["parent_other"])
    code = get_code(parent_client, world.class_b.id)
    token = db.session.scalars(select(InviteToken)).one()

    as_person(client, world.users["teacher"])
    page = check(client, code).get_data(as_text=True)
    assert "belongs to another class" in page
    assert "刘强" not in page and world.users["parent_other"].wechat_id not in page
    assert post(client, f"/teacher/invites/{token.id}/admit").status_code == 404
    assert post(client, f"/teacher/invites/{token.id}/revoke").status_code == 404


@pytest.mark.parametrize("typed", ["ZZZZ-ZZZZ-ZZ", "abc", "K7PX-2QMD-9F-EXTRA", "<script>alert(1)</script>"])
def test_unknown_or_malformed_codes_say_unknown(client, world, typed):
    as_person(client, world.users["teacher"])
    page = check(client, typed).get_data(as_text=True)
    assert "Unknown code" in page
    assert "<script>alert(1)</script>" not in page


def test_an_empty_code_asks_for_one(client, world):
    as_person(client, world.users["teacher"])
    assert "Please type the invite code" in check(client, "").get_data(as_text=True)


def test_removal_ends_the_code_and_blocks_a_new_one_until_readmitted(client, app, eligible):
    parent_client = app.test_client()
    as_person(parent_client, eligible.users["parent"])
    code = get_code(parent_client, eligible.class_a.id)
    parent_id = eligible.users["parent"].id
    base = f"/classes/{eligible.class_a.id}/parents/{parent_id}"

    as_person(client, eligible.users["teacher"])
    post(client, f"{base}/remove")
    assert "Revoked" in check(client, code).get_data(as_text=True)
    refused = post(parent_client, f"/classes/{eligible.class_a.id}/invite", follow_redirects=True)
    assert "removed you from this class group" in refused.get_data(as_text=True)

    post(client, f"{base}/readmit")
    assert get_code(parent_client, eligible.class_a.id)


def test_approval_policy_needs_the_teachers_go_ahead(client, app, eligible):
    as_person(client, eligible.users["teacher"])
    post(
        client,
        f"/classes/{eligible.class_a.id}/settings",
        {"invite_policy": "approval", "invite_valid_hours": "48"},
    )
    parent_client = app.test_client()
    as_person(parent_client, eligible.users["parent"])
    page = parent_client.get(f"/classes/{eligible.class_a.id}/invite").get_data(as_text=True)
    assert "teacher&#39;s go-ahead" in page or "teacher's go-ahead" in page
    class_page = client.get(f"/classes/{eligible.class_a.id}").get_data(as_text=True)
    assert "waiting for your go-ahead" in class_page
    post(client, f"/classes/{eligible.class_a.id}/parents/{eligible.users['parent'].id}/approve")
    get_code(parent_client, eligible.class_a.id)
    token = db.session.scalars(select(InviteToken)).one()
    assert token.expires_at - token.issued_at == timedelta(hours=48)


@pytest.mark.parametrize("hours", ["0", "337", "abc", "", "-5", "1.5"])
def test_bad_settings_are_refused_with_a_message(client, world, hours):
    as_person(client, world.users["teacher"])
    before = db_snapshot()
    response = post(
        client,
        f"/classes/{world.class_a.id}/settings",
        {"invite_policy": "automatic", "invite_valid_hours": hours},
    )
    assert response.status_code == 200
    assert "from 1 to 336" in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_graduation_ends_codes_and_shows_the_group_dissolved(client, app, eligible):
    parent_client = app.test_client()
    as_person(parent_client, eligible.users["parent"])
    code = get_code(parent_client, eligible.class_a.id)
    as_person(client, eligible.users["teacher"])
    unconfirmed = post(client, f"/classes/{eligible.class_a.id}/graduate")
    assert "Please tick the box" in unconfirmed.get_data(as_text=True)
    post(client, f"/classes/{eligible.class_a.id}/graduate", {"confirm": "y"})
    assert "Revoked" in check(client, code).get_data(as_text=True)
    assert "Group dissolved" in parent_client.get("/learn").get_data(as_text=True)
    refused = post(parent_client, f"/classes/{eligible.class_a.id}/invite", follow_redirects=True)
    assert "graduated" in refused.get_data(as_text=True)


def test_verification_is_rate_limited_per_teacher(client, app, world):
    as_person(client, world.users["teacher"])
    app.config["VERIFY_RATE_LIMIT_TEACHER"] = "3 per minute"
    try:
        statuses = [check(client, "ZZZZ-ZZZZ-ZZ").status_code for _ in range(4)]
    finally:
        app.config["VERIFY_RATE_LIMIT_TEACHER"] = "30 per 10 minutes"
    assert statuses == [200, 200, 200, 429]
    other = app.test_client()
    as_person(other, world.users["teacher_other"])
    assert check(other, "ZZZZ-ZZZZ-ZZ").status_code == 200  # another teacher has their own allowance


def test_verification_is_rate_limited_per_client_address(client, app, world):
    """Many teachers behind one address share the client allowance (it stops code guessing
    spread over several accounts)."""
    app.config["VERIFY_RATE_LIMIT_CLIENT"] = "3 per minute"
    try:
        as_person(client, world.users["teacher"])
        first = [check(client, "ZZZZ-ZZZZ-ZZ").status_code for _ in range(2)]
        other = app.test_client()
        as_person(other, world.users["teacher_other"])
        second = [check(other, "ZZZZ-ZZZZ-ZZ") for _ in range(2)]
    finally:
        app.config["VERIFY_RATE_LIMIT_CLIENT"] = "120 per 10 minutes"
    assert first == [200, 200]
    assert [r.status_code for r in second] == [200, 429]
    assert "Too many tries" in second[1].get_data(as_text=True)


def test_a_code_stops_admitting_when_its_parent_stops_being_eligible(client, app, eligible):
    """A new charter version after the code was issued: the check says so and admission waits
    until the parent accepts it; then the same code works."""
    from app.classes.charters import revise_charter

    parent_client = app.test_client()
    as_person(parent_client, eligible.users["parent"])
    code = get_code(parent_client, eligible.class_a.id)
    token = db.session.scalars(select(InviteToken)).one()
    revise_charter(
        eligible.class_a, "New rules {quiet_hours}", "22:00", "07:00", eligible.users["teacher"], utcnow()
    )
    db.session.commit()

    as_person(client, eligible.users["teacher"])
    page = check(client, code).get_data(as_text=True)
    assert "Not admissible now" in page and "current version of the charter" in page
    assert "Admit" not in page
    post(client, f"/teacher/invites/{token.id}/admit")
    db.session.expire_all()
    assert db.session.get(InviteToken, token.id).used_at is None

    post(parent_client, f"/classes/{eligible.class_a.id}/charter/accept")
    assert "Valid" in check(client, code).get_data(as_text=True)
    post(client, f"/teacher/invites/{token.id}/admit")
    db.session.expire_all()
    assert db.session.get(InviteToken, token.id).used_at is not None


def test_no_admission_into_a_graduated_class_even_with_an_open_code(client, eligible):
    from app.invites.services import admit

    token, _ = issue_invite(eligible.users["parent"], eligible.class_a, utcnow())
    eligible.class_a.status = "graduated"  # as if graduation and this code crossed
    db.session.commit()
    assert admit(eligible.users["teacher"], token.id, utcnow()) is None


def test_a_graduation_committed_elsewhere_stops_an_issue_in_flight(app, eligible):
    """The request loaded the class while it was active; another request graduated it since."""
    from sqlalchemy import update

    from app.classes.models import SchoolClass
    from app.invites.services import NotEligible

    school_class = db.session.get(SchoolClass, eligible.class_a.id)
    with db.engine.begin() as other:
        other.execute(update(SchoolClass).where(SchoolClass.id == school_class.id).values(status="graduated"))
    with pytest.raises(NotEligible):
        issue_invite(eligible.users["parent"], school_class, utcnow())
    db.session.rollback()
    assert db.session.scalars(select(InviteToken)).all() == []


def test_a_switched_off_head_teacher_stops_new_codes(client, eligible):
    from app.invites.eligibility import Refusal, eligibility_gaps

    eligible.users["teacher"].active = False
    assert eligibility_gaps(eligible.users["parent"], eligible.class_a, utcnow()) == [Refusal.NO_TEACHER]


def test_a_graduated_class_refuses_reset_links_and_decisions(client, world):
    from app.invites.services import graduate_class

    graduate_class(world.class_a, world.users["teacher"], utcnow())
    db.session.commit()
    as_person(client, world.users["teacher"])
    before = db_snapshot()
    reset = post(client, f"/classes/{world.class_a.id}/parents/{world.users['parent'].id}/reset-link")
    decide = post(client, f"/teacher/approvals/{world.pending_link.id}/approve", follow_redirects=True)
    assert reset.status_code == 302
    assert "graduated" in decide.get_data(as_text=True)
    assert db_snapshot() == before
