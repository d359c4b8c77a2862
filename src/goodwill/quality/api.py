"""JSON routes of service quality: metrics beside speed, their definitions, the conversations
behind them, and a member's coaching view. Members see their own and their team's numbers;
managers see everyone's (see ``reports``)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from goodwill.dependencies import CurrentMember, DbSession
from goodwill.quality import definitions, reports, service
from goodwill.quality.schemas import (
    CoachingRead,
    DefinitionList,
    DefinitionRead,
    DrillPage,
    GroupBy,
    MetricsReport,
    PeriodBound,
)
from goodwill.quality.service import Window
from goodwill.tenancy import current_organisation_id

router = APIRouter(tags=["quality"])


@router.get("/quality/metrics", response_model=MetricsReport)
def quality_metrics(
    db: DbSession,
    member: CurrentMember,
    period_start: PeriodBound = None,
    period_end: PeriodBound = None,
    group_by: GroupBy = "member",
) -> MetricsReport:
    """Per member, team or the organisation, for the conversations opened in the period
    (default: the last 28 days): first response and handling time beside the quality metrics."""
    window = Window.of(period_start, period_end)
    return reports.metrics_report(db=db, caller=member, window=window, group_by=group_by)


@router.get("/quality/definitions", response_model=DefinitionList)
def quality_definitions(db: DbSession, _: CurrentMember) -> DefinitionList:
    """Every metric's formula, population, attribution and this organisation's parameters."""
    items = definitions.described(service.parameters(db=db))
    return DefinitionList(
        organisation_id=current_organisation_id(db),
        items=[DefinitionRead.model_validate(i) for i in items],
    )


@router.get("/quality/conversations", response_model=DrillPage)
def quality_conversations(
    db: DbSession,
    member: CurrentMember,
    metric: str | None = None,
    member_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
    period_start: PeriodBound = None,
    period_end: PeriodBound = None,
    cursor: str | None = None,
    limit: int = 50,
) -> DrillPage:
    """The conversations behind a metric (all metrics without ``metric``), with what each
    contributes for the member or team asked for; in conversation order, paginated."""
    return reports.drill_down(
        db=db,
        caller=member,
        window=Window.of(period_start, period_end),
        metric=metric,
        member_id=member_id,
        team_id=team_id,
        cursor=cursor,
        limit=limit,
    )


@router.get("/quality/coaching/{member_id}", response_model=CoachingRead)
def quality_coaching(
    db: DbSession,
    member: CurrentMember,
    member_id: uuid.UUID,
    period_start: PeriodBound = None,
    period_end: PeriodBound = None,
) -> CoachingRead:
    """A member's irritants per week and per category with example replies (default: the last
    12 weeks); for the member and their managers."""
    window = Window.of(period_start, period_end, days=84)
    return reports.coaching_view(db=db, caller=member, member_id=member_id, window=window)
