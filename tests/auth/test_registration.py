"""Registering with a class join code: validation, roster matching, one account per phone."""

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.classes.models import GuardianLink
from app.extensions import db
from tests import factories
from tests.helpers import db_snapshot, post


@pytest.fixture
def school_class(client):
    school = factories.make_school(factories.make_bureau())
    school_class = factories.make_class(school)
    factories.add_student(school_class, "王小明", number="20260301", phone="13900001111")
    db.session.commit()
    client.set_cookie("pp_lang", "en")
    return school_class


def form(school_class, **changes) -> dict:
    data = {
        "join_code": school_class.join_code,
        "child_name": "王小明",
        "student_number": "",
        "relation": "father",
        "real_name": "王强",
        "phone": "13900001111",
        "wechat_id": "wangqiang88",
        "password": "a-long-password",
        "privacy_consent": "y",
        "child_consent": "y",
    }
    data.update(changes)
    return data


def link_of(phone: str) -> GuardianLink | None:
    db.session.expire_all()
    return db.session.scalar(select(GuardianLink).join(GuardianLink.parent).where(User.phone == phone))


def test_name_and_roster_phone_approve_at_once(client, school_class):
    assert post(client, "/register", form(school_class)).status_code == 302
    assert link_of("13900001111").status == "approved"


def test_name_and_student_number_approve_at_once(client, school_class):
    post(client, "/register", form(school_class, phone="13700002222", student_number="20260301"))
    assert link_of("13700002222").status == "approved"


def test_name_alone_waits_for_the_teacher(client, school_class):
    post(client, "/register", form(school_class, phone="13700002222"))
    link = link_of("13700002222")
    assert link.status == "pending" and link.student_id is not None


def test_wrong_student_number_waits_for_the_teacher(client, school_class):
    post(client, "/register", form(school_class, phone="13700002222", student_number="99999999"))
    assert link_of("13700002222").status == "pending"


def test_child_not_on_roster_waits_for_the_teacher(client, school_class):
    post(client, "/register", form(school_class, phone="13700002222", child_name="李四"))
    link = link_of("13700002222")
    assert link.status == "pending" and link.student_id is None


def test_password_is_stored_as_argon2id_hash(client, school_class):
    post(client, "/register", form(school_class))
    user = db.session.scalar(select(User).where(User.phone == "13900001111"))
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert "a-long-password" not in user.password_hash


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("join_code", "ZZZZ-ZZZZ", "We could not find a class with this join code"),
        ("join_code", "", "Please enter the join code"),
        ("phone", "12345", "11-digit mainland mobile number"),
        ("phone", "23800138000", "11-digit mainland mobile number"),
        ("password", "short", "at least 8 characters"),
        ("wechat_id", "微信号", "A WeChat ID has 6–20 letters"),
        ("wechat_id", "1abcdef", "A WeChat ID has 6–20 letters"),
        ("real_name", "   ", "Please enter your real name"),
        ("child_name", "", "Please enter your child's full name"),
        ("relation", "uncle-bob", "Please choose one of the options"),
        ("real_name", "名" * 200, "Please keep this to 30 characters or fewer"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, school_class, field, value, message):
    before = db_snapshot()
    response = post(client, "/register", form(school_class, **{field: value}))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_phone_already_registered_is_refused(client, school_class):
    post(client, "/register", form(school_class))
    client.post("/logout", data={"csrf_token": ""})
    client.delete_cookie("pp_session")
    before = db_snapshot()
    response = post(client, "/register", form(school_class, real_name="冒名者"))
    assert "already has an account" in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_join_code_is_forgiving_about_case_spaces_and_lookalikes(client, school_class):
    code = school_class.join_code.lower().replace("0", "o").replace("1", "l")
    post(client, "/register", form(school_class, join_code=f" {code[:4]} - {code[4:]} "))
    assert link_of("13900001111") is not None


def test_registration_is_rate_limited(app, client, school_class):
    app.config["REGISTER_RATE_LIMIT"] = "2 per hour"
    try:
        for phone in ("13700000001", "13700000002"):
            client.delete_cookie("pp_session")
            assert post(client, "/register", form(school_class, phone=phone)).status_code == 302
        client.delete_cookie("pp_session")
        before = db_snapshot()
        blocked = post(client, "/register", form(school_class, phone="13700000003"))
        assert blocked.status_code == 429
        assert "Too many tries" in blocked.get_data(as_text=True)
        assert db_snapshot() == before
    finally:
        app.config["REGISTER_RATE_LIMIT"] = "1000 per hour"


def test_one_account_guards_several_children_in_several_classes(client, school_class):
    post(client, "/register", form(school_class))
    other = factories.make_class(school_class.school, name="五年级3班")
    db.session.commit()
    child = {
        "join_code": other.join_code,
        "child_name": "王小红",
        "student_number": "",
        "relation": "father",
        "child_consent": "y",
    }
    assert post(client, "/learn/children/add", child).status_code == 302
    again = post(client, "/learn/children/add", child)
    assert "already added this child" in again.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.phone == "13900001111"))
    links = db.session.scalars(select(GuardianLink).where(GuardianLink.parent_id == user.id)).all()
    assert {link.class_id for link in links} == {school_class.id, other.id}


def test_a_graduated_class_takes_no_new_parents(client, world):
    from app.invites.services import graduate_class
    from app.timeutil import utcnow

    graduate_class(world.class_a, world.users["teacher"], utcnow())
    db.session.commit()
    client.set_cookie("pp_lang", "en")
    before = db_snapshot()
    response = post(
        client,
        "/register",
        {
            "join_code": world.class_a.join_code,
            "child_name": "王小明",
            "relation": "mother",
            "real_name": "新家长",
            "phone": "13812340000",
            "password": "a-long-password",
            "wechat_id": "newparent1",
        },
    )
    assert "no longer takes new parents" in response.get_data(as_text=True)
    assert db_snapshot() == before
