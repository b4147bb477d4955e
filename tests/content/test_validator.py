"""The content check names the file and the question for every kind of mistake."""

from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.content.loader import load_catalogue
from app.content.reader import ContentError
from tests.content.trees import edit_bank, edit_course


def problems(tree: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_catalogue(tree)
    return str(caught.value)


def test_real_content_tree_is_valid():
    catalogue = load_catalogue(PROJECT_ROOT)
    assert {"etiquette", "scams", "law"} <= set(catalogue.courses)


def test_missing_translation_of_a_prompt_names_file_and_question(tree):
    def drop_en(data):
        data["questions"][0]["prompt"].pop("en")

    first = edit_bank(tree, "etiquette", drop_en)["ids"][0]
    assert f"quizzes/etiquette.yaml: question {first}: missing en translation of prompt" in problems(tree)


def test_missing_lesson_file_in_one_language(tree):
    lesson = next((tree / "courses" / "scams").glob("*.en.md"))
    lesson.unlink()
    assert f"courses/scams/{lesson.name}: missing en translation" in problems(tree)


def test_single_choice_with_two_correct_choices(tree):
    def two_right(data):
        question = next(q for q in data["questions"] if q["type"] == "single")
        for choice in question["choices"]:
            choice["correct"] = True
        data["_id"] = question["id"]

    edit_bank(tree, "law", two_right)
    assert "needs exactly 1 correct choice" in problems(tree)


def test_single_choice_with_no_correct_choice(tree):
    def none_right(data):
        question = data["questions"][0]
        for choice in question.get("choices", []):
            choice.pop("correct", None)
        question["type"] = "single"
        question.pop("answer", None)

    first = edit_bank(tree, "law", none_right)["ids"][0]
    assert f"question {first}: a single-choice question needs exactly 1 correct choice, has 0" in problems(
        tree
    )


def test_multiple_choice_needs_at_least_two_right(tree):
    def one_right(data):
        question = next(q for q in data["questions"] if q["type"] == "multiple")
        for index, choice in enumerate(question["choices"]):
            choice["correct"] = index == 0

    edit_bank(tree, "scams", one_right)
    assert "a multiple-choice question needs at least 2 correct and 1 wrong choice" in problems(tree)


def test_missing_explanation(tree):
    second = edit_bank(tree, "etiquette", lambda data: data["questions"][1].pop("explanation"))["ids"][1]
    assert f"question {second}: missing zh-Hans translation of explanation" in problems(tree)


def test_draw_larger_than_the_bank(tree):
    edit_bank(tree, "law", lambda data: data.update(draw=99))
    assert "quizzes/law.yaml: draw of 99 is larger than the bank of" in problems(tree)


def test_unknown_lesson(tree):
    first = edit_bank(tree, "scams", lambda data: data["questions"][0].update(lesson="no-such-lesson"))[
        "ids"
    ][0]
    assert f"question {first}: unknown lesson 'no-such-lesson' in course scams" in problems(tree)


def test_unknown_seed_point(tree):
    first = edit_bank(tree, "etiquette", lambda data: data["questions"][0].update(covers=["S99"]))["ids"][0]
    assert f"question {first}: unknown seed point 'S99'" in problems(tree)


def test_true_false_without_an_answer(tree):
    def no_answer(data):
        question = next(q for q in data["questions"] if q["type"] == "true_false")
        question.pop("answer")

    edit_bank(tree, "etiquette", no_answer)
    assert "a true_false question needs `answer: true` or `answer: false`" in problems(tree)


def test_every_problem_is_reported_not_only_the_first(tree):
    edit_bank(tree, "law", lambda data: data.update(draw=99))
    edit_bank(tree, "scams", lambda data: data["questions"][0].update(lesson="nope"))
    report = problems(tree)
    assert "quizzes/law.yaml" in report and "quizzes/scams.yaml" in report


def test_check_command_fails_with_the_problem(tree, app):
    edit_bank(tree, "law", lambda data: data.update(draw=99))
    runner = app.test_cli_runner()
    old = app.config["CONTENT_DIR"]
    app.config["CONTENT_DIR"] = str(tree)
    try:
        result = runner.invoke(args=["content", "check"])
    finally:
        app.config["CONTENT_DIR"] = old
    assert result.exit_code == 1
    assert "draw of 99 is larger than the bank" in result.output


def test_check_command_passes_on_the_real_content(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("guessing report")
    assert "\nok: " in result.output


def test_a_lesson_without_questions_is_refused(tree):
    def drop_lesson(data):
        data["questions"] = [q for q in data["questions"] if q["lesson"] != "what-to-do"]

    edit_bank(tree, "scams", drop_lesson)
    assert "quizzes/scams.yaml: every lesson needs questions; none for what-to-do" in problems(tree)


def test_a_draw_smaller_than_the_lessons_is_refused(tree):
    edit_bank(tree, "scams", lambda data: data.update(draw=3))
    assert "draw of 3 is fewer than the 5 lessons it must cover" in problems(tree)


def test_a_change_record_needs_a_known_kind_and_the_current_version(tree):
    def bad_record(data):
        data["changes"] = [
            {"version": "2020.1", "kind": "huge", "summary": {"zh-Hans": "改", "en": "changed"}}
        ]

    edit_course(tree, "law", bad_record)
    report = problems(tree)
    assert "courses/law/course.yaml: change 1: kind must be one of minor, required" in report
    assert "the last change must be for version" in report


def test_a_required_change_names_lessons_of_the_course(tree):
    def required(data):
        data["changes"] = [
            {
                "version": data["version"],
                "kind": "required",
                "lessons": ["no-such-lesson"],
                "summary": {"zh-Hans": "改", "en": "changed"},
            }
        ]

    edit_course(tree, "law", required)
    assert "change 1: lessons must list lessons of this course" in problems(tree)


def test_a_question_on_an_optional_lesson_is_refused(tree):
    def point_at_more_scams(data):
        data["questions"][0]["lesson"] = "more-scams"

    edit_bank(tree, "scams", point_at_more_scams)
    assert "lesson 'more-scams' is optional, and optional lessons are never drawn" in problems(tree)


def test_an_optional_lesson_is_kept_apart_from_the_required_ones(tree):
    course = load_catalogue(tree).courses["scams"]
    assert "more-scams" not in [lesson.slug for lesson in course.lessons]
    assert [lesson.slug for lesson in course.extras] == ["more-scams"]
    assert course.lesson("more-scams").optional


def test_the_check_command_fails_when_the_parent_path_is_too_long(tree, app, settings):
    lesson = tree / "courses" / "scams" / "what-to-do.zh-Hans.md"
    lesson.write_text("多读一点。" * 300 + "\n\n" + lesson.read_text(encoding="utf-8"), encoding="utf-8")
    settings(CONTENT_DIR=str(tree))
    result = app.test_cli_runner().invoke(args=["content", "check", "--runs", "100"])
    assert result.exit_code == 1
    assert "the required parent path takes" in result.output and "(at most 40)" in result.output
