"""Keyset (cursor) pagination: stable under inserts, fast at any depth, opaque to callers."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from goodwill.errors import InvalidInput

T = TypeVar("T")

MAX_LIMIT = 500


class PageInfo(BaseModel):
    next_cursor: str | None


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "t" in value:
        return datetime.fromisoformat(value["t"])
    if isinstance(value, dict) and "u" in value:
        return uuid.UUID(value["u"])
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != size:
            raise ValueError("wrong shape")
        return [_decode_value(v) for v in values]
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor: not a cursor this list returned") from exc


def paginate(
    db: Session,
    stmt: Select[T],
    *,
    keys: Sequence[InstrumentedAttribute[Any]],
    cursor: str | None,
    limit: int,
    descending: bool = False,
) -> tuple[list[T], str | None]:
    """One page of ``stmt`` ordered by ``keys`` (the last key must be unique, e.g. the id)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit: must be between 1 and {MAX_LIMIT}")
    if cursor:
        after = decode_cursor(cursor, len(keys))
        row_key = tuple_(*keys)
        stmt = stmt.where(row_key < tuple(after) if descending else row_key > tuple(after))
    order = [k.desc() if descending else k.asc() for k in keys]
    rows = list(db.scalars(stmt.order_by(*order).limit(limit + 1)))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor([getattr(last, k.key) for k in keys])
