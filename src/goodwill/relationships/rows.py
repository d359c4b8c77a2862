"""Reading many rows cheaply: values as the database driver returns them, converted by hand.

The engine reads tens of thousands of interactions per batch. SQLAlchemy's result processing
(a ``uuid.UUID`` per id, a regular expression per SQLite timestamp, a JSON decode per document)
costs more than the database does, so the hot queries select some columns *raw*
(:func:`raw`: no result processing) and convert only what they use, with the same result as the
column types would give: SQLite returns ids as 32 hex digits and times as ISO text, PostgreSQL
returns ``uuid.UUID`` and aware ``datetime`` objects.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, type_coerce
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

LABEL_CACHE_SIZE = 10_000  # distinct label lists kept (they repeat: "question", "complaint"...)


def raw(column: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[Any]:
    """``column`` as the driver returns it (no conversion by SQLAlchemy)."""
    return type_coerce(column, String)


def as_uuid(value: Any) -> uuid.UUID:
    """An id from a :func:`raw` column (hex text on SQLite, a UUID on PostgreSQL)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def as_time(value: Any) -> datetime:
    """A time from a :func:`raw` column, aware and in UTC as :class:`goodwill.database.
    UTCDateTime` returns it (naive text on SQLite, an aware datetime on PostgreSQL)."""
    at: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


class Labels:
    """Frozen sets of strings from a :func:`raw` JSON list (text on SQLite, decoded on
    PostgreSQL), with ``key`` taken from each item if given; the same text gives the same set
    without decoding it again."""

    def __init__(self, key: str | None = None) -> None:
        self.key = key
        self.cache: dict[str, frozenset[str]] = {}

    def __call__(self, value: Any) -> frozenset[str]:
        if isinstance(value, str):
            found = self.cache.get(value)
            if found is None:
                found = self.parse(json.loads(value))
                if len(self.cache) < LABEL_CACHE_SIZE:
                    self.cache[value] = found
            return found
        return self.parse(value)

    def parse(self, items: Any) -> frozenset[str]:
        if not isinstance(items, list):
            return frozenset()
        if self.key is None:
            return frozenset([str(i) for i in items])
        return frozenset([str(i.get(self.key)) for i in items if isinstance(i, dict)])
