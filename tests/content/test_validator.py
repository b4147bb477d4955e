"""The content check names the file and the question for every kind of mistake."""

import shutil
from pathlib import Path

import pytest
import yaml

from app.config import PROJECT_ROOT
from app.content.loader import ContentError, load_catalogue


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of the real content to break in one place."""
    for folder in ("courses", "quizzes"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    return tmp_path


def edit_bank(tree: Path, course: str, change) -> dict:
    """Apply `change` to a bank; return the bank as it was read (for question ids)."""
    path = tree / "quizzes" / f"{course}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    ids = [q["id"] for q in data["questions"]]
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return {"ids": ids}


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
    assert result.output.startswith("ok: ")
