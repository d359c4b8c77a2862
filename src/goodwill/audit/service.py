"""Recording and reading audit events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.audit.models import AuditEvent
from goodwill.database import unit_of_work, utcnow

ACTION_LENGTH = 20
RECORDED = "audit_recorded"


def record(
    *,
    db: Session,
    action: str,
    target_type: str,
    target_id: uuid.UUID | str | None = None,
    actor: str,
    actor_member_id: uuid.UUID | None = None,
    route: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event to the caller's unit of work: it is stored with the action or not at all."""
    event = AuditEvent(
        occurred_at=utcnow(),
        actor=actor,
        actor_member_id=actor_member_id,
        action=action[:ACTION_LENGTH],
        target_type=target_type,
        target_id=str(target_id) if target_id is not None else None,
        route=route,
        detail=detail or {},
    )
    db.add(event)
    db.info[RECORDED] = True  # the audit trail adds no second, vaguer event for this request
    return event


def query(
    *,
    actor_member_id: uuid.UUID | None = None,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select[AuditEvent]:
    """The events matching every filter given (newest first once paginated)."""
    stmt = select(AuditEvent)
    if actor_member_id is not None:
        stmt = stmt.where(AuditEvent.actor_member_id == actor_member_id)
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    if target_type is not None:
        stmt = stmt.where(AuditEvent.target_type == target_type)
    if target_id is not None:
        stmt = stmt.where(AuditEvent.target_id == target_id)
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < until)
    return stmt


def record_apart(factory: sessionmaker[Session], organisation_id: uuid.UUID, **event: Any) -> None:
    """Record an event in a unit of work of its own (for views, after the request: a read that
    wrote its audit event in its own transaction could fail on SQLite when another process
    committed since it began reading; a transaction that only writes waits its turn instead)."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        record(db=db, **event)
