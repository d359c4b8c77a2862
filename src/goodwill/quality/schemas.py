"""Shapes of the service-quality API: metrics beside speed, definitions, drill-downs, coaching."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel

GroupBy = Literal["member", "team", "organisation"]


def _within_reason(value: datetime | None) -> datetime | None:
    """A report's period lies between 1970 and 9000: the default window reaches back from
    ``period_end``, and from the year 1 it would fall off the calendar (fuzzing found a 500)."""
    if value is not None and not 1970 <= value.year <= 9000:
        raise ValueError("give a time between the years 1970 and 9000")
    return value


PeriodBound = Annotated[datetime | None, AfterValidator(_within_reason)]


class MetricValueRead(BaseModel):
    value: float | None
    count: int
    numerator: float | None = None
    denominator: float | None = None
    notes: dict[str, int] = {}


class GroupMetrics(BaseModel):
    """One member, team or the organisation: its speed metrics beside its quality metrics."""

    member_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    label: str
    speed: dict[str, MetricValueRead]
    quality: dict[str, MetricValueRead]


class MetricsReport(BaseModel):
    period_start: datetime
    period_end: datetime
    as_of: datetime
    group_by: GroupBy
    parameters: dict[str, float | int]
    items: list[GroupMetrics]


class DefinitionRead(BaseModel):
    name: str
    title: str
    kind: Literal["speed", "quality"]
    unit: str
    aggregation: Literal["median", "mean", "ratio"]
    better: Literal["lower", "higher"]
    formula: str
    population: str
    attribution: str
    parameters: dict[str, float | int]
    recalibrates: list[str]
    caveats: list[str]
    scale: float


class DefinitionList(BaseModel):
    """The definitions in force for this organisation (its parameter values filled in)."""

    organisation_id: uuid.UUID
    items: list[DefinitionRead]


class ContributionRead(BaseModel):
    metric: str
    member_id: uuid.UUID | None
    numerator: float
    denominator: float
    value: float | None
    detail: dict[str, Any]


class DrillItem(BaseModel):
    """A conversation (or a promise made outside one) and what it adds to each metric."""

    conversation_id: uuid.UUID | None
    contributions: list[ContributionRead]


class DrillPage(BaseModel):
    metric: str | None
    period_start: datetime
    period_end: datetime
    items: list[DrillItem]
    next_cursor: str | None


class ExampleRead(BaseModel):
    interaction_id: uuid.UUID
    conversation_id: uuid.UUID | None
    occurred_at: datetime
    severity: str | None
    start: int | None
    end: int | None
    text: str | None
    explanation: str | None


class CategoryRead(BaseModel):
    category: str
    count: int
    replies_with_it: int
    share_of_replies: float
    examples: list[ExampleRead]


class WeekRead(BaseModel):
    week: str
    replies: int
    words: int
    irritants: dict[str, int]
    strengths: dict[str, int]
    irritant_density: float | None


class CoachingRead(BaseModel):
    """One member's irritant patterns over time, from the coach's reviews of their replies."""

    member_id: uuid.UUID
    period_start: datetime
    period_end: datetime
    replies: int
    reviewed_replies: int
    weeks: list[WeekRead]
    categories: list[CategoryRead]
