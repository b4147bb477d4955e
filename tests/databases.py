"""The suite's own PostgreSQL databases: one per test process, made, marked and dropped here, and
never a database the suite did not make (see `conftest.py`)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

TEST_DATABASE_PREFIX = "parentpass_test_"
OWNED_MARK = "made by the ParentPass test suite; dropped when its run ends"


def worker_name() -> str:
    """`gw0`, `gw1`, … under pytest-xdist; `main` in a single process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def worker_index() -> int:
    name = worker_name()
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0


class PostgresTestDatabase:
    """This process's own database on the server DATABASE_URL points at."""

    def __init__(self, server_url: str, worker: str | None = None):
        url = make_url(server_url)
        self.name = f"{TEST_DATABASE_PREFIX}{worker or worker_name()}"
        self.url = url.set(database=self.name).render_as_string(hide_password=False)
        self._admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def _mark(self, conn) -> str | None:
        row = conn.execute(
            text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name"),
            {"name": self.name},
        ).first()
        return None if row is None else (row[0] or "")

    def create(self) -> str:
        with self._admin.connect() as conn:
            mark = self._mark(conn)
            if mark is not None and mark != OWNED_MARK:
                raise pytest.UsageError(
                    f"database {self.name!r} exists and was not made by the test suite: refusing to drop it"
                )
            if mark is not None:  # left by a run that was killed
                conn.execute(text(f'DROP DATABASE "{self.name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
            conn.execute(text(f"COMMENT ON DATABASE \"{self.name}\" IS '{OWNED_MARK}'"))
            # A throwaway database needs no durability: a commit returns without waiting for its
            # WAL flush (the server's own setting, and every other database, are untouched).
            conn.execute(text(f'ALTER DATABASE "{self.name}" SET synchronous_commit = off'))
        return self.url

    def drop(self) -> None:
        with self._admin.connect() as conn:
            if self._mark(conn) == OWNED_MARK:
                conn.execute(text(f'DROP DATABASE "{self.name}" WITH (FORCE)'))
        self._admin.dispose()
