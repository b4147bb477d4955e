"""Drawing, shuffling and grading as pure functions over hand-made questions."""

import random

from app.content.catalogue import Choice, Localized, Question, Quiz
from app.quizzes.draw import build_draw, pick_questions
from app.quizzes.grading import grade

T = Localized({"zh-Hans": "文", "en": "text"})


def question(qid: str, qtype: str = "single", correct=(0,), n: int = 4) -> Question:
    if qtype == "true_false":
        choices = (Choice(0, None, 0 in correct), Choice(1, None, 1 in correct))
    else:
        choices = tuple(Choice(k, T, k in correct) for k in range(n))
    return Question(qid, qtype, "l1", ("S1",), T, choices, T)


def quiz(n_questions: int = 6, draw: int = 3) -> Quiz:
    return Quiz("c", draw, 80, tuple(question(f"q{i}") for i in range(n_questions)))


def test_draw_takes_the_draw_size_without_repeats():
    picked = pick_questions(quiz(6, 4), seen=set(), rng=random.Random(1))
    assert len(picked) == 4
    assert len({q.id for q in picked}) == 4


def test_draw_prefers_questions_not_seen_before():
    bank = quiz(6, 3)
    for seed in range(20):
        picked = pick_questions(bank, seen={"q0", "q1", "q2"}, rng=random.Random(seed))
        assert {q.id for q in picked} == {"q3", "q4", "q5"}


def test_draw_tops_up_with_seen_questions_when_unseen_run_out():
    picked = pick_questions(quiz(4, 3), seen={"q0", "q1", "q2"}, rng=random.Random(3))
    ids = [q.id for q in picked]
    assert "q3" in ids
    assert len(set(ids)) == 3


def test_choices_are_shuffled_between_attempts():
    bank = Quiz("c", 1, 80, (question("q0", n=5),))
    orders = {
        tuple(k for _, k in build_draw(bank, set(), random.Random(seed))[0]["choices"]) for seed in range(30)
    }
    assert len(orders) > 5


def test_choice_tokens_are_random_per_attempt_and_carry_no_key():
    bank = Quiz("c", 1, 80, (question("q0"),))
    first = build_draw(bank, set())[0]["choices"]
    second = build_draw(bank, set())[0]["choices"]
    first_tokens = {token for token, _ in first}
    assert first_tokens.isdisjoint({token for token, _ in second})
    assert all(len(token) >= 12 and str(key) != token for token, key in first)


def test_true_false_keeps_its_natural_order():
    bank = Quiz("c", 1, 80, (question("q0", "true_false", correct=(1,)),))
    for seed in range(10):
        assert [k for _, k in build_draw(bank, set(), random.Random(seed))[0]["choices"]] == [0, 1]


def test_single_choice_needs_exactly_the_right_choice():
    q = question("q", correct=(2,))
    assert grade(q, frozenset({2}))
    assert not grade(q, frozenset({1}))
    assert not grade(q, frozenset({1, 2}))
    assert not grade(q, frozenset())


def test_multiple_choice_needs_all_right_choices_and_no_wrong_one():
    q = question("q", "multiple", correct=(0, 2))
    assert grade(q, frozenset({0, 2}))
    assert not grade(q, frozenset({0}))
    assert not grade(q, frozenset({0, 1, 2}))


def test_true_false_is_graded_on_the_statement():
    q = question("q", "true_false", correct=(1,))
    assert grade(q, frozenset({1}))
    assert not grade(q, frozenset({0}))


def test_pass_mark_rounds_up():
    assert Quiz("c", 5, 80, ()).pass_mark() == 4
    assert Quiz("c", 6, 80, ()).pass_mark() == 5
    assert Quiz("c", 3, 100, ()).pass_mark() == 3
