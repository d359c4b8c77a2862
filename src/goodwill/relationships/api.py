"""JSON routes for relationships: list, read, reassign the owner, change the segment."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import AwareDatetime

from goodwill.dependencies import CurrentMember, DbSession
from goodwill.pagination import paginate
from goodwill.relationships import service
from goodwill.relationships.models import Relationship
from goodwill.relationships.schemas import RelationshipPage, RelationshipRead, RelationshipUpdate

router = APIRouter(tags=["relationships"])


@router.get("/relationships", response_model=RelationshipPage)
def list_relationships(
    db: DbSession,
    _: CurrentMember,
    cursor: str | None = None,
    limit: int = 50,
    owner_member_id: uuid.UUID | None = None,
    updated_since: AwareDatetime | None = None,
    stage: str | None = None,
    segment: str | None = None,
    customer_id: uuid.UUID | None = None,
) -> RelationshipPage:
    stmt = service.query_all(
        owner_member_id=owner_member_id,
        updated_since=updated_since,
        stage=stage,
        segment=segment,
        customer_id=customer_id,
    )
    rows, next_cursor = paginate(db, stmt, keys=[Relationship.id], cursor=cursor, limit=limit)
    return RelationshipPage(
        items=[RelationshipRead.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get("/relationships/{relationship_id}", response_model=RelationshipRead)
def get_relationship(db: DbSession, _: CurrentMember, relationship_id: uuid.UUID) -> Relationship:
    return service.get(db=db, relationship_id=relationship_id)


@router.patch("/relationships/{relationship_id}", response_model=RelationshipRead)
def update_relationship(
    db: DbSession,
    _: CurrentMember,
    relationship_id: uuid.UUID,
    relationship_in: RelationshipUpdate,
) -> Relationship:
    relationship = service.get(db=db, relationship_id=relationship_id)
    return service.update(db=db, relationship=relationship, relationship_in=relationship_in)
