"""Is a new password too easy to guess? A block list plus the patterns people fall back on.

No composition rules (NIST SP 800-63B, OWASP ASVS 2.1): they make passwords harder to remember
and no harder to guess. Instead we refuse what attackers try first: the commonest passwords
(common-passwords.txt, mainland favourites included: 5201314, woaini1314, qq123456 …), one
character or a short unit repeated (`88888888`, `12121212`), straight runs (`12345678`,
`87654321`, `abcdefgh`) and keyboard walks (`qwertyui`, `1qaz2wsx`), a date (`19800101`, a
birthday), and the person's own mobile number.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

LIST = Path(__file__).with_name("common-passwords.txt")
# An account made for someone else waits for its welcome link with this: not a hash, so
# verify_password() is False on it and nobody can sign in before choosing a password.
UNUSABLE_PASSWORD = "!"  # noqa: S105  # nosec B105
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv5tgb", "qazwsxedcrfv")
DATE = re.compile(r"^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _repeats_a_short_unit(text: str) -> bool:
    """`88888888`, `12121212`, `abcabcab`: up to four characters over and over."""
    return any(text == (text[:n] * (len(text) // n + 1))[: len(text)] for n in range(1, 5))


def _straight_run(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return len(steps) == 1 and steps <= {1, -1}


def _keyboard_walk(text: str) -> bool:
    return any(text in row or text in row[::-1] for row in KEYBOARD_ROWS)


def too_easy(password: str, phone: str | None = None) -> bool:
    """True when `password` is one attackers try first (case and surrounding spaces ignored)."""
    text = password.strip().lower()
    if text in common_passwords() or _repeats_a_short_unit(text) or _straight_run(text):
        return True
    if _keyboard_walk(text) or DATE.match(text):
        return True
    digits = re.sub(r"\D", "", text)
    return bool(phone) and (phone in digits or (len(digits) >= 8 and digits in phone))
