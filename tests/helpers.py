"""Helpers the tests share (fixtures live in `conftest.py`): submitting forms as a browser does,
signing in without the password round trip, snapshots of the database, and how many
hypothesis examples a profile runs."""

from __future__ import annotations

import os
import re
from functools import cache

from sqlalchemy import exists, inspect, literal, select, union_all

from app.extensions import db

CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token of this client's session, read from a page as a browser would."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_INPUT.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST with the session's CSRF token, like the site's own forms."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def sign_in_as(client, user) -> None:
    """Sign `user` in without the password round trip (fast, for access tests): a real session
    row, its token in the client's cookie."""
    from app.auth.sessions import start_session
    from app.timeutil import utcnow

    token = start_session(user, utcnow())
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True


def db_snapshot() -> dict[str, list[tuple]]:
    """Every row of every table: compare before and after to prove that nothing changed. One
    query finds the tables that hold rows; only those are read (the others are [] for certain)."""
    db.session.expire_all()
    filled = tables_with_rows(db.session.connection())
    snapshot = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all() if table.name in filled else []
        snapshot[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return snapshot


def tables_with_rows(conn) -> set[str]:
    """The names of the tables that hold at least one row, in one query."""
    return set(conn.scalars(_probe()))


@cache
def _probe():
    """Built once: the statement is the same for the whole run."""
    return union_all(
        *(
            select(literal(t.name)).where(exists(select(literal(1)).select_from(t)))
            for t in db.metadata.sorted_tables
        )
    )


def table_names() -> list[str]:
    return inspect(db.engine).get_table_names()


# Hypothesis profiles: `ci` (the default, what `make test` and CI run) keeps every property test's
# full example count; `dev` (HYPOTHESIS_PROFILE=dev) runs a quarter of them, for quick local runs.
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")


def examples(count: int) -> int:
    """`count` examples under the `ci` profile, a quarter (at least 3) under `dev`."""
    return count if HYPOTHESIS_PROFILE == "ci" else max(3, count // 4)


def empty_database() -> None:
    with db.engine.begin() as conn:
        # One query finds the tables that hold rows (most tests touch a few of the ~40), then
        # DELETE those, child tables first: on the few rows a test leaves it is much faster than
        # TRUNCATE, whose fixed cost per table dominates a PostgreSQL run. Rows written by other
        # processes (gunicorn, a second app) are found the same way.
        filled = tables_with_rows(conn)
        for table in reversed(db.metadata.sorted_tables):
            if table.name in filled:
                conn.execute(table.delete())
