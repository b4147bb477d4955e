"""The guessing report catches a bank that gives its answers away, and its chances are the
ones a guesser really gets from the site's draw."""

import random

import pytest

from app.content.loader import load_catalogue
from app.content.registry import catalogue
from app.quizzes import cues
from app.quizzes.draw import build_draw
from app.quizzes.grading import grade
from app.quizzes.guessing import Limits, guessing_report
from app.quizzes.odds import first_attempt
from app.quizzes.strategies import RULES, Bank
from tests.content.trees import edit_bank

TAIL = {
    "zh-Hans": "，这样大家都放心，也不会耽误孩子的事情",
    "en": ", so that everyone can relax and nothing for the child is held up",
}


def leak(data):
    """The right option always the longest; every statement false."""
    for question in data["questions"]:
        if question["type"] == "true_false":
            question["answer"] = False
        for choice in question.get("choices", []):
            if choice.get("correct"):
                choice["text"] = {lang: text + TAIL[lang] for lang, text in choice["text"].items()}


@pytest.fixture
def leaky(tree):
    """Two leaky banks: scams (4 lessons, 2 more drawn) and group-owner (5 lessons, 1 more)."""
    edit_bank(tree, "scams", leak)
    edit_bank(tree, "group-owner", leak)
    return load_catalogue(tree)


def test_a_leaky_bank_fails_naming_the_bank_and_the_strategy(leaky):
    problems = "\n".join(guessing_report(leaky, Limits(runs=100)).problems)
    assert "bank scams (zh-Hans): the right option is the unique longest in 100.0 %" in problems
    assert "bank scams (en): 0.0 % of true/false answers are true" in problems
    assert "bank scams (zh-Hans): guessing by longest / always false" in problems


def test_the_check_command_fails_on_a_leaky_bank(leaky, tree, app, settings):
    settings(CONTENT_DIR=str(tree))
    result = app.test_cli_runner().invoke(args=["content", "check", "--runs", "100"])
    assert result.exit_code == 1
    assert "guessing by longest / always false" in result.output
    assert "best guess: longest / always false" in result.output


def _chance(rule_name: str, qtype: str, quiz, lang: str) -> dict[str, float]:
    rule = next(r for r in RULES[qtype] if r.name == rule_name)
    bank = Bank.of(quiz.questions, lang)
    return {q.id: rule.chance(q, lang, bank) for q in quiz.questions if q.type == qtype}


def _guess(question, shown_keys: list[int], lang: str, rng: random.Random) -> frozenset[int]:
    """A guesser looking at the choices as the page shows them: the longest option, "false",
    and in multiple choice the longer half."""
    if question.type == "true_false":
        return frozenset({1})  # the second of true / false
    length = {c.key: cues.length(c.text.get(lang)) for c in question.choices}
    if question.type == "single":
        top = max(length.values())
        return frozenset({rng.choice([k for k in shown_keys if length[k] == top])})
    ranked = sorted(shown_keys, key=lambda k: length[k], reverse=True)
    return frozenset(ranked[: -(-len(ranked) // 2)])


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_the_exact_chance_agrees_with_a_seeded_simulation_of_the_real_draw(leaky, lang):
    for slug in ("scams", "group-owner"):
        quiz = leaky.courses[slug].quiz
        chance = (
            _chance("longest", "single", quiz, lang)
            | _chance("always false", "true_false", quiz, lang)
            | _chance("tick the longer half", "multiple", quiz, lang)
        )
        rng = random.Random(7)
        runs, passed = 20_000, 0
        for _ in range(runs):
            draw = build_draw(quiz, set(), rng, new_token=lambda: "t")
            right = 0
            for item in draw:
                question = quiz.question(item["q"])
                right += grade(question, _guess(question, [k for _, k in item["choices"]], lang, rng))
            passed += right >= quiz.pass_mark()
        exact = first_attempt(quiz, chance)
        assert exact > 0.2  # a leak big enough for the comparison to mean something
        assert abs(passed / runs - exact) <= 0.01, slug


@pytest.fixture(scope="module")
def real_report(app):
    """The report on the real banks, made once for the module's four checks (it covers all banks)."""
    with app.app_context():
        return guessing_report(catalogue(), Limits(runs=200))


@pytest.mark.parametrize("slug", ["etiquette", "law", "scams", "group-owner"])
def test_the_real_banks_pass_the_report(real_report, slug):
    report = real_report
    mine = [b for b in report.banks if b.course == slug]
    assert {b.lang for b in mine} == {"zh-Hans", "en"}
    assert all(b.best_first <= 0.05 for b in mine)
    assert [p for p in report.problems if slug in p] == []
