"""A guesser's chance of passing, computed from the site's own draw plan (`draw.py`).

First attempt: exact. With no question seen, the plan draws one question uniformly from each
lesson, then `fill` more uniformly from the rest; the chance of at least `need` right answers is
the coefficient extraction below (per lesson, the sum over the picked question of its own
answer polynomial times the others' "maybe in the fill" factors is (k+1)·e_{k+1}, where e is
the elementary symmetric polynomial of the lesson's answer polynomials). Counts are capped at
`need`, which keeps the threshold exact and the polynomials tiny.

Within the retry limit: a seeded simulation of the real `pick_questions`, with the exact chance
of each drawn set, for a guesser who remembers the right answers the result page showed."""

from __future__ import annotations

import random
from collections.abc import Mapping
from math import comb

from app.content.catalogue import Quiz
from app.quizzes.draw import draw_plan, pick_questions

Poly = list[float]  # coefficients of x^0..x^need, the last one meaning "need or more"


def _times_answer(poly: Poly, p: float) -> Poly:
    """poly × ((1-p) + p·x), capped."""
    out = [c * (1 - p) for c in poly]
    for i, c in enumerate(poly):
        out[min(i + 1, len(poly) - 1)] += c * p
    return out


def _times(a: Poly, b: Poly) -> Poly:
    out = [0.0] * len(a)
    for i, ca in enumerate(a):
        if ca:
            for j, cb in enumerate(b):
                out[min(i + j, len(a) - 1)] += ca * cb
    return out


def _add(a: Poly, b: Poly, scale: float = 1.0) -> Poly:
    return [x + scale * y for x, y in zip(a, b, strict=True)]


def _lesson_factor(chances: list[float], fill: int, need: int) -> list[Poly]:
    """By fill count k: (k+1)·e_{k+1}(answers) / n, where e_k sums the products of k answers."""
    one = [1.0] + [0.0] * need
    e = [one] + [[0.0] * (need + 1) for _ in range(fill + 1)]
    for p in chances:
        for k in range(fill + 1, 0, -1):
            e[k] = _add(e[k], _times_answer(e[k - 1], p))
    n = len(chances)
    return [[(k + 1) * c / n for c in e[k + 1]] for k in range(fill + 1)]


def first_attempt(quiz: Quiz, chance: Mapping[str, float]) -> float:
    """Exact chance that one attempt with nothing seen has at least `pass_mark()` right answers,
    when question `q` is answered right with probability `chance[q]`."""
    plan = draw_plan(quiz, ())
    need = quiz.pass_mark()
    total: list[Poly] = [[1.0] + [0.0] * need] + [[0.0] * (need + 1) for _ in range(plan.fill)]
    for stratum in plan.strata:
        factor = _lesson_factor([chance[q] for q in stratum], plan.fill, need)
        product = [[0.0] * (need + 1) for _ in range(plan.fill + 1)]
        for i, a in enumerate(total):
            for j, b in enumerate(factor[: plan.fill + 1 - i]):
                product[i + j] = _add(product[i + j], _times(a, b))
        total = product
    rest = sum(len(s) for s in plan.strata) - len(plan.strata)
    return total[plan.fill][need] / comb(rest, plan.fill)


def chance_of_set(ids: list[str], chance: Mapping[str, float], need: int) -> float:
    poly = [1.0] + [0.0] * need
    for qid in ids:
        poly = _times_answer(poly, chance[qid])
    return poly[need]


def within_tries(quiz: Quiz, chance: Mapping[str, float], tries: int, runs: int, seed: int = 2027) -> float:
    """Chance of passing in at least one of `tries` attempts, averaged over `runs` seeded draws
    made by the site's own `pick_questions`; a question seen before is answered right."""
    rng = random.Random(seed)  # noqa: S311  # nosec B311  # a repeatable simulation, not a secret
    need = quiz.pass_mark()
    failing = 0.0
    for _ in range(runs):
        seen: set[str] = set()
        fail_all = 1.0
        for _attempt in range(tries):
            ids = [q.id for q in pick_questions(quiz, seen, rng)]
            remembered = {q: (1.0 if q in seen else chance[q]) for q in ids}
            fail_all *= 1 - chance_of_set(ids, remembered, need)
            seen.update(ids)
        failing += fail_all
    return 1 - failing / runs
