"""Audit events as the API shows them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from goodwill.pagination import PageInfo


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    occurred_at: datetime
    actor: str
    actor_member_id: uuid.UUID | None
    action: str
    target_type: str
    target_id: str | None
    route: str | None
    detail: dict[str, Any]


class AuditEventPage(PageInfo):
    items: list[AuditEventRead]
