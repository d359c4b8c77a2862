"""JSON routes of the journey map and the moments of truth: for managers and admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from goodwill.dependencies import DbSession, ManagerMember
from goodwill.journeys import service
from goodwill.journeys.schemas import JourneyMap, MomentsOfTruth, Outcome

router = APIRouter(tags=["journeys"])


@router.get("/journeys/map", response_model=JourneyMap)
def journeys_map(
    db: DbSession,
    _: ManagerMember,
    since: datetime | None = None,
    until: datetime | None = None,
) -> JourneyMap:
    """Per lifecycle phase × touchpoint type (default: the last 365 days): interactions,
    customers, mean sentiment of inbound messages, and irritants per reviewed reply."""
    return service.journey_map(db=db, since=since, until=until)


@router.get("/journeys/moments-of-truth", response_model=MomentsOfTruth)
def journeys_moments(
    db: DbSession,
    _: ManagerMember,
    outcome: Outcome = "decline",
    window_days: Annotated[int, Query(ge=1, le=365)] = service.DEFAULT_WINDOW_DAYS,
    refresh: bool = False,
) -> MomentsOfTruth:
    """Touchpoint types after which relationships change course (hazard ratios with 95%
    intervals, from a Cox model on the organisation's history): association, not causation.
    With the default 30-day window the last result of the day is served (``computed_at``)
    unless ``refresh``; another window is always computed."""
    if window_days == service.DEFAULT_WINDOW_DAYS:
        return service.cached_moments(db=db, outcome=outcome, refresh=refresh)
    return service.moments_of_truth(db=db, outcome=outcome, window_days=window_days)
