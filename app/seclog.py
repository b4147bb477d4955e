"""The security log: sign-ins, refusals, invite codes issued and admissions, one line each.

`2026-11-24T08:15:02Z login.failed phone=138****8000 ip=203.0.113.9`: times in UTC, phone numbers
masked, never a password, a code or a token (callers pass only ids and outcomes; any field named
like a secret is refused here as a second line of defence). Lines go to the `parentpass.security`
logger; gunicorn's error log (stderr) keeps them in production.
"""

from __future__ import annotations

import logging
import time

from flask import has_request_context, request

from app.security import mask_phone

logger = logging.getLogger("parentpass.security")
SECRET_FIELDS = {"password", "code", "token", "secret", "csrf_token"}


class UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802  (logging's own name)
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", self.converter(record.created))


def record(event: str, **fields: object) -> None:
    """One line: the event, then `key=value` pairs; `phone` is masked, secrets are refused."""
    leaked = SECRET_FIELDS & set(fields)
    if leaked:
        raise ValueError(f"never log {sorted(leaked)}")
    if "phone" in fields:
        fields["phone"] = mask_phone(str(fields["phone"] or ""))
    if has_request_context():
        fields.setdefault("ip", request.remote_addr)
    parts = [event] + [f"{key}={_clean(value)}" for key, value in fields.items()]
    logger.info(" ".join(parts))


def _clean(value: object) -> str:
    """One token per value: no spaces or line breaks a forged value could use to fake a line."""
    text = str(value)
    return "".join(ch if ch.isprintable() and not ch.isspace() else "_" for ch in text)[:80]


def install() -> None:
    """Log security lines to stderr, UTC, unless the host already configured the logger."""
    if logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(UTCFormatter("%(asctime)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
