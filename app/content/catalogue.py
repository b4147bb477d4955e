"""The in-memory catalogue: plain frozen dataclasses built once from the content files."""

from __future__ import annotations

from dataclasses import dataclass, field

LANGS = ("zh-Hans", "en")
QUESTION_TYPES = ("single", "multiple", "true_false")
CHANGE_KINDS = ("minor", "required")
SLOW_CHARS_PER_MINUTE = 200  # a typical grandparent reading Chinese
FLUENT_CHARS_PER_MINUTE = 300


@dataclass(frozen=True)
class Localized:
    """A text in every language we publish."""

    values: dict[str, str]

    def get(self, lang: str) -> str:
        return self.values.get(lang) or self.values["zh-Hans"]


@dataclass(frozen=True)
class Lesson:
    """`characters`: what a reader reads of it in Chinese (see `pace.py`); `optional` lessons are
    "more to read": listed apart, never required, never drawn in a quiz."""

    slug: str
    title: Localized
    covers: tuple[str, ...]
    html: dict[str, str]
    characters: int
    optional: bool = False

    @property
    def minutes(self) -> int:
        """Minutes for a slow reader (200 characters a minute), at least one."""
        return max(1, -(-self.characters // SLOW_CHARS_PER_MINUTE))


@dataclass(frozen=True)
class Choice:
    """`key` is the choice's position in the bank file; `text` is None for true / false."""

    key: int
    text: Localized | None
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    lesson: str
    covers: tuple[str, ...]
    prompt: Localized
    choices: tuple[Choice, ...]
    explanation: Localized

    @property
    def correct_keys(self) -> frozenset[int]:
        return frozenset(c.key for c in self.choices if c.correct)


@dataclass(frozen=True)
class Quiz:
    course: str
    draw: int
    pass_percent: int
    questions: tuple[Question, ...]

    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up for every question of every draw and grading: an index, built once.
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def find(self, question_id: str) -> Question | None:
        """The question, or None when a newer content version retired it."""
        return self._by_id.get(question_id)

    def pass_mark(self) -> int:
        """Right answers needed out of `draw`, rounded up."""
        return -(-self.draw * self.pass_percent // 100)


@dataclass(frozen=True)
class Change:
    """One entry of a course's change record. `kind` is minor (corrections and rewording: nothing
    is asked again of certified parents) or required (`lessons` changed enough to reread)."""

    version: str
    kind: str
    lessons: tuple[str, ...]
    summary: Localized


@dataclass(frozen=True)
class Course:
    slug: str
    order: int
    audience: str
    required: bool
    version: str
    title: Localized
    summary: Localized
    lessons: tuple[Lesson, ...]
    quiz: Quiz | None = None
    changes: tuple[Change, ...] = ()
    extras: tuple[Lesson, ...] = ()  # optional lessons, "more to read"

    def lesson(self, slug: str) -> Lesson | None:
        """A required lesson or an optional one."""
        return next((lesson for lesson in self.lessons + self.extras if lesson.slug == slug), None)


@dataclass(frozen=True)
class Catalogue:
    courses: dict[str, Course]
    points: dict[str, Localized]
    charter: Localized = field(default_factory=lambda: Localized({"zh-Hans": "", "en": ""}))

    def for_audience(self, audience: str, required_only: bool = True) -> list[Course]:
        """Courses for parents or teachers, in their order."""
        chosen = [
            c for c in self.courses.values() if c.audience == audience and (c.required or not required_only)
        ]
        return sorted(chosen, key=lambda c: c.order)

    def content_version(self, audience: str) -> str:
        """What a certificate records: each required course with its version."""
        return ", ".join(f"{c.slug} {c.version}" for c in self.for_audience(audience))
