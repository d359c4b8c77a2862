"""Job bookkeeping kept in the database: work waiting for the broker, and dead letters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, utcnow
from goodwill.tenancy import TenantMixin


class JobOutbox(IdMixin, TenantMixin, Base):
    """A job that could not be sent because Redis was unavailable; the worker sends it later.

    The job's only argument is the organisation, so a row says "this organisation has work"."""

    __tablename__ = "job_outbox"
    __table_args__ = (Index(None, "created_at"),)

    actor_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobDeadLetter(IdMixin, TenantMixin, Base):
    """A job that failed on every attempt; an admin can see it and send it again."""

    __tablename__ = "job_dead_letter"
    __table_args__ = (Index(None, "organisation_id", "failed_at"),)

    message_id: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(100))
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int]
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    retried_at: Mapped[datetime | None]
