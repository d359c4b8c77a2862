"""Bulk inserts with PostgreSQL's ``COPY ... FROM STDIN``, in the session's own transaction.

An ORM bulk insert sends its rows as an ``executemany`` of INSERT statements; COPY streams them
to the server in one statement (binary format, through psycopg 3's ``cursor.copy()``), which on
PostgreSQL is several times faster. It runs on the DBAPI connection beneath the session's
connection, so it belongs to the same transaction (or savepoint) as everything else the session
did: a later failure rolls the copied rows back with the rest.

What the ORM insert does and a COPY does not is done here instead, so both store the same rows:

- Python-side column defaults (``default=new_id``, ``default=utcnow``, ``default=0``) are filled
  in for the columns the rows do not give, called once per row as the ORM insert calls them;
  columns without one are left out of the COPY and get the table's own default (or NULL);
- each value goes through its column type's bind processing for the dialect (aware UTC times,
  JSON wrapped for psycopg with ``None`` stored as JSON ``null``, bytes), and is sent with the
  type of the database's column (psycopg's binary dumpers, chosen with ``copy.set_types``);
- tenancy: the session's rules (:mod:`goodwill.tenancy`) attach to ORM statements, not to a raw
  COPY, so every row of a tenant table must carry the session's organisation, checked before
  anything is sent (an unscoped session may not copy into a tenant table at all);
- a driver error becomes SQLAlchemy's exception (``IntegrityError`` for a duplicate key,
  ``DataError`` for a value too long), as an INSERT's would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from goodwill import tenancy
from goodwill.errors import TenancyViolation

if TYPE_CHECKING:
    import psycopg

_COLUMN_TYPES = """
SELECT a.attname, a.atttypid FROM pg_catalog.pg_attribute a
WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
"""

Processor = Callable[[Any], Any] | None


def supports_copy(db: Session) -> bool:
    """Whether ``db`` talks to PostgreSQL through psycopg 3 (the driver whose COPY this uses)."""
    dialect = db.get_bind().dialect
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def copy_rows(db: Session, model: type[Any], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts of ``model``'s attributes, all with the same keys) with one COPY.

    Raises :class:`~goodwill.errors.TenancyViolation` before sending anything when a row of a
    tenant table is not of the session's organisation.
    """
    from psycopg import Error, sql

    if not rows:
        return
    check_organisation(db, model, rows)
    if db.autoflush:
        db.flush()  # what an ORM statement does first: pending objects the rows refer to
    connection = db.connection()
    columns, values = prepared_rows(model, rows, connection.dialect)
    table = model.__table__.name
    raw: psycopg.Connection[Any] = connection.connection.dbapi_connection  # type: ignore[assignment]
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    try:
        with raw.cursor() as cursor:
            types = _database_types(cursor, table, columns)
            with cursor.copy(statement) as copy:
                copy.set_types(types)
                for row in values:
                    copy.write_row(row)
    except Error as exc:
        text = statement.as_string(raw)
        raise DBAPIError.instance(text, None, exc, Error, dialect=connection.dialect) from exc


def check_organisation(db: Session, model: type[Any], rows: Sequence[Mapping[str, Any]]) -> None:
    """For a tenant table, every row's ``organisation_id`` must be the session's organisation."""
    table = model.__table__.name
    if not issubclass(model, tenancy.TenantMixin):
        return
    organisation_id = tenancy.current_organisation_id(db)
    for number, row in enumerate(rows, 1):
        if row.get("organisation_id") != organisation_id:
            raise TenancyViolation(
                f"bulk copy into {table}: row {number} of {len(rows)} belongs "
                "to another organisation (nothing was written)"
            )


def prepared_rows(
    model: type[Any], rows: Sequence[Mapping[str, Any]], dialect: Dialect
) -> tuple[list[str], list[list[Any]]]:
    """The COPY's column names, and each row's values as the driver would be given them by an
    INSERT: defaults filled in, bind processing applied."""
    mapper = inspect(model)
    given = list(rows[0])
    unknown = [key for key in given if key not in mapper.columns]
    if unknown:
        raise ValueError(f"{model.__tablename__}: no column {', '.join(map(repr, unknown))}")
    odd = next((n for n, row in enumerate(rows, 1) if len(row) != len(given)), None)
    if odd is not None:  # (a row missing one of row 1's keys is a KeyError below)
        raise ValueError(f"{model.__tablename__}: row {odd} has other keys than row 1")
    columns: list[Column[Any]] = [mapper.columns[key] for key in given]
    defaults = [
        c for c in mapper.local_table.columns if c.key not in given and c.default is not None
    ]
    makers = [_default_maker(c) for c in defaults]
    processors = [_processor(c, dialect) for c in columns + defaults]
    values = [[row[key] for key in given] + [make() for make in makers] for row in rows]
    for i, process in enumerate(processors):
        if process is not None:
            for value in values:
                value[i] = process(value[i])
    return [c.name for c in columns + defaults], values


def _processor(column: Column[Any], dialect: Dialect) -> Processor:
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _default_maker(column: Column[Any]) -> Callable[[], Any]:
    """What gives a column's Python-side default for one row."""
    default: Any = column.default
    if default.is_scalar:
        return lambda: default.arg
    if default.is_callable:
        return lambda: default.arg(None)  # SQLAlchemy's wrapper of a default without context
    raise ValueError(
        f"{column.table.name}.{column.name}: a SQL expression default cannot be filled in for "
        "COPY; give the column's value in the rows"
    )


def _database_types(
    cursor: psycopg.Cursor[Any], table: str, columns: Sequence[str]
) -> list[int | str]:
    """The type (oid) of each column as the database has it: binary COPY converts nothing."""
    from psycopg import sql

    name = sql.Identifier(table).as_string(cursor)
    found = dict(cursor.execute(_COLUMN_TYPES, (name,)).fetchall())
    missing = [c for c in columns if c not in found]
    if missing:
        raise ValueError(f"{table}: the database has no column {', '.join(map(repr, missing))}")
    return [found[c] for c in columns]
