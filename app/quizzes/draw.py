"""Drawing an attempt's questions and shuffling its choices: pure functions of their inputs."""

import random
import secrets
from collections.abc import Callable, Collection

from app.content.catalogue import Question, Quiz

TOKEN_BYTES = 9  # 12 URL-safe characters per choice token


def new_choice_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def pick_questions(quiz: Quiz, seen: Collection[str], rng: random.Random) -> list[Question]:
    """`quiz.draw` questions, unseen ones first, each group in random order."""
    unseen = [q for q in quiz.questions if q.id not in seen]
    already = [q for q in quiz.questions if q.id in seen]
    rng.shuffle(unseen)
    rng.shuffle(already)
    return (unseen + already)[: quiz.draw]


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
