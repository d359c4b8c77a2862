"""JSON routes of segments: any member reads them, their members and who entered or left;
managers create, replace, delete, preview a rule and recompute the memberships."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi import status as http_status
from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill.customers.models import Customer
from goodwill.dependencies import CurrentMember, DbSession, ManagerMember
from goodwill.errors import InvalidInput
from goodwill.pagination import paginate
from goodwill.relationships.models import Relationship
from goodwill.segments import service
from goodwill.segments.models import Segment, SegmentMembership
from goodwill.segments.schemas import (
    AssignRead,
    MemberPage,
    MemberRead,
    MovementPage,
    MovementRead,
    PreviewRead,
    PreviewRequest,
    SampleRead,
    SegmentPage,
    SegmentRead,
    SegmentSave,
)

router = APIRouter(tags=["segments"])
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("/segments", response_model=SegmentPage)
def list_segments(
    db: DbSession, _: CurrentMember, cursor: str | None = None, limit: Limit = 50
) -> SegmentPage:
    """The segments in the order they are tried (priority, then name)."""
    rows, next_cursor = paginate(
        db,
        service.query_segments(),
        keys=[Segment.priority, Segment.name],
        cursor=cursor,
        limit=limit,
    )
    total = service.relationship_count(db=db)
    members = sum(service.member_counts(db=db).values())
    items = service.read(db=db, segments=rows)
    return SegmentPage(items=items, next_cursor=next_cursor, unsegmented=total - members)


@router.post("/segments", response_model=SegmentRead, status_code=http_status.HTTP_201_CREATED)
def create_segment(db: DbSession, _: ManagerMember, body: SegmentSave) -> SegmentRead:
    """A new segment; every relationship's membership is recomputed with it."""
    return service.read(db=db, segments=[service.create(db=db, segment_in=body)])[0]


@router.post("/segments/preview", response_model=PreviewRead)
def preview_segment(db: DbSession, _: ManagerMember, body: PreviewRequest) -> PreviewRead:
    """How many relationships a rule matches (and, with a priority, would be members), with a
    sample; nothing is stored."""
    found = service.preview(
        db=db, rule=body.rule, priority=body.priority, name=body.name, sample=body.sample
    )
    return PreviewRead(
        relationships=found.relationships,
        matching=found.matching,
        members=found.members,
        sample=[SampleRead(relationship_id=r, customer_name=n) for r, n in found.sample],
    )


@router.post("/segments/assign", response_model=AssignRead)
def assign_segments(db: DbSession, _: ManagerMember) -> AssignRead:
    """Recompute every relationship's segment now (the engine does it after each recompute)."""
    return AssignRead.model_validate(vars(service.assign(db=db)))


@router.get("/segments/{segment_id}", response_model=SegmentRead)
def get_segment(db: DbSession, _: CurrentMember, segment_id: uuid.UUID) -> SegmentRead:
    return service.read(db=db, segments=[service.get(db=db, segment_id=segment_id)])[0]


@router.put("/segments/{segment_id}", response_model=SegmentRead)
def replace_segment(
    db: DbSession, _: ManagerMember, segment_id: uuid.UUID, body: SegmentSave
) -> SegmentRead:
    segment = service.get(db=db, segment_id=segment_id)
    service.update(db=db, segment=segment, segment_in=body)
    return service.read(db=db, segments=[segment])[0]


@router.delete("/segments/{segment_id}", status_code=http_status.HTTP_204_NO_CONTENT)
def delete_segment(db: DbSession, _: ManagerMember, segment_id: uuid.UUID) -> Response:
    service.delete(db=db, segment=service.get(db=db, segment_id=segment_id))
    return Response(status_code=http_status.HTTP_204_NO_CONTENT)


def _people(db: Session, rows: list[SegmentMembership]) -> dict[uuid.UUID, Any]:
    """The relationships (with their customer's name) of a page of membership rows."""
    stmt = (
        select(Relationship, Customer.name)
        .join(Customer, Customer.id == Relationship.customer_id)
        .where(Relationship.id.in_([r.relationship_id for r in rows]))
    )
    return {rel.id: (rel, name) for rel, name in db.execute(stmt)}


@router.get("/segments/{segment_id}/members", response_model=MemberPage)
def list_members(
    db: DbSession,
    _: CurrentMember,
    segment_id: uuid.UUID,
    cursor: str | None = None,
    limit: Limit = 50,
) -> MemberPage:
    """The segment's current members, the most recent to enter first."""
    service.get(db=db, segment_id=segment_id)
    rows, next_cursor = paginate(
        db,
        service.members(segment_id=segment_id),
        keys=[SegmentMembership.entered_at, SegmentMembership.id],
        cursor=cursor,
        limit=limit,
        descending=True,
    )
    people = _people(db, rows)
    items = []
    for row in rows:
        rel, name = people[row.relationship_id]
        items.append(
            MemberRead(
                relationship_id=rel.id,
                customer_id=rel.customer_id,
                customer_name=name,
                stage=rel.stage,
                phase=rel.phase,
                health=rel.health,
                entered_at=row.entered_at,
            )
        )
    return MemberPage(items=items, next_cursor=next_cursor)


@router.get("/segments/{segment_id}/history", response_model=MovementPage)
def list_movements(
    db: DbSession,
    _: CurrentMember,
    segment_id: uuid.UUID,
    since: datetime | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> MovementPage:
    """Who entered or left the segment (since ``since``, an ISO time with its offset), the
    most recent first; a stay still going has no ``left_at``."""
    if since is not None and since.tzinfo is None:
        raise InvalidInput("since: give the time with its offset, e.g. 2026-12-01T00:00:00Z")
    service.get(db=db, segment_id=segment_id)
    rows, next_cursor = paginate(
        db,
        service.movements(segment_id=segment_id, since=since),
        keys=[SegmentMembership.entered_at, SegmentMembership.id],
        cursor=cursor,
        limit=limit,
        descending=True,
    )
    people = _people(db, rows)
    items = [
        MovementRead(
            relationship_id=r.relationship_id,
            customer_name=people[r.relationship_id][1],
            entered_at=r.entered_at,
            left_at=r.left_at,
        )
        for r in rows
    ]
    return MovementPage(items=items, next_cursor=next_cursor)
