"""The coach's review of each outbound reply, stored so quality metrics read it in bulk."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, JSONType, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class ReplyReview(TenantMixin, Base):
    """The reply coach's findings on one outbound message, for the coach version that made them.

    ``findings`` holds category, kind, severity, start, end and explanation of each finding (the
    flagged text is the reply's ``body[start:end]``); counts are kept beside them for the metrics.
    """

    __tablename__ = "reply_review"
    __row_key__ = ("interaction_id",)
    __table_args__ = (
        Index(None, "organisation_id", "coach_version"),
        Index(None, "organisation_id", "reviewed_at"),  # what was reviewed since (rollups)
        tenant_key("interaction_id", "interaction", ondelete="CASCADE"),
    )

    interaction_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    coach_version: Mapped[str] = mapped_column(String(40))
    reader: Mapped[str] = mapped_column(String(50))
    word_count: Mapped[int]
    irritant_count: Mapped[int]
    empathy: Mapped[bool]
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)


class QualityDay(TenantMixin, Base):
    """One day's or one hour's service quality, precomputed: what the conversations opened
    that day (UTC; ``hour`` 24) or that hour of it (``hour`` 0 to 23) contribute to every
    metric, per member, as the numbers' running state (a ``quality.rollups`` tally per member
    and metric), so a period's report sums a few rows instead of reading every message of the
    period (whole days from day rows, the partial days at its edges from hour rows).

    ``fingerprint`` names what the day was computed with (the organisation's parameters and
    its reason merges) and ``conversations`` how many conversations were opened that day then:
    a row whose either no longer matches is computed again. Promises are not in here (their
    closing is read per report)."""

    __tablename__ = "quality_day"
    __row_key__ = ("organisation_id", "day", "hour")

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    computed_at: Mapped[datetime]
    fingerprint: Mapped[str] = mapped_column(String(64))
    conversations: Mapped[int]
    tallies: Mapped[dict[str, Any]] = mapped_column(JSONType)


class QualityRollupState(TenantMixin, Base):
    """Until when the organisation's changes (new messages, analyses, reviews, reasons,
    conversation updates) have been looked at and the days they touch forgotten."""

    __tablename__ = "quality_rollup_state"
    __row_key__ = ("organisation_id",)

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    checked_at: Mapped[datetime]
