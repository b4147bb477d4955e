"""Long lists in pages: a teacher's requests, a class's guardians, a school's teachers and
classes, the audit log. A list that anyone can make longer (one account adding thirty children)
must never become one endless page; `templates/_macros/pager.html` shows the links."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select

from app.extensions import db
from app.forms import whole_number

T = TypeVar("T")
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw: str | None) -> int:
    """`?page=` as a number from 1; anything unreadable is the first page (never an error)."""
    return whole_number(raw, MAX_PAGE) or 1


def _within(number: int, total: int, size: int) -> int:
    """A page past the end (the list got shorter, or a typed address) shows the last page."""
    return min(max(1, number), max(1, math.ceil(total / size)))


def paginate(query: Select, number: int, size: int) -> Page:
    """One page of an ordered query's rows, with the count of all of them (two queries)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = _within(number, total, size)
    items = list(db.session.scalars(query.limit(size).offset((number - 1) * size)))
    return Page(items, number, size, total)


def paginate_list(items: Sequence[T], number: int, size: int) -> Page[T]:
    """One page of a list already in memory (its figures were needed whole anyway)."""
    number = _within(number, len(items), size)
    start = (number - 1) * size
    return Page(list(items[start : start + size]), number, size, len(items))
