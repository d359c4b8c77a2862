"""Page views of one record go to the audit log, as the API's do (goodwill.audit.trail records
those by itself; a page has to say so): who looked, at what, through which route."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from goodwill.audit import service as audit_service
from goodwill.web.auth import PageContext


def viewed(
    db: Session, page: PageContext, *, target_type: str, target_id: uuid.UUID, route: str
) -> None:
    """Record that the signed-in member opened the page of one record (stored with the page's
    unit of work; nothing is recorded when the page fails)."""
    audit_service.record(
        db=db,
        action="view",
        target_type=target_type,
        target_id=target_id,
        actor="session",
        actor_member_id=page.member.id,
        route=route,
    )
