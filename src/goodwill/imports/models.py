"""A record of each import that succeeded (a refused file leaves no row at all)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class ImportBatch(IdMixin, TenantMixin, Base):
    __tablename__ = "import_batch"
    __table_args__ = (tenant_key("created_by_member_id", "member", ondelete="SET NULL"),)

    source_name: Mapped[str] = mapped_column(String(1000))
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(20))
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_member_id: Mapped[uuid.UUID | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)
