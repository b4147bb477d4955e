"""The one query of nearly every request: the live session's account, run on the driver's cursor.

Every signed-in page starts here, and a lesson page needs nothing else from the database, so this
query's cost is most of a reading page's. SQLAlchemy still writes the SQL (once per dialect and
number of token keys) and lends each column type's own conversions; what is skipped is its
per-call statement and result machinery, which took twice the driver's own time for this one row.

It runs on a small pool of its own whose connections stay in autocommit: one round trip, no
BEGIN/ROLLBACK, no isolation switch at checkout (SQLite shares the site's engine). A connection
that died since its last use (PostgreSQL restarted) fails the first try; the process's other
pooled connections died with it, so both pools are renewed and the second try gets a new one. This
replaces the pool's pre-ping, a round trip before every request's queries.
"""

from __future__ import annotations

from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, bindparam, create_engine, select
from sqlalchemy.exc import DBAPIError

from app.auth.models import User, UserSession
from app.extensions import db
from app.timeutil import UTCDateTime

users = User.__table__


class _Lookup:
    """The lookup for one engine and number of candidate hashes: SQL text, how to bind the
    parameters, how to read each column."""

    def __init__(self, engine: Engine, hashes: int):
        sessions = UserSession.__table__
        dialect = engine.dialect
        statement = (
            select(*users.c)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(
                sessions.c.token_hash.in_([bindparam(f"h{n}") for n in range(hashes)]),
                sessions.c.expires_at > bindparam("now", type_=UTCDateTime()),
                users.c.active.is_(True),
            )
        )
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.order = compiled.positiontup  # the parameters' order for "?" placeholders, else None
        self.bind_now = UTCDateTime().dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)
        self.columns = [
            (column.name, column.type.dialect_impl(dialect).result_processor(dialect, None))
            for column in users.c
        ]

    def parameters(self, hashes: list[str], now: datetime):
        named = {f"h{n}": value for n, value in enumerate(hashes)} | {"now": self.bind_now(now)}
        return named if self.order is None else tuple(named[name] for name in self.order)

    def values(self, row) -> dict:
        return {
            name: value if read is None else read(value)
            for (name, read), value in zip(self.columns, row, strict=True)
        }


_ENGINES: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()
_LOOKUPS: WeakKeyDictionary[Engine, dict[int, _Lookup]] = WeakKeyDictionary()


def _engine() -> Engine:
    engine = db.engine
    if engine not in _ENGINES:
        if engine.dialect.name == "sqlite":
            _ENGINES[engine] = engine
        else:
            _ENGINES[engine] = create_engine(
                engine.url, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=4, pool_recycle=1800
            )
    return _ENGINES[engine]


def _lookup(engine: Engine, hashes: int) -> _Lookup:
    built = _LOOKUPS.setdefault(engine, {})
    if hashes not in built:
        built[hashes] = _Lookup(engine, hashes)
    return built[hashes]


def live_session_user(hashes: list[str], now: datetime) -> dict | None:
    """The column values of the active account whose unexpired session has one of these token
    hashes, or None."""
    engine = _engine()
    lookup = _lookup(engine, len(hashes))
    parameters = lookup.parameters(hashes, now)
    for attempt in (1, 2):
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(lookup.sql, parameters)
            row = cursor.fetchone()
            cursor.close()
            return None if row is None else lookup.values(row)
        except engine.dialect.loaded_dbapi.Error as error:
            lost = engine.dialect.is_disconnect(error, connection.dbapi_connection, None)
            if lost:
                connection.invalidate(error)
                engine.dispose()
                db.engine.dispose()  # the request's own queries come next: on new connections too
            if attempt == 2 or not lost:
                raise DBAPIError.instance(
                    lookup.sql,
                    parameters,
                    error,
                    engine.dialect.loaded_dbapi.Error,
                    connection_invalidated=lost,
                    dialect=engine.dialect,
                ) from error
        finally:
            connection.close()
    return None  # not reached: the second try returns or raises
