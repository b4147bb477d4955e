"""Over the real question banks: the marked answers pass, wrong answers fail."""

from app.quizzes.grading import grade


def test_every_question_is_right_with_its_marked_answers(catalogue):
    for course in catalogue.courses.values():
        for question in course.quiz.questions:
            assert grade(question, question.correct_keys), question.id


def test_every_question_is_wrong_with_a_wrong_answer(catalogue):
    for course in catalogue.courses.values():
        for question in course.quiz.questions:
            wrong = next(c.key for c in question.choices if not c.correct)
            assert not grade(question, frozenset({wrong})), question.id


def test_every_question_tests_a_lesson_of_its_course(catalogue):
    for course in catalogue.courses.values():
        slugs = {lesson.slug for lesson in course.lessons}
        assert {q.lesson for q in course.quiz.questions} <= slugs


def test_every_lesson_renders_in_both_languages_without_raw_html(catalogue):
    for course in catalogue.courses.values():
        for lesson in course.lessons:
            for lang in ("zh-Hans", "en"):
                assert lesson.html[lang].strip()
                assert "<script" not in lesson.html[lang]
