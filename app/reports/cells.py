"""A report's figures as app/reports/suppression.py reads them: the cells (`Problem.values`),
the sums and orders that tie them, and what a hidden cell shows (`Hidden`). Plain data."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Literal

Key = Hashable


@dataclass(frozen=True)
class Hidden:
    """A figure not shown: `small` (from 1 to threshold−1) or `withheld` (shown would give a
    small one away). Holds no value, so nothing that renders it can print the number."""

    reason: Literal["small", "withheld"]
    threshold: int

    hidden = True  # templates test `value.hidden`; a plain number has no such attribute

    @property
    def short(self) -> str:
        """Language-free, for CSV cells and chart labels: `<5` or `—`."""
        return f"<{self.threshold}" if self.reason == "small" else "—"


@dataclass
class Problem:
    """Cells of one page (or of the pages that share their figures) and what ties them.

    `values`: every count of people, by any hashable key (cells not listed are never hidden);
    `sums`: (total, parts) with values[total] == sum of values[parts];
    `orders`: (a, b) with values[a] <= values[b] in every world (certified ≤ registered);
    `fixed`: cells shown whatever happens (figures decided by another problem).
    """

    values: dict[Key, int]
    sums: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)
    orders: list[tuple[Key, Key]] = field(default_factory=list)
    fixed: set[Key] = field(default_factory=set)


def is_small(value: int, threshold: int) -> bool:
    return 1 <= value < threshold
