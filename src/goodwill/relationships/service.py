"""Relationship records: one per customer, created with the customer."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from goodwill.errors import NotFound
from goodwill.organisations.models import Member
from goodwill.relationships.models import Relationship


def create_for_customer(
    *,
    db: Session,
    customer_id: uuid.UUID,
    owner_member_id: uuid.UUID | None = None,
    segment: str | None = None,
) -> Relationship:
    if owner_member_id is not None and db.get(Member, owner_member_id) is None:
        raise NotFound(f"owner_member_id: member {owner_member_id} not found")
    rel = Relationship(customer_id=customer_id, owner_member_id=owner_member_id, segment=segment)
    db.add(rel)
    db.flush()
    return rel


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
    return stmt
