"""Staff add teachers, switch accounts off and on, and hand out password links."""

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as
from tests.school.helpers import actions, link_secret

NEW_PASSWORD = "a-fresh-password"


@pytest.fixture
def staff(client, world):
    client.set_cookie("pp_lang", "en")
    sign_in_as(client, world.users["staff"])
    return world.users["staff"]


def login(client, phone, password):
    return post(client, "/login", {"phone": phone, "password": password})


def add_teacher(client, phone="13912345678", name="钱老师"):
    return post(client, "/school/teachers/new", {"real_name": name, "phone": phone})


def test_new_teacher_chooses_a_password_through_the_link_and_signs_in(app, client, world, staff):
    page = add_teacher(client, phone="+86 139-1234-5678")
    assert page.status_code == 200
    teacher = db.session.scalar(select(User).where(User.phone == "13912345678"))
    assert (teacher.role, teacher.school_id, teacher.active) == (Role.TEACHER, world.school.id, True)
    secret = link_secret(page.get_data(as_text=True))

    visitor = app.test_client()
    visitor.set_cookie("pp_lang", "en")
    form = visitor.get(f"/password/{secret}")
    assert form.status_code == 200 and "钱老师" in form.get_data(as_text=True)
    done = post(visitor, f"/password/{secret}", {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert login(visitor, "13912345678", NEW_PASSWORD).headers["Location"] == "/home"
    assert visitor.get("/teacher/approvals").status_code == 200


def test_link_page_is_never_cached_nor_sent_as_referrer(client, staff):
    page = add_teacher(client)
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "in person or in a private message" in page.get_data(as_text=True)
    assert "expires in 72 hours" in page.get_data(as_text=True)


def test_new_teacher_cannot_sign_in_before_choosing_a_password(app, client, staff):
    add_teacher(client)
    visitor = app.test_client()
    visitor.set_cookie("pp_lang", "en")
    page = login(visitor, "13912345678", "!").get_data(as_text=True)
    assert "The mobile number or password is not right" in page


def test_phone_already_used_is_a_field_error_and_nothing_is_created(client, world, staff):
    before = db_snapshot()
    page = add_teacher(client, phone=world.users["parent"].phone)
    assert page.status_code == 200
    assert "This mobile number already has an account." in page.get_data(as_text=True)
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"real_name": " ", "phone": "13912345678"}, "Please enter the teacher's real name."),
        ({"real_name": "钱老师", "phone": "12345"}, "Please enter an 11-digit mainland mobile number"),
        ({"real_name": "钱" * 31, "phone": "13912345678"}, "30 characters or fewer"),
    ],
)
def test_bad_teacher_details_are_refused(client, staff, data, message):
    before = db_snapshot()
    page = post(client, "/school/teachers/new", data)
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert db_snapshot() == before


def test_switched_off_teacher_cannot_sign_in(app, client, world, staff):
    teacher = world.users["teacher"]
    assert post(client, f"/school/teachers/{teacher.id}/deactivate").status_code == 302
    visitor = app.test_client()
    visitor.set_cookie("pp_lang", "en")
    page = login(visitor, teacher.phone, factories.PASSWORD)
    assert page.status_code == 200
    assert "This account has been switched off. Please ask your school." in page.get_data(as_text=True)
    assert visitor.get("/teacher/approvals").status_code == 302


def test_switching_off_ends_a_session_already_open(app, client, world, staff):
    teacher = world.users["teacher"]
    phone = app.test_client()
    sign_in_as(phone, teacher)
    assert phone.get("/teacher/approvals").status_code == 200
    post(client, f"/school/teachers/{teacher.id}/deactivate")
    response = phone.get("/teacher/approvals")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_switched_on_again_teacher_signs_in_with_the_old_password(app, client, world, staff):
    teacher = world.users["teacher"]
    post(client, f"/school/teachers/{teacher.id}/deactivate")
    post(client, f"/school/teachers/{teacher.id}/reactivate")
    assert login(app.test_client(), teacher.phone, factories.PASSWORD).headers["Location"] == "/home"
    assert actions()[-2:] == ["account_deactivated", "account_reactivated"]


def test_switching_off_twice_records_once(client, world, staff):
    teacher = world.users["teacher"]
    post(client, f"/school/teachers/{teacher.id}/deactivate")
    page = post(client, f"/school/teachers/{teacher.id}/deactivate", follow_redirects=True)
    assert "Nothing changed." in page.get_data(as_text=True)
    assert actions().count("account_deactivated") == 1


@pytest.mark.parametrize("action", ["deactivate", "reactivate", "reset-link"])
def test_another_schools_teacher_is_not_found_and_nothing_changes(client, world, staff, action):
    stranger = factories.make_user(Role.TEACHER, "吴老师", school_id=world.other_school.id)
    db.session.commit()
    before = db_snapshot()
    assert post(client, f"/school/teachers/{stranger.id}/{action}").status_code == 404
    assert db_snapshot() == before


@pytest.mark.parametrize("who", ["staff", "parent"])
def test_only_teacher_accounts_can_be_switched_off(client, world, staff, who):
    before = db_snapshot()
    assert post(client, f"/school/teachers/{world.users[who].id}/deactivate").status_code == 404
    assert db_snapshot() == before


@pytest.mark.parametrize(
    "url", ["/school/teachers/abc/deactivate", "/school/teachers/99999999999/reset-link"]
)
def test_bad_ids_are_not_found(client, staff, url):
    assert post(client, url).status_code == 404


def test_reset_link_for_a_switched_off_account_is_refused(client, world, staff):
    teacher = world.users["teacher"]
    post(client, f"/school/teachers/{teacher.id}/deactivate")
    page = post(client, f"/school/teachers/{teacher.id}/reset-link", follow_redirects=True)
    assert "Switch it on first." in page.get_data(as_text=True)
    assert "reset_link" not in actions()


def test_teachers_page_masks_phones_and_names_no_parent(client, world, staff):
    page = client.get("/school/teachers").get_data(as_text=True)
    teacher = world.users["teacher"]
    assert "李老师" in page and f"{teacher.phone[:3]}****{teacher.phone[-4:]}" in page
    assert teacher.phone not in page
    assert "王芳" not in page and "三年级1班" in page


def test_staff_area_is_for_staff_only(client, world):
    for who in ("parent", "teacher", "bureau"):
        sign_in_as(client, world.users[who])
        assert client.get("/school/teachers").status_code == 403


def test_staff_area_needs_sign_in(client):
    response = client.get("/school/classes")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
