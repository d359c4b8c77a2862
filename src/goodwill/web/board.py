"""The relationships board: filters and sorting read from the query string, one page of rows,
and saved views (per member, in the organisation's settings entry ``saved_views``)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from goodwill.customers.models import Customer
from goodwill.errors import InvalidInput
from goodwill.organisations import service as organisation_service
from goodwill.organisations.models import Member, UserAccount
from goodwill.relationships.models import Relationship
from goodwill.tenancy import current_organisation_id

PAGE_SIZE = 50
COUNTED = 10_000  # a board counts this many rows at most ("more than 10,000")
MAX_PAGE = COUNTED // PAGE_SIZE  # offset pages stop where the count does: filter to go further
PILLARS = ("reliability", "predictability", "accountability", "dependability")
VIEWS_KEY = "saved_views"
MAX_VIEWS = 20
TEXT_FILTERS = ("stage", "phase", "segment", "owner")
NUMBER_FILTERS = ("health_min", "health_max", "trust_min", "trust_max", "quiet_days")


def trust_score() -> ColumnElement[float]:
    """The mean of the four trust pillars' scores, read from the stored trust JSON."""
    parts = [Relationship.trust[("pillars", p, "score")].as_float() for p in PILLARS]
    mean: ColumnElement[float] = (parts[0] + parts[1] + parts[2] + parts[3]) / len(PILLARS)
    return mean


SORTS: dict[str, Any] = {
    "name": Customer.name,
    "stage": Relationship.stage,
    "phase": Relationship.phase,
    "health": Relationship.health,
    "trust": None,  # an expression, built per query
    "risk": Relationship.risk,
    "owner": UserAccount.display_name,
    "segment": Relationship.segment,
    "last_contact": Relationship.last_interaction_at,
}


@dataclass
class BoardQuery:
    """A board's filters, sort and page, as read from (and written back to) a query string."""

    filters: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    sort: str = "last_contact"
    descending: bool = True
    page: int = 1

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> BoardQuery:
        """The query in ``params``; ``InvalidInput`` naming the first bad field."""
        q = cls(filters={k: params[k].strip() for k in TEXT_FILTERS if params.get(k, "").strip()})
        for name in NUMBER_FILTERS:
            raw = params.get(name, "").strip()
            if raw:
                try:
                    q.numbers[name] = float(raw)
                except ValueError:
                    raise InvalidInput(f"{name}: {raw!r} is not a number") from None
        q.sort = params.get("sort") or "last_contact"
        if q.sort not in SORTS:
            raise InvalidInput(f"sort: one of {', '.join(SORTS)}")
        q.descending = params.get("dir", "desc") != "asc"
        page = params.get("page", "1")
        if not page.isdigit() or int(page) < 1:
            raise InvalidInput("page: a whole number from 1")
        if int(page) > MAX_PAGE:
            raise InvalidInput(f"page: at most {MAX_PAGE}; filter the board to see further")
        q.page = int(page)
        return q

    def query_string(self, **changes: Any) -> str:
        """The query string of this query with ``changes`` (e.g. ``page=2``) applied."""
        values: dict[str, Any] = {**self.filters, **{k: f"{v:g}" for k, v in self.numbers.items()}}
        values.update(sort=self.sort, dir="desc" if self.descending else "asc", page=self.page)
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def saved_form(self) -> str:
        """What a saved view keeps: filters and sort, not the page."""
        return self.query_string(page=None)


def _filtered(
    q: BoardQuery, me: uuid.UUID, as_of: datetime
) -> Select[Relationship, str | None, str, float]:
    trust = trust_score()
    stmt: Select[Relationship, str | None, str, float] = (
        select(Relationship, Customer.name, UserAccount.display_name, trust.label("trust"))
        .join(Customer, Customer.id == Relationship.customer_id)
        .outerjoin(Member, Member.id == Relationship.owner_member_id)
        .outerjoin(UserAccount, UserAccount.id == Member.user_id)
    )
    for name in ("stage", "phase", "segment"):
        if name in q.filters:
            stmt = stmt.where(getattr(Relationship, name) == q.filters[name])
    owner = q.filters.get("owner")
    if owner == "me":
        stmt = stmt.where(Relationship.owner_member_id == me)
    elif owner == "none":
        stmt = stmt.where(Relationship.owner_member_id.is_(None))
    elif owner:
        stmt = stmt.where(Relationship.owner_member_id == _uuid(owner, "owner"))
    bounds = {"health": Relationship.health, "trust": trust}
    for name, value in q.numbers.items():
        if name == "quiet_days":
            stmt = stmt.where(Relationship.last_interaction_at <= as_of - timedelta(days=value))
            continue
        column, side = bounds[name.split("_")[0]], name.split("_")[1]
        stmt = stmt.where(column >= value if side == "min" else column <= value)
    return stmt


def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidInput(f"{name}: not a member of this organisation") from None


@dataclass(frozen=True)
class BoardPage:
    rows: list[tuple[Relationship, str | None, str | None, float | None]]
    total: int  # counted up to COUNTED + 1
    pages: int

    @property
    def more_than_counted(self) -> bool:
        """Whether there are more rows than the board counts (shown as "more than 10,000")."""
        return self.total > COUNTED


Row = tuple[Relationship, str | None, str | None, float | None]


def page(*, db: Session, q: BoardQuery, me: uuid.UUID, as_of: datetime) -> BoardPage:
    """One page of the board: offset pages (any sort, and a board is read near its top), the
    rows counted up to ``COUNTED`` so that a large organisation's board does not count a
    million rows on every page."""
    stmt = _filtered(q, me, as_of)
    total = db.scalar(
        select(func.count()).select_from(stmt.order_by(None).limit(COUNTED + 1).subquery())
    )
    total = total or 0
    offset = (q.page - 1) * PAGE_SIZE
    if q.sort == "last_contact":
        rows = _by_last_contact(db, stmt, q.descending, offset)
    else:
        column = trust_score() if q.sort == "trust" else SORTS[q.sort]
        key = column.desc().nulls_last() if q.descending else column.asc().nulls_last()
        ordered = stmt.order_by(key, Relationship.id).limit(PAGE_SIZE).offset(offset)
        rows = _rows(db, ordered)
    pages = max(1, -(-min(total, COUNTED) // PAGE_SIZE))
    return BoardPage(rows=rows, total=total, pages=pages)


def _rows(db: Session, stmt: Select[Relationship, str | None, str, float]) -> list[Row]:
    return [(r, n, o, None if t is None else float(t)) for r, n, o, t in db.execute(stmt)]


def _by_last_contact(
    db: Session, stmt: Select[Relationship, str | None, str, float], descending: bool, offset: int
) -> list[Row]:
    """The default order, served by the (organisation, [owner,] last contact, id) index: the
    contacted relationships by last contact (ties by id, the same way), then the never
    contacted ones by id. Two index reads instead of one sort: no database orders NULLs last
    in both directions from one plain index."""
    when, rel_id = Relationship.last_interaction_at, Relationship.id
    keys = (when.desc(), rel_id.desc()) if descending else (when.asc(), rel_id.asc())
    contacted = stmt.where(when.is_not(None)).order_by(*keys)
    rows = _rows(db, contacted.limit(PAGE_SIZE).offset(offset))
    if len(rows) == PAGE_SIZE:
        return rows
    if rows:
        skipped = 0  # the contacted ones ended on this page
    else:
        counted = contacted.order_by(None).limit(offset).subquery()
        skipped = offset - (db.scalar(select(func.count()).select_from(counted)) or 0)
    never = stmt.where(when.is_(None)).order_by(rel_id.desc() if descending else rel_id.asc())
    return rows + _rows(db, never.limit(PAGE_SIZE - len(rows)).offset(skipped))


MENU_SECONDS = 300.0
_menus: dict[uuid.UUID, tuple[float, dict[str, list[str]]]] = {}


def choices(*, db: Session) -> dict[str, list[str]]:
    """The stages, phases and segments present, for the filter menus. Reading them is a scan
    of every relationship (no index serves three distinct-value reads), so an organisation of
    more than ``COUNTED`` relationships gets them from a snapshot at most ``MENU_SECONDS`` old,
    kept per process: a new stage shows in the menus a few minutes late, the board's first
    page does not read a million rows."""
    org = current_organisation_id(db)
    counted = select(Relationship.id).limit(COUNTED + 1).subquery()
    large = (db.scalar(select(func.count()).select_from(counted)) or 0) > COUNTED
    kept = _menus.get(org) if large else None
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    out = {}
    for name in ("stage", "phase", "segment"):
        column = getattr(Relationship, name)
        out[name] = list(
            db.scalars(select(column).where(column.is_not(None)).distinct().order_by(column))
        )
    if large:
        _menus[org] = (time.monotonic() + MENU_SECONDS, out)
    return out


def saved_views(*, db: Session, member_id: uuid.UUID) -> list[dict[str, str]]:
    entry = organisation_service.get_setting(db=db, key=VIEWS_KEY) or {}
    views = entry.get(str(member_id))
    return [v for v in views if isinstance(v, dict)] if isinstance(views, list) else []


def save_view(*, db: Session, member_id: uuid.UUID, name: str, query: BoardQuery) -> None:
    """Save (or replace, by name) one of the member's views."""
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput("name: give the view a name of 1 to 80 characters")
    views = [v for v in saved_views(db=db, member_id=member_id) if v.get("name") != name]
    if len(views) >= MAX_VIEWS:
        raise InvalidInput(f"name: at most {MAX_VIEWS} saved views; delete one first")
    views.append({"name": name, "query": query.saved_form()})
    _store(db, member_id, views)


def delete_view(*, db: Session, member_id: uuid.UUID, name: str) -> None:
    views = saved_views(db=db, member_id=member_id)
    _store(db, member_id, [v for v in views if v.get("name") != name])


def _store(db: Session, member_id: uuid.UUID, views: list[dict[str, str]]) -> None:
    entry = organisation_service.get_setting(db=db, key=VIEWS_KEY) or {}
    organisation_service.set_setting(db=db, key=VIEWS_KEY, value={**entry, str(member_id): views})
