"""Ways to answer without reading, one family per question type. Each rule gives, for one
question in one language, the chance that a person following it answers right; ties between
options are broken at random, as a guesser would. The guessing report tries every combination
of one rule per type (`odds.py`)."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import comb

from app.content.catalogue import Question
from app.quizzes import cues

Texts = Sequence[str]


@dataclass(frozen=True)
class Rule:
    name: str
    qtype: str
    chance: Callable[[Question, str, Bank], float]


@dataclass(frozen=True)
class Bank:
    """What a guesser can learn from a whole bank: the median length of its statements."""

    statement_median: float

    @classmethod
    def of(cls, questions: Sequence[Question], lang: str) -> Bank:
        lengths = [cues.length(q.prompt.get(lang)) for q in questions if q.type == "true_false"]
        return cls(statistics.median(lengths) if lengths else 0.0)


def option_texts(question: Question, lang: str) -> list[str]:
    return [c.text.get(lang) if c.text else "" for c in question.choices]


# Single choice: a score per option; the guesser picks a highest-scoring one.
def _by_length(texts: Texts, prompt: str, lang: str) -> list[tuple]:
    return [(cues.length(t),) for t in texts]


def _similarity(texts: Texts, prompt: str, lang: str) -> list[float]:
    return [sum(cues.overlap(t, o, lang) for o in texts if o is not t) for t in texts]


SCORES: dict[str, Callable[[Texts, str, str], list]] = {
    "longest": _by_length,
    "shortest": lambda ts, p, lang: [(-cues.length(t),) for t in ts],
    "no absolute word": lambda ts, p, lang: [(-cues.count("absolute", t, lang),) for t in ts],
    "hedged": lambda ts, p, lang: [(cues.has("hedge", t, lang),) for t in ts],
    "gives a reason": lambda ts, p, lang: [(cues.has("reason", t, lang),) for t in ts],
    "gives no reason": lambda ts, p, lang: [(not cues.has("reason", t, lang),) for t in ts],
    "most cautious": lambda ts, p, lang: [(cues.count("caution", t, lang),) for t in ts],
    "least cautious": lambda ts, p, lang: [(-cues.count("caution", t, lang),) for t in ts],
    "like the others": lambda ts, p, lang: [(round(s, 3),) for s in _similarity(ts, p, lang)],
    "unlike the others": lambda ts, p, lang: [(-round(s, 3),) for s in _similarity(ts, p, lang)],
    "names a number or a time": lambda ts, p, lang: [(bool(re.search(r"[0-9０-９]", t)),) for t in ts],
    "echoes the question": lambda ts, p, lang: [(round(cues.overlap(t, p, lang), 3),) for t in ts],
    "no absolute word, then longest": lambda ts, p, lang: [
        (-cues.count("absolute", t, lang), cues.length(t)) for t in ts
    ],
    "gives a reason, then longest": lambda ts, p, lang: [
        (cues.has("reason", t, lang), cues.length(t)) for t in ts
    ],
    "most cautious, then longest": lambda ts, p, lang: [
        (cues.count("caution", t, lang), cues.length(t)) for t in ts
    ],
}


def _pick_best(score: Callable[[Texts, str, str], list]) -> Callable[[Question, str, Bank], float]:
    def chance(question: Question, lang: str, bank: Bank) -> float:
        scores = score(option_texts(question, lang), question.prompt.get(lang), lang)
        top = max(scores)
        tied = [c for c, s in zip(question.choices, scores, strict=True) if s == top]
        return sum(c.correct for c in tied) / len(tied)

    return chance


# True/false: a rule maps a statement to an answer.
def _says(rule: Callable[[str, str, Bank], bool]) -> Callable[[Question, str, Bank], float]:
    def chance(question: Question, lang: str, bank: Bank) -> float:
        truth = question.choices[0].correct
        return float(rule(question.prompt.get(lang), lang, bank) == truth)

    return chance


STATEMENTS: dict[str, Callable[[str, str, Bank], bool]] = {
    "always true": lambda s, lang, b: True,
    "always false": lambda s, lang, b: False,
    "absolute word means false": lambda s, lang, b: not cues.has("absolute", s, lang),
    "hedge means true": lambda s, lang, b: cues.has("hedge", s, lang),
    "absolute false, hedge true, else false": lambda s, lang, b: (
        not cues.has("absolute", s, lang) and cues.has("hedge", s, lang)
    ),
    "negation means true": lambda s, lang, b: cues.has("negation", s, lang),
    "negation means false": lambda s, lang, b: not cues.has("negation", s, lang),
    "long means true": lambda s, lang, b: cues.length(s) > b.statement_median,
    "short means true": lambda s, lang, b: cues.length(s) <= b.statement_median,
}


# Multiple choice: a rule picks the options to tick; only the exact set is right. Ties in a
# ranking are broken at random, as they are on a page whose choices are shuffled.
def _upper_half(values: Sequence[float], right: set[int]) -> float:
    """Chance that ticking the ceil(n/2) highest `values` ticks exactly `right`."""
    k = -(-len(values) // 2)
    cut = sorted(values, reverse=True)[k - 1]
    above = {i for i, v in enumerate(values) if v > cut}
    tied = {i for i, v in enumerate(values) if v == cut}
    if not above <= right or not right - above <= tied or len(right - above) != k - len(above):
        return 0.0
    return 1 / comb(len(tied), k - len(above))


def _all_but_lowest(values: Sequence[float], right: set[int]) -> float:
    low = min(values)
    tied = [i for i, v in enumerate(values) if v == low]
    return sum(right == set(range(len(values))) - {i} for i in tied) / len(tied)


def _exactly(ticked: set[int], right: set[int]) -> float:
    return float(ticked == right)


TICKS: dict[str, Callable[[Texts, str, set[int]], float]] = {
    "tick all": lambda ts, lang, right: _exactly(set(range(len(ts))), right),
    "tick the longer half": lambda ts, lang, right: _upper_half([cues.length(t) for t in ts], right),
    "tick all but the shortest": lambda ts, lang, right: _all_but_lowest([cues.length(t) for t in ts], right),
    "tick every option without an absolute word": lambda ts, lang, right: _exactly(
        {i for i, t in enumerate(ts) if not cues.has("absolute", t, lang)}, right
    ),
    "tick every option with a reason": lambda ts, lang, right: _exactly(
        {i for i, t in enumerate(ts) if cues.has("reason", t, lang)}, right
    ),
    "tick every option without a reason": lambda ts, lang, right: _exactly(
        {i for i, t in enumerate(ts) if not cues.has("reason", t, lang)}, right
    ),
    "tick every cautious option": lambda ts, lang, right: _exactly(
        {i for i, t in enumerate(ts) if cues.has("caution", t, lang)}, right
    ),
    "tick the half most like the others": lambda ts, lang, right: _upper_half(
        [round(v, 3) for v in _similarity(ts, "", lang)], right
    ),
}


def _ticks(rule: Callable[[Texts, str, set[int]], float]) -> Callable[[Question, str, Bank], float]:
    def chance(question: Question, lang: str, bank: Bank) -> float:
        return rule(
            option_texts(question, lang), lang, {i for i, c in enumerate(question.choices) if c.correct}
        )

    return chance


def _random_subset(question: Question, lang: str, bank: Bank) -> float:
    return 1 / (2 ** len(question.choices) - 1)


RULES: dict[str, list[Rule]] = {
    "single": [Rule("pick at random", "single", lambda q, lang, b: 1 / len(q.choices))]
    + [Rule(name, "single", _pick_best(score)) for name, score in SCORES.items()],
    "true_false": [Rule(name, "true_false", _says(rule)) for name, rule in STATEMENTS.items()],
    "multiple": [Rule("tick at random", "multiple", _random_subset)]
    + [Rule(name, "multiple", _ticks(rule)) for name, rule in TICKS.items()],
}
