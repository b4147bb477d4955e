"""A new content version while a parent is mid-quiz: nothing breaks, nothing is graded against
questions that changed, and the parent starts again with the new ones."""

from dataclasses import replace

import pytest

from app.extensions import db
from tests import factories
from tests.helpers import post, sign_in_as
from tests.journey_helpers import answers_for, attempts_of, open_attempt, read_course


@pytest.fixture
def parent(client):
    parent = factories.make_parent(factories.make_class(factories.make_school(factories.make_bureau())))
    db.session.commit()
    sign_in_as(client, parent)
    client.set_cookie("pp_lang", "en")
    return parent


@pytest.fixture
def course(client, catalogue, parent):
    course = catalogue.for_audience("parent")[0]
    read_course(client, course)
    return course


@pytest.fixture
def new_version(catalogue):
    """Publish the first parent course again as a newer version, for the length of a test."""
    original = catalogue.for_audience("parent")[0]

    def publish():
        catalogue.courses[original.slug] = replace(original, version="2099.1")

    yield publish
    catalogue.courses[original.slug] = original


def test_an_open_attempt_on_old_questions_is_dropped_and_a_new_one_starts(
    client, parent, course, new_version
):
    old = open_attempt(client, course)
    new_version()
    page = client.get(f"/quiz/{old.id}", follow_redirects=True)
    assert page.status_code == 200
    assert "The questions of this quiz were updated" in page.get_data(as_text=True)
    assert [a.id for a in attempts_of(parent.id)] == []
    fresh = open_attempt(client, course)
    assert fresh.course_version == "2099.1"


def test_submitting_old_questions_grades_nothing(client, parent, course, new_version):
    old = open_attempt(client, course)
    answers = answers_for(old, right=True)
    new_version()
    response = post(client, f"/quiz/{old.id}", answers)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/learn/{course.slug}/quiz")
    assert attempts_of(parent.id) == []


def test_an_old_result_still_opens_without_its_answers(client, parent, course, new_version):
    attempt = open_attempt(client, course)
    post(client, f"/quiz/{attempt.id}", answers_for(attempt, right=False))
    attempt.draw = [{**attempt.draw[0], "q": "retired-99"}, *attempt.draw[1:]]
    for answer in attempt.answers:
        if answer.position == 0:
            answer.question_id = "retired-99"
    db.session.commit()
    new_version()
    page = client.get(f"/quiz/{attempt.id}/result")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Not passed yet" in text
    assert "The questions have been updated since this attempt" in text
    assert course.quiz.question(attempt.draw[1]["q"]).prompt.get("en") not in text
