"""The book view: every relationship whose two sides answered in the window, their gaps, the
distribution and mean gap per question, blind spots, and the same per owner."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill.customers.models import Customer
from goodwill.database import in_lists
from goodwill.errors import InvalidInput
from goodwill.organisations.models import Member
from goodwill.pagination import MAX_LIMIT, decode_cursor, encode_cursor
from goodwill.perception import gaps
from goodwill.perception.models import CUSTOMER, OWNER, PerceptionAnswer
from goodwill.perception.schemas import GapBook, GapItem, OwnerBook, QuestionSummaryRead
from goodwill.perception.service import gap_read, side_answers
from goodwill.relationships.models import Relationship


@dataclass(frozen=True)
class Compared:
    """One relationship of the book: who is on it and its gap."""

    relationship_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str | None
    owner_member_id: uuid.UUID | None
    customer: PerceptionAnswer
    owner: PerceptionAnswer
    gap: gaps.Gap

    def sort_key(self) -> tuple[int, int, str]:
        largest, total = gaps.rank(self.gap)
        return (-largest, -total, str(self.relationship_id))


def latest_in_window(
    db: Session, *, as_of: datetime, window_days: int, owner_member_id: uuid.UUID | None
) -> dict[uuid.UUID, dict[str, PerceptionAnswer]]:
    """Relationship id → side → its latest answer from the window."""
    stmt = select(PerceptionAnswer).where(
        PerceptionAnswer.answered_at >= as_of - timedelta(days=window_days),
        PerceptionAnswer.answered_at <= as_of,
    )
    if owner_member_id is not None:
        stmt = stmt.join(Relationship, Relationship.id == PerceptionAnswer.relationship_id).where(
            Relationship.owner_member_id == owner_member_id
        )
    found: dict[uuid.UUID, dict[str, PerceptionAnswer]] = defaultdict(dict)
    for row in db.scalars(stmt.order_by(PerceptionAnswer.answered_at, PerceptionAnswer.id)):
        found[row.relationship_id][row.side] = row  # later rows replace earlier ones
    return found


def _people(db: Session, relationship_ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """Relationship id → (customer id, customer name, owner member id)."""
    people: dict[uuid.UUID, Any] = {}
    for chunk in in_lists(relationship_ids):
        stmt = (
            select(
                Relationship.id,
                Relationship.customer_id,
                Relationship.owner_member_id,
                Customer.name,
                Customer.email,
            )
            .join(Customer, Customer.id == Relationship.customer_id)
            .where(Relationship.id.in_(chunk))
        )
        people.update({row.id: row for row in db.execute(stmt)})
    return people


def compare(
    db: Session,
    *,
    as_of: datetime,
    window_days: int,
    threshold: int,
    owner_member_id: uuid.UUID | None = None,
) -> list[Compared]:
    """The book, largest gaps first (see ``gaps.rank``)."""
    sides = latest_in_window(
        db, as_of=as_of, window_days=window_days, owner_member_id=owner_member_id
    )
    both = {k: v for k, v in sides.items() if CUSTOMER in v and OWNER in v}
    people = _people(db, sorted(both))
    book = []
    for relationship_id, pair in both.items():
        who = people[relationship_id]
        found = gaps.gap(
            side_answers(pair[CUSTOMER]), side_answers(pair[OWNER]), threshold=threshold
        )
        book.append(
            Compared(
                relationship_id,
                who.customer_id,
                who.name or who.email,
                who.owner_member_id,
                pair[CUSTOMER],
                pair[OWNER],
                found,
            )
        )
    return sorted(book, key=Compared.sort_key)


@dataclass(frozen=True)
class Totals:
    """Over a whole (filtered) book: per question, per owner, and the owners' names."""

    summary: gaps.Summary
    questions: list[QuestionSummaryRead]
    owners: list[OwnerBook]
    names: dict[uuid.UUID, str]


def totals(db: Session, book: list[Compared]) -> Totals:
    summary = gaps.summarise([c.gap for c in book])
    questions = [
        QuestionSummaryRead(
            key=q.key,
            mean_gap=q.mean_gap,
            distribution={str(k): v for k, v in q.distribution.items()},
        )
        for q in summary.questions
    ]
    names = owner_names(db, {c.owner_member_id for c in book if c.owner_member_id})
    return Totals(summary, questions, by_owner(book, names), names)


def owner_names(db: Session, member_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not member_ids:
        return {}
    members = db.scalars(select(Member).where(Member.id.in_(member_ids)))
    return {m.id: m.user.display_name for m in members}


def by_owner(book: list[Compared], names: dict[uuid.UUID, str]) -> list[OwnerBook]:
    """Per owner: how many compared, how many blind spots, the mean gap per question; the owners
    with the most blind spots first."""
    groups: dict[uuid.UUID | None, list[gaps.Gap]] = defaultdict(list)
    for item in book:
        groups[item.owner_member_id].append(item.gap)
    owners = []
    for owner_id, found in groups.items():
        summary = gaps.summarise(found)
        owners.append(
            OwnerBook(
                owner_member_id=owner_id,
                owner_name=names.get(owner_id) if owner_id else None,
                relationships=summary.relationships,
                blind_spots=summary.blind_spots,
                mean_gap={q.key: q.mean_gap for q in summary.questions},
            )
        )
    return sorted(owners, key=lambda o: (-o.blind_spots, -o.relationships, o.owner_name or ""))


def _page(
    book: list[Compared], cursor: str | None, limit: int
) -> tuple[list[Compared], str | None]:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit: must be between 1 and {MAX_LIMIT}")
    if cursor:
        largest, total, after = decode_cursor(cursor, 3)
        if not (
            isinstance(largest, int) and isinstance(total, int) and isinstance(after, uuid.UUID)
        ):
            raise InvalidInput("cursor: not a cursor this list returned")
        key = (-largest, -total, str(after))
        book = [c for c in book if c.sort_key() > key]
    if len(book) <= limit:
        return book, None
    last = book[limit - 1]
    largest, total = gaps.rank(last.gap)
    return book[:limit], encode_cursor([largest, total, last.relationship_id])


def gap_book(
    *,
    db: Session,
    as_of: datetime,
    window_days: int,
    threshold: int,
    owner_member_id: uuid.UUID | None,
    blind_spots_only: bool,
    cursor: str | None,
    limit: int,
) -> GapBook:
    """The book view of the API and the page: totals over the whole (filtered) book, one page
    of its relationships, largest gaps first."""
    book = compare(
        db, as_of=as_of, window_days=window_days, threshold=threshold,
        owner_member_id=owner_member_id,
    )  # fmt: skip
    found = totals(db, book)
    listed = [c for c in book if c.gap.blind_spot] if blind_spots_only else book
    page, next_cursor = _page(listed, cursor, limit)
    return GapBook(
        as_of=as_of,
        window_days=window_days,
        threshold=threshold,
        relationships=found.summary.relationships,
        blind_spots=found.summary.blind_spots,
        questions=found.questions,
        owners=found.owners,
        items=[item(c, found.names) for c in page],
        next_cursor=next_cursor,
    )


def item(compared: Compared, names: dict[uuid.UUID, str]) -> GapItem:
    owner = compared.owner_member_id
    return GapItem(
        relationship_id=compared.relationship_id,
        customer_id=compared.customer_id,
        customer_name=compared.customer_name,
        owner_member_id=owner,
        owner_name=names.get(owner) if owner else None,
        customer_answered_at=compared.customer.answered_at,
        owner_answered_at=compared.owner.answered_at,
        gap=gap_read(compared.gap),
    )
