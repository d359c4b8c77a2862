"""Page numbers for the lists of a page (offset pages over a bounded list)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


def count(db: Session, stmt: Select[*tuple[Any, ...]]) -> int:
    """How many rows ``stmt`` selects."""
    return db.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def page_number(params: Mapping[str, str], name: str) -> int:
    """The page asked for in ``params[name]``; 1 when absent or not a page number."""
    raw = params.get(name, "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@dataclass(frozen=True)
class Pager:
    """Where a list is: page ``number`` of ``pages``, and the links to the pages beside it."""

    name: str  # the query parameter
    number: int
    pages: int
    total: int
    params: tuple[tuple[str, str], ...]  # the other query parameters, kept in the links

    @classmethod
    def of(cls, params: Mapping[str, str], name: str, total: int, size: int) -> Pager:
        pages = max(1, -(-total // size))
        number = min(page_number(params, name), pages)
        kept = tuple((k, v) for k, v in params.items() if k != name)
        return cls(name, number, pages, total, kept)

    def offset(self, size: int) -> int:
        return (self.number - 1) * size

    def link(self, number: int) -> str:
        return "?" + urlencode([*self.params, (self.name, str(number))])

    def slice(self, items: Sequence[T], size: int) -> list[T]:
        return list(items[self.offset(size) : self.offset(size) + size])
