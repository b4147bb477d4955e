"""Reads `courses/` and `quizzes/` (the banks through quiz_loader.py) into a `Catalogue`,
collecting every problem it finds.

The loader never stops at the first problem: a school editing content wants the whole list, each
with the file and the question or lesson it concerns.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from app.content.catalogue import (
    CHANGE_KINDS,
    LANGS,
    Catalogue,
    Change,
    Course,
    Lesson,
    Localized,
    Quiz,
)
from app.content.markdown import render_markdown
from app.content.pace import lesson_characters
from app.content.quiz_loader import check_unique_question_ids, load_quiz
from app.content.reader import SLUG, ContentError, Reader


def load_catalogue(root: str | Path) -> Catalogue:
    """Load and validate everything under `root`; raise `ContentError` listing every problem."""
    root = Path(root)
    reader = Reader(root)
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
        courses[slug] = _with_quiz(course, load_quiz(reader, quiz_file, course, points))
    for quiz_file in sorted((root / "quizzes").glob("*.yaml")):
        if quiz_file.stem not in courses:
            reader.problem(quiz_file, "", f"no course named {quiz_file.stem!r}")
    check_unique_question_ids(reader, root, courses)
    charter = _load_texts(reader, root / "courses" / "charter", "default")
    if reader.problems:
        raise ContentError(reader.problems)
    return Catalogue(courses=courses, points=points, charter=Localized(charter))


def _with_quiz(course: Course, quiz: Quiz | None) -> Course:
    return replace(course, quiz=quiz)


def _load_points(reader: Reader, path: Path) -> dict[str, Localized]:
    data = reader.yaml(path) if path.exists() else None
    if data is None or not isinstance(data.get("points"), dict):
        reader.problem(path, "", "must define `points:`, the seed points S1, S2, …")
        return {}
    return {
        str(pid): reader.localized(path, str(pid), "label", label) for pid, label in data["points"].items()
    }


def _load_texts(reader: Reader, folder: Path, stem: str) -> dict[str, str]:
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


def _load_course(reader: Reader, path: Path, points: dict) -> Course | None:
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


def _load_changes(reader: Reader, path: Path, raw: Any, version: Any, lessons: list[Lesson]) -> tuple:
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


def _load_lesson(reader: Reader, path: Path, index: int, raw: Any, points: dict) -> Lesson | None:
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
