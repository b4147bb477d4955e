"""The real curriculum meets the standards the product promises to parents and teachers."""

import re

import pytest

from app.content.catalogue import SLOW_CHARS_PER_MINUTE
from app.content.coverage import seed_coverage
from app.content.pace import path_reading

CJK = re.compile(r"[\u3400-\u9fff]")
PARENT_PATH_MINUTES = 40


def test_a_slow_reader_finishes_the_required_parent_path_in_forty_minutes(catalogue):
    """Lessons, one attempt at each quiz with its explanations, and the charter, counted from the
    real files at 200 Chinese characters a minute."""
    reading = path_reading(catalogue, "parent")
    assert 0 < reading.characters <= PARENT_PATH_MINUTES * SLOW_CHARS_PER_MINUTE
    assert reading.high <= PARENT_PATH_MINUTES


def test_there_are_three_parent_courses_and_a_teacher_course(catalogue):
    assert [c.slug for c in catalogue.for_audience("parent")] == ["etiquette", "scams", "law"]
    assert [c.slug for c in catalogue.for_audience("teacher")] == ["group-owner"]


def test_every_course_has_four_or_five_lessons(catalogue):
    for course in catalogue.courses.values():
        assert 4 <= len(course.lessons) <= 5, course.slug


def test_every_lesson_reads_in_two_to_four_minutes(catalogue):
    for course in catalogue.courses.values():
        for lesson in course.lessons:
            assert 1 <= lesson.minutes <= 4, f"{course.slug}/{lesson.slug}"


def test_every_lesson_has_a_takeaway_box_and_sources(catalogue):
    for course in catalogue.courses.values():
        for lesson in course.lessons + course.extras:
            for lang, heading in (("zh-Hans", "资料来源"), ("en", "Sources")):
                html = lesson.html[lang]
                assert 'class="admonition tip"' in html, f"{course.slug}/{lesson.slug} {lang}"
                assert f"<h2>{heading}</h2>" in html, f"{course.slug}/{lesson.slug} {lang}"


def test_every_bank_holds_three_times_its_draw(catalogue):
    for course in catalogue.courses.values():
        assert len(course.quiz.questions) >= 3 * course.quiz.draw, course.slug


def test_every_bank_uses_all_three_question_types(catalogue):
    for course in catalogue.courses.values():
        assert {q.type for q in course.quiz.questions} == {"single", "multiple", "true_false"}, course.slug


def test_every_lesson_is_tested_by_a_question(catalogue):
    for course in catalogue.courses.values():
        tested = {q.lesson for q in course.quiz.questions}
        assert tested == {lesson.slug for lesson in course.lessons}, course.slug


def test_every_seed_point_is_covered_by_a_lesson_and_a_question(catalogue):
    missing = [row.point for row in seed_coverage(catalogue) if not row.covered]
    assert missing == []


@pytest.mark.parametrize("audience", ["parent", "teacher"])
def test_answering_from_the_marks_passes_and_answering_wrong_fails(catalogue, audience):
    from app.quizzes.draw import build_draw
    from app.quizzes.grading import grade

    for course in catalogue.for_audience(audience):
        draw = build_draw(course.quiz, set())
        questions = [course.quiz.question(item["q"]) for item in draw]
        right = sum(grade(q, q.correct_keys) for q in questions)
        wrong = sum(grade(q, frozenset({next(c.key for c in q.choices if not c.correct)})) for q in questions)
        assert right >= course.quiz.pass_mark() and wrong < course.quiz.pass_mark()


def test_coverage_command_prints_the_matrix_and_passes(runner):
    result = runner.invoke(args=["content", "coverage"])
    assert result.exit_code == 0, result.output
    assert "all 21 seed points are covered" in result.output


def test_coverage_command_fails_on_an_uncovered_point(app, runner, tmp_path):
    import shutil

    from app.config import PROJECT_ROOT

    for folder in ("courses", "quizzes"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    points = tmp_path / "courses" / "points.yaml"
    points.write_text(
        points.read_text(encoding="utf-8") + '  S22: {zh-Hans: "新要点", en: "A new point"}\n',
        encoding="utf-8",
    )
    old = app.config["CONTENT_DIR"]
    app.config["CONTENT_DIR"] = str(tmp_path)
    try:
        result = runner.invoke(args=["content", "coverage"])
    finally:
        app.config["CONTENT_DIR"] = old
    assert result.exit_code == 1
    assert "MISSING S22" in result.output
