"""Customer and account shapes at the HTTP boundary."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from goodwill.pagination import PageInfo


class AccountCreate(BaseModel):
    external_id: str | None = Field(default=None, max_length=255)
    name: str = Field(min_length=1, max_length=300)
    domain: str | None = Field(default=None, max_length=255)
    attributes: dict[str, Any] = Field(default_factory=dict)


class AccountUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=300)
    domain: str | None = Field(default=None, max_length=255)
    attributes: dict[str, Any] | None = None


class AccountRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    external_id: str
    name: str
    domain: str | None
    attributes: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class AccountPage(PageInfo):
    items: list[AccountRead]


class CustomerCreate(BaseModel):
    external_id: str | None = Field(default=None, max_length=255)
    name: str | None = Field(default=None, max_length=300)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=50)
    language: str | None = Field(default=None, max_length=16)
    account_id: uuid.UUID | None = None
    owner_member_id: uuid.UUID | None = None
    segment: str | None = Field(default=None, max_length=100)
    attributes: dict[str, Any] = Field(default_factory=dict)


class CustomerUpdate(BaseModel):
    name: str | None = Field(default=None, max_length=300)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=50)
    language: str | None = Field(default=None, max_length=16)
    account_id: uuid.UUID | None = None
    # an object or left out, never null: null was stored and broke every later read (fuzzing)
    attributes: dict[str, Any] = Field(
        default_factory=dict, description="replaces every attribute; {} removes them all"
    )


class CustomerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    external_id: str
    name: str | None
    email: str | None
    phone: str | None
    language: str | None
    account_id: uuid.UUID | None
    attributes: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class CustomerPage(PageInfo):
    items: list[CustomerRead]
