"""Someone working out hidden report figures from what a page and its exports show.

Independent of app/reports/suppression.py on purpose: it enumerates every assignment of the hidden
cells that agrees with the shown cells, the sums, the orders and the markers ("fewer than 5" is 1
to 4; "hidden" is not small and not zero, so at least 5), and says what values each hidden cell can
still take. One value left: the figure was given away.
"""

from __future__ import annotations

from collections.abc import Hashable
from html.parser import HTMLParser

SMALL, WITHHELD = "small", "withheld"


def possible_values(
    cells: dict[Hashable, int | str],
    sums: list[tuple[Hashable, list[Hashable]]],
    orders: list[tuple[Hashable, Hashable]],
    threshold: int,
    cap: int | None = None,
) -> dict[Hashable, set[int]]:
    """Every value each hidden cell (SMALL or WITHHELD) takes in some world consistent with all.
    A withheld cell is taken to be at most `cap` (by default twice the largest number shown, plus
    the threshold: more than any figure of the page could be)."""
    shown = [v for v in cells.values() if isinstance(v, int)]
    cap = cap or 2 * max(shown, default=0) + threshold
    unknown = [k for k, v in cells.items() if not isinstance(v, int)]
    domain = {k: (1, threshold - 1) if cells[k] == SMALL else (threshold, cap) for k in unknown}
    seen: dict[Hashable, set[int]] = {k: set() for k in unknown}

    def span(assign: dict, key) -> tuple[int, int]:
        return (assign[key], assign[key]) if key in assign else domain[key]

    def forced(assign: dict) -> dict | None:
        """Assign what the sums force, and refuse a partial world no completion can satisfy."""
        assign = dict(assign)
        changed = True
        while changed:
            changed = False
            for total, parts in sums:
                members = [total, *parts]
                missing = [m for m in members if m not in assign]
                if len(missing) == 1:
                    (m,) = missing
                    rest = sum(assign[p] for p in parts if p != m)
                    value = assign[total] - rest if m != total else rest
                    low, high = domain[m]
                    if not low <= value <= high:
                        return None
                    assign[m], changed = value, True
                low = sum(span(assign, p)[0] for p in parts)
                high = sum(span(assign, p)[1] for p in parts)
                t_low, t_high = span(assign, total)
                if low > t_high or high < t_low:
                    return None
        for a, b in orders:
            if span(assign, a)[0] > span(assign, b)[1]:
                return None
        return assign

    def search(assign: dict) -> None:
        assign = forced(assign)
        if assign is None:
            return
        free = [k for k in unknown if k not in assign]
        if not free:
            for k in unknown:
                seen[k].add(assign[k])
            return
        key = min(free, key=lambda k: domain[k][1] - domain[k][0])
        for value in range(domain[key][0], domain[key][1] + 1):
            search({**assign, key: value})

    search({k: v for k, v in cells.items() if isinstance(v, int)})
    return seen


def given_away(cells, sums, orders, threshold) -> dict[Hashable, set[int]]:
    """Hidden small cells left with one possible value, and shown cells that are small."""
    shown_small = {k: {v} for k, v in cells.items() if isinstance(v, int) and 1 <= v < threshold}
    values = possible_values(cells, sums, orders, threshold)
    pinned = {k: v for k, v in values.items() if cells[k] == SMALL and len(v) == 1}
    return {**shown_small, **pinned}


def read_cell(text: str) -> int | str:
    """A shown count as the attacker reads it: a number, or what its marker says."""
    text = text.strip()
    if text in ("<5", "fewer than 5"):
        return SMALL
    if text == "hidden":
        return WITHHELD
    return int(text)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.figures: dict[str, str] = {}
        self._table = self._row = self._cell = None
        self._dt = self._dd = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "dt":
            self._dt = []
        elif tag == "dd":
            self._dd = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = self._row = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "dt" and self._dt is not None:
            self._last_dt = " ".join("".join(self._dt).split())
            self._dt = None
        elif tag == "dd" and self._dd is not None:
            self.figures[self._last_dt] = " ".join("".join(self._dd).split())
            self._dd = None

    def handle_data(self, data):
        for part in (self._cell, self._dt, self._dd):
            if part is not None:
                part.append(data)


def page_tables(html: str) -> tuple[dict[str, list[list[str]]], dict[str, str]]:
    """The page's tables by id (rows of cell texts, header first) and its headline figures."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables, parser.figures
