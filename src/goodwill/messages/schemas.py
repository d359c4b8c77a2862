"""The stored analysis of one message, as the API returns it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class FieldAnalysis(BaseModel):
    version: str
    value: Any
    analysed_at: datetime


class EmbeddingInfo(BaseModel):
    model: str
    dimensions: int


class MessageAnalysisRead(BaseModel):
    interaction_id: uuid.UUID
    analysed: bool
    fields: dict[str, FieldAnalysis]
    embedding: EmbeddingInfo | None
