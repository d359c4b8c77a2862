"""Q12 pulse tables. Anonymity is in the shape of the data (docs/api.md, "Q12 pulse"):

- ``pulse_tally`` holds answers only as counts per (round, team, question, value): no member,
  no time, no row per person. Every answer updates all sixty rows of its team (most by zero), so
  even the database's own row versions do not show which values the last answer chose.
- ``pulse_participation`` records *that* a member answered a round (one row, no time, a random
  id), only to refuse a second answer; nothing links it to the counts.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, TimestampMixin
from goodwill.tenancy import TenantMixin, tenant_key


class PulseSchedule(IdMixin, TenantMixin, TimestampMixin, Base):
    """Open a new round for a team (or everyone) every N weeks; `goodwill pulse open-due`."""

    __tablename__ = "pulse_schedule"
    __table_args__ = (
        tenant_key("team_id", "team", ondelete="CASCADE"),
        tenant_key("created_by_member_id", "member", ondelete="SET NULL"),
    )

    team_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    every_weeks: Mapped[int]
    open_days: Mapped[int]
    min_group_size: Mapped[int]
    next_open_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(default=True)
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


class PulseRound(IdMixin, TenantMixin, TimestampMixin, Base):
    """One round of the Q12 for a team (``team_id``) or the whole organisation (None)."""

    __tablename__ = "pulse_round"
    __table_args__ = (
        Index(None, "organisation_id", "opens_at"),
        tenant_key("team_id", "team", ondelete="CASCADE"),
        tenant_key("schedule_id", "pulse_schedule", ondelete="SET NULL"),
        tenant_key("created_by_member_id", "member", ondelete="SET NULL"),
    )

    team_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    schedule_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    min_group_size: Mapped[int]
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


class PulseTally(TenantMixin, Base):
    """How many members of a team gave ``value`` to ``question`` in a round."""

    __tablename__ = "pulse_tally"
    __table_args__ = (
        Index(None, "round_id", "team_id"),
        tenant_key("round_id", "pulse_round", ondelete="CASCADE"),
        tenant_key("team_id", "team", ondelete="SET NULL"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    round_id: Mapped[uuid.UUID]
    team_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    question: Mapped[int]
    value: Mapped[int]
    count: Mapped[int] = mapped_column(default=0)


class PulseParticipation(TenantMixin, Base):
    """That a member has answered a round: no time, no answers, a random (not time-ordered) id."""

    __tablename__ = "pulse_participation"
    __table_args__ = (
        UniqueConstraint("round_id", "member_id", "organisation_id"),
        tenant_key("round_id", "pulse_round", ondelete="CASCADE"),
        tenant_key("member_id", "member", ondelete="CASCADE"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    round_id: Mapped[uuid.UUID]
    member_id: Mapped[uuid.UUID] = mapped_column(index=True)
