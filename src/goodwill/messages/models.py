"""Analyses of stored messages, kept beside the immutable interaction and versioned per analyser."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class MessageAnalysis(TenantMixin, Base):
    """One analyser's result for one message; replaced when the analyser's version changes."""

    __tablename__ = "message_analysis"
    __row_key__ = ("interaction_id", "analyser")
    __table_args__ = (
        # not prefixed by organisation_id: with that prefix SQLite's planner started joins at
        # every analysis of an analyser instead of at the few messages asked for
        Index(None, "analyser", "version"),
        Index(None, "organisation_id", "analysed_at"),  # what was analysed since (recompute)
        tenant_key("interaction_id", "interaction", ondelete="CASCADE"),
    )

    interaction_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    analyser: Mapped[str] = mapped_column(String(50), primary_key=True)
    version: Mapped[str] = mapped_column(String(50))
    result: Mapped[dict[str, Any]]
    analysed_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageEmbedding(TenantMixin, Base):
    """A message's sentence embedding (float16 bytes), for similarity and clustering."""

    __tablename__ = "message_embedding"
    __table_args__ = (tenant_key("interaction_id", "interaction", ondelete="CASCADE"),)
    __row_key__ = ("interaction_id",)

    interaction_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(String(100))
    dimensions: Mapped[int]
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    analysed_at: Mapped[datetime] = mapped_column(default=utcnow)
