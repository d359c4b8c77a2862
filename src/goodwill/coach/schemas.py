"""Reply-coach shapes at the HTTP boundary."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

MAX_TEXT = 20_000


class TurnIn(BaseModel):
    direction: Literal["inbound", "outbound"]
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class CoachRequest(BaseModel):
    customer_message: str = Field(min_length=1, max_length=MAX_TEXT)
    reply: str = Field(min_length=1, max_length=MAX_TEXT)
    context: list[TurnIn] = Field(default_factory=list, max_length=50)
    relationship_id: uuid.UUID | None = None


class FindingRead(BaseModel):
    category: str
    kind: Literal["irritant", "strength"]
    start: int | None
    end: int | None
    text: str | None
    severity: Literal["low", "medium", "high"]
    explanation: str
    suggestion: str


class CoachResponse(BaseModel):
    score: int = Field(ge=0, le=100)
    intent: str
    emotion: str
    findings: list[FindingRead]


class VerdictCreate(BaseModel):
    """An operator's verdict on one finding of the coach, with the draft it was found in."""

    customer_message: str = Field(min_length=1, max_length=MAX_TEXT)
    reply: str = Field(min_length=1, max_length=MAX_TEXT)
    category: str = Field(min_length=1, max_length=40)
    verdict: Literal["right", "wrong"]
    start: int | None = Field(default=None, ge=0, le=MAX_TEXT)
    end: int | None = Field(default=None, ge=0, le=MAX_TEXT)
    relationship_id: uuid.UUID | None = None


class VerdictCreated(BaseModel):
    id: uuid.UUID
    muted: bool = Field(description="the coach no longer reports this category on this sentence")


class VerdictTally(BaseModel):
    category: str
    kind: Literal["irritant", "strength"]
    right: int
    wrong: int
    muted_sentences: int
    recent_wrong: list[str] = Field(description="the latest distinct sentences judged wrong")
