"""Passwords, random codes and safe redirects: the few places where a mistake leaks trust."""

import secrets
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.canonical import visible

# OWASP's argon2id baseline: 19 MiB of memory, 2 passes, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = _hasher.hash("not-a-real-password")

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no hash, still spends the same time so that a
    login cannot tell a missing account from a wrong password."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's (then sign-in rehashes)."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


def random_code(length: int) -> str:
    """`length` random Crockford base32 characters (5 bits each): easy to read aloud and type."""
    return "".join(secrets.choice(CROCKFORD) for _ in range(length))


def normalize_code(raw: str) -> str:
    """Accept what people type: lower case, spaces, hyphens, O for 0, I or L for 1, full-width
    letters and digits, an invisible character pasted along."""
    cleaned = "".join(ch for ch in visible(raw).upper() if ch.isalnum())
    return cleaned.translate(_CROCKFORD_ALIASES)


def group_code(code: str, size: int = 4) -> str:
    """`K7PX2QMD` → `K7PX-2QMD`, for display."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def mask_phone(phone: str | None) -> str:
    """`13800138000` → `138****8000`: enough to tell two parents apart, not enough to call."""
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"


def mask_name(name: str) -> str:
    """`王芳` → `王*`, `赵秀兰` → `赵*兰`, `Wang Fang` → `W*******g`: recognisable to someone who
    knows the person, useless for building a list."""
    name = name.strip()
    if len(name) <= 2:
        return name[:1] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no protocol-relative `//evil`."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
