"""Staff create classes, assign head teachers, roll the school year over and set the school's rule."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.classes.models import Charter, ClassStatus, SchoolClass
from app.extensions import db
from app.orgs.models import School
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as
from tests.school.helpers import actions


@pytest.fixture
def staff(client, world):
    client.set_cookie("pp_lang", "en")
    sign_in_as(client, world.users["staff"])
    return world.users["staff"]


def fresh(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def class_form(**changes) -> dict:
    data = {"grade": "1", "name": "一年级3班", "school_year": "2026-2027", "head_teacher_id": ""}
    data.update(changes)
    return data


def test_classes_page_shows_classes_teachers_and_no_parent(client, world, staff):
    page = client.get("/school/classes").get_data(as_text=True)
    assert "三年级1班" in page and "三年级2班" in page and "李老师" in page
    assert "王芳" not in page and "刘强" not in page and "陈静" not in page
    assert "not yet" in page  # neither head teacher is certified


def test_staff_of_another_school_sees_none_of_these_classes(client, world):
    sign_in_as(client, world.users["staff_other"])
    page = client.get("/school/classes").get_data(as_text=True)
    assert "三年级1班" not in page and "李老师" not in page


def test_creating_a_class_gives_it_a_charter_and_an_audit_row(client, world, staff):
    teacher = world.users["teacher_other"]
    response = post(client, "/school/classes/new", class_form(head_teacher_id=str(teacher.id)))
    assert response.status_code == 302
    created = db.session.scalar(select(SchoolClass).where(SchoolClass.name == "一年级3班"))
    assert (created.school_id, created.grade, created.school_year) == (world.school.id, 1, "2026-2027")
    assert created.head_teacher_id == teacher.id and len(created.join_code) == 8
    assert db.session.scalar(select(Charter.version).where(Charter.class_id == created.id)) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "class_created"))
    assert (event.class_id, event.school_id, event.actor_id) == (created.id, world.school.id, staff.id)


def test_a_class_can_start_without_a_head_teacher(client, staff):
    post(client, "/school/classes/new", class_form(school_year=" 2027 – 2028 "))
    created = db.session.scalar(select(SchoolClass).where(SchoolClass.name == "一年级3班"))
    assert created.head_teacher_id is None and created.school_year == "2027-2028"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"grade": "13"}, "Please choose one of the options."),
        ({"grade": "abc"}, "Please choose one of the options."),
        ({"name": "   "}, "Please enter the class name."),
        ({"name": "班" * 31}, "30 characters or fewer"),
        ({"school_year": "2026-2028"}, "two years in a row"),
        ({"school_year": "26-27"}, "two years in a row"),
        ({"school_year": "2026"}, "two years in a row"),
        ({"head_teacher_id": "abc"}, "Please choose one of the options."),
    ],
)
def test_bad_class_details_are_refused(client, staff, changes, message):
    before = db_snapshot()
    page = post(client, "/school/classes/new", class_form(**changes))
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert db_snapshot() == before


@pytest.mark.parametrize("who", ["other_school_teacher", "switched_off", "staff"])
def test_head_teacher_must_be_an_active_teacher_of_the_school(client, world, staff, who):
    people = {
        "other_school_teacher": lambda: factories.make_user(Role.TEACHER, school_id=world.other_school.id),
        "switched_off": lambda: factories.make_user(Role.TEACHER, school_id=world.school.id, active=False),
        "staff": lambda: staff,
    }
    person = people[who]()
    db.session.commit()
    before = db_snapshot()
    page = post(client, "/school/classes/new", class_form(head_teacher_id=str(person.id)))
    assert "Please choose one of the options." in page.get_data(as_text=True)
    assert db_snapshot() == before


def test_handing_a_class_over_records_from_and_to(client, world, staff):
    old, new = world.users["teacher"], world.users["teacher_other"]
    response = post(client, f"/school/classes/{world.class_a.id}/teacher", {"teacher_id": str(new.id)})
    assert response.status_code == 302
    assert fresh(world.class_a).head_teacher_id == new.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "teacher_assigned"))
    assert event.detail == {"from_id": old.id, "to_id": new.id} and event.subject_id == new.id


def test_an_empty_choice_leaves_the_class_without_a_head_teacher(client, world, staff):
    post(client, f"/school/classes/{world.class_a.id}/teacher", {"teacher_id": ""})
    assert fresh(world.class_a).head_teacher_id is None
    assert actions()[-1] == "teacher_assigned"


def test_choosing_the_same_teacher_changes_nothing(client, world, staff):
    before = db_snapshot()
    teacher_id = str(world.users["teacher"].id)
    page = post(
        client,
        f"/school/classes/{world.class_a.id}/teacher",
        {"teacher_id": teacher_id},
        follow_redirects=True,
    )
    assert "Nothing changed." in page.get_data(as_text=True)
    assert db_snapshot() == before


@pytest.mark.parametrize("value", ["abc", "0", "99999", "-1", "1 OR 1=1"])
def test_an_unknown_teacher_is_refused(client, world, staff, value):
    before = db_snapshot()
    page = post(
        client, f"/school/classes/{world.class_a.id}/teacher", {"teacher_id": value}, follow_redirects=True
    )
    assert "Please choose one of the school&#39;s active teachers." in page.get_data(as_text=True)
    assert db_snapshot() == before


def test_another_schools_teacher_cannot_head_a_class(client, world, staff):
    stranger = factories.make_user(Role.TEACHER, school_id=world.other_school.id)
    db.session.commit()
    before = db_snapshot()
    post(client, f"/school/classes/{world.class_a.id}/teacher", {"teacher_id": str(stranger.id)})
    assert db_snapshot() == before


def test_another_schools_staff_gets_not_found_and_nothing_changes(client, world):
    sign_in_as(client, world.users["staff_other"])
    before = db_snapshot()
    response = post(client, f"/school/classes/{world.class_a.id}/teacher", {"teacher_id": ""})
    assert response.status_code == 404
    assert db_snapshot() == before


def test_a_graduated_class_keeps_its_head_teacher(client, world, staff):
    world.class_a.status = ClassStatus.GRADUATED
    db.session.commit()
    before = db_snapshot()
    page = post(
        client, f"/school/classes/{world.class_a.id}/teacher", {"teacher_id": ""}, follow_redirects=True
    )
    assert "has graduated" in page.get_data(as_text=True)
    assert db_snapshot() == before


def test_rollover_page_explains_what_will_happen(client, staff):
    page = client.get("/school/rollover").get_data(as_text=True)
    assert "2 active classes of 2026-2027 move to 2027-2028" in page
    assert 'value="2026-2027"' in page


def test_rollover_moves_classes_once_even_when_posted_twice(client, world, staff):
    join_code = world.class_a.join_code
    assert post(client, "/school/rollover", {"from_year": "2026-2027"}).status_code == 302
    again = post(client, "/school/rollover", {"from_year": "2026-2027"}, follow_redirects=True)
    assert "Nothing was moved" in again.get_data(as_text=True)
    for school_class in (fresh(world.class_a), fresh(world.class_b)):
        assert (school_class.grade, school_class.school_year) == (4, "2027-2028")
    assert fresh(world.class_a).join_code == join_code
    assert fresh(world.class_a).head_teacher_id == world.users["teacher"].id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "classes_rolled_over")).one()
    assert event.school_id == world.school.id
    assert event.detail == {"from_year": "2026-2027", "to_year": "2027-2028", "classes": 2}


def test_rollover_leaves_graduated_top_grade_and_other_schools_classes(client, world, staff):
    world.class_b.status = ClassStatus.GRADUATED
    top = factories.create_class(world.school.id, 12, "高三1班", "2026-2027", None)
    elsewhere = factories.make_class(world.other_school, name="西区三年级1班")
    db.session.commit()
    post(client, "/school/rollover", {"from_year": "2026-2027"})
    assert (fresh(world.class_a).grade, fresh(world.class_b).grade) == (4, 3)
    assert (fresh(top).grade, fresh(top).school_year) == (12, "2026-2027")
    assert fresh(elsewhere).school_year == "2026-2027"


@pytest.mark.parametrize("year", ["2025-2026", "2026-2028", "garbage", "", "2026-2027" * 3])
def test_rollover_of_a_year_that_is_not_the_newest_moves_nothing(client, staff, year):
    before = db_snapshot()
    assert post(client, "/school/rollover", {"from_year": year}).status_code in (200, 302)
    assert db_snapshot() == before


def test_certificate_rule_can_be_switched_on_and_off(client, world, staff):
    post(client, "/school/settings", {"require_teacher_certificate": "y"})
    assert fresh(world.school).require_teacher_certificate is True
    assert "checked" in client.get("/school/classes").get_data(as_text=True)
    post(client, "/school/settings", {})
    assert fresh(world.school).require_teacher_certificate is False
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "school_settings").order_by(AuditEvent.id)
    ).all()
    assert [e.detail for e in events] == [
        {"require_teacher_certificate": 1},
        {"require_teacher_certificate": 0},
    ]
    assert {e.school_id for e in events} == {world.school.id}


def test_settings_of_one_school_leave_the_other_alone(client, world):
    sign_in_as(client, world.users["staff_other"])
    post(client, "/school/settings", {"require_teacher_certificate": "y"})
    assert db.session.get(School, world.school.id).require_teacher_certificate is False
    assert fresh(world.other_school).require_teacher_certificate is True


@pytest.mark.parametrize("url", ["/school/classes/abc/teacher", "/school/classes/0/teacher"])
def test_bad_class_ids_are_not_found(client, staff, url):
    assert post(client, url, {"teacher_id": ""}).status_code == 404


def test_a_switched_off_head_teacher_is_shown_and_not_silently_unassigned(client, world, staff):
    teacher = world.users["teacher"]
    teacher.active = False
    db.session.commit()
    page = client.get("/school/classes").get_data(as_text=True)
    assert f'<option selected value="{teacher.id}">李老师 (switched off)</option>' in page
    before = db_snapshot()
    post(client, f"/school/classes/{world.class_a.id}/teacher", {"teacher_id": str(teacher.id)})
    assert db_snapshot() == before
