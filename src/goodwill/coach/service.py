"""The coach's database side: what the stored relationship adds to a draft's situation.

The engine stays pure; this module loads the relationship (scoped to the caller's organisation by
the session) and reads the customer's recent interactions for the signals the coach uses: recent
complaints, broken promises and mistakes the company already admitted.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill.coach.catalogue.ownership import FAULT
from goodwill.coach.model import Draft, RelationshipContext, Turn
from goodwill.coach.reading import CustomerReader
from goodwill.coach.situation import SIGNALS
from goodwill.database import utcnow
from goodwill.interactions.models import Interaction
from goodwill.relationships import service as relationship_service

RECENT = timedelta(days=90)
HISTORY_LIMIT = 50
THREAD_TURNS = 6


def recent_messages(*, db: Session, customer_id: uuid.UUID) -> list[Interaction]:
    """The customer's latest messages of the last 90 days, oldest first."""
    since = utcnow() - RECENT
    stmt = (
        select(Interaction)
        .where(
            Interaction.customer_id == customer_id,
            Interaction.kind == "message",
            Interaction.occurred_at >= since,
        )
        .order_by(Interaction.occurred_at.desc())
        .limit(HISTORY_LIMIT)
    )
    return list(reversed(db.scalars(stmt).all()))


def relationship_context(
    *, db: Session, relationship_id: uuid.UUID, reader: CustomerReader
) -> tuple[RelationshipContext, tuple[Turn, ...]]:
    """What is known about the relationship, and its latest turns as a thread."""
    relationship = relationship_service.get(db=db, relationship_id=relationship_id)
    messages = [m for m in recent_messages(db=db, customer_id=relationship.customer_id) if m.body]
    inbound = [m.body or "" for m in messages if m.direction == "inbound"]
    outbound = [m.body or "" for m in messages if m.direction == "outbound"]
    readings = reader.read_batch(inbound, [() for _ in inbound]) if inbound else []
    context = RelationshipContext(
        stage=relationship.stage,
        phase=relationship.phase,
        recent_complaints=sum(1 for r in readings if "complaint" in r.intents),
        broken_promises=sum(1 for text in inbound if SIGNALS["broken_promise"].search(text)),
        admitted_mistakes=sum(1 for text in outbound if FAULT is not None and FAULT.search(text)),
    )
    thread = tuple(
        Turn("inbound" if m.direction == "inbound" else "outbound", m.body or "")
        for m in messages[-THREAD_TURNS:]
    )
    return context, thread


def build_draft(
    *,
    db: Session,
    customer_message: str,
    reply: str,
    context: Sequence[Turn] = (),
    relationship_id: uuid.UUID | None = None,
    reader: CustomerReader,
) -> Draft:
    """A draft in its situation; the stored thread is used when the caller sent none."""
    if relationship_id is None:
        return Draft(customer_message, reply, tuple(context))
    known, thread = relationship_context(db=db, relationship_id=relationship_id, reader=reader)
    return Draft(customer_message, reply, tuple(context) or thread, known)
