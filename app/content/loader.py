"""Reads `courses/` and `quizzes/` into a `Catalogue`, collecting every problem it finds.

The loader never stops at the first problem: a school editing content wants the whole list, each
with the file and the question or lesson it concerns.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from app.content.catalogue import (
    CHANGE_KINDS,
    LANGS,
    QUESTION_TYPES,
    Catalogue,
    Change,
    Choice,
    Course,
    Lesson,
    Localized,
    Question,
    Quiz,
)
from app.content.markdown import render_markdown
from app.content.pace import lesson_characters

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class ContentError(Exception):
    """Raised with every problem found, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Reader:
    """Holds the problem list while one content tree is read."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[str] = []

    def problem(self, path: Path, where: str, message: str) -> None:
        rel = path.relative_to(self.root) if path.is_relative_to(self.root) else path
        self.problems.append(f"{rel}: {where + ': ' if where else ''}{message}")

    def yaml(self, path: Path) -> dict[str, Any] | None:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
            self.problem(path, "", f"cannot be read as YAML ({exc.__class__.__name__})")
            return None
        if not isinstance(data, dict):
            self.problem(path, "", "must be a mapping of keys to values")
            return None
        return data

    def localized(self, path: Path, where: str, field: str, value: Any) -> Localized:
        texts: dict[str, str] = {}
        if not isinstance(value, dict):
            self.problem(path, where, f"{field} must give a text for each of {', '.join(LANGS)}")
            value = {}
        for lang in LANGS:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.problem(path, where, f"missing {lang} translation of {field}")
            else:
                texts[lang] = text.strip()
        return Localized(texts or {"zh-Hans": ""})

    def covers(self, path: Path, where: str, value: Any, points: dict) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.problem(path, where, "covers must list at least one seed point, e.g. [S5]")
            return ()
        for point in value:
            if point not in points:
                self.problem(path, where, f"unknown seed point {point!r}")
        return tuple(str(p) for p in value)


def load_catalogue(root: str | Path) -> Catalogue:
    """Load and validate everything under `root`; raise `ContentError` listing every problem."""
    root = Path(root)
    reader = _Reader(root)
    points = _load_points(reader, root / "courses" / "points.yaml")
    courses: dict[str, Course] = {}
    for course_file in sorted((root / "courses").glob("*/course.yaml")):
        course = _load_course(reader, course_file, points)
        if course is not None:
            courses[course.slug] = course
    for slug, course in list(courses.items()):
        quiz_file = root / "quizzes" / f"{slug}.yaml"
        if not quiz_file.exists():
            reader.problem(quiz_file, "", f"course {slug!r} has no question bank")
            continue
        courses[slug] = _with_quiz(course, _load_quiz(reader, quiz_file, course, points))
    for quiz_file in sorted((root / "quizzes").glob("*.yaml")):
        if quiz_file.stem not in courses:
            reader.problem(quiz_file, "", f"no course named {quiz_file.stem!r}")
    _check_unique_question_ids(reader, root, courses)
    charter = _load_texts(reader, root / "courses" / "charter", "default")
    if reader.problems:
        raise ContentError(reader.problems)
    return Catalogue(courses=courses, points=points, charter=Localized(charter))


def _with_quiz(course: Course, quiz: Quiz | None) -> Course:
    return replace(course, quiz=quiz)


def _load_points(reader: _Reader, path: Path) -> dict[str, Localized]:
    data = reader.yaml(path) if path.exists() else None
    if data is None or not isinstance(data.get("points"), dict):
        reader.problem(path, "", "must define `points:`, the seed points S1, S2, …")
        return {}
    return {
        str(pid): reader.localized(path, str(pid), "label", label) for pid, label in data["points"].items()
    }


def _load_texts(reader: _Reader, folder: Path, stem: str) -> dict[str, str]:
    texts = {}
    for lang in LANGS:
        path = folder / f"{stem}.{lang}.md"
        if not path.exists():
            reader.problem(path, "", f"missing {lang} translation (file not found)")
            continue
        text = path.read_text(encoding="utf-8")
        if not text.strip():
            reader.problem(path, "", f"missing {lang} translation (file is empty)")
        texts[lang] = text
    return texts


def _load_course(reader: _Reader, path: Path, points: dict) -> Course | None:
    data = reader.yaml(path)
    if data is None:
        return None
    slug = data.get("slug")
    if slug != path.parent.name or not isinstance(slug, str) or not SLUG.match(slug):
        reader.problem(path, "", f"slug must equal the folder name {path.parent.name!r}")
        return None
    if data.get("audience") not in ("parent", "teacher"):
        reader.problem(path, "", "audience must be parent or teacher")
    if not isinstance(data.get("order"), int):
        reader.problem(path, "", "order must be a whole number")
    if not isinstance(data.get("required"), bool):
        reader.problem(path, "", "required must be true or false")
    if not isinstance(data.get("version"), str) or not data.get("version"):
        reader.problem(path, "", 'version must be a quoted string, e.g. "2026.1"')
    lessons: list[Lesson] = []
    raw_lessons = data.get("lessons")
    if not isinstance(raw_lessons, list) or not raw_lessons:
        reader.problem(path, "", "lessons must list at least one lesson")
        raw_lessons = []
    for index, raw in enumerate(raw_lessons, start=1):
        lesson = _load_lesson(reader, path, index, raw, points)
        if lesson is not None:
            lessons.append(lesson)
    return Course(
        changes=_load_changes(
            reader, path, data.get("changes"), data.get("version"), [x for x in lessons if not x.optional]
        ),
        extras=tuple(lesson for lesson in lessons if lesson.optional),
        slug=slug,
        order=data.get("order") if isinstance(data.get("order"), int) else 0,
        audience=str(data.get("audience")),
        required=bool(data.get("required")),
        version=str(data.get("version")),
        title=reader.localized(path, "", "title", data.get("title")),
        summary=reader.localized(path, "", "summary", data.get("summary")),
        lessons=tuple(lesson for lesson in lessons if not lesson.optional),
    )


def _load_changes(reader: _Reader, path: Path, raw: Any, version: Any, lessons: list[Lesson]) -> tuple:
    """The course's change record, newest last; when present, its last entry is the course's
    version. Later features (certificate renewal) read it; a typo here must not pass quietly."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.problem(path, "", "changes must be a list")
        return ()
    slugs = {lesson.slug for lesson in lessons}
    changes = []
    for index, entry in enumerate(raw, start=1):
        where = f"change {index}"
        entry = entry if isinstance(entry, dict) else {}
        kind, changed = entry.get("kind"), entry.get("lessons") or []
        if kind not in CHANGE_KINDS:
            reader.problem(path, where, f"kind must be one of {', '.join(CHANGE_KINDS)}")
        if not isinstance(changed, list) or not set(changed) <= slugs:
            reader.problem(path, where, "lessons must list lessons of this course")
            changed = []
        if kind == "required" and not changed:
            reader.problem(path, where, "a required change must name the lessons that changed")
        changes.append(
            Change(
                version=str(entry.get("version")),
                kind=str(kind),
                lessons=tuple(changed),
                summary=reader.localized(path, where, "summary", entry.get("summary")),
            )
        )
    if changes and changes[-1].version != version:
        reader.problem(path, "", f"the last change must be for version {version!r}")
    return tuple(changes)


def _load_lesson(reader: _Reader, path: Path, index: int, raw: Any, points: dict) -> Lesson | None:
    if not isinstance(raw, dict) or not SLUG.match(str(raw.get("slug", ""))):
        reader.problem(path, f"lesson {index}", "needs a slug of lowercase letters, digits, hyphens")
        return None
    slug = raw["slug"]
    where = f"lesson {slug}"
    if not isinstance(raw.get("optional", False), bool):
        reader.problem(path, where, "optional must be true or false")
    texts = _load_texts(reader, path.parent, slug)
    return Lesson(
        slug=slug,
        title=reader.localized(path, where, "title", raw.get("title")),
        covers=reader.covers(path, where, raw.get("covers"), points),
        html={lang: render_markdown(text) for lang, text in texts.items()},
        characters=lesson_characters(texts.get("zh-Hans", "")),
        optional=raw.get("optional") is True,
    )


def _load_quiz(reader: _Reader, path: Path, course: Course, points: dict) -> Quiz | None:
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
    reader: _Reader, path: Path, index: int, raw: Any, course: Course, points: dict
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


def _load_choices(reader: _Reader, path: Path, where: str, qtype: Any, raw: dict) -> tuple:
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


def _check_unique_question_ids(reader: _Reader, root: Path, courses: dict[str, Course]) -> None:
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
