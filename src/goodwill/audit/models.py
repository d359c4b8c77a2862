"""One audit event per audited action, holding ids and route names only, never personal data."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, JSONType, utcnow
from goodwill.tenancy import TenantMixin


class AuditEvent(IdMixin, TenantMixin, Base):
    """``actor`` is how the action came in (``session``, ``api_token``, ``cli``, ``system``) and
    ``actor_member_id`` who did it (kept as a plain id: the trail outlives the member);
    ``action`` is ``view``, ``export``, ``create``, ``update``, ``delete``, ``erase`` or the
    verb of an action route (``merge``, ``send``, ...); ``target_type`` and ``target_id`` name
    the record; ``detail`` holds counts and route names, nothing a customer wrote."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index(None, "organisation_id", "occurred_at"),
        Index(None, "organisation_id", "target_id"),
    )

    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_member_id: Mapped[uuid.UUID | None]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    target_type: Mapped[str] = mapped_column(String(60))
    target_id: Mapped[str | None] = mapped_column(String(64))
    route: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
