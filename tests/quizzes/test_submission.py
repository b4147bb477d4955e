"""Bad quiz submissions are refused with a clear message and change nothing."""

import pytest
from markupsafe import escape

from app.extensions import db
from tests import factories
from tests.helpers import db_snapshot, post, sign_in_as
from tests.journey_helpers import answers_for, open_attempt, read_course


@pytest.fixture
def parent_with_attempt(client, catalogue):
    school = factories.make_school(factories.make_bureau())
    parent = factories.make_parent(factories.make_class(school))
    db.session.commit()
    sign_in_as(client, parent)
    course = catalogue.for_audience("parent")[0]
    read_course(client, course)
    client.set_cookie("pp_lang", "en")
    return parent, open_attempt(client, course)


def test_quiz_page_does_not_reveal_the_right_choice(client, parent_with_attempt, catalogue):
    _, attempt = parent_with_attempt
    page = client.get(f"/quiz/{attempt.id}").get_data(as_text=True)
    for item in attempt.draw:
        for token, key in item["choices"]:
            assert f'value="{token}"' in page
            assert f'value="{key}"' not in page
    assert "correct" not in page.lower()
    assert "explanation" not in page.lower()


def assert_refused(client, attempt, answers, message: str) -> None:
    """The submission gets a 400 with `message`, and the database is as it was."""
    before = db_snapshot()
    response = post(client, f"/quiz/{attempt.id}", answers)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_missing_answer_is_refused_and_records_nothing(client, parent_with_attempt):
    _, attempt = parent_with_attempt
    answers = answers_for(attempt, right=True)
    answers.pop("q1")
    assert_refused(client, attempt, answers, "Please answer this question.")


def test_tampered_choice_is_refused_and_records_nothing(client, parent_with_attempt):
    _, attempt = parent_with_attempt
    answers = answers_for(attempt, right=True)
    answers["q0"] = ["0"]
    assert_refused(client, attempt, answers, "This answer is not one of the choices")


def test_token_from_another_question_is_refused(client, parent_with_attempt):
    _, attempt = parent_with_attempt
    answers = answers_for(attempt, right=True)
    answers["q0"] = [attempt.draw[1]["choices"][0][0]]
    assert_refused(client, attempt, answers, "This answer is not one of the choices")


def test_two_choices_on_a_single_choice_question_are_refused(client, parent_with_attempt, catalogue):
    _, attempt = parent_with_attempt
    course = catalogue.courses[attempt.course_slug]
    position = next(
        i for i, item in enumerate(attempt.draw) if course.quiz.question(item["q"]).type == "single"
    )
    answers = answers_for(attempt, right=True)
    answers[f"q{position}"] = [t for t, _ in attempt.draw[position]["choices"][:2]]
    assert_refused(client, attempt, answers, "This answer is not one of the choices")


def test_someone_elses_attempt_is_not_found_and_records_nothing(client, parent_with_attempt):
    parent, attempt = parent_with_attempt
    school = factories.make_school(factories.make_bureau("另一个局"))
    stranger = factories.make_parent(factories.make_class(school, name="四年级1班"), child="李四")
    db.session.commit()
    sign_in_as(client, stranger)
    before = db_snapshot()
    response = post(client, f"/quiz/{attempt.id}", answers_for(attempt, right=True))
    assert response.status_code == 404
    assert client.get(f"/quiz/{attempt.id}/result").status_code == 404
    assert db_snapshot() == before


def test_double_tap_records_one_submission(client, parent_with_attempt):
    _, attempt = parent_with_attempt
    answers = answers_for(attempt, right=True)
    first = post(client, f"/quiz/{attempt.id}", answers)
    assert first.status_code == 302
    after_first = db_snapshot()
    second = post(client, f"/quiz/{attempt.id}", answers, follow_redirects=True)
    assert "already submitted" in second.get_data(as_text=True)
    assert db_snapshot() == after_first


def test_finished_attempt_cannot_be_resubmitted_with_other_answers(client, parent_with_attempt):
    _, attempt = parent_with_attempt
    post(client, f"/quiz/{attempt.id}", answers_for(attempt, right=False))
    after_fail = db_snapshot()
    response = post(client, f"/quiz/{attempt.id}", answers_for(attempt, right=True))
    assert response.status_code == 302
    assert db_snapshot() == after_fail


def test_result_shows_every_explanation_after_submission(client, parent_with_attempt, catalogue):
    _, attempt = parent_with_attempt
    course = catalogue.courses[attempt.course_slug]
    post(client, f"/quiz/{attempt.id}", answers_for(attempt, right=False))
    page = client.get(f"/quiz/{attempt.id}/result").get_data(as_text=True)
    assert "Not passed yet: 0 of" in page
    for item in attempt.draw:
        explanation = course.quiz.question(item["q"]).explanation.get("en")
        assert str(escape(explanation))[:40] in page


def test_answers_sent_too_often_are_stopped_per_learner(app, client, parent_with_attempt):
    """A script hammering the quiz (to map the bank) is stopped; the learner's next visit works."""
    _, attempt = parent_with_attempt
    saved = app.config["QUIZ_SUBMIT_RATE_LIMIT"]
    app.config["QUIZ_SUBMIT_RATE_LIMIT"] = "3 per 10 minutes"
    try:
        incomplete = {"q0": ["nonsense"]}
        answers = [post(client, f"/quiz/{attempt.id}", incomplete).status_code for _ in range(4)]
        assert answers == [400, 400, 400, 429]
        before = db_snapshot()
        assert post(client, f"/quiz/{attempt.id}", answers_for(attempt, right=True)).status_code == 429
        assert db_snapshot() == before
    finally:
        app.config["QUIZ_SUBMIT_RATE_LIMIT"] = saved
