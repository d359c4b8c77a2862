"""Shapes for sign-in, members, tokens and the organisation's e-mail domains."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from goodwill.types import Role


class LoginIn(BaseModel):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1000)


class MeRead(BaseModel):
    member_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    display_name: str
    role: Role
    organisation_id: uuid.UUID
    organisation_name: str


class LoginOut(MeRead):
    csrf_token: str


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    display_name: str
    role: Role
    team_id: uuid.UUID | None
    is_active: bool


class MemberCreate(BaseModel):
    email: str = Field(min_length=3, max_length=320)
    display_name: str = Field(default="", max_length=200)
    password: str | None = Field(default=None, max_length=1000)
    role: Role = Role.AGENT
    team: str | None = Field(default=None, max_length=200)


class RoleUpdate(BaseModel):
    role: Role


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class ApiTokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreated(ApiTokenRead):
    token: str = Field(description="shown once; only its hash is stored")


class EmailDomainsUpdate(BaseModel):
    """The organisation's e-mail domains: mail from an address at one of them (or a subdomain)
    is its team's, not a customer's, in e-mail imports."""

    domains: list[str] = Field(
        max_length=50,
        description="domain names; stored lower-case, internationalised ones in their ASCII "
        "(xn--) form",
        examples=[["northwind.example", "bücher.example"]],
    )


class EmailDomainsRead(EmailDomainsUpdate):
    organisation_id: uuid.UUID
