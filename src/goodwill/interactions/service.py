"""Conversations and interactions: the verbs of the interactions domain.

Interactions are immutable and idempotent by external id: storing one whose external id is known
returns the stored one when the content is the same and is a conflict when it differs.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from goodwill.customers.models import Customer
from goodwill.database import new_id, utcnow
from goodwill.errors import Conflict, InvalidInput, NotFound
from goodwill.interactions.models import Conversation, Interaction, InteractionRaw
from goodwill.interactions.schemas import ConversationCreate, ConversationUpdate, InteractionCreate
from goodwill.organisations.models import Member, UserAccount
from goodwill.relationships import service as relationship_service
from goodwill.types import ConversationStatus

Where = Callable[[int], str]
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Stored:
    """An interaction after a create: ``created`` is False when it was stored before."""

    interaction: Interaction
    created: bool


def get_conversation(*, db: Session, conversation_id: uuid.UUID) -> Conversation:
    conversation = db.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound(f"conversation {conversation_id} not found")
    return conversation


def query_conversations(
    *,
    customer_id: uuid.UUID | None = None,
    status: str | None = None,
    channel: str | None = None,
    updated_since: datetime | None = None,
) -> Select[Conversation]:
    stmt = select(Conversation)
    if customer_id is not None:
        stmt = stmt.where(Conversation.customer_id == customer_id)
    if status is not None:
        stmt = stmt.where(Conversation.status == status)
    if channel is not None:
        stmt = stmt.where(Conversation.channel == channel)
    if updated_since is not None:
        stmt = stmt.where(Conversation.updated_at >= updated_since)
    return stmt


def create_conversation(*, db: Session, conversation_in: ConversationCreate) -> Conversation:
    if db.get(Customer, conversation_in.customer_id) is None:
        raise NotFound(f"customer_id: customer {conversation_in.customer_id} not found")
    external_id = conversation_in.external_id
    if external_id and db.scalar(
        select(Conversation.id).where(Conversation.external_id == external_id)
    ):
        raise Conflict(f"external_id: a conversation {external_id!r} exists already")
    opened_at = conversation_in.opened_at or utcnow()
    status = conversation_in.status
    closed_at = conversation_in.closed_at
    if status == ConversationStatus.CLOSED and closed_at is None:
        closed_at = max(utcnow(), opened_at)
    _check_closing(status=status, opened_at=opened_at, closed_at=closed_at)
    conversation_id = new_id()
    conversation = Conversation(
        id=conversation_id,
        external_id=external_id or str(conversation_id),
        customer_id=conversation_in.customer_id,
        subject=conversation_in.subject,
        channel=conversation_in.channel.value,
        status=status.value,
        opened_at=opened_at,
        closed_at=closed_at,
    )
    db.add(conversation)
    db.flush()
    return conversation


def update_conversation(
    *, db: Session, conversation: Conversation, conversation_in: ConversationUpdate
) -> Conversation:
    """Change status, subject or closing time; closing stamps the time, reopening clears it."""
    changes = conversation_in.model_dump(exclude_unset=True)
    if "status" in changes and changes["status"] is None:
        raise InvalidInput("status: must be one of open, pending, closed")
    status = ConversationStatus(changes.get("status", conversation.status))
    if "closed_at" in changes:
        closed_at = changes["closed_at"]
    elif status != ConversationStatus.CLOSED:
        closed_at = None
    else:
        closed_at = conversation.closed_at or max(utcnow(), conversation.opened_at)
    _check_closing(status=status, opened_at=conversation.opened_at, closed_at=closed_at)
    conversation.status = status.value
    conversation.closed_at = closed_at
    if "subject" in changes:
        conversation.subject = changes["subject"]
    db.flush()
    return conversation


def _check_closing(
    *, status: ConversationStatus, opened_at: datetime, closed_at: datetime | None
) -> None:
    if closed_at is None:
        return
    if status != ConversationStatus.CLOSED:
        raise InvalidInput("closed_at: only a closed conversation has a closing time")
    if closed_at < opened_at:
        raise InvalidInput(f"closed_at: before the conversation opened ({opened_at.isoformat()})")


def get(*, db: Session, interaction_id: uuid.UUID) -> Interaction:
    interaction = db.get(Interaction, interaction_id)
    if interaction is None:
        raise NotFound(f"interaction {interaction_id} not found")
    return interaction


def get_raw(*, db: Session, interaction_id: uuid.UUID) -> InteractionRaw:
    """The original bytes an interaction was made from (an e-mail, for example)."""
    get(db=db, interaction_id=interaction_id)
    raw = db.get(InteractionRaw, interaction_id)
    if raw is None:
        raise NotFound(f"interaction {interaction_id} has no raw original")
    return raw


def query_all(
    *,
    customer_id: uuid.UUID | None = None,
    conversation_id: uuid.UUID | None = None,
    channel: str | None = None,
    kind: str | None = None,
    direction: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    created_since: datetime | None = None,
) -> Select[Interaction]:
    """Interactions matching every filter given; ``since`` is inclusive, ``until`` exclusive."""
    stmt = select(Interaction)
    equal = {
        Interaction.customer_id: customer_id,
        Interaction.conversation_id: conversation_id,
        Interaction.channel: channel,
        Interaction.kind: kind,
        Interaction.direction: direction,
    }
    for column, value in equal.items():
        if value is not None:
            stmt = stmt.where(column == value)
    if since is not None:
        stmt = stmt.where(Interaction.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(Interaction.occurred_at < until)
    if created_since is not None:
        stmt = stmt.where(Interaction.created_at >= created_since)
    return stmt


def derived_external_id(
    *,
    customer_external_id: str,
    occurred_at: datetime,
    kind: str,
    channel: str,
    direction: str | None,
    subject: str | None,
    body: str | None,
    amount: Decimal | None,
) -> str:
    """``sha256:`` + a hash of an interaction's content, for records sent without an id.

    The same content always gives the same id (the time in UTC, the amount to the cent), so a
    retried request or a re-imported row is recognised as the one already stored. The recipe is
    the one the importer uses (docs/import.md): keep the two identical.
    """
    parts = (
        customer_external_id,
        occurred_at.astimezone(UTC).isoformat(),
        kind,
        channel,
        direction or "",
        subject or "",
        body or "",
        "" if amount is None else str(amount.quantize(_CENT)),
    )
    return "sha256:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def create(*, db: Session, interaction_in: InteractionCreate) -> Stored:
    """Store one interaction, or return the one stored before under its external id."""
    return create_many(db=db, interactions_in=[interaction_in], where=lambda _: "")[0]


def create_many(
    *,
    db: Session,
    interactions_in: Sequence[InteractionCreate],
    where: Where = lambda i: f"interactions[{i}].",
) -> list[Stored]:
    """Store interactions all or nothing; the answer is in the order given.

    ``where(i)`` names the i-th item in error messages.
    """
    rows = _rows(db, interactions_in, where)
    try:
        return _store(db, rows, where)
    except IntegrityError:
        pass  # a concurrent request stored one of them after the look-up: look again, once
    try:
        return _store(db, rows, where)
    except IntegrityError:
        raise Conflict(
            "external_id: another request is storing the same interactions; retry"
        ) from None


def _store(db: Session, rows: list[dict[str, Any]], where: Where) -> list[Stored]:
    by_external_id = _unique_by_external_id(rows, where)
    stored = _by(db, Interaction.external_id, set(by_external_id))
    results: dict[str, Stored] = {}
    for external_id, (index, row) in by_external_id.items():
        existing = stored.get(external_id)
        if existing is None:
            continue
        if not _same_content(existing, row):
            raise Conflict(
                f"{where(index)}external_id: an interaction {external_id!r} is stored "
                "already with different content (interactions are immutable)"
            )
        results[external_id] = Stored(existing, created=False)
    new = [Interaction(**row) for ext, (_, row) in by_external_id.items() if ext not in results]
    with db.begin_nested():
        db.add_all(new)
        db.flush()
    for interaction in new:
        results[interaction.external_id] = Stored(interaction, created=True)
    _count(db, new)
    return [results[row["external_id"]] for row in rows]


def _count(db: Session, new: list[Interaction]) -> None:
    times: dict[uuid.UUID, list[datetime]] = defaultdict(list)
    for interaction in new:
        times[interaction.customer_id].append(interaction.occurred_at)
    relationship_service.count_interactions(db=db, new_interactions=times)


def _unique_by_external_id(
    rows: list[dict[str, Any]], where: Where
) -> dict[str, tuple[int, dict[str, Any]]]:
    unique: dict[str, tuple[int, dict[str, Any]]] = {}
    for index, row in enumerate(rows):
        first = unique.setdefault(row["external_id"], (index, row))
        if first[1] != row:
            raise Conflict(
                f"{where(index)}external_id: {row['external_id']!r} is also used by "
                f"item {first[0]} of this request with different content"
            )
    return unique


def _same_content(existing: Interaction, row: dict[str, Any]) -> bool:
    return all(getattr(existing, field) == value for field, value in row.items())


def _rows(db: Session, items: Sequence[InteractionCreate], where: Where) -> list[dict[str, Any]]:
    """The column values of each item, with every reference resolved in this organisation."""
    customers = _customers(db, items, where)
    conversations = _conversations(db, items, customers, where)
    authors = _authors(db, items)
    rows = []
    for item, customer, conversation in zip(items, customers, conversations, strict=True):
        occurred_at = item.occurred_at.astimezone(UTC)
        row: dict[str, Any] = {
            "customer_id": customer.id,
            "conversation_id": conversation.id if conversation else None,
            "kind": item.kind.value,
            "channel": item.channel.value,
            "direction": item.direction.value if item.direction else None,
            "occurred_at": occurred_at,
            "subject": item.subject,
            "body": item.body,
            "author_member_id": authors.get(_email(item.author_email)),
            "author_name": item.author_name,
            "amount": None if item.amount is None else item.amount.quantize(_CENT),
            "currency": item.currency,
            "quantity": item.quantity,
            "score": item.score,
            "attributes": item.attributes,
        }
        row["external_id"] = item.external_id or derived_external_id(
            customer_external_id=customer.external_id,
            occurred_at=occurred_at,
            kind=row["kind"],
            channel=row["channel"],
            direction=row["direction"],
            subject=item.subject,
            body=item.body,
            amount=item.amount,
        )
        rows.append(row)
    return rows


def _email(value: str | None) -> str | None:
    return value.strip().lower() if value else None


def _by(db: Session, column: InstrumentedAttribute[Any], values: set[Any]) -> dict[Any, Any]:
    """This organisation's records whose ``column`` is one of ``values``, by that value."""
    values = {v for v in values if v is not None}
    if not values:
        return {}
    rows = db.scalars(select(column.class_).where(column.in_(values)))
    return {getattr(row, column.key): row for row in rows}


def _customers(db: Session, items: Sequence[InteractionCreate], where: Where) -> list[Customer]:
    found = {
        "customer_id": _by(db, Customer.id, {i.customer_id for i in items}),
        "customer_external_id": _by(
            db, Customer.external_id, {i.customer_external_id for i in items}
        ),
        "customer_email": _by(db, Customer.email, {_email(i.customer_email) for i in items}),
    }
    result = []
    for index, item in enumerate(items):
        field, value = _customer_reference(item)
        customer = found[field].get(value)
        if customer is None:
            raise NotFound(f"{where(index)}{field}: no customer {value}")
        result.append(customer)
    return result


def _customer_reference(item: InteractionCreate) -> tuple[str, Any]:
    if item.customer_id is not None:
        return "customer_id", item.customer_id
    if item.customer_external_id is not None:
        return "customer_external_id", item.customer_external_id
    return "customer_email", _email(item.customer_email)


def _conversations(
    db: Session, items: Sequence[InteractionCreate], customers: list[Customer], where: Where
) -> list[Conversation | None]:
    found = {
        "conversation_id": _by(db, Conversation.id, {i.conversation_id for i in items}),
        "conversation_external_id": _by(
            db, Conversation.external_id, {i.conversation_external_id for i in items}
        ),
    }
    result: list[Conversation | None] = []
    for index, (item, customer) in enumerate(zip(items, customers, strict=True)):
        field = "conversation_id" if item.conversation_id else "conversation_external_id"
        key = item.conversation_id or item.conversation_external_id
        conversation = found[field].get(key)
        if key is not None and conversation is None:
            raise NotFound(f"{where(index)}{field}: no conversation {key}")
        if conversation is not None and conversation.customer_id != customer.id:
            raise InvalidInput(
                f"{where(index)}{field}: conversation {key} belongs to another customer"
            )
        result.append(conversation)
    return result


def _authors(db: Session, items: Sequence[InteractionCreate]) -> dict[str | None, uuid.UUID]:
    """Member ids of this organisation by e-mail, for the authors named in ``items``."""
    emails = {_email(i.author_email) for i in items if i.author_email}
    if not emails:
        return {}
    stmt = (
        select(UserAccount.email, Member.id)
        .join(Member, Member.user_id == UserAccount.id)
        .where(UserAccount.email.in_(emails))
    )
    return dict(db.execute(stmt).all())
