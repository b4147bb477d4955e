"""Every draw tests every lesson, still prefers unseen questions, and does not give the lesson
order away."""

import random
from collections import Counter

from app.content.catalogue import Choice, Localized, Question, Quiz
from app.quizzes.draw import pick_questions

T = Localized({"zh-Hans": "文", "en": "text"})


def bank(sizes: dict[str, int], draw: int) -> Quiz:
    questions = tuple(
        Question(f"{lesson}-{i}", "single", lesson, ("S1",), T, (Choice(0, T, True), Choice(1, T, False)), T)
        for lesson, size in sizes.items()
        for i in range(size)
    )
    return Quiz("c", draw, 80, questions)


def test_no_draw_of_a_lopsided_bank_misses_a_lesson():
    quiz = bank({"big": 12, "small": 1, "mid": 4}, draw=4)
    for seed in range(500):
        lessons = {q.lesson for q in pick_questions(quiz, set(), random.Random(seed))}
        assert lessons == {"big", "small", "mid"}


def test_no_draw_of_the_real_banks_misses_a_lesson(catalogue):
    for course in catalogue.courses.values():
        lessons = {lesson.slug for lesson in course.lessons}
        for seed in range(300):
            drawn = pick_questions(course.quiz, set(), random.Random(seed))
            assert {q.lesson for q in drawn} == lessons, (course.slug, seed)
            assert len({q.id for q in drawn}) == course.quiz.draw


def test_retries_see_unseen_questions_of_each_lesson_first():
    quiz = bank({"a": 3, "b": 3}, draw=2)
    seen = {"a-0", "a-1", "b-0"}
    for seed in range(100):
        ids = {q.id for q in pick_questions(quiz, seen, random.Random(seed))}
        assert ids == {"a-2", "b-1"} or ids == {"a-2", "b-2"}


def test_a_lesson_whose_questions_were_all_seen_still_gets_one():
    quiz = bank({"a": 2, "b": 4}, draw=3)
    for seed in range(100):
        drawn = pick_questions(quiz, {"a-0", "a-1"}, random.Random(seed))
        assert Counter(q.lesson for q in drawn) == {"a": 1, "b": 2}


def test_the_first_question_is_not_always_from_the_first_lesson():
    quiz = bank({"a": 4, "b": 4, "c": 4}, draw=4)
    firsts = {pick_questions(quiz, set(), random.Random(seed))[0].lesson for seed in range(60)}
    assert firsts == {"a", "b", "c"}
