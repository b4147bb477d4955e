"""Small-cell suppression: which report figures school staff and the bureau do not see. Plain
functions over numbers (no Flask, no database), so every rule can be tested on its own.

The rule, for a threshold N (`REPORT_SMALL_CELL`, 5 by default):

1. A count of people from 1 to N−1 is *small*: it is shown as "fewer than N". Zero is shown:
   it points at nobody.
2. Complementary suppression, never rounding, and the totals stay exact. Figures that add up to
   another figure (`Problem.sums`: the classes of a grade and the grade, the grades and the
   school, the weeks and the registrations, a course's passed and stuck and its attempts, the
   rows of a table and its totals row) are read as someone subtracting would read them. While a
   small figure can still be worked out to one value, the next smallest non-zero figure beside it
   is *withheld* too (shown as "hidden"): a sibling first, the total only when no sibling can
   go (it is a figure like any other). Worked out means: by subtraction (one hidden cell in a
   sum; any linear combination of the sums), or because the bounds leave one value — two hidden
   cells of 1 under a gap of 2, "fewer than 5" beside a withheld cell (which is then at least 5)
   under a gap of 6, a withheld cell capped by a shown cell of its row (`Problem.orders`:
   certified ≤ registered, …). A withheld cell is never a zero (hiding a zero protects nothing).
3. Rates are not decided here: the caller hides a rate whose part or whole is hidden.

`suppress()` returns the hidden cells only; every other cell is shown as it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

from app.reports.cells import Hidden, Key, Problem, is_small

MAX_PASSES = 60  # bound propagation stops here even if it could still narrow a little


def suppress(problem: Problem, threshold: int) -> dict[Key, Hidden]:
    """The hidden cells of `problem`: the small ones, and the withheld ones that protect them."""
    solver = _Solver(problem, threshold)
    return solver.run()


class _Solver:
    def __init__(self, problem: Problem, threshold: int) -> None:
        self.n = threshold
        self.keys = list(problem.values)
        index = {k: i for i, k in enumerate(self.keys)}
        self.value = [problem.values[k] for k in self.keys]
        self.fixed = {index[k] for k in problem.fixed if k in index}
        self.sums = [(index[t], [index[p] for p in ps]) for t, ps in problem.sums]
        self.orders = [(index[a], index[b]) for a, b in problem.orders]
        self.incident: list[list[int]] = [[] for _ in self.keys]  # cell → sums it is in
        for number, (total, parts) in enumerate(self.sums):
            for cell in (total, *parts):
                self.incident[cell].append(number)
        self.virtual: set[int] = set()
        self.bound_sums = self._differences()
        self.mark: dict[int, str] = {
            i: "small"
            for i, v in enumerate(self.value[: len(self.keys)])
            if is_small(v, threshold) and i not in self.fixed
        }

    def _differences(self) -> list[tuple[int, list[int]]]:
        """Each order a ≤ b as a cell d = b − a ≥ 0 (b = a + d), and where two sums run side by
        side (registered and certified of the same classes) the differences add up too. Only for
        the bounds: they let the propagation see that certified cells under registered cells whose
        sum is known add up to at most that sum. Never shown, never hidden, never chosen."""
        difference = {}
        result = []
        for a, b in self.orders:
            d = len(self.value)
            self.value.append(self.value[b] - self.value[a])
            self.virtual.add(d)
            difference[(a, b)] = d
            result.append((b, [a, d]))
        by_total = {total: parts for total, parts in self.sums}
        for (a, b), d in difference.items():
            pa, pb = by_total.get(a), by_total.get(b)
            if pa is None or pb is None or len(pa) != len(pb):
                continue
            parts = [difference.get(pair) for pair in zip(pa, pb, strict=True)]
            if None not in parts:
                result.append((d, parts))  # type: ignore[arg-type]
        return result

    def run(self) -> dict[Key, Hidden]:
        self._close()
        while exposed := self._exposed():
            before = len(self.mark)
            touched: set[int] = set()  # one new cell per sum and round: it may be enough for both
            for cell in exposed:
                if touched.isdisjoint(self.incident[cell]):
                    added = self._protect(cell)
                    if added is not None:
                        touched.update(self.incident[added])
            self._close()
            if len(self.mark) == before:
                break  # nothing left beside them to hide (it does not happen on report data)
        return {self.keys[i]: Hidden(reason, self.n) for i, reason in self.mark.items()}  # type: ignore[arg-type]

    # ---- choosing what else to hide ----

    def _free(self, cell: int) -> bool:
        """Could be withheld: shown, not zero, not fixed, a real cell."""
        return (
            self.value[cell] > 0
            and cell not in self.mark
            and cell not in self.fixed
            and cell not in self.virtual
        )

    def _smallest(self, candidates: Iterable[int], total: int | None) -> int | None:
        """The next smallest shown cell: a part before the total, then by value, then by order."""
        ranked = sorted((cell == total, self.value[cell], cell) for cell in candidates if self._free(cell))
        return ranked[0][2] if ranked else None

    def _withhold(self, cell: int) -> None:
        self.mark[cell] = "withheld"

    def _close(self) -> None:
        """No sum keeps exactly one hidden cell: that one would be its total minus the rest."""
        changed = True
        while changed:
            changed = False
            for total, parts in self.sums:
                members = (total, *parts)
                if sum(1 for cell in members if cell in self.mark) != 1:
                    continue
                choice = self._smallest(members, total)
                if choice is not None:
                    self._withhold(choice)
                    changed = True

    def _protect(self, exposed: int) -> int | None:
        """Withhold the nearest next smallest cell: among the sums of `exposed`, then among the sums
        of the hidden cells beside it, and so on outwards."""
        seen_sums: set[int] = set()
        frontier = {exposed}
        seen_cells = {exposed}
        while frontier:
            layer = {s for cell in frontier for s in self.incident[cell]} - seen_sums
            if not layer:
                break
            seen_sums |= layer
            best = None
            for number in sorted(layer):
                total, parts = self.sums[number]
                choice = self._smallest((total, *parts), total)
                if choice is not None:
                    rank = (choice == total, self.value[choice], choice)
                    best = min(best, rank) if best else rank
            if best:
                self._withhold(best[2])
                return best[2]
            frontier = {
                cell
                for number in layer
                for cell in (self.sums[number][0], *self.sums[number][1])
                if cell in self.mark and cell not in seen_cells
            }
            seen_cells |= frontier
        # Pinned by an order alone (a withheld cell capped by its row): hide the cell that caps it.
        partners = {b if a in seen_cells else a for a, b in self.orders if a in seen_cells or b in seen_cells}
        choice = self._smallest(partners, None)
        if choice is not None:
            self._withhold(choice)
        return choice

    # ---- what someone could work out ----

    def _exposed(self) -> list[int]:
        """Small cells that the shown cells, the sums, the orders and the markers pin to one value."""
        lo, hi = self._bounds()
        pinned = {cell for cell in self.mark if self.mark[cell] == "small" and lo[cell] == hi[cell]}
        pinned |= {cell for cell in self._determined() if self.mark.get(cell) == "small"}
        return sorted(pinned)

    def _bounds(self) -> tuple[list[float], list[float]]:
        """Each cell's interval as someone reading the page knows it, narrowed by the sums and
        orders until nothing changes (exact on the tree-shaped sums of a report)."""
        lo: list[float] = []
        hi: list[float] = []
        for cell, value in enumerate(self.value):
            reason = "virtual" if cell in self.virtual else self.mark.get(cell)
            low, high = {
                "small": (1, self.n - 1),
                "withheld": (self.n, math.inf),
                "virtual": (0, math.inf),
            }.get(reason, (value, value))
            lo.append(low)
            hi.append(high)
        for _ in range(MAX_PASSES):
            changed = False
            for total, parts in (*self.sums, *self.bound_sums):
                changed |= _narrow_sum(lo, hi, total, parts)
            for a, b in self.orders:
                if hi[b] < hi[a]:
                    hi[a], changed = hi[b], True
                if lo[a] > lo[b]:
                    lo[b], changed = lo[a], True
            if not changed:
                break
        return lo, hi

    def _determined(self) -> set[int]:
        """Hidden cells that a linear combination of the sums gives exactly. Bound propagation
        already finds them where the hidden cells and their sums form a tree; only the parts with
        a cycle (a course table: rows and columns) are solved here, by exact elimination."""
        hidden_sums = [
            n for n, (t, ps) in enumerate(self.sums) if t in self.mark or any(p in self.mark for p in ps)
        ]
        parent = {}

        def find(x):
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        cyclic: set = set()
        for number in hidden_sums:
            total, parts = self.sums[number]
            for cell in (total, *parts):
                if cell not in self.mark:
                    continue
                a, b = find(("s", number)), find(("c", cell))
                if a == b:
                    cyclic.add(("s", number))
                else:
                    parent[a] = b
        roots = {find(node) for node in cyclic}
        if not roots:
            return set()
        rows = [n for n in hidden_sums if find(("s", n)) in roots]
        return _solved(self, rows)


def _narrow_sum(lo: list[float], hi: list[float], total: int, parts: list[int]) -> bool:
    changed = False
    low = sum(lo[p] for p in parts)
    high = sum(hi[p] for p in parts)
    if low > lo[total]:
        lo[total], changed = low, True
    if high < hi[total]:
        hi[total], changed = high, True
    infinite = sum(1 for p in parts if hi[p] == math.inf)
    finite_high = sum(hi[p] for p in parts if hi[p] != math.inf)
    for p in parts:
        others_low = low - lo[p]
        if hi[total] - others_low < hi[p]:
            hi[p], changed = hi[total] - others_low, True
        others_infinite = infinite - (1 if hi[p] == math.inf else 0)
        if others_infinite == 0:
            others_high = finite_high - (hi[p] if hi[p] != math.inf else 0)
            if lo[total] - others_high > lo[p]:
                lo[p], changed = lo[total] - others_high, True
    return changed


def _solved(solver: _Solver, sum_numbers: list[int]) -> set[int]:
    """Hidden cells fixed by these sums alone: a unit row of their reduced row echelon form."""
    hidden = sorted(
        {c for n in sum_numbers for c in (solver.sums[n][0], *solver.sums[n][1]) if c in solver.mark}
    )
    column = {cell: i for i, cell in enumerate(hidden)}
    matrix = []
    for n in sum_numbers:
        total, parts = solver.sums[n]
        row = [Fraction(0)] * len(hidden)
        for cell, sign in ((total, -1), *((p, 1) for p in parts)):
            if cell in column:
                row[column[cell]] += sign
        matrix.append(row)
    pivots = []
    r = 0
    for c in range(len(hidden)):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][c] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        head = matrix[r][c]
        matrix[r] = [x / head for x in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][c] != 0:
                factor = matrix[i][c]
                matrix[i] = [x - factor * y for x, y in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(c)
        r += 1
    return {hidden[c] for i, c in enumerate(pivots) if sum(1 for x in matrix[i] if x != 0) == 1}
