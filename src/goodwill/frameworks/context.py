"""What a framework is filled from: the relationship's state and the customer's message.

Loads (scoped to the caller's organisation by the session) the relationship, its customer,
promises, purchases, last interaction and the idea the customer's latest suggestion joined, and
reads the message's intent and emotion: the stored analysis when the message was analysed, else
the coach's reader. Gives the variables' values (:data:`blocks.VARIABLES`) and the facts the
condition language reads (:data:`conditions.FACTS`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goodwill.coach.model import NEGATIVE_EMOTIONS
from goodwill.coach.reading import CustomerReader
from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.errors import InvalidInput, NotFound
from goodwill.feedback.models import Idea, Suggestion
from goodwill.frameworks.conditions import FactValue
from goodwill.interactions.models import Interaction
from goodwill.messages import service as message_service
from goodwill.organisations.models import Member
from goodwill.relationships import service as relationship_service
from goodwill.relationships.models import Commitment, Relationship

BROKEN_WITHIN = timedelta(days=180)
PRODUCTS_SHOWN = 5
PROMISES_SHOWN = 3


@dataclass(slots=True)
class Context:
    """Values for the variables and facts for the conditions; ``message`` is the customer's."""

    values: dict[str, str | None] = field(default_factory=dict)
    facts: dict[str, FactValue] = field(default_factory=dict)
    message: str | None = None
    intents: tuple[str, ...] = ()
    relationship_id: uuid.UUID | None = None
    interaction_id: uuid.UUID | None = None


def _years(started: datetime | None, now: datetime) -> tuple[int | None, int | None, str | None]:
    if started is None:
        return None, None, None
    days = max((now - started).days, 0)
    years = days // 365
    if years >= 1:
        words = f"{years} year" + ("s" if years != 1 else "")
    else:
        months = days // 30
        words = f"{months} month" + ("s" if months != 1 else "") if months else f"{days} days"
    return days, years, words


def _promises(db: Session, relationship_id: uuid.UUID, now: datetime) -> tuple[list[str], bool]:
    rows = db.scalars(select(Commitment).where(Commitment.relationship_id == relationship_id))
    open_texts, broken = [], False
    for row in rows:
        if row.status == "open":
            open_texts.append(row.text)
        elif row.status == "broken" and (row.closed_at or row.created_at) >= now - BROKEN_WITHIN:
            broken = True
    return open_texts, broken


def _products(db: Session, customer_id: uuid.UUID) -> list[str]:
    stmt = (
        select(Interaction.subject)
        .where(Interaction.customer_id == customer_id, Interaction.kind == "purchase")
        .order_by(Interaction.occurred_at.desc())
        .limit(50)
    )
    names = [s for s in db.scalars(stmt) if s]
    return list(dict.fromkeys(names))[:PRODUCTS_SHOWN]


def _last_interaction(db: Session, customer_id: uuid.UUID, before: uuid.UUID | None) -> str | None:
    stmt = select(Interaction).where(Interaction.customer_id == customer_id)
    if before is not None:
        stmt = stmt.where(Interaction.id != before)
    row = db.scalar(stmt.order_by(Interaction.occurred_at.desc()).limit(1))
    if row is None:
        return None
    when = f"{row.occurred_at.day} {row.occurred_at:%B %Y}"
    about = f" about {row.subject}" if row.subject else ""
    return f"your {row.kind} of {when}{about}"


def _idea(db: Session, customer_id: uuid.UUID) -> Idea | None:
    stmt = (
        select(Suggestion.idea_id)
        .where(Suggestion.customer_id == customer_id)
        .order_by(Suggestion.suggested_at.desc())
        .limit(1)
    )
    idea_id = db.scalar(stmt)
    idea = db.get(Idea, idea_id) if idea_id is not None else None
    for _ in range(10):  # follow merges to the idea that absorbed it
        if idea is None or idea.merged_into_id is None:
            break
        idea = db.get(Idea, idea.merged_into_id)
    return idea


def _started(db: Session, relationship: Relationship) -> datetime | None:
    """As the engine reads tenure: the start recorded, or the first interaction if earlier."""
    first = db.scalar(
        select(func.min(Interaction.occurred_at)).where(
            Interaction.customer_id == relationship.customer_id
        )
    )
    known = [t for t in (relationship.started_at, first) if t is not None]
    return min(known) if known else None


def add_relationship(db: Session, ctx: Context, relationship: Relationship) -> None:
    now = utcnow()
    customer = db.get(Customer, relationship.customer_id)
    name = (customer.name or "").strip() if customer else ""
    days, years, words = _years(_started(db, relationship), now)
    open_texts, broken = _promises(db, relationship.id, now)
    idea = _idea(db, relationship.customer_id)
    ctx.relationship_id = relationship.id
    ctx.values |= {
        "customer_name": name or None,
        "customer_first_name": name.split()[0] if name else None,
        "tenure": words,
        "tenure_years": str(years) if years is not None else None,
        "products": ", ".join(_products(db, relationship.customer_id)) or None,
        "last_interaction": _last_interaction(db, relationship.customer_id, ctx.interaction_id),
        "open_promises": "; ".join(open_texts[:PROMISES_SHOWN]) or None,
        "idea_title": idea.title if idea else None,
        "idea_status": idea.status.replace("_", " ") if idea else None,
    }
    ctx.facts |= {
        "phase": relationship.phase,
        "stage": relationship.stage,
        "segment": relationship.segment,
        "health": relationship.health,
        "tenure_days": float(days) if days is not None else None,
        "tenure_years": float(years) if years is not None else None,
        "open_promises": float(len(open_texts)),
        "has_open_promise": bool(open_texts),
        "promise_broken": broken,
        "has_idea": idea is not None,
        "idea_status": idea.status if idea else None,
    }


def add_reading(
    db: Session,
    ctx: Context,
    *,
    message: str,
    interaction_id: uuid.UUID | None,
    reader: CustomerReader,
) -> None:
    """The message's intents and emotion: stored analyses first, else the reader."""
    stored = (
        message_service.get_for_interaction(db=db, interaction_id=interaction_id)
        if interaction_id is not None
        else {}
    )
    intent_row, emotion_row = stored.get("intent"), stored.get("emotion")
    if intent_row is not None and emotion_row is not None:
        intents = tuple(str(i) for i in (intent_row.result or []))
        emotion = str((emotion_row.result or {}).get("label", "neutral"))
    else:
        reading = reader.read_batch([message], [()])[0]
        intents = (
            reading.primary_intent,
            *(i for i in reading.intents if i != reading.primary_intent),
        )
        emotion = reading.emotion
    ctx.message, ctx.intents = message, intents
    ctx.facts |= {
        "intent": intents[0] if intents else None,
        "emotion": emotion,
        "negative_emotion": emotion in NEGATIVE_EMOTIONS,
    }


def build(
    *,
    db: Session,
    reader: CustomerReader,
    relationship_id: uuid.UUID | None = None,
    interaction_id: uuid.UUID | None = None,
    customer_message: str | None = None,
    member: Member | None = None,
) -> Context:
    """The context of a reply: to a stored message (its relationship found from it), or to a
    message given as text, optionally for a relationship."""
    ctx = Context(interaction_id=interaction_id)
    if member is not None:
        ctx.values["operator_name"] = member.user.display_name
    interaction = db.get(Interaction, interaction_id) if interaction_id is not None else None
    if interaction_id is not None and interaction is None:
        raise NotFound(f"interaction {interaction_id} not found")
    relationship = _relationship(db, relationship_id, interaction)
    if interaction is not None:
        customer_message = customer_message or interaction.body or ""
    if relationship is not None:
        add_relationship(db, ctx, relationship)
    if customer_message:
        add_reading(db, ctx, message=customer_message, interaction_id=interaction_id, reader=reader)
    return ctx


def _relationship(
    db: Session, relationship_id: uuid.UUID | None, interaction: Interaction | None
) -> Relationship | None:
    """The relationship asked for (its customer must be the message's), else the message's."""
    if relationship_id is not None:
        relationship = relationship_service.get(db=db, relationship_id=relationship_id)
        if interaction is not None and interaction.customer_id != relationship.customer_id:
            raise InvalidInput("interaction_id: not a message of relationship_id's customer")
        return relationship
    if interaction is not None:
        return db.scalar(
            select(Relationship).where(Relationship.customer_id == interaction.customer_id)
        )
    return None
