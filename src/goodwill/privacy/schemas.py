"""Shapes of the privacy routes."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field


class ErasureRead(BaseModel):
    customer_id: uuid.UUID
    erased: dict[str, int]


class RetentionRead(BaseModel):
    organisation_id: uuid.UUID
    interaction_days: int | None
    due_now: int = Field(description="interactions the policy would delete if applied now")


class RetentionUpdate(BaseModel):
    interaction_days: int | None = Field(description="keep this many days (>= 30); null: for ever")
