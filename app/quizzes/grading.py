"""Question types as a small registry, each with a pure `grade(question, chosen_keys)`."""

from app.content.catalogue import Course, Question, Quiz


class NoQuiz(LookupError):
    """A course without a quiz was asked for its quiz (the views answer 404 before that)."""


def quiz_of(course: Course) -> Quiz:
    """The course's quiz, or NoQuiz: a real check, where an `assert` vanishes under `python -O`."""
    if course.quiz is None:
        raise NoQuiz(course.slug)
    return course.quiz


class SingleChoice:
    """One choice must be picked, and it must be the right one."""

    many = False

    @staticmethod
    def grade(question: Question, chosen: frozenset[int]) -> bool:
        return chosen == question.correct_keys


class MultipleChoice:
    """Every right choice and no wrong one."""

    many = True

    @staticmethod
    def grade(question: Question, chosen: frozenset[int]) -> bool:
        return chosen == question.correct_keys


class TrueFalse(SingleChoice):
    """A statement to judge; graded like a single choice between true and false."""


QUESTION_TYPES = {"single": SingleChoice, "multiple": MultipleChoice, "true_false": TrueFalse}


def grade(question: Question, chosen: frozenset[int]) -> bool:
    """Whether `chosen` (choice keys) answers `question` correctly."""
    return QUESTION_TYPES[question.type].grade(question, chosen)


def allows_many(question: Question) -> bool:
    return QUESTION_TYPES[question.type].many
