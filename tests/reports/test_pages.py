"""The report pages and exports: who sees what, what the exports hold, odd filters."""

import csv
import io

import pytest

from app.extensions import db
from tests import factories
from tests.helpers import sign_in_as


def as_person(client, user):
    sign_in_as(client, user)
    client.set_cookie("pp_lang", "en")


@pytest.fixture
def progress(world):
    factories.make_eligible(world.users["parent"], world.class_a)
    db.session.commit()
    return world


def test_staff_see_their_school_without_any_parent_name(client, progress):
    as_person(client, progress.users["staff"])
    page = client.get(f"/reports/schools/{progress.school.id}").get_data(as_text=True)
    assert "三年级1班" in page and "三年级2班" in page
    for name in ("王芳", "刘强", "陈静"):
        assert name not in page
    assert "What the figures mean" in page and "<svg" in page and "<script" not in page
    class_page = client.get(f"/reports/classes/{progress.class_a.id}").get_data(as_text=True)
    assert "王芳" not in class_page and "Who is where" not in class_page


def test_only_the_head_teacher_sees_names_on_the_class_report(client, progress):
    as_person(client, progress.users["teacher"])
    page = client.get(f"/reports/classes/{progress.class_a.id}").get_data(as_text=True)
    assert "Who is where" in page
    assert "王芳" in page  # certified, no invite code yet


def test_scopes(client, progress):
    as_person(client, progress.users["staff_other"])
    assert client.get(f"/reports/schools/{progress.school.id}").status_code == 404
    assert client.get(f"/reports/classes/{progress.class_a.id}").status_code == 404
    as_person(client, progress.users["bureau_other"])
    assert client.get(f"/reports/schools/{progress.school.id}").status_code == 404
    assert client.get(f"/reports/bureaus/{progress.district.id}").status_code == 404
    assert client.get(f"/reports/bureaus/{progress.city.id}").status_code == 404  # above, not beneath
    as_person(client, progress.users["bureau"])
    assert client.get(f"/reports/schools/{progress.other_school.id}").status_code == 404
    assert client.get(f"/reports/schools/{progress.school.id}").status_code == 200


def test_a_city_bureau_drills_down_to_districts_and_schools(client, progress):
    city_user = factories.make_user("bureau", "市科长", bureau_id=progress.city.id)
    db.session.commit()
    as_person(client, city_user)
    page = client.get(f"/reports/bureaus/{progress.city.id}").get_data(as_text=True)
    assert "东区教育局" in page and "西区教育局" in page
    assert f"/reports/bureaus/{progress.district.id}" in page
    district = client.get(f"/reports/bureaus/{progress.district.id}").get_data(as_text=True)
    assert f"/reports/schools/{progress.school.id}" in district and "西区第一小学" not in district


def read_csv(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_class_table_export(client, progress, settings):
    """The export's shape and figures (small cells are in tests/reports/test_small_cells_pages.py:
    with a threshold of 1 nothing is small)."""
    settings(REPORT_SMALL_CELL=1)
    as_person(client, progress.users["staff"])
    response = client.get(f"/reports/schools/{progress.school.id}/classes.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    header, *body, totals = rows
    assert header[0] == "Class" and "Students" in header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert by_name["三年级1班"]["Guardians registered"] == "2"  # the approved and the waiting parent
    assert by_name["三年级1班"]["Certified guardians"] == "1"
    assert by_name["三年级2班"]["Certified guardians"] == "0"
    assert totals[0] == "All" and dict(zip(header, totals, strict=True))["Guardians registered"] == "3"
    assert dict(zip(header, totals, strict=True))["Certified, of registered (%)"] == "33.3"


def test_the_grade_filter_applies_to_the_export(client, progress):
    as_person(client, progress.users["staff"])
    header, *body = read_csv(client.get(f"/reports/schools/{progress.school.id}/classes.csv?grade=5"))
    assert body == [["All", "0", "0", "0", "0.0", "0.0", "0", "0"]]  # no class in grade 5: only zeros


def test_a_city_wide_export_streams(client, progress):
    as_person(client, progress.users["bureau"])
    response = client.get(f"/reports/bureaus/{progress.district.id}/all-classes.csv")
    assert response.is_streamed
    header, *body, totals = read_csv(response)
    assert header[:3] == ["Class", "School", "Grade"] and len(body) == 2 and totals[0] == "All"


@pytest.mark.parametrize(
    "query",
    [
        "grade=abc",
        "grade=99",
        "from=yesterday",
        "to=2026-13-45",
        "sort=evil",
        "dir=sideways",
        "page=²",
        "from=1900-01-01",
        "grade=%00",
    ],
)
def test_odd_filters_fall_back_with_a_note(client, progress, query):
    as_person(client, progress.users["staff"])
    response = client.get(f"/reports/schools/{progress.school.id}?{query}")
    assert response.status_code == 200


def test_unknown_tables_are_not_found(client, progress):
    as_person(client, progress.users["staff"])
    assert client.get(f"/reports/schools/{progress.school.id}/nonsense.csv").status_code == 404
    as_person(client, progress.users["teacher"])
    assert client.get(f"/reports/classes/{progress.class_a.id}/questions.csv").status_code == 404


def test_figures_follow_what_people_do_on_the_site(client, world):
    """Through the pages, not the factories: reading the first lesson and accepting the charter
    show in the class's roll-up at once."""
    from app.reports.models import ClassRollup
    from tests.helpers import post

    parent = world.users["parent"]
    factories.certify(parent)
    for course in ("etiquette", "scams", "law"):
        db.session.add(factories_attempt(parent.id, course))
    db.session.commit()
    sign_in_as(client, parent)
    post(client, "/learn/etiquette/why-rules/read")
    post(client, f"/classes/{world.class_a.id}/charter/accept")
    db.session.expire_all()
    row = db.session.get(ClassRollup, world.class_a.id)
    assert (row.learning, row.passed, row.charter_accepted) == (1, 1, 1)


def factories_attempt(user_id: int, course: str):
    from app.quizzes.models import QuizAttempt
    from app.timeutil import utcnow

    now = utcnow()
    return QuizAttempt(
        user_id=user_id,
        course_slug=course,
        course_version="t",
        draw=[],
        total=6,
        score=6,
        passed=True,
        started_at=now,
        submitted_at=now,
    )
