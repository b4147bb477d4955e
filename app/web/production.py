"""What production changes, and the settings it refuses to start with.

A development default left in place in production would quietly void a promise: a known
SECRET_KEY lets anyone forge a session, a known TOKEN_KEYS key lets anyone match invite-code
hashes, and `memory://` rate limits count per process, so four workers allow four times the
tries. So the app refuses to start and names each problem instead.
"""

from __future__ import annotations

from flask import Flask

DEV_SECRET = "dev-only-secret-change-me"  # noqa: S105  # nosec B105  # the dev default, refused here
DEV_TOKEN_KEY = "dev-only-token-key-change-me"  # noqa: S105  # nosec B105  # the dev default, refused here


class UnsafeProductionConfig(RuntimeError):
    """Production was asked for with settings that would void a security promise."""


def problems(config) -> list[str]:
    found = []
    secret = config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET or len(secret) < 32:
        found.append("SECRET_KEY must be set to a random value of at least 32 characters")
    keys = config.get("TOKEN_KEYS") or {}
    if not keys or DEV_TOKEN_KEY in keys.values() or any(len(k) < 32 for k in keys.values()):
        found.append("TOKEN_KEYS must hold keys of at least 32 random characters (id:key,id:key)")
    if secret and secret in keys.values():
        found.append("TOKEN_KEYS must not reuse SECRET_KEY")
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        found.append("RATELIMIT_STORAGE_URI must be shared storage (redis://…), not memory://")
    return found


def apply(app: Flask) -> None:
    """Production settings: HTTPS-only cookies under the `__Host-` prefix (bound to this host,
    path /, never sent over http); refuse to start on any problem above."""
    if not app.config["PRODUCTION"]:
        return
    found = problems(app.config)
    if found:
        raise UnsafeProductionConfig("ParentPass will not start in production: " + "; ".join(found))
    app.config.update(
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_NAME="__Host-pp_session",
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_DOMAIN=None,
        PREFERRED_URL_SCHEME="https",
    )
