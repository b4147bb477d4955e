"""Helpers the tests share (fixtures live in `conftest.py`): submitting forms as a browser does,
signing in without the password round trip, snapshots of the database, and how many
hypothesis examples a profile runs."""

from __future__ import annotations

import os
import re

from sqlalchemy import inspect, select

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
    """Every row of every table: compare before and after to prove that nothing changed."""
    db.session.expire_all()
    snapshot = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        snapshot[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return snapshot


def table_names() -> list[str]:
    return inspect(db.engine).get_table_names()


# Hypothesis profiles: `ci` (the default, what `make test` and CI run) keeps every property test's
# full example count; `dev` (HYPOTHESIS_PROFILE=dev) runs a quarter of them, for quick local runs.
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")


def examples(count: int) -> int:
    """`count` examples under the `ci` profile, a quarter (at least 3) under `dev`."""
    return count if HYPOTHESIS_PROFILE == "ci" else max(3, count // 4)
