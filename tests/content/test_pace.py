"""The time we show is counted from what a reader reads, at a slow and a fluent pace."""

from app.content.catalogue import FLUENT_CHARS_PER_MINUTE, SLOW_CHARS_PER_MINUTE
from app.content.pace import (
    Reading,
    charter_characters,
    course_reading,
    lesson_characters,
    path_reading,
    question_characters,
    quiz_characters,
)


def test_a_lesson_counts_what_the_page_shows_without_markdown_or_sources():
    text = (
        '## 先核实\n\n群里**收费**，先打电话。\n\n!!! tip "记住"\n    别急。\n\n'
        "## 资料来源\n\n- 公安部刑侦局（2020年）\n"
    )
    assert lesson_characters(text) == len("先核实群里收费，先打电话。记住别急。")


def test_a_quiz_counts_one_attempt_of_average_questions(catalogue):
    quiz = catalogue.courses["scams"].quiz
    mean = sum(question_characters(q) for q in quiz.questions) / len(quiz.questions)
    assert quiz_characters(quiz) == round(quiz.draw * mean)
    question = quiz.questions[0]
    assert question_characters(question) > len(question.prompt.get("zh-Hans"))  # options and explanation too


def test_the_parent_path_adds_the_charter_and_the_teacher_path_does_not(catalogue):
    courses = sum(course_reading(c).characters for c in catalogue.for_audience("parent"))
    assert path_reading(catalogue, "parent").characters == courses + charter_characters(catalogue)
    assert charter_characters(catalogue) > 100
    teacher = catalogue.for_audience("teacher")
    assert path_reading(catalogue, "teacher").characters == sum(course_reading(c).characters for c in teacher)


def test_optional_lessons_are_not_counted(catalogue):
    course = catalogue.courses["scams"]
    assert course.extras, "the scams course has optional lessons"
    lessons = sum(lesson.characters for lesson in course.lessons)
    assert course_reading(course).characters == lessons + quiz_characters(course.quiz)


def test_the_range_runs_from_a_fluent_to_a_slow_reader():
    reading = Reading(6001)
    assert (reading.low, reading.high) == (
        -(-6001 // FLUENT_CHARS_PER_MINUTE),
        -(-6001 // SLOW_CHARS_PER_MINUTE),
    )
    assert (reading.low, reading.high) == (21, 31)


def test_the_home_page_and_the_path_show_the_range(client, catalogue, world):
    from tests.helpers import sign_in_as

    reading = path_reading(catalogue, "parent")
    client.set_cookie("pp_lang", "en")
    home = client.get("/").get_data(as_text=True)
    assert f"About {reading.low}–{reading.high} minutes in all" in home
    sign_in_as(client, world.users["parent"])
    path = client.get("/learn").get_data(as_text=True)
    assert f"About {reading.low}–{reading.high} minutes in all" in path
    scams = course_reading(catalogue.courses["scams"])
    assert f"about {scams.low}–{scams.high} min" in path
    client.set_cookie("pp_lang", "zh_Hans")
    assert f"约{reading.low}–{reading.high}分钟" in client.get("/learn").get_data(as_text=True)
