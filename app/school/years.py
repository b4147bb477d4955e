"""School years as staff type and read them ("2026-2027"): parsing, the next one, the current
one (a year starts in August), and the top grade a class can reach."""

from __future__ import annotations

import re
from datetime import datetime

TOP_GRADE = 12


_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})$")


def parse_school_year(text: str) -> str | None:
    """`2026-2027` (the second year the first plus one) in its stored form, or None."""
    match = _SCHOOL_YEAR.match((text or "").strip())
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if second != first + 1 or not 2000 <= first <= 2099:
        return None
    return f"{first}-{second}"


def next_school_year(year: str) -> str:
    first = int(year[:4])
    return f"{first + 1}-{first + 2}"


def current_school_year(now: datetime) -> str:
    """The school year under way: it starts in September, so from August on the form suggests
    the coming one."""
    first = now.year if now.month >= 8 else now.year - 1
    return f"{first}-{first + 1}"
