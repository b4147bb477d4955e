"""Shape attempts for templates: questions with their choices in the attempt's order."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.content.catalogue import Choice, Course, Question
from app.quizzes.grading import allows_many, quiz_of
from app.quizzes.models import QuizAttempt
from app.quizzes.services import is_stale


def choice_label(choice: Choice, lang: str) -> str:
    """A choice's text; true/false choices take theirs from the translation catalogue."""
    if choice.text is not None:
        return choice.text.get(lang)
    return _("True") if choice.key == 0 else _("False")


@dataclass(frozen=True)
class ShownChoice:
    token: str
    label: str
    correct: bool
    chosen: bool


@dataclass(frozen=True)
class ShownQuestion:
    position: int
    question: Question
    many: bool
    choices: list[ShownChoice]
    correct: bool | None


def shown_questions(course: Course, attempt: QuizAttempt, lang: str) -> list[ShownQuestion]:
    """Every question of the attempt as drawn. Which choice is right is filled in only once the
    attempt is submitted, so an open quiz page cannot reveal it."""
    quiz = quiz_of(course)
    if is_stale(course, attempt):
        return []
    answers = {a.position: a for a in attempt.answers} if attempt.submitted_at else {}
    shown = []
    for position, item in enumerate(attempt.draw):
        question = quiz.question(item["q"])
        by_key = {c.key: c for c in question.choices}
        answer = answers.get(position)
        picked = set(answer.chosen) if answer else set()
        shown.append(
            ShownQuestion(
                position=position,
                question=question,
                many=allows_many(question),
                choices=[
                    ShownChoice(
                        token,
                        choice_label(by_key[key], lang),
                        bool(answers) and by_key[key].correct,
                        key in picked,
                    )
                    for token, key in item["choices"]
                ],
                correct=answer.correct if answer else None,
            )
        )
    return shown
