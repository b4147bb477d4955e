"""How long the path really takes: what a person reads, counted from the content files.

A parent reads the lessons, then each quiz (question, options, and the explanations on the result
page), then the class charter. We count the visible characters of all of it in Chinese (punctuation
included, as a Chinese 字数 does; Markdown syntax and the sources list left out) and divide by a
reading speed: 200 characters a minute for a slow reader (a typical grandparent) gives the upper
end of the time we show, 300 for a fluent one the lower end. A quiz counts as `draw` questions of
the bank's average length, since every attempt draws that many. Retries are not counted: the
range is for a reader who passes at the first attempt."""

from __future__ import annotations

import html
import math
import re
import statistics
from dataclasses import dataclass

from app.content.catalogue import (
    FLUENT_CHARS_PER_MINUTE,
    SLOW_CHARS_PER_MINUTE,
    Catalogue,
    Course,
    Question,
    Quiz,
)
from app.content.markdown import render_markdown

LANG = "zh-Hans"
PARENT_PATH_MINUTES = 40  # the promise: a slow reader finishes the required parent path in this
SAMPLE_QUIET_HOURS = "21:30—07:00"  # the charter's placeholder, as a class fills it by default
_SOURCES = re.compile(r"^##\s*(资料来源|Sources)\s*$", re.MULTILINE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def visible_characters(text: str) -> int:
    """Characters a reader's eye goes over: everything but white space."""
    return len(_SPACE.sub("", text))


def lesson_characters(markdown_text: str) -> int:
    """The lesson as the page shows it, without its sources list."""
    body = _SOURCES.split(markdown_text, maxsplit=1)[0]
    return visible_characters(html.unescape(_TAG.sub(" ", render_markdown(body))))


def question_characters(question: Question, lang: str = LANG) -> int:
    options = sum(visible_characters(c.text.get(lang)) for c in question.choices if c.text)
    return (
        visible_characters(question.prompt.get(lang))
        + options
        + visible_characters(question.explanation.get(lang))
    )


def quiz_characters(quiz: Quiz, lang: str = LANG) -> int:
    """An attempt's worth: `draw` questions of the bank's mean length."""
    if not quiz.questions:
        return 0
    return round(quiz.draw * statistics.mean(question_characters(q, lang) for q in quiz.questions))


@dataclass(frozen=True)
class Reading:
    characters: int

    @property
    def low(self) -> int:
        """Minutes for a fluent reader."""
        return max(1, math.ceil(self.characters / FLUENT_CHARS_PER_MINUTE))

    @property
    def high(self) -> int:
        """Minutes for a slow reader: the figure we promise."""
        return max(1, math.ceil(self.characters / SLOW_CHARS_PER_MINUTE))


def course_reading(course: Course) -> Reading:
    """A course's required lessons and one attempt at its quiz; optional lessons are extra."""
    lessons = sum(lesson.characters for lesson in course.lessons)
    return Reading(lessons + (quiz_characters(course.quiz) if course.quiz else 0))


def charter_characters(catalogue: Catalogue) -> int:
    text = catalogue.charter.get(LANG).replace("{quiet_hours}", SAMPLE_QUIET_HOURS)
    return lesson_characters(text)


def path_reading(catalogue: Catalogue, audience: str) -> Reading:
    """Everything a person must read to be certified, and for a parent the class charter too."""
    courses = sum(course_reading(c).characters for c in catalogue.for_audience(audience))
    return Reading(courses + (charter_characters(catalogue) if audience == "parent" else 0))


def reading_lines(catalogue: Catalogue) -> list[str]:
    """What `flask content check` prints about time, per audience and course."""
    lines = ["reading time (lessons, one attempt at each quiz with its explanations, the charter)"]
    for audience in ("parent", "teacher"):
        total = path_reading(catalogue, audience)
        lines.append(
            f"  {audience} path: {total.characters} characters, "
            f"{total.low}-{total.high} minutes at {FLUENT_CHARS_PER_MINUTE}-{SLOW_CHARS_PER_MINUTE} a minute"
        )
        for course in catalogue.for_audience(audience):
            reading = course_reading(course)
            lines.append(
                f"    {course.slug}: {reading.characters} characters, {reading.low}-{reading.high} minutes"
            )
    return lines


def time_problems(catalogue: Catalogue) -> list[str]:
    reading = path_reading(catalogue, "parent")
    if reading.high <= PARENT_PATH_MINUTES:
        return []
    return [
        f"the required parent path takes {reading.high} minutes at {SLOW_CHARS_PER_MINUTE} characters "
        f"a minute (at most {PARENT_PATH_MINUTES}): {reading.characters} characters, "
        f"{reading.characters - PARENT_PATH_MINUTES * SLOW_CHARS_PER_MINUTE} too many"
    ]
