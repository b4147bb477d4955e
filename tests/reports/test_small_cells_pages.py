"""School staff and the bureau see no class figure of 1 to 4 people, on the page or in its CSV,
and cannot work one out by subtracting the figures they do see (tests/reports/attacker.py tries).
The class's own head teacher still sees it exactly."""

from __future__ import annotations

import csv
import io

import pytest

from app.classes.services import create_class
from app.extensions import db
from tests import factories
from tests.helpers import sign_in_as
from tests.reports.attacker import given_away, page_tables, read_cell

COLUMN = "Guardians registered"
THRESHOLD = 5


@pytest.fixture
def school(world):
    """Grade 3: 三年级1班 with 2 registered (one waiting), 三年级2班 with 1, 三年级3班 with 7;
    grade 4: 四年级1班 with 6."""
    grade3 = factories.make_class(world.school, name="三年级3班")
    grade4 = create_class(world.school.id, 4, "四年级1班", "2026-2027", None)
    for n in range(7):
        factories.make_parent(grade3, child=f"三班{n}", name=f"三班家长{n}")
    for n in range(6):
        factories.make_parent(grade4, child=f"四一{n}", name=f"四一家长{n}")
    db.session.commit()
    return world


def as_person(client, user):
    sign_in_as(client, user)
    client.set_cookie("pp_lang", "en")


def column(rows: list[list[str]], name: str) -> dict[str, int | str]:
    header, *body = rows
    at = header.index(name)
    return {row[0]: read_cell(row[at]) for row in body}


def sums_of(classes: dict, grades: dict, total: object) -> tuple[dict, list]:
    """The cells an attacker reads and how they add up: classes → grades → the school."""
    cells = {("class", k): v for k, v in classes.items() if k != "All"}
    cells |= {("grade", k): v for k, v in grades.items() if k != "All"}
    cells["school"] = total
    by_grade = {"Grade 3": ["三年级1班", "三年级2班", "三年级3班"], "Grade 4": ["四年级1班"]}
    sums = [(("grade", g), [("class", c) for c in members]) for g, members in by_grade.items()]
    sums.append(("school", [("class", c) for c in classes if c != "All"]))
    sums.append(("school", [("grade", g) for g in grades if g != "All"]))
    return cells, sums


def test_the_school_page_hides_small_classes_so_that_no_subtraction_finds_them(client, school):
    as_person(client, school.users["staff"])
    html = client.get(f"/reports/schools/{school.school.id}").get_data(as_text=True)
    tables, figures = page_tables(html)
    classes = column(tables["table-classes"], COLUMN)
    grades = column(tables["table-grades"], COLUMN)
    assert classes["三年级1班"] == classes["三年级2班"] == "small"
    total = read_cell(figures["Guardians registered"])
    assert total == classes["All"] == grades["All"] == 16  # totals stay exact
    cells, sums = sums_of(classes, grades, total)
    assert given_away(cells, sums, [], THRESHOLD) == {}


def test_the_school_csv_gives_nothing_away_either(client, school):
    as_person(client, school.users["staff"])
    base = f"/reports/schools/{school.school.id}"
    classes_csv = list(
        csv.reader(io.StringIO(client.get(f"{base}/classes.csv").get_data().decode("utf-8-sig")))
    )
    grades_csv = list(
        csv.reader(io.StringIO(client.get(f"{base}/grades.csv").get_data().decode("utf-8-sig")))
    )
    classes, grades = column(classes_csv, COLUMN), column(grades_csv, COLUMN)
    assert classes["三年级1班"] == "small"
    assert "2" not in [row[classes_csv[0].index(COLUMN)] for row in classes_csv[1:]]
    cells, sums = sums_of(classes, grades, classes["All"])
    assert given_away(cells, sums, [], THRESHOLD) == {}


def test_the_class_report_agrees_with_the_school_report_for_staff(client, school):
    """One click from the school report: the class's own report hides the same figures."""
    as_person(client, school.users["staff"])
    _tables, figures = page_tables(client.get(f"/reports/classes/{school.class_a.id}").get_data(as_text=True))
    assert read_cell(figures["Guardians registered"]) == "small"


def test_the_head_teacher_sees_their_own_class_exactly(client, school):
    as_person(client, school.users["teacher"])
    _tables, figures = page_tables(client.get(f"/reports/classes/{school.class_a.id}").get_data(as_text=True))
    assert read_cell(figures["Guardians registered"]) == 2


def test_the_bureau_sees_no_small_school_figure(client, school):
    """The other school has no one at all (0 is shown); the district's only school with people is
    exact, as it is not small."""
    lonely = factories.make_school(school.district, "东区第二小学")
    factories.make_parent(factories.make_class(lonely, name="一年级1班"), child="独苗", name="独苗家长")
    db.session.commit()
    as_person(client, school.users["bureau"])
    tables, _figures = page_tables(
        client.get(f"/reports/bureaus/{school.district.id}").get_data(as_text=True)
    )
    schools = column(tables["table-schools"], COLUMN)
    assert schools["东区第二小学"] == "small"
    assert schools["东区第一小学"] != 16  # withheld, or the district total minus it gives the small one
