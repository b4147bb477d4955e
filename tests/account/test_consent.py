"""Two separate, unticked consents at registration (the notice; the guardian's separate consent
for the child), the second again when adding a child; both recorded with the notice version."""

import re

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.classes.models import GuardianLink
from app.content.notice import notice_version
from app.extensions import db
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as

PHONE = "13700002222"


@pytest.fixture
def school_class(client):
    school = factories.make_school(factories.make_bureau())
    school_class = factories.make_class(school)
    factories.add_student(school_class, "王小明", number="20260301")
    db.session.commit()
    client.set_cookie("pp_lang", "en")
    return school_class


def registration(school_class, **changes) -> dict:
    data = {
        "join_code": school_class.join_code,
        "child_name": "王小明",
        "student_number": "20260301",
        "relation": "father",
        "real_name": "王强",
        "phone": PHONE,
        "wechat_id": "wangqiang88",
        "password": "a-long-password",
        "privacy_consent": "y",
        "child_consent": "y",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def checkbox(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


def test_the_form_has_two_separate_unticked_boxes_and_links_the_notice(client, school_class):
    page = client.get("/register").get_data(as_text=True)
    for name in ("privacy_consent", "child_consent"):
        box = checkbox(page, name)
        assert 'type="checkbox"' in box and "checked" not in box
    assert 'href="/privacy"' in page
    assert "privacy notice" in page and "child under 14" in page


@pytest.mark.parametrize(
    ("refused", "message"),
    [
        ("privacy_consent", "Please tick this box to agree to the privacy notice."),
        ("child_consent", "Please tick this box to agree, as the guardian,"),
    ],
)
def test_refusing_a_consent_shows_why_at_the_box_and_creates_nothing(client, school_class, refused, message):
    before = db_snapshot()
    response = post(client, "/register", registration(school_class, **{refused: None}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{refused}-error">([^<]*)</p>', page)
    assert error and message in error.group(1).replace("&#39;", "'")
    box = checkbox(page, refused)
    assert 'aria-invalid="true"' in box and f'aria-describedby="{refused}-error"' in box
    assert db_snapshot() == before


def test_both_consents_are_recorded_with_the_notice_version(client, school_class):
    assert post(client, "/register", registration(school_class)).status_code == 302
    user = db.session.scalar(select(User).where(User.phone == PHONE))
    link = db.session.scalar(select(GuardianLink).where(GuardianLink.parent_id == user.id))
    assert user.privacy_consent_at is not None and user.privacy_version == notice_version() == "2026-11"
    assert link.child_consent_at == user.privacy_consent_at
    assert link.child_consent_version == notice_version()


def test_the_account_page_shows_the_consent_given(client, school_class):
    post(client, "/register", registration(school_class))
    page = client.get("/account").get_data(as_text=True)
    assert "Agreed on" in page and "version 2026-11" in page
    assert "your consent as guardian:" in page


def test_adding_a_child_asks_again_for_the_guardians_consent(client, school_class):
    parent = factories.make_parent(school_class, "王小明")
    other = factories.make_class(school_class.school, name="五年级3班")
    db.session.commit()
    sign_in_as(client, parent)
    page = client.get("/learn/children/add").get_data(as_text=True)
    assert "checked" not in checkbox(page, "child_consent") and 'href="/privacy"' in page
    child = {"join_code": other.join_code, "child_name": "王小红", "student_number": "", "relation": "mother"}
    before = db_snapshot()
    refused = post(client, "/learn/children/add", child)
    assert refused.status_code == 200 and 'id="child_consent-error"' in refused.get_data(as_text=True)
    assert db_snapshot() == before
    assert post(client, "/learn/children/add", child | {"child_consent": "y"}).status_code == 302
    link = db.session.scalar(select(GuardianLink).where(GuardianLink.class_id == other.id))
    assert link.child_consent_at is not None and link.child_consent_version == notice_version()
