"""The relationship between the organisation and one customer: the central object."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, TimestampMixin
from goodwill.tenancy import TenantMixin


class Relationship(IdMixin, TenantMixin, TimestampMixin, Base):
    """One per customer; its derived state (stage, phase, trust, health) is kept by the engine."""

    __tablename__ = "relationship"
    __table_args__ = (
        Index(None, "organisation_id", "owner_member_id"),
        Index(None, "organisation_id", "updated_at"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), unique=True
    )
    owner_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    segment: Mapped[str | None] = mapped_column(String(100))
    stage: Mapped[str | None] = mapped_column(String(30))
    phase: Mapped[str | None] = mapped_column(String(30))
    health: Mapped[float | None]
    started_at: Mapped[datetime | None]
    last_interaction_at: Mapped[datetime | None]
    interaction_count: Mapped[int] = mapped_column(default=0)
