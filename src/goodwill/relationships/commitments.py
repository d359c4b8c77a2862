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

import json
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, insert, select, update
from sqlalchemy.orm import Session

from goodwill.database import in_lists, new_id, utcnow
from goodwill.errors import NotFound
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.relationships import rows
from goodwill.relationships.models import Commitment, Relationship
from goodwill.relationships.schemas import CommitmentCreate, CommitmentUpdate
from goodwill.relationships.service import check_owner
from goodwill.tenancy import current_organisation_id

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


def _promises_found(db: Session, customer_ids: Sequence[uuid.UUID]) -> list[Any]:
    """(interaction, customer, author, promises) of the customers' outbound interactions whose
    ``commitments`` analysis found any. An outer join, so that the database reads the customers'
    interactions first and looks their analysis up by its key (an inner join may start from
    every ``commitments`` analysis of the organisation: quadratic over the batches); read raw,
    as most analyses found nothing (:mod:`goodwill.relationships.rows`)."""
    stmt = (
        select(
            rows.raw(Interaction.id),
            rows.raw(Interaction.customer_id),
            rows.raw(Interaction.author_member_id),
            rows.raw(MessageAnalysis.result),
        )
        .outerjoin(
            MessageAnalysis,
            and_(
                MessageAnalysis.interaction_id == Interaction.id,
                MessageAnalysis.analyser == "commitments",
            ),
        )
        .where(Interaction.customer_id.in_(customer_ids), Interaction.direction == "outbound")
    )
    found = []
    for interaction_id, customer_id, author, result in db.execute(stmt):
        if result is None or (isinstance(result, str) and result in NOTHING_FOUND):
            continue
        document = json.loads(result) if isinstance(result, str) else result
        promises = document.get("value") or []
        if not promises and isinstance(result, str) and len(NOTHING_FOUND) < 100:
            NOTHING_FOUND.add(result)
        if promises:
            author_id = rows.as_uuid(author) if author is not None else None
            ids = (rows.as_uuid(interaction_id), rows.as_uuid(customer_id), author_id)
            found.append((*ids, promises))
    return found


NOTHING_FOUND: set[str] = set()  # the texts of analyses that found no promise


def sync_from_analyses(*, db: Session, relationships: Mapping[uuid.UUID, uuid.UUID]) -> int:
    """Add the promises found in outbound messages of these relationships (customer id →
    relationship id) that are not in the ledger yet; returns how many were added (one bulk
    insert)."""
    found = _promises_found(db, list(relationships))
    known: set[tuple[Any, Any]] = set()
    for part in in_lists([interaction_id for interaction_id, *_ in found]):
        stored = select(Commitment.interaction_id, Commitment.start).where(
            Commitment.interaction_id.in_(part)
        )
        known.update((r.interaction_id, r.start) for r in db.execute(stored))
    organisation_id, now = current_organisation_id(db), utcnow()
    added: list[dict[str, Any]] = []
    for interaction_id, customer_id, author, promises in found:
        for promise in promises:
            if (interaction_id, promise.get("start")) in known or not promise.get("text"):
                continue
            known.add((interaction_id, promise.get("start")))
            added.append(
                {
                    "id": new_id(),
                    "organisation_id": organisation_id,
                    "relationship_id": relationships[customer_id],
                    "interaction_id": interaction_id,
                    "start": promise.get("start"),
                    "owner_member_id": author,
                    "text": str(promise["text"])[:2000],
                    "due_at": _parse_time(promise.get("due_at")),
                    "status": OPEN,
                    "closed_at": None,
                    "closed_by_interaction_id": None,
                    "created_at": now,
                }
            )
    if added:
        table: Any = Commitment.__table__
        db.execute(insert(table), added)  # Core: no ORM bookkeeping per row
    return len(added)


def _pending(db: Session, relationship_ids: Sequence[uuid.UUID]) -> list[Any]:
    """The open promises of these relationships, each with when it was made (its message's time,
    or when it was entered by hand)."""
    stmt = (
        select(
            Commitment.id,
            Commitment.relationship_id,
            Commitment.due_at,
            func.coalesce(Interaction.occurred_at, Commitment.created_at).label("made_at"),
        )
        .outerjoin(Interaction, Interaction.id == Commitment.interaction_id)
        .where(Commitment.relationship_id.in_(relationship_ids), Commitment.status == OPEN)
    )
    return list(db.execute(stmt).all())


def close_by_activity(
    *, db: Session, relationships: Mapping[uuid.UUID, uuid.UUID], as_of: datetime | None = None
) -> int:
    """Close the open promises of these relationships (customer id → relationship id) by the rule
    in the module's docstring; returns how many were closed (one bulk update)."""
    as_of = as_of or utcnow()
    customer_of = {rel: customer for customer, rel in relationships.items()}
    pending = _pending(db, list(customer_of))
    if not pending:
        return 0
    waiting = list({customer_of[promise.relationship_id] for promise in pending})
    contacts: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in db.execute(
        select(Interaction.customer_id, Interaction.id, Interaction.occurred_at)
        .where(
            Interaction.customer_id.in_(waiting),
            Interaction.direction == "outbound",
            Interaction.kind.in_(CLOSING_KINDS),
            Interaction.occurred_at <= as_of,
        )
        .order_by(Interaction.occurred_at, Interaction.id)
    ):  # only the customers with an open promise
        contacts[row.customer_id].append(row)
    changes = []
    for promise in pending:
        since = promise.made_at
        later = (c for c in contacts[customer_of[promise.relationship_id]] if c.occurred_at > since)
        change = _close(promise, next(later, None), as_of)
        if change is not None:
            changes.append(change)
    organisation = current_organisation_id(db)  # part of the table's key (migration 0022)
    for kind in (True, False):  # one executemany per set of columns
        same = [c for c in changes if ("closed_by_interaction_id" in c) is kind]
        if same:
            db.execute(update(Commitment), [{**c, "organisation_id": organisation} for c in same])
    expire_loaded(db, Commitment, [c["id"] for c in changes])
    return len(changes)


def _close(promise: Any, after: Any | None, as_of: datetime) -> dict[str, Any] | None:
    """The columns to set on an open promise (``None``: it stays open)."""
    if after is not None:
        at: datetime = after.occurred_at
        late = promise.due_at is not None and at > promise.due_at
        return {
            "id": promise.id,
            "status": KEPT_LATE if late else KEPT,
            "closed_at": at,
            "closed_by_interaction_id": after.id,
        }
    if promise.due_at is not None and promise.due_at < as_of:
        return {"id": promise.id, "status": BROKEN, "closed_at": promise.due_at}
    return None


def expire_loaded(db: Session, model: type[Any], ids: Sequence[uuid.UUID]) -> None:
    """Expire the rows of ``model`` with these ids that the session holds, after they were
    written by a bulk statement, so that they are read again on next use."""
    if not db.identity_map:
        return
    for key in ids:
        loaded = db.identity_map.get(db.identity_key(model, key))
        if loaded is not None:
            db.expire(loaded)


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
