"""Reading and checking a course's question bank (quizzes/<course>.yaml): its draw, pass mark
and strata, each question, its choices and explanation, and question ids unique across banks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.content.catalogue import (
    QUESTION_TYPES,
    Choice,
    Course,
    Question,
    Quiz,
)
from app.content.reader import Reader


def load_quiz(reader: Reader, path: Path, course: Course, points: dict) -> Quiz | None:
    data = reader.yaml(path)
    if data is None:
        return None
    if data.get("course") != course.slug:
        reader.problem(path, "", f"course must be {course.slug!r}")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        reader.problem(path, "", "questions must list at least one question")
        raw_questions = []
    questions = [
        q
        for index, raw in enumerate(raw_questions, start=1)
        if (q := _load_question(reader, path, index, raw, course, points)) is not None
    ]
    draw, pass_percent = data.get("draw"), data.get("pass_percent")
    if not isinstance(draw, int) or draw < 1:
        reader.problem(path, "", "draw must be a whole number of at least 1")
        draw = 1
    elif draw > len(raw_questions):
        reader.problem(path, "", f"draw of {draw} is larger than the bank of {len(raw_questions)}")
    untested = [lesson.slug for lesson in course.lessons if lesson.slug not in {q.lesson for q in questions}]
    if untested:
        reader.problem(path, "", f"every lesson needs questions; none for {', '.join(untested)}")
    elif draw < len(course.lessons):
        reader.problem(
            path, "", f"draw of {draw} is fewer than the {len(course.lessons)} lessons it must cover"
        )
    if not isinstance(pass_percent, int) or not 1 <= pass_percent <= 100:
        reader.problem(path, "", "pass_percent must be a whole number from 1 to 100")
        pass_percent = 100
    return Quiz(course=course.slug, draw=draw, pass_percent=pass_percent, questions=tuple(questions))


def _load_question(
    reader: Reader, path: Path, index: int, raw: Any, course: Course, points: dict
) -> Question | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        reader.problem(path, f"question {index}", "needs an id")
        return None
    qid = raw["id"]
    where = f"question {qid}"
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        reader.problem(path, where, f"type must be one of {', '.join(QUESTION_TYPES)}")
    lesson = course.lesson(str(raw.get("lesson")))
    if lesson is None:
        reader.problem(path, where, f"unknown lesson {raw.get('lesson')!r} in course {course.slug}")
    elif lesson.optional:
        reader.problem(
            path, where, f"lesson {lesson.slug!r} is optional, and optional lessons are never drawn"
        )
    choices = _load_choices(reader, path, where, qtype, raw)
    return Question(
        id=qid,
        type=str(qtype),
        lesson=str(raw.get("lesson")),
        covers=reader.covers(path, where, raw.get("covers"), points),
        prompt=reader.localized(path, where, "prompt", raw.get("prompt")),
        choices=choices,
        explanation=reader.localized(path, where, "explanation", raw.get("explanation")),
    )


def _load_choices(reader: Reader, path: Path, where: str, qtype: Any, raw: dict) -> tuple:
    if qtype == "true_false":
        if not isinstance(raw.get("answer"), bool):
            reader.problem(path, where, "a true_false question needs `answer: true` or `answer: false`")
        answer = raw.get("answer") is True
        return (Choice(0, None, answer), Choice(1, None, not answer))
    raw_choices = raw.get("choices")
    if not isinstance(raw_choices, list) or len(raw_choices) < 2:
        reader.problem(path, where, "needs at least two choices")
        return ()
    choices = tuple(
        Choice(
            key,
            reader.localized(path, f"{where} choice {key + 1}", "text", (c or {}).get("text")),
            (c or {}).get("correct") is True,
        )
        for key, c in enumerate(raw_choices)
    )
    right = sum(c.correct for c in choices)
    if qtype == "single" and right != 1:
        reader.problem(path, where, f"a single-choice question needs exactly 1 correct choice, has {right}")
    if qtype == "multiple" and not (2 <= right < len(choices)):
        reader.problem(
            path,
            where,
            "a multiple-choice question needs at least 2 correct and 1 wrong choice, "
            f"has {right} of {len(choices)}",
        )
    return choices


def check_unique_question_ids(reader: Reader, root: Path, courses: dict[str, Course]) -> None:
    seen: dict[str, str] = {}
    for course in courses.values():
        for question in course.quiz.questions if course.quiz else ():
            if question.id in seen:
                reader.problem(
                    root / "quizzes" / f"{course.slug}.yaml",
                    f"question {question.id}",
                    f"id already used in {seen[question.id]}",
                )
            seen[question.id] = course.slug
