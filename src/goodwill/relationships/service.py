"""Relationship records: one per customer, created with the customer."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Select, case, func, literal, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from goodwill.database import UTCDateTime
from goodwill.errors import InvalidInput, NotFound
from goodwill.interactions.models import Interaction
from goodwill.organisations.models import Member
from goodwill.relationships.models import Relationship
from goodwill.relationships.schemas import RelationshipUpdate


def create_for_customer(
    *,
    db: Session,
    customer_id: uuid.UUID,
    owner_member_id: uuid.UUID | None = None,
    segment: str | None = None,
) -> Relationship:
    if owner_member_id is not None:
        check_owner(db=db, owner_member_id=owner_member_id)
    rel = Relationship(customer_id=customer_id, owner_member_id=owner_member_id, segment=segment)
    db.add(rel)
    db.flush()
    return rel


def check_owner(*, db: Session, owner_member_id: uuid.UUID) -> Member:
    """The active member of this organisation who is to own a relationship."""
    member = db.get(Member, owner_member_id)
    if member is None:
        raise NotFound(f"owner_member_id: member {owner_member_id} not found")
    if not member.is_active:
        raise InvalidInput(f"owner_member_id: member {owner_member_id} is no longer active")
    return member


def get(*, db: Session, relationship_id: uuid.UUID) -> Relationship:
    rel = db.get(Relationship, relationship_id)
    if rel is None:
        raise NotFound(f"relationship {relationship_id} not found")
    return rel


def get_by_customer(*, db: Session, customer_id: uuid.UUID) -> Relationship:
    rel = db.scalar(select(Relationship).where(Relationship.customer_id == customer_id))
    if rel is None:
        raise NotFound(f"no relationship for customer {customer_id}")
    return rel


def query_all(
    *,
    owner_member_id: uuid.UUID | None = None,
    updated_since: datetime | None = None,
    stage: str | None = None,
    segment: str | None = None,
    customer_id: uuid.UUID | None = None,
) -> Select[Relationship]:
    stmt = select(Relationship)
    if owner_member_id is not None:
        stmt = stmt.where(Relationship.owner_member_id == owner_member_id)
    if updated_since is not None:
        stmt = stmt.where(Relationship.updated_at >= updated_since)
    if stage is not None:
        stmt = stmt.where(Relationship.stage == stage)
    if segment is not None:
        stmt = stmt.where(Relationship.segment == segment)
    if customer_id is not None:
        stmt = stmt.where(Relationship.customer_id == customer_id)
    return stmt


def update(
    *, db: Session, relationship: Relationship, relationship_in: RelationshipUpdate
) -> Relationship:
    """Reassign the owner or change the segment; fields left out of the request stay."""
    changes = relationship_in.model_dump(exclude_unset=True)
    if changes.get("owner_member_id") is not None:
        check_owner(db=db, owner_member_id=changes["owner_member_id"])
    for field, value in changes.items():
        setattr(relationship, field, value)
    db.flush()
    return relationship


def count_interactions(
    *, db: Session, new_interactions: Mapping[uuid.UUID, list[datetime]]
) -> None:
    """Add newly stored interactions (customer id → their times) to each relationship's
    ``interaction_count`` and ``last_interaction_at``, atomically in the database."""
    for customer_id, times in new_interactions.items():
        if not times:
            continue
        latest = literal(max(times), UTCDateTime())
        last = Relationship.last_interaction_at
        db.execute(
            sql_update(Relationship)
            .where(Relationship.customer_id == customer_id)
            .values(
                interaction_count=Relationship.interaction_count + len(times),
                last_interaction_at=case((last.is_(None) | (last < latest), latest), else_=last),
            )
            .execution_options(synchronize_session="fetch")
        )


def refresh_activity(*, db: Session, import_batch_id: uuid.UUID) -> None:
    """Recount activity (count, first and last interaction) of the relationships whose customers
    got interactions in one import, set-based in the database."""
    touched = (
        select(Interaction.customer_id)
        .where(Interaction.import_batch_id == import_batch_id)
        .distinct()
    )
    mine = Interaction.customer_id == Relationship.customer_id
    count = select(func.count()).where(mine).correlate(Relationship).scalar_subquery()
    latest = select(func.max(Interaction.occurred_at)).where(mine).correlate(Relationship)
    earliest = select(func.min(Interaction.occurred_at)).where(mine).correlate(Relationship)
    db.execute(
        sql_update(Relationship)
        .where(Relationship.customer_id.in_(touched))
        .values(
            interaction_count=count,
            last_interaction_at=latest.scalar_subquery(),
            started_at=func.coalesce(Relationship.started_at, earliest.scalar_subquery()),
        )
        .execution_options(synchronize_session=False)
    )
