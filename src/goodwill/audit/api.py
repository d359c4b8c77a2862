"""The audit log for admins: who viewed, changed, exported or deleted what."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import AwareDatetime

from goodwill.audit import service
from goodwill.audit.models import AuditEvent
from goodwill.audit.schemas import AuditEventPage, AuditEventRead
from goodwill.dependencies import AdminMember, DbSession
from goodwill.pagination import paginate

router = APIRouter(tags=["audit"])


@router.get("/audit-events", response_model=AuditEventPage)
def list_audit_events(
    db: DbSession,
    _: AdminMember,
    cursor: str | None = None,
    limit: int = 100,
    actor_member_id: uuid.UUID | None = None,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
) -> AuditEventPage:
    """Newest first; every filter given must match (``target_id``: one record's history)."""
    stmt = service.query(
        actor_member_id=actor_member_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        since=since,
        until=until,
    )
    rows, next_cursor = paginate(
        db,
        stmt,
        keys=[AuditEvent.occurred_at, AuditEvent.id],
        cursor=cursor,
        limit=limit,
        descending=True,
    )
    return AuditEventPage(
        items=[AuditEventRead.model_validate(e) for e in rows], next_cursor=next_cursor
    )
