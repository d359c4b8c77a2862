"""Page views of one record go to the audit log, as the API's do (goodwill.audit.trail records
those by itself; a page has to say so): who looked, at what, through which route."""

from __future__ import annotations

import uuid

from fastapi import Request

from goodwill.audit.trail import record_view
from goodwill.web.auth import PageContext


def viewed(
    request: Request,
    page: PageContext,
    *,
    target_type: str,
    target_id: uuid.UUID,
    route: str,
) -> None:
    """Record that the signed-in member opened the page of one record, once the page has been
    served, in a unit of work of its own (nothing is recorded when the page fails)."""
    record_view(
        request,
        page.member.organisation_id,
        action="view",
        target_type=target_type,
        target_id=target_id,
        actor="session",
        actor_member_id=page.member.id,
        route=route,
    )
