"""Shapes of the job queue's routes: health and dead letters."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict


class HealthRead(BaseModel):
    status: Literal["ok", "degraded", "unavailable"]
    database: Literal["ok", "unavailable"]
    redis: Literal["ok", "unavailable", "not_configured"]
    queue_depth: int | None  # jobs waiting or running on Redis
    pending: int | None  # jobs kept in the database while Redis is unavailable
    dead_letters: int | None  # jobs that failed every retry and were not sent again


class DeadLetterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organisation_id: uuid.UUID
    actor_name: str
    error: str
    attempts: int
    failed_at: datetime
    retried_at: datetime | None
