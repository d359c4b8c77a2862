"""Customers (people) and the accounts (companies) some of them belong to."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, TimestampMixin
from goodwill.tenancy import TenantMixin, tenant_key


class Account(IdMixin, TenantMixin, TimestampMixin, Base):
    """A customer company (B2B); optional."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("organisation_id", "external_id"),)

    external_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(300))
    domain: Mapped[str | None] = mapped_column(String(255))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Customer(IdMixin, TenantMixin, TimestampMixin, Base):
    """A person the organisation serves."""

    __tablename__ = "customer"
    __table_args__ = (
        UniqueConstraint("organisation_id", "external_id"),
        UniqueConstraint("organisation_id", "email"),
        Index(None, "organisation_id", "updated_at"),
        tenant_key("account_id", "account", ondelete="SET NULL"),
    )

    external_id: Mapped[str] = mapped_column(String(255))
    account_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    language: Mapped[str | None] = mapped_column(String(16))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
