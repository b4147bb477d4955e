"""Issuing invite codes: only to a parent eligible for that class at that moment."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.classes.models import InvitePolicy
from app.classes.services import charter_body, current_charter
from app.extensions import db
from app.invites.eligibility import Refusal, eligibility_gaps
from app.invites.models import InviteToken
from app.invites.queries import INVITE_CODE_LENGTH, find_token
from app.invites.services import NotEligible, approve_invite, issue_invite, remove_member
from app.timeutil import utcnow
from tests import factories


def token_count() -> int:
    return db.session.scalar(select(func.count()).select_from(InviteToken))


def test_an_eligible_parent_gets_a_code_of_ten_crockford_characters(world):
    parent = factories.make_eligible(world.users["parent"], world.class_a)
    token, code = issue_invite(parent, world.class_a, utcnow())
    assert len(code) == INVITE_CODE_LENGTH
    assert set(code) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert token.wechat_id == parent.wechat_id
    assert token.class_id == world.class_a.id and token.parent_id == parent.id
    assert token.expires_at - token.issued_at == timedelta(hours=72)


def test_only_a_keyed_hash_of_the_code_is_stored(world):
    parent = factories.make_eligible(world.users["parent"], world.class_a)
    token, code = issue_invite(parent, world.class_a, utcnow())
    db.session.commit()
    stored = db.session.execute(select(InviteToken.__table__)).one()._asdict()
    assert all(code not in str(value) for value in stored.values())
    assert token.key_id == "t1" and len(token.token_hash) == 64
    assert find_token(code.lower()[:4] + "-" + code[4:]) == token


@pytest.mark.parametrize(
    ("prepare", "reason"),
    [
        (lambda w, p: factories.accept_charter_of(p, w.class_a), Refusal.NOT_CERTIFIED),
        (lambda w, p: factories.certify(p), Refusal.CHARTER_NOT_ACCEPTED),
    ],
)
def test_a_parent_missing_a_step_gets_no_code(world, prepare, reason):
    parent = world.users["parent"]
    prepare(world, parent)
    db.session.commit()
    before = token_count()
    with pytest.raises(NotEligible) as refused:
        issue_invite(parent, world.class_a, utcnow())
    assert reason in refused.value.reasons
    assert token_count() == before


def test_expired_certificate_means_not_certified(world):
    parent = world.users["parent"]
    factories.certify(parent, days_left=-1)
    factories.accept_charter_of(parent, world.class_a)
    assert eligibility_gaps(parent, world.class_a, utcnow()) == [Refusal.NOT_CERTIFIED]


def test_a_pending_guardian_link_is_not_enough(world):
    waiting = world.pending_link.parent
    factories.make_eligible(waiting, world.class_a)
    assert Refusal.LINK_NOT_APPROVED in eligibility_gaps(waiting, world.class_a, utcnow())


def test_a_parent_of_another_class_gets_no_code_for_this_one(world):
    other = factories.make_eligible(world.users["parent_other"], world.class_a)
    assert Refusal.LINK_NOT_APPROVED in eligibility_gaps(other, world.class_a, utcnow())


def test_a_new_charter_version_needs_a_new_acceptance(world):
    from app.classes.models import Charter

    parent = factories.make_eligible(world.users["parent"], world.class_a)
    db.session.add(Charter(class_id=world.class_a.id, version=2, body_md="new rules {quiet_hours}"))
    db.session.flush()
    assert eligibility_gaps(parent, world.class_a, utcnow()) == [Refusal.CHARTER_NOT_ACCEPTED]
    assert "21:30–07:00" in charter_body(current_charter(world.class_a.id), "")


def test_a_removed_parent_gets_no_code_until_readmitted(world):
    from app.invites.services import readmit_member

    parent = factories.make_eligible(world.users["parent"], world.class_a)
    teacher = world.users["teacher"]
    remove_member(teacher, world.class_a, parent, utcnow())
    assert eligibility_gaps(parent, world.class_a, utcnow()) == [Refusal.REMOVED]
    readmit_member(teacher, world.class_a, parent, utcnow())
    assert eligibility_gaps(parent, world.class_a, utcnow()) == []


def test_approval_policy_waits_for_the_teacher(world):
    parent = factories.make_eligible(world.users["parent"], world.class_a)
    world.class_a.invite_policy = InvitePolicy.APPROVAL
    assert eligibility_gaps(parent, world.class_a, utcnow()) == [Refusal.AWAITING_APPROVAL]
    approve_invite(world.users["teacher"], world.class_a, parent, utcnow())
    assert eligibility_gaps(parent, world.class_a, utcnow()) == []


def test_school_can_require_the_teachers_certificate(world):
    parent = factories.make_eligible(world.users["parent"], world.class_a)
    world.school.require_teacher_certificate = True
    assert eligibility_gaps(parent, world.class_a, utcnow()) == [Refusal.TEACHER_NOT_CERTIFIED]
    factories.certify(world.users["teacher"])
    assert eligibility_gaps(parent, world.class_a, utcnow()) == []


def test_asking_again_replaces_the_code_and_ends_the_old(world):
    parent = factories.make_eligible(world.users["parent"], world.class_a)
    first, first_code = issue_invite(parent, world.class_a, utcnow())
    second, second_code = issue_invite(parent, world.class_a, utcnow())
    db.session.expire_all()
    assert first.revoked_at is not None and first.revoke_reason == "replaced"
    assert second.revoked_at is None
    assert find_token(first_code).state(utcnow()) == "revoked"
    assert first_code != second_code


def test_validity_follows_the_class_setting(world):
    parent = factories.make_eligible(world.users["parent"], world.class_a)
    world.class_a.invite_valid_hours = 336
    token, _ = issue_invite(parent, world.class_a, utcnow())
    assert token.expires_at - token.issued_at == timedelta(days=14)


def test_rotated_key_keeps_old_codes_working(app, world):
    parent = factories.make_eligible(world.users["parent"], world.class_a)
    app.config["TOKEN_KEY_ID"] = "t0"
    try:
        token, code = issue_invite(parent, world.class_a, utcnow())
    finally:
        app.config["TOKEN_KEY_ID"] = "t1"
    assert token.key_id == "t0"
    assert find_token(code) == token
    del app.config["TOKEN_KEYS"]["t0"]
    try:
        assert find_token(code) is None  # a retired key no longer verifies anything
    finally:
        app.config["TOKEN_KEYS"]["t0"] = "test-token-key-zero"


def test_graduated_class_issues_nothing(world):
    from app.invites.services import graduate_class

    parent = factories.make_eligible(world.users["parent"], world.class_a)
    token, _ = issue_invite(parent, world.class_a, utcnow())
    graduate_class(world.class_a, world.users["teacher"], utcnow())
    db.session.commit()
    assert token.revoked_at is not None and token.revoke_reason == "graduated"
    assert eligibility_gaps(parent, world.class_a, utcnow()) == [Refusal.GRADUATED]
