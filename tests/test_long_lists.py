"""Lists that anyone can make longer come in pages: the teacher's requests, a class's guardians,
a school's teachers and classes, the audit log. One account's flood is declined in one tap."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.classes.models import GuardianLink, LinkStatus
from app.classes.services import link_guardian
from app.extensions import db
from app.timeutil import utcnow
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as


def cards(page: str) -> int:
    return page.count('<section class="card">')


def flood(world, children: int, accounts: int = 1) -> list:
    """`children` waiting requests in class A, spread over `accounts` accounts."""
    parents = [factories.make_user(Role.PARENT, f"家长{n}") for n in range(accounts)]
    for n in range(children):
        link_guardian(parents[n % accounts], world.class_a, f"孩子{n:02d}", "mother", "", utcnow())
    db.session.commit()
    return parents


@pytest.fixture
def teacher(client, world):
    sign_in_as(client, world.users["teacher"])
    client.set_cookie("pp_lang", "en")
    return world.users["teacher"]


def test_the_requests_page_shows_twenty_at_a_time(client, world, teacher):
    flood(world, 29, accounts=6)  # with the world's own waiting request: 30
    first = client.get("/teacher/approvals").get_data(as_text=True)
    second = client.get("/teacher/approvals?page=2").get_data(as_text=True)
    assert cards(first) == 20 and cards(second) == 10
    assert "30 requests waiting." in first
    assert "Page 1 of 2" in first and 'href="/teacher/approvals?page=2"' in first
    assert "Page 2 of 2" in second and 'href="/teacher/approvals?page=1"' in second


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99", "1e9", "２"])
def test_an_odd_page_number_shows_a_page_not_an_error(client, world, teacher, page):
    flood(world, 25, accounts=5)
    response = client.get(f"/teacher/approvals?page={page}")
    assert response.status_code == 200
    assert cards(response.get_data(as_text=True)) in (20, 6)


def test_one_account_is_declined_in_one_tap(client, world, teacher):
    (flooder,) = flood(world, 4)
    page = client.get("/teacher/approvals").get_data(as_text=True)
    assert "Decline all 4 from this account" in page
    answer = post(
        client,
        f"/teacher/approvals/parents/{flooder.id}/decline",
        {"reason": "不认识"},
        follow_redirects=True,
    )
    assert "Declined 4 requests from 家长0." in answer.get_data(as_text=True)
    statuses = db.session.scalars(
        select(GuardianLink.status).where(GuardianLink.parent_id == flooder.id)
    ).all()
    assert statuses == [LinkStatus.REJECTED] * 4
    rejections = select(func.count()).where(
        AuditEvent.action == "link_rejected", AuditEvent.subject_id == flooder.id
    )
    assert db.session.scalar(rejections) == 4
    # The other waiting parent is untouched.
    assert world.pending_link.status == LinkStatus.PENDING


def test_declining_all_leaves_other_teachers_classes_alone(client, world, teacher):
    (flooder,) = flood(world, 2)
    link_guardian(flooder, world.class_b, "别班孩子", "mother", "", utcnow())
    db.session.commit()
    post(client, f"/teacher/approvals/parents/{flooder.id}/decline")
    other = db.session.scalar(select(GuardianLink).where(GuardianLink.child_name == "别班孩子"))
    assert other.status == LinkStatus.PENDING


def test_declining_all_twice_says_nothing_is_left(client, world, teacher):
    (flooder,) = flood(world, 2)
    post(client, f"/teacher/approvals/parents/{flooder.id}/decline")
    before = db_snapshot()
    again = post(client, f"/teacher/approvals/parents/{flooder.id}/decline", follow_redirects=True)
    assert again.status_code == 200
    assert "Nothing from 家长0 is waiting any more." in again.get_data(as_text=True)
    assert db_snapshot() == before


def test_a_parent_of_another_teachers_class_is_not_found(client, world, teacher):
    before = db_snapshot()
    assert (
        post(client, f"/teacher/approvals/parents/{world.users['parent_other'].id}/decline").status_code
        == 404
    )
    assert db_snapshot() == before


def test_the_class_page_lists_guardians_thirty_at_a_time(client, world, teacher):
    for n in range(40):
        factories.make_parent(world.class_a, child=f"学生{n:02d}", name=f"监护人{n:02d}")
    db.session.commit()
    first = client.get(f"/classes/{world.class_a.id}").get_data(as_text=True)
    second = client.get(f"/classes/{world.class_a.id}?page=2").get_data(as_text=True)
    assert first.count('class="card guardian"') == 30 and second.count('class="card guardian"') == 11
    assert "Page 1 of 2" in first
    # The figures at a glance count the whole class, not the page.
    assert re.search(r"<dt>Guardians confirmed</dt><dd>41</dd>", second)


def test_the_class_page_shows_a_few_requests_and_links_to_all(client, world, teacher):
    flood(world, 11, accounts=3)
    page = client.get(f"/classes/{world.class_a.id}").get_data(as_text=True)
    assert page.count("Confirm as guardian") == 5
    assert "See all 12 requests" in page


def test_a_decision_returns_to_the_page_it_was_made_on(client, world, teacher):
    flood(world, 25, accounts=5)
    page = client.get("/teacher/approvals?page=2").get_data(as_text=True)
    assert 'name="next" value="/teacher/approvals?page=2"' in page


def test_school_lists_come_in_pages(client, world):
    for n in range(31):
        factories.make_user(Role.TEACHER, f"教师{n:02d}", school_id=world.school.id)
        factories.make_class(world.school, name=f"{n:02d}班")
    db.session.commit()
    sign_in_as(client, world.users["staff"])
    client.set_cookie("pp_lang", "en")
    teachers = client.get("/school/teachers").get_data(as_text=True)
    classes = client.get("/school/classes?page=2").get_data(as_text=True)
    assert teachers.count("New password link") == 30 and "Page 1 of 2" in teachers
    assert classes.count("Save head teacher") == 3 and "Page 2 of 2" in classes  # 33 classes


def test_the_audit_log_comes_in_pages(client, world, teacher):
    flood(world, 60, accounts=12)
    for link in db.session.scalars(select(GuardianLink).where(GuardianLink.status == LinkStatus.PENDING)):
        from app.classes.services import decide_link

        decide_link(link, teacher, False, utcnow())
    db.session.commit()
    first = client.get("/audit").get_data(as_text=True)
    second = client.get("/audit?page=2").get_data(as_text=True)
    assert first.count("<tr>") - 1 == 50 and second.count("<tr>") - 1 == 11
    assert "Page 2 of 2" in second
