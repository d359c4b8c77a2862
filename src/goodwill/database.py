"""Engines, sessions and the declarative base shared by every domain's tables.

SQLite (the embedded default, WAL, foreign keys on) and PostgreSQL run the same code and the same
migrations. Tenancy lives in :mod:`goodwill.tenancy`; every session made here carries its rules.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

import uuid_utils.compat as uuid_compat
from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    Float,
    MetaData,
    TypeDecorator,
    create_engine,
    event,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> uuid.UUID:
    """A time-ordered, unguessable public id (UUIDv7: 48 bits of time, 74 random bits)."""
    return uuid_compat.uuid7()


T = TypeVar("T")
IN_LIST = 2000  # ids per IN (...) list: SQLite allows at most 32,766 parameters
INTEGER_MAX = 2**31 - 1  # the largest value of an Integer column on PostgreSQL (int4)


def in_lists(values: Sequence[T], size: int = IN_LIST) -> list[Sequence[T]]:
    """``values`` in slices short enough for one ``IN (...)`` list."""
    return [values[start : start + size] for start in range(0, len(values), size)]


def utcnow() -> datetime:
    return datetime.now(UTC)


class epoch_seconds(FunctionElement[float]):
    """A UTC timestamp column as seconds since 1970 (a float), computed by the database: for
    reading millions of times without building a ``datetime`` per row."""

    type = Float()
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS FLOAT)"


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always returned timezone-aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: Goodwill stores aware UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    """Declarative base with the project's constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
    }


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling would turn a SAVEPOINT into a commit: let SQLAlchemy
    # issue BEGIN itself (the recipe in SQLAlchemy's pysqlite documentation).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


IMMEDIATE = "goodwill_immediate"  # a connection execution option: see :func:`unit_of_work`


def _sqlite_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``: SQLite gets WAL and foreign keys, PostgreSQL pre-pings its pool."""
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, poolclass=kwargs.pop("poolclass", NullPool), **kwargs)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _ensure_sqlite_folder(url: str) -> None:
    from pathlib import Path

    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; tenancy rules are attached by :mod:`goodwill.tenancy`."""
    from goodwill import tenancy

    factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
    tenancy.install(factory)
    return factory


def limit_statements(session: Session, milliseconds: int) -> None:
    """Stop any statement of ``session``'s transactions that runs past ``milliseconds``.

    PostgreSQL only (``SET LOCAL statement_timeout`` at every transaction's start, so it ends
    with the transaction and never leaks to the pooled connection's next user). A request whose
    client has given up must not keep a query running for minutes on the shared server; the
    cancelled statement raises ``QueryCanceled``, answered 503. SQLite has no such limit: it
    serves one team's data on one machine. ``milliseconds`` 0 means no limit."""
    if milliseconds <= 0 or session.get_bind().dialect.name != "postgresql":
        return
    statement = f"SET LOCAL statement_timeout = {int(milliseconds)}"

    def _limit(_session: Session, _transaction: Any, connection: Any) -> None:
        connection.exec_driver_sql(statement)

    event.listen(session, "after_begin", _limit)


@contextmanager
def unit_of_work(factory: sessionmaker[Session], *, immediate: bool = False) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error (the boundary owns it).

    ``immediate``: on SQLite, take the write lock at the start (``BEGIN IMMEDIATE``, waiting up
    to the busy timeout), for a transaction that reads and then writes while another process
    writes too: a deferred one would fail with "database is locked" if the other committed
    between its first read and its first write. Elsewhere the transaction simply begins."""
    session = factory()
    try:
        if immediate:
            session.connection(execution_options={IMMEDIATE: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def try_write(db: Session, write: Callable[[], object], *, conflicts: bool = False) -> bool:
    """Run ``write`` in a savepoint of ``db``; whether it was kept. For writes a request may skip
    (a marker, a cache): SQLite being busy (:func:`is_sqlite_busy`) skips it, and so, with
    ``conflicts``, does a unique conflict (another request stored the same first); the savepoint
    is rolled back and the request goes on. Any other error raises."""
    try:
        with db.begin_nested():
            write()
    except IntegrityError:
        if not conflicts:
            raise
        return False
    except OperationalError as exc:
        if not is_sqlite_busy(exc):
            raise
        return False
    return True


def is_sqlite_busy(exc: OperationalError) -> bool:
    """SQLite refusing a read transaction its first write: another connection holds the write
    lock, or committed since this transaction's snapshot (WAL's "busy snapshot", which no
    waiting cures). Work that may be skipped (a marker, a cache) catches this; anything else
    lets it become a 503 and the client tries again."""
    return isinstance(exc.orig, sqlite3.OperationalError) and str(exc.orig).startswith(
        ("database is locked", "database is busy")
    )
