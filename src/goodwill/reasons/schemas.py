"""Contact-reason shapes at the HTTP boundary."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

NAME = Field(min_length=1, max_length=200, description="a short name managers recognise")
COMPANY_VALUE = Field(
    default=None,
    ge=-1.0,
    le=1.0,
    description="value of this reason to the company, −1 … 1; null = derive from outcomes",
)


class ReasonCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = NAME
    description: str | None = Field(default=None, max_length=2000)
    company_value: float | None = COMPANY_VALUE


class ReasonUpdate(BaseModel):
    """Rename, describe, or configure the value to the company; fields left out stay."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    company_value: float | None = COMPANY_VALUE


class ReasonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    company_value: float | None
    created_at: datetime
    merged_into_id: uuid.UUID | None
    example_count: int = 0
    message_count: int = 0


class ReasonList(BaseModel):
    items: list[ReasonRead]


class ReasonMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into_reason_id: uuid.UUID = Field(description="the reason that absorbs this one")


class ReasonSplit(BaseModel):
    """A new reason taking some of this reason's examples and messages."""

    model_config = ConfigDict(extra="forbid")

    name: str = NAME
    example_ids: list[uuid.UUID] = Field(default_factory=list, max_length=10_000)
    interaction_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=10_000,
        description="messages now of this reason that move (as a manager's label)",
    )


class ExampleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=5000)
    reason: str = Field(min_length=1, max_length=200, description="a reason's name")


class ExampleImportRead(BaseModel):
    added: int
    reasons_created: list[str]


class ModelRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version: int
    trained_at: datetime
    example_count: int
    threshold: float
    reasons: list[str]


class TrainingRead(BaseModel):
    """A training request: ``queued``, ``training``, ``done`` (``model`` is the model it made)
    or ``failed`` (``error`` says why and what to do)."""

    id: uuid.UUID
    state: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    model: ModelRead | None


class ClassifyRequest(BaseModel):
    """Either ``texts`` (answered, nothing stored) or ``stored: true`` (the organisation's
    inbound messages, all or only those without a reason yet; managers only)."""

    model_config = ConfigDict(extra="forbid")

    texts: list[str] = Field(default_factory=list, max_length=1000)
    stored: bool = False
    only_new: bool = Field(default=False, description="with stored: skip messages with a reason")


class PredictionRead(BaseModel):
    row: int
    reason: str
    confidence: float


class ClassifyRead(BaseModel):
    model_version: int
    predictions: list[PredictionRead] = Field(default_factory=list)
    classified: int = 0
    kept_manual: int = 0


class DiscoverRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    k: int | None = Field(default=None, ge=2, le=500, description="null = chosen automatically")
    limit: int = Field(default=10_000, ge=2, le=50_000, description="newest messages first")


class TypicalMessage(BaseModel):
    interaction_id: uuid.UUID
    text: str


class GroupRead(BaseModel):
    cluster: int
    label: str
    size: int
    typical: list[TypicalMessage]
    interaction_ids: list[uuid.UUID]


class DiscoverRead(BaseModel):
    messages: int
    groups: list[GroupRead]


class DiscoveryAccept(BaseModel):
    """A discovered group kept as a reason (named by the manager; an existing name adds to it)."""

    model_config = ConfigDict(extra="forbid")

    name: str = NAME
    interaction_ids: list[uuid.UUID] = Field(min_length=1, max_length=10_000)


class MessageReasonUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason_id: uuid.UUID | None = Field(description="null removes the manager's label")


class MessageReasonRead(BaseModel):
    interaction_id: uuid.UUID
    reason_id: uuid.UUID | None
    reason: str
    confidence: float | None
    manual: bool
    model_id: uuid.UUID | None
    assigned_at: datetime | None


class ThresholdsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    customer: float = Field(description="above: valuable to the customer; else an irritant")
    company: float = Field(description="above: valuable to the company; else a cost")
    repeat_days: int
    outcome_days: int
    effort_high: float = Field(description="customer messages per conversation that score −1")


class EvidenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    customer_components: dict[str, float]
    mean_sentiment: float | None
    negative_emotion_share: float | None
    repeat_rate: float | None
    messages_per_conversation: float | None
    resolution_rate: float | None
    customers: int
    customers_positive_after: int
    customers_negative_after: int
    sample_interaction_ids: list[uuid.UUID]


class CellRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reason_id: uuid.UUID
    name: str
    volume: int
    previous_volume: int
    trend: float | None
    customer_value: float | None
    company_value: float | None
    company_value_source: str
    quadrant: str | None
    action: str | None
    evidence: EvidenceRead


class GridRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    period_from: datetime
    period_to: datetime
    thresholds: ThresholdsRead
    cells: list[CellRead]
    unknown_volume: int
    quadrant_help: dict[str, str]
