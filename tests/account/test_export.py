"""The account page and "Download my data": everything about the person, nothing about anyone else."""

import json

import pytest
from sqlalchemy import select

from app.auth.models import UserSession
from app.content.notice import notice_version
from app.extensions import db
from app.invites.models import InviteToken
from tests.helpers import sign_in_as


def download(client, user) -> tuple[dict, str]:
    sign_in_as(client, user)
    response = client.get("/account/data.json")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    return json.loads(text), text


def test_the_download_is_a_file_that_is_never_cached(client, family):
    sign_in_as(client, family.parent)
    response = client.get("/account/data.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="parentpass-my-data-')
    assert response.headers["Cache-Control"] == "no-store"


def test_the_download_holds_the_parents_account_and_children(client, family):
    data, _text = download(client, family.parent)
    account = data["account"]
    assert (account["real_name"], account["phone"], account["wechat_id"]) == (
        "王芳",
        family.parent.phone,
        family.parent.wechat_id,
    )
    assert data["privacy_notice_version"] == notice_version()
    [link] = data["guardian_links"]
    assert link["child_name"] == "王小明" and link["class"] == "三年级1班" and link["status"] == "approved"
    assert link["relation"] == "mother" and link["matched_to_class_list"] is True


def test_the_download_holds_the_learning_record_and_the_group(client, family):
    data, _text = download(client, family.parent)
    assert len(data["lesson_reads"]) == 1
    [attempt] = data["quiz_attempts"]
    assert (attempt["score"], attempt["total"], attempt["passed"]) == (2, 2, True)
    assert attempt["submitted_at"] and len(attempt["answers"]) == 2
    assert [c["number"] for c in data["certificates"]] == [family.certificate.number]
    assert [(a["class"], a["charter_version"]) for a in data["charter_acceptances"]] == [("三年级1班", 1)]
    assert [(t["class"], t["state"]) for t in data["invite_codes"]] == [("三年级1班", "used")]
    assert data["group_memberships"][0]["joined_at"]
    assert [p["purpose"] for p in data["password_links"]] == ["reset"]
    assert len(data["sign_in_sessions"]) == 2  # the fixture's and this test's
    actions = {(e["action"], tuple(e["you_were"])) for e in data["audit_events"]}
    assert ("admitted", ("subject",)) in actions and ("invite_issued", ("actor", "subject")) in actions


def test_the_download_holds_no_hash_and_no_secret(client, family):
    _data, text = download(client, family.parent)
    token_hash = db.session.scalars(
        select(InviteToken.token_hash).where(InviteToken.parent_id == family.parent.id)
    )
    session_hashes = db.session.scalars(
        select(UserSession.token_hash).where(UserSession.user_id == family.parent.id)
    )
    for secret in (family.parent.password_hash, *token_hash, *session_hashes, family.code):
        assert secret not in text
    assert "password_hash" not in text and "token_hash" not in text and '"draw"' not in text


@pytest.mark.parametrize("person", ["parent", "teacher"])
def test_the_download_holds_nothing_of_another_parent(client, family, person):
    other = family.other
    _data, text = download(client, family.world.users[person])
    for foreign in (other.real_name, other.phone, other.wechat_id, "刘洋", "陈静", "陈一一", "三年级2班"):
        assert foreign not in text
    if person == "teacher":  # the teacher admitted 王芳 and gave her a reset link: she is not named
        assert "王芳" not in text and family.parent.phone not in text and "王小明" not in text


def test_the_account_page_shows_what_is_held_and_what_can_be_done(client, family):
    sign_in_as(client, family.parent)
    client.set_cookie("pp_lang", "en")
    response = client.get("/account")
    page = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "王芳" in page and family.parent.wechat_id in page and "王小明" in page and "三年级1班" in page
    assert 'href="/account/data.json"' in page
    assert 'action="/logout/everywhere"' in page
    assert 'href="/account/delete"' in page
    assert "刘强" not in page


def test_a_teacher_is_told_that_the_school_switches_accounts_off(client, family):
    sign_in_as(client, family.world.users["teacher"])
    client.set_cookie("pp_lang", "en")
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/account/data.json"' in page and 'href="/account/delete"' not in page
    assert "managed by your school" in page


def test_every_signed_in_page_links_the_account_and_every_page_the_notice(client, family):
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)
    sign_in_as(client, family.parent)
    page = client.get("/learn").get_data(as_text=True)
    assert 'action="/account"' in page and 'href="/privacy"' in page


@pytest.mark.parametrize("url", ["/account", "/account/data.json", "/account/delete"])
def test_someone_not_signed_in_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
