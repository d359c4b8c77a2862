"""Organisations (tenants), their teams, the people who sign in, and their credentials."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goodwill.database import Base, IdMixin, JSONType, TimestampMixin, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class Organisation(IdMixin, TimestampMixin, Base):
    """A tenant: every other record belongs to exactly one organisation."""

    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    email_domains: Mapped[list[str]] = mapped_column(JSONType, default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Team(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))


class UserAccount(IdMixin, TimestampMixin, Base):
    """A person who signs in; may be a member of several organisations."""

    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]


class Member(IdMixin, TenantMixin, TimestampMixin, Base):
    """A user's membership of one organisation, with a role and optionally a team."""

    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id"),
        tenant_key("team_id", "team", ondelete="SET NULL"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    team_id: Mapped[uuid.UUID | None]
    role: Mapped[str] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[UserAccount] = relationship(lazy="joined")


class ApiToken(IdMixin, TenantMixin, Base):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    __table_args__ = (
        UniqueConstraint("token_hash", "organisation_id"),
        tenant_key("member_id", "member", ondelete="CASCADE"),
    )

    member_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class WebSession(IdMixin, Base):
    """A signed-in browser session; only the SHA-256 of the cookie value is stored."""

    __tablename__ = "web_session"

    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    current_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class WebhookEndpoint(IdMixin, TenantMixin, Base):
    """An inbound webhook credential; its HMAC secret is derived from the server key and salt."""

    __tablename__ = "webhook_endpoint"

    name: Mapped[str] = mapped_column(String(200))
    secret_salt: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
