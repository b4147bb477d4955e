"""The guessing report: does a bank give its answers away? Measures each bank in each language
and finds the best way to pass without reading, among every combination of one rule per question
type (`strategies.py`), with the site's own draw (`odds.py`). `flask content check` prints it and
fails the content when a bank breaks a limit."""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

from app.content.catalogue import LANGS, Catalogue, Course, Question, Quiz
from app.quizzes import cues
from app.quizzes.odds import first_attempt, within_tries
from app.quizzes.strategies import RULES, Bank, Rule, option_texts

ALL_OF_THE_ABOVE = re.compile(r"以上(都|全|均)|都对|都不对|all of the above|none of the above|both of", re.I)
SCENARIO = {
    "zh-Hans": re.compile(
        r"怎么(做|办|回|说|处理)|怎样(做|回应)|如何(做|回应|处理)|先做什么|该不该|应该|这样做|这么做|做得对"
    ),
    "en": re.compile(
        r"what (should|do|would|can) you|how should you|what is the best|what's the best|"
        r"(is|was) (this|that) (right|fine|ok)|did (she|he|they) do",
        re.I,
    ),
}


@dataclass(frozen=True)
class Limits:
    """The limits of the check; `flask content check` can change each one."""

    first_attempt: float = 0.05  # best strategy's chance of passing at the first attempt
    unique_longest: float = 0.25  # share of single-choice questions whose right option is the longest
    near_mean: float = 0.75  # share whose right option is within ±20 % of the mean option length
    true_share: tuple[float, float] = (0.40, 0.60)
    per_lesson: int = 4
    duplicate: float = 0.6  # prompt similarity (Jaccard) that counts as a near-duplicate
    tries: int = 3  # attempts before the first wait (QUIZ_FAILS_BEFORE_WAIT)
    runs: int = 2000  # seeded draw sequences for the chance within the retry limit


@dataclass
class BankReport:
    course: str
    lang: str
    singles: int
    unique_longest: float
    near_mean: float
    length_ratio: float
    true_share: float | None
    reason_right: float
    reason_wrong: float
    scenario: int
    recall: int
    fewest_per_lesson: int
    best: tuple[str, ...] = ()
    best_first: float = 0.0
    best_within: float = 0.0


@dataclass
class GuessingReport:
    banks: list[BankReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _single_lengths(question: Question, lang: str) -> tuple[int, list[int]]:
    lengths = [cues.length(t) for t in option_texts(question, lang)]
    right = next(i for i, c in enumerate(question.choices) if c.correct)
    return lengths[right], lengths[:right] + lengths[right + 1 :]


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def measure(quiz: Quiz, lang: str) -> BankReport:
    singles = [q for q in quiz.questions if q.type == "single"]
    longest, near, ratios = [], [], []
    for question in singles:
        right, wrong = _single_lengths(question, lang)
        mean = statistics.mean([right, *wrong])
        longest.append(right > max(wrong))
        near.append(abs(right - mean) <= 0.2 * mean)
        ratios.append(right / statistics.mean(wrong))
    statements = [q for q in quiz.questions if q.type == "true_false"]
    with_options = [q for q in quiz.questions if q.type != "true_false"]
    right_texts = [
        t for q in with_options for c, t in zip(q.choices, option_texts(q, lang), strict=True) if c.correct
    ]
    wrong_texts = [
        t
        for q in with_options
        for c, t in zip(q.choices, option_texts(q, lang), strict=True)
        if not c.correct
    ]
    per_lesson: dict[str, int] = {}
    for question in quiz.questions:
        per_lesson[question.lesson] = per_lesson.get(question.lesson, 0) + 1
    scenario = sum(bool(SCENARIO[lang].search(q.prompt.get(lang))) for q in quiz.questions)
    return BankReport(
        course=quiz.course,
        lang=lang,
        singles=len(singles),
        unique_longest=_share(longest),
        near_mean=_share(near),
        length_ratio=statistics.mean(ratios) if ratios else 1.0,
        true_share=_share([q.choices[0].correct for q in statements]) if statements else None,
        reason_right=_share([cues.has("reason", t, lang) for t in right_texts]),
        reason_wrong=_share([cues.has("reason", t, lang) for t in wrong_texts]),
        scenario=scenario,
        recall=len(quiz.questions) - scenario,
        fewest_per_lesson=min(per_lesson.values()),
    )


def _chances(rule: Rule, questions: list[Question], lang: str, bank: Bank) -> tuple[float, ...]:
    return tuple(rule.chance(q, lang, bank) for q in questions)


def _undominated(options: list[tuple[str, tuple[float, ...]]]) -> list[tuple[str, tuple[float, ...]]]:
    """Drop a rule that is never better than another on any question: the pass chance only
    grows with each question's chance, so it cannot be the best."""
    kept: list[tuple[str, tuple[float, ...]]] = []
    for name, values in options:
        if any(all(a >= b for a, b in zip(other, values, strict=True)) for _, other in kept):
            continue
        kept = [(n, v) for n, v in kept if not all(a >= b for a, b in zip(values, v, strict=True))]
        kept.append((name, values))
    return kept


def best_strategy(quiz: Quiz, lang: str) -> tuple[tuple[str, ...], float, dict[str, float]]:
    """The combination of one rule per question type with the highest first-attempt chance."""
    bank = Bank.of(quiz.questions, lang)
    families = []
    for qtype, rules in RULES.items():
        questions = [q for q in quiz.questions if q.type == qtype]
        if questions:
            options = [(r.name, _chances(r, questions, lang, bank)) for r in rules]
            families.append([(name, questions, values) for name, values in _undominated(options)])
    best: tuple[tuple[str, ...], float, dict[str, float]] = ((), -1.0, {})
    for combo in itertools.product(*families):
        chance = {q.id: v for _, questions, values in combo for q, v in zip(questions, values, strict=True)}
        p = first_attempt(quiz, chance)
        if p > best[1]:
            best = (tuple(name for name, _, _ in combo), p, chance)
    return best


def leaks(quiz: Quiz, lang: str) -> list[tuple[str, list[str]]]:
    """For each question, the rules that answer it right more often than not: where to reword."""
    bank = Bank.of(quiz.questions, lang)
    return [(q.id, [r.name for r in RULES[q.type] if r.chance(q, lang, bank) > 0.5]) for q in quiz.questions]


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _bank_problems(report: BankReport, limits: Limits) -> list[str]:
    where = f"bank {report.course} ({report.lang})"
    found = []
    if report.singles and report.unique_longest > limits.unique_longest:
        found.append(
            f"{where}: the right option is the unique longest in {_pct(report.unique_longest)} "
            f"of single-choice questions (limit {_pct(limits.unique_longest)})"
        )
    if report.singles and report.near_mean < limits.near_mean:
        found.append(
            f"{where}: the right option is within ±20 % of the mean length in only "
            f"{_pct(report.near_mean)} of single-choice questions (at least {_pct(limits.near_mean)})"
        )
    low, high = limits.true_share
    if report.true_share is not None and not low <= report.true_share <= high:
        found.append(
            f"{where}: {_pct(report.true_share)} of true/false answers are true "
            f"(keep {_pct(low)}–{_pct(high)})"
        )
    if report.fewest_per_lesson < limits.per_lesson:
        found.append(
            f"{where}: a lesson has only {report.fewest_per_lesson} questions (at least {limits.per_lesson})"
        )
    if report.scenario <= report.recall:
        found.append(
            f"{where}: {report.scenario} scenario questions against {report.recall} recall "
            "(need more scenarios)"
        )
    if report.best_first > limits.first_attempt:
        found.append(
            f"{where}: guessing by {' / '.join(report.best)} passes {_pct(report.best_first)} "
            f"of first attempts (limit {_pct(limits.first_attempt)})"
        )
    return found


def _wording_problems(quiz: Quiz) -> list[str]:
    found = []
    for question in quiz.questions:
        texts = [question.prompt.get(lang) for lang in LANGS]
        texts += [t for lang in LANGS for t in option_texts(question, lang)]
        if any(ALL_OF_THE_ABOVE.search(t) for t in texts):
            found.append(
                f"bank {quiz.course}: question {question.id}: no 'all of the above' or 'none of the above'"
            )
    return found


def _duplicates(courses: list[Course], limit: float) -> list[str]:
    questions = [q for c in courses if c.quiz for q in c.quiz.questions]
    found = []
    for a, b in itertools.combinations(questions, 2):
        similarity = cues.overlap(a.prompt.get("zh-Hans"), b.prompt.get("zh-Hans"), "zh-Hans")
        if similarity >= limit:
            found.append(
                f"questions {a.id} and {b.id} are near-duplicates ({similarity:.2f} of their prompts shared)"
            )
    return found


def guessing_report(catalogue: Catalogue, limits: Limits | None = None) -> GuessingReport:
    limits = limits or Limits()
    report = GuessingReport()
    courses = [c for c in catalogue.courses.values() if c.quiz]
    for quiz in [c.quiz for c in courses if c.quiz]:
        for lang in LANGS:
            bank = measure(quiz, lang)
            bank.best, bank.best_first, chance = best_strategy(quiz, lang)
            bank.best_within = within_tries(quiz, chance, limits.tries, limits.runs)
            report.banks.append(bank)
            report.problems += _bank_problems(bank, limits)
        report.problems += _wording_problems(quiz)
    report.problems += _duplicates(courses, limits.duplicate)
    return report


def report_lines(report: GuessingReport, limits: Limits) -> list[str]:
    lines = [f"guessing report (best strategy at most {_pct(limits.first_attempt)} at the first attempt)"]
    for b in report.banks:
        tf = "-" if b.true_share is None else _pct(b.true_share)
        lines += [
            f"  {b.course} ({b.lang}): right option unique longest {_pct(b.unique_longest)}, "
            f"near the mean {_pct(b.near_mean)}, length right/wrong {b.length_ratio:.2f}; "
            f"true/false true {tf}; "
            f"reason clause right {_pct(b.reason_right)} / wrong {_pct(b.reason_wrong)}; "
            f"scenario {b.scenario} / recall {b.recall}; fewest per lesson {b.fewest_per_lesson}",
            f"    best guess: {' / '.join(b.best)}: {_pct(b.best_first)} first attempt, "
            f"{_pct(b.best_within)} within {limits.tries} attempts (remembering shown answers)",
        ]
    return lines
