"""Relationship shapes at the HTTP boundary."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

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
    risk: float | None = Field(
        default=None,
        description="probability the relationship ends within the risk model's horizon "
        "(GET /risk); null until the organisation has enough ended relationships to learn from",
    )
    started_at: datetime | None
    last_interaction_at: datetime | None
    interaction_count: int
    evidence: list[dict[str, Any]] | None = Field(
        default=None,
        validation_alias="stage_evidence",
        description="why the engine chose the current stage and phase",
    )
    computed_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class RelationshipPage(PageInfo):
    items: list[RelationshipRead]


class CommitmentCreate(BaseModel):
    """A promise entered by hand."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, description="what was promised")
    due_at: AwareDatetime | None = Field(default=None, description="when it falls due")
    owner_member_id: uuid.UUID | None = Field(
        default=None, description="who made the promise; default: the relationship's owner"
    )


class CommitmentUpdate(BaseModel):
    """Close a promise by hand."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["kept", "kept_late", "broken"]


class CommitmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    relationship_id: uuid.UUID
    interaction_id: uuid.UUID | None
    owner_member_id: uuid.UUID | None
    text: str
    due_at: datetime | None
    status: str
    closed_at: datetime | None
    closed_by_interaction_id: uuid.UUID | None
    created_at: datetime


class CommitmentPage(PageInfo):
    items: list[CommitmentRead]


class StageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    stage: str
    phase: str
    evidence: list[dict[str, Any]]
    valid_from: datetime


class StageHistoryPage(PageInfo):
    items: list[StageRead]


class ScoreHistoryRead(BaseModel):
    """The scores as computed at ``computed_at`` (a row only when one moved by a point or more)."""

    model_config = ConfigDict(from_attributes=True)

    computed_at: datetime
    health: float | None
    scores: dict[str, float] = Field(
        description="reliability, predictability, accountability, dependability, connection, health"
    )


class ScoreHistoryPage(PageInfo):
    items: list[ScoreHistoryRead]


class ScoreRead(BaseModel):
    """A 0–100 score and the evidence behind it."""

    score: float = Field(ge=0, le=100)
    evidence: list[dict[str, Any]] = Field(
        description="items {signal, value, reason, interaction_id?}: what moved the score"
    )


class ConnectionRead(BaseModel):
    """High-quality connection (Dutton and Ragins): the mean of its three parts."""

    score: float = Field(ge=0, le=100)
    carrying_capacity: ScoreRead
    tensility: ScoreRead
    connectivity: ScoreRead


class HealthComponent(BaseModel):
    name: str
    value: float = Field(description="the component's own 0–100 score")
    weight: float
    contribution: float = Field(description="value × weight / total weight; they add up")


class HealthRead(BaseModel):
    score: float = Field(ge=0, le=100)
    components: list[HealthComponent]
    weights: dict[str, float] = Field(
        description="the organisation's weights (settings ``health_weights``, else defaults)"
    )


class AliveRead(BaseModel):
    """Whether a purchasing customer is still a customer, from the organisation's BG/NBD fit."""

    p_alive: float = Field(ge=0, le=1, description="probability the customer is still active")
    expected_purchases_12w: float = Field(description="expected repeat purchases, next 12 weeks")
    frequency: int = Field(description="repeat purchases (purchase days after the first)")
    recency_weeks: float = Field(description="weeks from the first to the last purchase")
    T_weeks: float = Field(description="weeks from the first purchase to the fit")
    model: Literal["bgnbd", "paretonbd"]
    segment: str = Field(
        default="all", description="the segment whose fit produced it; all: organisation-wide"
    )


class TrustRead(BaseModel):
    """Trust pillars (seed 000), connection and the health score with its breakdown."""

    pillars: dict[str, ScoreRead]
    connection: ConnectionRead
    health: HealthRead
    alive: AliveRead | None = Field(
        default=None, description="purchase relationships only, once the organisation is fitted"
    )
    computed_at: datetime | None = None


class AliveSegmentFitRead(BaseModel):
    """One segment's own "still alive" fit, or why it uses the organisation-wide one."""

    model: Literal["bgnbd", "paretonbd"] = "bgnbd"
    status: Literal["fitted", "not_enough_data", "failed"]
    reason: str | None = None
    params: dict[str, float] | None = Field(
        default=None, description="r, alpha, a, b (BG/NBD) or r, alpha, s, beta (Pareto/NBD)"
    )
    standard_errors: dict[str, float] | None = None
    log_likelihood: float | None = None
    customers: int = Field(default=0, description="purchasing customers in the fit")
    fitted_at: datetime | None = None
    checked_at: datetime | None = Field(default=None, description="when the fit was last tried")


class AliveFitRead(AliveSegmentFitRead):
    """The organisation's "still alive" fit, or why it has none (``reason``), and its
    per-segment fits when the organisation asks for them (settings ``alive_model``)."""

    organisation_id: uuid.UUID
    status: Literal["fitted", "not_enough_data", "failed", "missing"]  # type: ignore[assignment]
    by_segment: bool = False
    min_customers: int = 30
    segments: dict[str, AliveSegmentFitRead] = Field(default_factory=dict)


class NextConversationRead(BaseModel):
    """A task for the relationship's owner: who to talk to, why, by when, and how to open."""

    model_config = ConfigDict(from_attributes=True)

    relationship_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str | None
    owner_member_id: uuid.UUID | None
    task_id: str = Field(
        description="stable while the occasion lasts (the promise, the complaint, the gap): "
        "what to send to mark it done, dismiss or snooze it"
    )
    kind: str = Field(description="the playbook rule that produced it")
    priority: int = Field(description="1 is most urgent")
    due_at: datetime
    reason: str
    suggested_opening: str = Field(description="a first sentence to adapt, not to send as is")
    evidence: list[dict[str, Any]] = Field(
        description="items naming the interaction_id, commitment_id or cadence behind the task"
    )


class NextConversationList(BaseModel):
    items: list[NextConversationRead]


class TaskActionCreate(BaseModel):
    """Mark a next-conversation task done, dismiss it, or snooze it until a time."""

    model_config = ConfigDict(extra="forbid")

    task_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    action: Literal["done", "dismissed", "snoozed"]
    until: AwareDatetime | None = Field(default=None, description="required to snooze")
    note: str | None = Field(default=None, max_length=2000)


class TaskActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    relationship_id: uuid.UUID
    task_id: str
    kind: str
    action: str
    until: datetime | None
    note: str | None
    member_id: uuid.UUID | None
    created_at: datetime


class TaskActionPage(PageInfo):
    items: list[TaskActionRead]


class RiskModelRead(BaseModel):
    """The organisation's termination-risk model: how well it ranks, on a time-based holdout,
    and what it weighs; or why there is none yet."""

    organisation_id: uuid.UUID
    status: Literal["fitted", "weak", "missing"] = Field(
        description="weak: trained, but its holdout AUC is below 0.6, so nothing is scored"
    )
    reason: str | None = None
    trained_at: datetime | None = None
    checked_at: datetime | None = None
    horizon_days: float | None = None
    summary: dict[str, Any] = Field(
        default_factory=dict,
        description="holdout_auc (area under the ROC curve on the last snapshot whose outcome is "
        "known, never seen in training), holdout_relationships, holdout_ended, train_snapshots, "
        "fitted_snapshots (at most 200,000: beyond, sampled by class), train_ended, cutoffs",
    )
    weights: dict[str, float] = Field(
        default_factory=dict,
        description="per feature, its coefficient on standardised values (positive: more risk)",
    )


class RiskFactor(BaseModel):
    feature: str
    value: float = Field(description="the model's input (counts and days are log1p-scaled)")
    push: float = Field(description="its push on the log-odds of ending: positive raises risk")


class RelationshipRiskRead(BaseModel):
    status: Literal["fitted", "missing", "ended"]
    probability: float | None = Field(description="P(the relationship ends within the horizon)")
    factors: list[RiskFactor] = Field(description="strongest push first")
