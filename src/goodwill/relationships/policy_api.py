"""JSON route of the long-term customer policy check (seed 003): ``GET /policy-check``."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, Field
from sqlalchemy.orm import Session

from goodwill import tenancy
from goodwill.dependencies import DbSession, ManagerMember
from goodwill.relationships import policy

router = APIRouter(tags=["relationships"])


class PolicyGroupRead(BaseModel):
    rule: str = Field(description="who is in the group, in words")
    phases: list[str] = Field(description="the lifecycle phases that make up the group, if so")
    customers: int = Field(description="relationships in those phases, started before `to`")


class PolicyGroupValueRead(BaseModel):
    value: float | None = Field(description="median hours, mean score or share; null if none")
    size: int = Field(description="replies, analysed replies or customers behind the value")
    p90: float | None = Field(default=None, description="waiting only: 90th percentile, hours")
    count: int | None = Field(
        default=None,
        description="waiting: turns not answered within 14 days; offers: customers sent one",
    )


class PolicyMetricRead(BaseModel):
    name: str = Field(description="waiting, politeness, trust_signals or offers")
    label: str
    statistic: str = Field(description="median, mean or share")
    long_term: PolicyGroupValueRead
    new: PolicyGroupValueRead
    difference: float | None = Field(description="long-term minus new")
    ratio: float | None = Field(description="waiting only: long-term median over new median")
    test: str = Field(description="mann-whitney-u or fisher-exact (two-sided)")
    p_value: float | None = Field(description="null when a group is too small to test")
    margin: float = Field(description="how much worse long-term customers must be to flag")
    flagged: bool = Field(description="worse by more than the margin, and p below alpha")
    explanation: str = Field(description="one sentence for a manager")
    examples: list[uuid.UUID] = Field(description="up to 5 interactions to look at")


class PolicyCheckRead(BaseModel):
    """Are long-term customers treated worse than new ones (waiting, replies, offers)?"""

    organisation_id: uuid.UUID
    period_from: datetime = Field(serialization_alias="from")
    period_to: datetime = Field(serialization_alias="to")
    flagged: bool = Field(description="true if any metric is flagged")
    groups: dict[str, PolicyGroupRead] = Field(description="long_term and new")
    metrics: list[PolicyMetricRead]


@router.get("/policy-check", response_model=PolicyCheckRead, response_model_by_alias=True)
def get_policy_check(
    db: DbSession,
    _: ManagerMember,
    period_from: Annotated[
        AwareDatetime | None, Query(alias="from", description="default: 90 days before to")
    ] = None,
    period_to: Annotated[
        AwareDatetime | None, Query(alias="to", description="end (excluded); default: now")
    ] = None,
) -> PolicyCheckRead:
    """Compare the organisation's long-term customers with its new ones over the period: time to
    a first reply, politeness and trust signals of those replies, and offers sent; each metric
    with both values, a significance test, ``flagged`` and example interactions."""
    return policy_check_read(db=db, period_from=period_from, period_to=period_to)


def policy_check_read(
    *, db: Session, period_from: datetime | None, period_to: datetime | None
) -> PolicyCheckRead:
    """The check of the organisation the session is scoped to, in its HTTP (and CLI) shape."""
    report = policy.check(db=db, period_from=period_from, period_to=period_to)
    return PolicyCheckRead(
        organisation_id=tenancy.current_organisation_id(db),
        period_from=report.period_from,
        period_to=report.period_to,
        flagged=report.flagged,
        groups={k: PolicyGroupRead.model_validate(v) for k, v in report.groups.items()},
        metrics=[PolicyMetricRead.model_validate(asdict(m)) for m in report.metrics],
    )
