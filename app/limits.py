"""Rate limits spent by hand, and how long a refused person waits.

Flask-Limiter's decorators count requests. Some tries are not requests: the current-password
check of a signed-in person happens only once the rest of their form is right, and a guess of a
student number only when a number is typed. `spend()` counts exactly those, against the same
storage as the decorators (Redis in production, so every worker shares the count), and raises
`TooManyTries` when the allowance is gone: the error pages answer it with a 429 that says how long
to wait. An unreachable storage raises as the decorators do (a 503: refused, never unguarded).
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse
from werkzeug.exceptions import TooManyRequests

from app.extensions import limiter


class TooManyTries(TooManyRequests):
    """A hand-spent limit is used up; `retry_after` is the wait in seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after=retry_after)
        self.wait_seconds = retry_after


def _arguments(key: str) -> list[str]:
    return [current_app.config["RATELIMIT_KEY_PREFIX"], "spent", key]


def spend(limit_value: str, key: str) -> None:
    """Count one try for `key` under `limit_value` (e.g. "5 per 15 minutes"); raise TooManyTries
    when none is left. The count is one atomic step in the storage, so parallel tries cannot
    pass the allowance by the number in flight."""
    if not limiter.enabled:
        return
    item = parse(limit_value)
    arguments = _arguments(key)
    if not limiter.limiter.hit(item, *arguments):
        raise TooManyTries(wait_for(limit_value, key))


def has_tries_left(limit_value: str, key: str) -> bool:
    """Whether `spend()` would still count a try for `key`, without counting one."""
    if not limiter.enabled:
        return True
    return limiter.limiter.test(parse(limit_value), *_arguments(key))


def wait_for(limit_value: str, key: str) -> int:
    """Seconds until `key` has a try again under `limit_value` (at least one)."""
    reset_at, _remaining = limiter.limiter.get_window_stats(parse(limit_value), *_arguments(key))
    return max(1, math.ceil(reset_at - time.time()))


def wait_of(error: Exception) -> int | None:
    """The wait behind a 429: a hand-spent limit's, or the decorator limit that refused this
    request; None when it cannot be known."""
    if isinstance(error, TooManyTries):
        return error.wait_seconds
    current = limiter.current_limit
    if current is not None and current.breached:
        return max(1, math.ceil(current.window.reset_time - time.time()))
    return None


def minutes(seconds: int) -> int:
    """A wait as people count it: whole minutes, rounded up, at least one."""
    return max(1, math.ceil(seconds / 60))
