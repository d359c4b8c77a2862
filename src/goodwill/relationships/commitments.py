"""The commitments ledger: promises made to customers, and whether they were kept.

Promises come from the stored ``commitments`` analysis of outbound messages (one row per message
and promise start offset, so re-reading is idempotent) or are entered by hand.

How a promise closes by itself (a simple rule on the interactions, see :func:`close_by_activity`):
the first outbound message or call to the same customer after the promise was made keeps it,
``kept`` if it came by the due time and ``kept_late`` if after; a promise past its due time with
no such contact is ``broken``. A promise without a due time is kept by the next outbound contact
and stays open until then. A person may close any promise by hand (kept, kept late or broken).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.errors import NotFound
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.relationships.models import Commitment, Relationship
from goodwill.relationships.schemas import CommitmentCreate, CommitmentUpdate
from goodwill.relationships.service import check_owner

OPEN = "open"
KEPT = "kept"
KEPT_LATE = "kept_late"
BROKEN = "broken"
CLOSING_KINDS = ("message", "call", "meeting")


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def sync_from_analyses(*, db: Session, relationships: Mapping[uuid.UUID, uuid.UUID]) -> int:
    """Add the promises found in outbound messages of these relationships (customer id →
    relationship id) that are not in the ledger yet; returns how many were added."""
    stmt = (
        select(Interaction.id, Interaction.customer_id, Interaction.author_member_id)
        .add_columns(MessageAnalysis.result)
        .join(MessageAnalysis, MessageAnalysis.interaction_id == Interaction.id)
        .where(
            MessageAnalysis.analyser == "commitments",
            Interaction.customer_id.in_(list(relationships)),
            Interaction.direction == "outbound",
        )
    )
    found = db.execute(stmt).all()
    stored = select(Commitment.interaction_id, Commitment.start).where(
        Commitment.interaction_id.in_([row.id for row in found])
    )
    known: set[tuple[Any, Any]] = {(r.interaction_id, r.start) for r in db.execute(stored)}
    added = 0
    for row in found:
        for promise in row.result.get("value") or []:
            if (row.id, promise.get("start")) in known or not promise.get("text"):
                continue
            known.add((row.id, promise.get("start")))
            db.add(
                Commitment(
                    relationship_id=relationships[row.customer_id],
                    interaction_id=row.id,
                    start=promise.get("start"),
                    owner_member_id=row.author_member_id,
                    text=str(promise["text"])[:2000],
                    due_at=_parse_time(promise.get("due_at")),
                )
            )
            added += 1
    db.flush()
    return added


def _made_at(db: Session, commitments: Sequence[Commitment]) -> dict[uuid.UUID, datetime]:
    """When each promise was made: its message's time, or when it was entered by hand."""
    source_ids = [c.interaction_id for c in commitments if c.interaction_id is not None]
    stmt = select(Interaction.id, Interaction.occurred_at).where(Interaction.id.in_(source_ids))
    times = {row.id: row.occurred_at for row in db.execute(stmt)}
    return {
        c.id: times.get(c.interaction_id, c.created_at) if c.interaction_id else c.created_at
        for c in commitments
    }


def close_by_activity(
    *, db: Session, relationships: Mapping[uuid.UUID, uuid.UUID], as_of: datetime | None = None
) -> int:
    """Close the open promises of these relationships (customer id → relationship id) by the rule
    in the module's docstring; returns how many were closed."""
    as_of = as_of or utcnow()
    customer_of = {rel: customer for customer, rel in relationships.items()}
    pending = list(
        db.scalars(
            select(Commitment).where(
                Commitment.relationship_id.in_(list(customer_of)), Commitment.status == OPEN
            )
        )
    )
    if not pending:
        return 0
    made_at = _made_at(db, pending)
    rows = db.execute(
        select(Interaction.customer_id, Interaction.id, Interaction.occurred_at)
        .where(
            Interaction.customer_id.in_(list(relationships)),
            Interaction.direction == "outbound",
            Interaction.kind.in_(CLOSING_KINDS),
            Interaction.occurred_at <= as_of,
        )
        .order_by(Interaction.occurred_at, Interaction.id)
    ).all()
    contacts: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        contacts[row.customer_id].append(row)
    closed = 0
    for promise in pending:
        since = made_at[promise.id]
        later = (c for c in contacts[customer_of[promise.relationship_id]] if c.occurred_at > since)
        closed += _close(promise, next(later, None), as_of)
    db.flush()
    return closed


def _close(promise: Commitment, after: Any | None, as_of: datetime) -> int:
    if after is not None:
        at: datetime = after.occurred_at
        late = promise.due_at is not None and at > promise.due_at
        promise.status = KEPT_LATE if late else KEPT
        promise.closed_at = at
        promise.closed_by_interaction_id = after.id
        return 1
    if promise.due_at is not None and promise.due_at < as_of:
        promise.status = BROKEN
        promise.closed_at = promise.due_at
        return 1
    return 0


def query_for_relationship(
    *, relationship_id: uuid.UUID, status: str | None = None
) -> Select[Commitment]:
    stmt = select(Commitment).where(Commitment.relationship_id == relationship_id)
    if status is not None:
        stmt = stmt.where(Commitment.status == status)
    return stmt


def get(*, db: Session, commitment_id: uuid.UUID) -> Commitment:
    commitment = db.get(Commitment, commitment_id)
    if commitment is None:
        raise NotFound(f"commitment {commitment_id} not found")
    return commitment


def create(
    *, db: Session, relationship: Relationship, commitment_in: CommitmentCreate
) -> Commitment:
    """A promise entered by hand; its owner defaults to the relationship's owner."""
    owner = commitment_in.owner_member_id or relationship.owner_member_id
    if commitment_in.owner_member_id is not None:
        check_owner(db=db, owner_member_id=commitment_in.owner_member_id)
    commitment = Commitment(
        relationship_id=relationship.id,
        owner_member_id=owner,
        text=commitment_in.text,
        due_at=commitment_in.due_at,
    )
    db.add(commitment)
    db.flush()
    return commitment


def close(*, db: Session, commitment: Commitment, commitment_in: CommitmentUpdate) -> Commitment:
    """Close (or re-close) a promise by hand: kept, kept late or broken, as of now."""
    commitment.status = commitment_in.status
    commitment.closed_at = utcnow()
    commitment.closed_by_interaction_id = None
    db.flush()
    return commitment
