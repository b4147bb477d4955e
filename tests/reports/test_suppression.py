"""The small-cell rule on plain numbers: what is small, what is withheld beside it, and that
someone subtracting (tests/reports/attacker.py) can work out none of it."""

import random

import pytest

from app.reports.cells import Hidden, Problem
from app.reports.families import course_family
from app.reports.figures import CourseFigure
from app.reports.suppression import suppress
from tests.reports.attacker import SMALL, WITHHELD, given_away, possible_values

N = 5


def decide(values, sums=(), orders=()):
    problem = Problem(values=dict(values), sums=list(sums), orders=list(orders))
    return {key: mark.reason for key, mark in suppress(problem, N).items()}


def as_shown(values, marks):
    return {
        k: (SMALL if marks.get(k) == "small" else WITHHELD if k in marks else v) for k, v in values.items()
    }


def assert_nothing_given_away(values, sums=(), orders=()):
    marks = decide(values, sums, orders)
    shown = as_shown(values, marks)
    assert given_away(shown, [(t, list(p)) for t, p in sums], list(orders), N) == {}
    return marks


def test_counts_of_one_to_four_are_small_and_zero_and_five_are_shown():
    assert decide({"a": 0, "b": 1, "c": 4, "d": 5}) == {"b": "small", "c": "small"}


def test_the_marker_holds_no_number():
    mark = Hidden("small", 5)
    assert mark.short == "<5" and Hidden("withheld", 5).short == "—"
    assert "2" not in repr(mark) and not hasattr(mark, "value")


def test_a_lone_small_cell_under_a_shown_total_takes_the_next_smallest_with_it():
    values = {"total": 30, "a": 2, "b": 6, "c": 7, "d": 15}
    sums = [("total", ("a", "b", "c", "d"))]
    assert assert_nothing_given_away(values, sums) == {"a": "small", "b": "withheld"}


def test_a_zero_is_never_withheld():
    values = {"total": 9, "a": 2, "zero": 0, "b": 7}
    assert decide(values, [("total", ("a", "zero", "b"))]) == {"a": "small", "b": "withheld"}


def test_two_ones_under_a_gap_of_two_take_a_third_cell():
    values = {"total": 12, "a": 1, "b": 1, "c": 10}
    marks = assert_nothing_given_away(values, [("total", ("a", "b", "c"))])
    assert marks == {"a": "small", "b": "small", "c": "withheld"}


def test_a_one_beside_a_withheld_five_is_still_pinned_so_a_third_cell_goes():
    values = {"total": 16, "a": 1, "b": 5, "c": 10}
    marks = assert_nothing_given_away(values, [("total", ("a", "b", "c"))])
    assert marks == {"a": "small", "b": "withheld", "c": "withheld"}


def test_when_no_other_part_can_go_the_total_is_withheld():
    values = {"total": 8, "a": 4, "b": 4}
    marks = assert_nothing_given_away(values, [("total", ("a", "b"))])
    assert marks == {"a": "small", "b": "small", "total": "withheld"}


def test_a_grade_of_one_small_class_is_protected_at_school_level():
    values = {"school": 17, "g3": 2, "g4": 15, "a": 2, "b": 6, "c": 9}
    sums = [("school", ("g3", "g4")), ("g3", ("a",)), ("g4", ("b", "c"))]
    marks = assert_nothing_given_away(values, sums)
    assert marks["a"] == marks["g3"] == "small"
    assert marks["g4"] == "withheld" and marks["b"] == "withheld"  # g4 alone: b + c would give it


def test_a_withheld_cell_capped_by_a_shown_cell_of_its_row_is_not_enough():
    values = {"cert": 15, "ca": 2, "cb": 5, "cc": 8, "rb": 5, "rc": 9}
    sums = [("cert", ("ca", "cb", "cc"))]
    orders = [("cb", "rb"), ("cc", "rc")]  # certified ≤ registered: rb = 5 pins a withheld cb at 5
    marks = assert_nothing_given_away(values, sums, orders)
    assert marks["cc"] == "withheld"


def test_a_course_row_and_the_totals_row_cannot_be_subtracted():
    figures = [
        CourseFigure("a", 10, 8, 2, 12),
        CourseFigure("b", 12, 12, 0, 14),
        CourseFigure("c", 9, 5, 4, 9),
    ]
    hiding = course_family(figures, N)
    values = {(f.slug, k): getattr(f, k) for f in figures for k in ("attempted", "passed", "stuck")}
    values |= {("*", k): sum(getattr(f, k) for f in figures) for k in ("attempted", "passed", "stuck")}
    sums = [((f.slug, "attempted"), [(f.slug, "passed"), (f.slug, "stuck")]) for f in figures]
    sums += [(("*", k), [(f.slug, k) for f in figures]) for k in ("attempted", "passed", "stuck")]
    sums.append((("*", "attempted"), [("*", "passed"), ("*", "stuck")]))  # known, though not given
    shown = as_shown(values, {k: m.reason for k, m in hiding.marks.items()})
    assert shown[("a", "stuck")] == SMALL and shown[("c", "stuck")] == SMALL
    assert given_away(shown, sums, [], N) == {}


def test_the_attacker_finds_a_lone_hidden_cell():
    """The check the other tests rely on can fail: one hidden cell under a shown total is found."""
    shown = {"total": 9, "a": SMALL, "b": 7}
    assert given_away(shown, [("total", ["a", "b"])], [], N) == {"a": {2}}
    assert possible_values({"t": 9, "a": SMALL, "b": WITHHELD}, [("t", ["a", "b"])], [], N)["a"] == {
        1,
        2,
        3,
        4,
    }


@pytest.mark.parametrize("seed", range(60))
def test_random_school_shaped_figures_give_nothing_away(seed):
    """Grades of 1–3 classes with counts around the threshold; totals, orders and all."""
    rng = random.Random(seed)
    values, sums, orders = {}, [], []
    grades = []
    for g in range(rng.randint(1, 3)):
        classes = [f"c{g}{i}" for i in range(rng.randint(1, 3))]
        for c in classes:
            values[(c, "reg")] = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 12])
            values[(c, "cert")] = rng.randint(0, values[(c, "reg")])
            orders.append(((c, "cert"), (c, "reg")))
        for name in ("reg", "cert"):
            values[(f"g{g}", name)] = sum(values[(c, name)] for c in classes)
            sums.append(((f"g{g}", name), tuple((c, name) for c in classes)))
        orders.append(((f"g{g}", "cert"), (f"g{g}", "reg")))
        grades.append(f"g{g}")
    for name in ("reg", "cert"):
        values[("school", name)] = sum(values[(g, name)] for g in grades)
        sums.append((("school", name), tuple((g, name) for g in grades)))
    assert_nothing_given_away(values, sums, orders)
