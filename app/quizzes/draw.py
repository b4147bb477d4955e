"""Drawing an attempt's questions and shuffling its choices: pure functions of their inputs.

The draw is stratified: one question from every lesson, then the rest of `quiz.draw` from what
is left, unseen questions first at every step. So no attempt leaves a lesson untested, and a
retry still sees new questions. `DrawPlan` is the rule written as data: `pick_questions` follows
it with a random source, and the guessing report (`app/quizzes/odds.py`) reads the same plan to
compute a guesser's chances exactly."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass

from app.content.catalogue import Question, Quiz

TOKEN_BYTES = 9  # 12 URL-safe characters per choice token


def new_choice_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@dataclass(frozen=True)
class DrawPlan:
    """`strata`: question ids per lesson, in course order; one is drawn from each. Then `fill`
    more come from the questions not drawn yet. Within a stratum and within the fill, questions
    in `seen` are drawn only when no unseen one is left; each choice is uniform."""

    strata: tuple[tuple[str, ...], ...]
    fill: int
    seen: frozenset[str]


def draw_plan(quiz: Quiz, seen: Collection[str]) -> DrawPlan:
    """The plan for one attempt. Lessons in the order their questions first appear in the bank;
    the loader makes sure every lesson of the course has a question and `draw` covers them all."""
    strata: dict[str, list[str]] = {}
    for question in quiz.questions:
        strata.setdefault(question.lesson, []).append(question.id)
    fill = max(quiz.draw - len(strata), 0)
    return DrawPlan(tuple(tuple(ids) for ids in strata.values()), fill, frozenset(seen))


def _unseen_first(ids: list[str], seen: frozenset[str], count: int, rng: random.Random) -> list[str]:
    """`count` of `ids` (or all there are), unseen ones first, each uniform among those left: the
    head of a shuffle, drawn with `sample`, which asks the random source `count` times instead
    of once per id."""
    unseen = [q for q in ids if q not in seen]
    if count <= len(unseen):
        return rng.sample(unseen, count)
    already = [q for q in ids if q in seen]
    return rng.sample(unseen, len(unseen)) + rng.sample(already, min(count - len(unseen), len(already)))


def pick_questions(quiz: Quiz, seen: Collection[str], rng: random.Random) -> list[Question]:
    """`quiz.draw` questions following `draw_plan`, in random order."""
    plan = draw_plan(quiz, seen)
    picked = [_unseen_first(list(stratum), plan.seen, 1, rng)[0] for stratum in plan.strata]
    rest = [q for stratum in plan.strata for q in stratum if q not in picked]
    picked += _unseen_first(rest, plan.seen, plan.fill, rng)
    picked = picked[: quiz.draw]
    rng.shuffle(picked)
    return [quiz.question(qid) for qid in picked]


def build_draw(
    quiz: Quiz,
    seen: Collection[str],
    rng: random.Random | None = None,
    new_token: Callable[[], str] = new_choice_token,
) -> list[dict]:
    """The server-side record of an attempt: question ids in order, each with its choices as
    `[token, key]` pairs in display order. True/false keeps its natural order; the tokens alone
    carry no meaning."""
    rng = rng or random.SystemRandom()
    draw = []
    for question in pick_questions(quiz, seen, rng):
        keys = [choice.key for choice in question.choices]
        if question.type != "true_false":
            rng.shuffle(keys)
        draw.append({"q": question.id, "choices": [[new_token(), key] for key in keys]})
    return draw
