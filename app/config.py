"""Configuration. Secrets and URLs come from the environment; defaults suit local development."""

import os
from datetime import timedelta
from pathlib import Path

from app.keyring import parse_keys

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _instance_sqlite_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'instance' / 'parentpass.sqlite3'}"


class Config:
    """Settings for `make run` and production; every value can be overridden by the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _instance_sqlite_url()
    # No pre-ping (a round trip before every request's queries): the session lookup, the first
    # query of nearly every request, retries once on a dropped connection (app/auth/sessions.py).
    # Connections are renewed after half an hour, before a firewall between servers drops them.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": 1800, "pool_pre_ping": False}
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(PROJECT_ROOT))

    BABEL_DEFAULT_LOCALE = "zh_Hans"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_Hans", "en")
    LANGUAGE_COOKIE = "pp_lang"

    # PARENTPASS_ENV=production: HTTPS cookies (`__Host-` prefix), HSTS, one trusted proxy, and a
    # refusal to start with development secrets or per-process rate limits (app/web/production.py).
    PRODUCTION = os.environ.get("PARENTPASS_ENV", "development") == "production"
    SESSION_COOKIE_NAME = "pp_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_DAYS_PARENT = int(os.environ.get("SESSION_DAYS_PARENT", "30"))
    SESSION_HOURS_STAFF = int(os.environ.get("SESSION_HOURS_STAFF", "12"))
    PERMANENT_SESSION_LIFETIME = timedelta(days=SESSION_DAYS_PARENT)
    # The cookie is set at sign-in (and when the session changes), not re-signed and re-sent with
    # every page: the session row's end, counted from the sign-in, decides anyway.
    SESSION_REFRESH_EACH_REQUEST = False
    # Flask-WTF's extra Referer check over HTTPS would refuse every form on the pages that send no
    # referrer (password links, invite codes); the token, SameSite=Lax and the `__Host-` cookie
    # already stop cross-site posts.
    WTF_CSRF_SSL_STRICT = False
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: a slow reader is not punished

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "parentpass")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "10 per hour")
    # Failed sign-ins: per account first (guessing one parent's password), then per client address
    # (guessing many accounts), set high because a carrier puts many parents behind one address.
    LOGIN_RATE_LIMIT_ACCOUNT = os.environ.get("LOGIN_RATE_LIMIT_ACCOUNT", "10 per 15 minutes")
    LOGIN_RATE_LIMIT_CLIENT = os.environ.get("LOGIN_RATE_LIMIT_CLIENT", "100 per 15 minutes")
    QUIZ_SUBMIT_RATE_LIMIT = os.environ.get("QUIZ_SUBMIT_RATE_LIMIT", "20 per 10 minutes")
    # Checks of a signed-in person's own password (changing it, deleting the account), per account.
    PASSWORD_CHECK_RATE_LIMIT = os.environ.get("PASSWORD_CHECK_RATE_LIMIT", "5 per 15 minutes")
    # How many reverse proxies (nginx) stand in front of the app and set X-Forwarded-For.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "1" if PRODUCTION else "0"))

    # Invite codes and password links are stored as HMACs under these keys (see app/keyring.py).
    TOKEN_KEYS = parse_keys(os.environ.get("TOKEN_KEYS", "dev1:dev-only-token-key-change-me"))
    TOKEN_KEY_ID = os.environ.get("TOKEN_KEY_ID") or next(iter(TOKEN_KEYS))
    INVITE_VALID_HOURS = 72
    INVITE_MAX_HOURS = 14 * 24
    PASSWORD_LINK_HOURS = 72
    VERIFY_RATE_LIMIT_TEACHER = os.environ.get("VERIFY_RATE_LIMIT_TEACHER", "30 per 10 minutes")
    VERIFY_RATE_LIMIT_CLIENT = os.environ.get("VERIFY_RATE_LIMIT_CLIENT", "120 per 10 minutes")
    CERTIFICATE_CHECK_RATE_LIMIT = os.environ.get("CERTIFICATE_CHECK_RATE_LIMIT", "30 per 10 minutes")
    RETENTION_DAYS = int(os.environ.get("RETENTION_DAYS", "180"))
    # Student numbers that match no roster child, per account, class and day; after these every
    # request of that account in that class waits for the teacher (app/classes/services.py).
    ROSTER_MISSES_PER_DAY = int(os.environ.get("ROSTER_MISSES_PER_DAY", "3"))
    # Guardian requests one account may have waiting for teachers at once; "add a child" per account.
    PENDING_REQUESTS_MAX = int(os.environ.get("PENDING_REQUESTS_MAX", "5"))
    ADD_CHILD_RATE_LIMIT = os.environ.get("ADD_CHILD_RATE_LIMIT", "10 per hour")
    # Report cells counting fewer people than this (but more than none) are shown as "fewer than N"
    # above the class's own head teacher, so that a figure never points at one family.
    REPORT_SMALL_CELL = int(os.environ.get("REPORT_SMALL_CELL", "5"))
    QUIET_HOURS = ("21:30", "07:00")
    # Where links printed by the command line point (the site's public address).
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")

    # "inline": a commit refreshes the report roll-ups of the classes it changed (exact at once);
    # "queued": it queues them for `flask reports drain` (a city's rush: quiz submissions stay fast,
    # reports lag by seconds). See app/reports/rollups/queue.py.
    ROLLUP_REFRESH = os.environ.get("ROLLUP_REFRESH", "inline")

    CERTIFICATE_VALID_DAYS = int(os.environ.get("CERTIFICATE_VALID_DAYS", "365"))
    QUIZ_FAILS_BEFORE_WAIT = 3
    QUIZ_WAIT_WINDOW_MINUTES = 60
    MAX_CONTENT_LENGTH = 256 * 1024


class TestConfig(Config):
    """Used by the test suite: SQLite in a temporary folder unless DATABASE_URL points elsewhere."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production-0123456789"  # noqa: S105  # nosec B105  # tests only
    REGISTER_RATE_LIMIT = "1000 per hour"
    LOGIN_RATE_LIMIT_ACCOUNT = "1000 per hour"
    LOGIN_RATE_LIMIT_CLIENT = "1000 per hour"
    QUIZ_SUBMIT_RATE_LIMIT = "1000 per hour"
    PASSWORD_CHECK_RATE_LIMIT = "1000 per hour"  # noqa: S105  # nosec B105  # a limit, not a password
    ADD_CHILD_RATE_LIMIT = "1000 per hour"
    PRODUCTION = False
    TRUSTED_PROXIES = 0
    TOKEN_KEYS = {"t1": "test-token-key-one", "t0": "test-token-key-zero"}  # noqa: S105
    TOKEN_KEY_ID = "t1"  # noqa: S105  # nosec B105  # a key id, not a key
