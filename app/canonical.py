"""The canonical form of what people type: one function per kind of value, used both for the
lookup and for every rate-limit key built from it.

A limit keyed on one spelling of a value while the lookup uses another is no limit: `139000\\x02
00013`, `１３９００００００１３` and `+86 139-0000-0013` are all the account 13900000013, so all of
them must count against its allowance. Hence one canonical form per kind, computed in one place:
Unicode compatibility forms folded to ASCII (NFKC: full-width digits, letters and brackets, the
ideographic space), control and format characters (categories Cc and Cf: NUL, zero-width spaces,
bidirectional overrides, the byte-order mark) dropped, then the kind's own separators.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

_INVISIBLE = frozenset(("Cc", "Cf"))
_PHONE_SEPARATORS = re.compile(r"[\s\-()._/]")
_PHONE_PREFIXES = ("+86", "0086", "86")
_NUMBER_SEPARATORS = re.compile(r"[\s\-_./]")
# Bidirectional embeddings, overrides and isolates: they reorder how text around them is shown
# (a name can be made to read as another), so no stored text keeps them.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


@cache
def invisible_characters() -> re.Pattern:
    """Every Cc and Cf character of this Python's Unicode tables as one character class (about
    230 code points in two dozen ranges), found once per process. Dropping them is then one pass
    in C instead of a category lookup per character in Python, which took a tenth of a second
    for one 100,000-character value on a 2-core machine."""
    codes = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in _INVISIBLE]
    ranges, start, previous = [], codes[0], codes[0]
    for code in [*codes[1:], None]:
        if code is not None and code == previous + 1:
            previous = code
            continue
        ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(previous)) if previous > start else ""))
        if code is not None:
            start = previous = code
    return re.compile("[" + "".join(ranges) + "]+")


def _drop_invisible(text: str) -> str:
    return invisible_characters().sub("", text)


def visible(raw: str | None) -> str:
    """`raw` without control and format characters, folded with NFKC. They are dropped before the
    fold too, so that text a form has already cleaned (`single_line`) gives the same result."""
    return _drop_invisible(unicodedata.normalize("NFKC", _drop_invisible(raw or "")))


def canonical_phone(raw: str | None) -> str:
    """`+86 138-0013-8000`, `１３８００１３８０００`, `138\\u200b00138000` → `13800138000`. Not a check
    that the result is a mobile number: the caller decides what to do with anything else."""
    digits = _PHONE_SEPARATORS.sub("", visible(raw))
    for prefix in _PHONE_PREFIXES:
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def canonical_student_number(raw: str | None) -> str:
    """A student number (学籍号 such as `G110105201803071234`) as compared with the roster: folded,
    separators dropped, letters in upper case."""
    return _NUMBER_SEPARATORS.sub("", visible(raw)).upper()


def single_line(raw: str) -> str:
    """A name or other one-line text as stored: control and format characters (zero-width spaces,
    bidirectional controls) removed, nothing else changed (a full-width name stays as typed)."""
    return _drop_invisible(raw)


def without_bidi_controls(raw: str) -> str:
    """Multi-line text (a charter) keeps its line breaks and joiners, but never a bidirectional
    override or isolate."""
    return raw.translate(_BIDI_CONTROLS)
