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
    # at most 100 years: a larger number reaches past year 1 and cannot be a date (fuzzing found it)
    interaction_days: int | None = Field(
        le=36_500, description="keep this many days (30 to 36,500); null: for ever"
    )
