"""Relationship shapes at the HTTP boundary."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from goodwill.pagination import PageInfo


class RelationshipUpdate(BaseModel):
    """What a person may change; stage, phase and health are the engine's to set."""

    model_config = ConfigDict(extra="forbid")

    owner_member_id: uuid.UUID | None = Field(
        default=None, description="a member of the same organisation; null unassigns"
    )
    segment: str | None = Field(default=None, max_length=100, description="null clears")


class RelationshipRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    customer_id: uuid.UUID
    owner_member_id: uuid.UUID | None
    segment: str | None
    stage: str | None
    phase: str | None
    health: float | None
    started_at: datetime | None
    last_interaction_at: datetime | None
    interaction_count: int
    created_at: datetime
    updated_at: datetime


class RelationshipPage(PageInfo):
    items: list[RelationshipRead]
