"""One account cannot flood a teacher's requests: a few may wait at once, and the page that adds
a child is limited per account."""

from __future__ import annotations

from sqlalchemy import func, select

from app.classes.models import GuardianLink, LinkStatus
from app.extensions import db
from tests.helpers import db_snapshot, post, sign_in_as


def add(client, school_class, child: str):
    return post(
        client,
        "/learn/children/add",
        {
            "join_code": school_class.join_code,
            "child_name": child,
            "relation": "mother",
            "child_consent": "y",
        },
        headers={"Accept-Language": "en"},
    )


def waiting(parent) -> int:
    return db.session.scalar(
        select(func.count()).where(
            GuardianLink.parent_id == parent.id, GuardianLink.status == LinkStatus.PENDING
        )
    )


def test_an_account_may_have_five_requests_waiting(client, world):
    parent = world.users["parent"]
    sign_in_as(client, parent)
    for n in range(5):
        assert add(client, world.class_a, f"孩子{n}").status_code == 302
    before = db_snapshot()
    refused = add(client, world.class_b, "孩子5")
    assert refused.status_code == 200
    assert "5 of your requests are still waiting for teachers" in refused.get_data(as_text=True)
    assert db_snapshot() == before
    assert waiting(parent) == 5


def test_an_answered_request_frees_a_place(client, world):
    from app.classes.services import decide_link
    from app.timeutil import utcnow

    parent = world.users["parent"]
    sign_in_as(client, parent)
    for n in range(5):
        add(client, world.class_a, f"孩子{n}")
    first = db.session.scalars(select(GuardianLink).where(GuardianLink.child_name == "孩子0")).one()
    decide_link(first, world.users["teacher"], False, utcnow())
    db.session.commit()
    assert add(client, world.class_a, "孩子5").status_code == 302


def test_a_confirmed_child_needs_no_place(client, world):
    """The cap is on requests that wait: a child matched on two facts is still linked."""
    from tests import factories

    parent = world.users["parent"]
    sign_in_as(client, parent)
    for n in range(5):
        add(client, world.class_a, f"孩子{n}")
    factories.add_student(world.class_b, "王小红", phone=parent.phone)
    db.session.commit()
    assert add(client, world.class_b, "王小红").status_code == 302


def test_adding_children_is_limited_per_account(app, client, world, settings):
    settings(ADD_CHILD_RATE_LIMIT="3 per hour")
    sign_in_as(client, world.users["parent"])
    answers = [add(client, world.class_a, f"孩子{n}").status_code for n in range(4)]
    assert answers == [302, 302, 302, 429]
    other = app.test_client()
    sign_in_as(other, world.users["parent_other"])
    assert add(other, world.class_b, "孩子9").status_code == 302
