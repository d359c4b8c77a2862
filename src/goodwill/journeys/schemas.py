"""Shapes of the journey map and of the moments of truth, as the API and CLI return them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

Outcome = Literal["decline", "termination"]
Status = Literal["fitted", "not_enough_history", "not_estimable"]
CAVEAT = (
    "association, not causation: a touchpoint type whose hazard ratio is above 1 is followed "
    "by course changes more often than the history otherwise shows; it may mark trouble that "
    "had already begun rather than cause it"
)


class MapCell(BaseModel):
    """One lifecycle phase × touchpoint type over the period."""

    phase: str
    touchpoint: str
    interactions: int
    customers: int
    inbound_messages: int
    sentiment_count: int  # inbound messages with a sentiment analysis
    sentiment_mean: float | None  # their mean score, -1 (negative) to 1 (positive)
    replies_reviewed: int  # outbound replies the coach reviewed
    irritants: int
    irritant_heat: float | None  # irritants per reviewed outbound reply


class JourneyMap(BaseModel):
    organisation_id: str
    period_start: datetime
    period_end: datetime
    phases: list[str]
    touchpoints: list[str]  # most interactions first
    cells: list[MapCell]


class Moment(BaseModel):
    """One touchpoint type's hazard ratio of a course change in the window after it."""

    touchpoint: str
    hazard_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    touches: int
    exposed_events: int  # course changes that followed this touchpoint within the window
    significant: bool  # the 95% interval excludes 1
    direction: Literal["raises", "lowers"]


class Skipped(BaseModel):
    touchpoint: str
    reason: str


class MomentsOfTruth(BaseModel):
    organisation_id: str
    outcome: Outcome
    window_days: int
    status: Status
    message: str
    caveat: str = CAVEAT
    relationships: int  # followed in the model
    events: int  # course changes among them
    rows: int  # counting-process intervals
    controls: list[str]
    items: list[Moment]  # largest effect first
    skipped: list[Skipped]
    computed_at: datetime
