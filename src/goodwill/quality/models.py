"""The coach's review of each outbound reply, stored so quality metrics read it in bulk."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, JSONType, utcnow
from goodwill.tenancy import TenantMixin


class ReplyReview(TenantMixin, Base):
    """The reply coach's findings on one outbound message, for the coach version that made them.

    ``findings`` holds category, kind, severity, start, end and explanation of each finding (the
    flagged text is the reply's ``body[start:end]``); counts are kept beside them for the metrics.
    """

    __tablename__ = "reply_review"
    __table_args__ = (Index(None, "organisation_id", "coach_version"),)

    interaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True
    )
    coach_version: Mapped[str] = mapped_column(String(40))
    reader: Mapped[str] = mapped_column(String(50))
    word_count: Mapped[int]
    irritant_count: Mapped[int]
    empathy: Mapped[bool]
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
