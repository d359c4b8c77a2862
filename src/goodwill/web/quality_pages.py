"""The quality pages, on goodwill.quality's reports: speed beside service quality per member,
team or the organisation (what a caller may see is decided by ``quality.reports``), the metrics'
definitions, the conversations behind a number, and a member's coaching view."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast, get_args

from fastapi import APIRouter, Request
from fastapi.responses import Response

from goodwill.errors import InvalidInput
from goodwill.quality import definitions, reports
from goodwill.quality import service as quality_service
from goodwill.quality.schemas import GroupBy
from goodwill.quality.service import Window
from goodwill.types import Role
from goodwill.web.audit import viewed
from goodwill.web.auth import CurrentPage, PageDb, PageRoute
from goodwill.web.render import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
GROUPS: tuple[str, ...] = get_args(GroupBy)


def metric_value(value: float | None, name: str) -> str:
    """A metric's value as a person reads it: '42 %', '3.5 h', '1.2 per 100 words'."""
    if value is None:
        return "—"
    found = definitions.BY_NAME[name]
    if found.unit == "share":
        return f"{100 * value:.0f} %"
    if found.unit == "hours":
        return f"{value:.1f} h"
    return f"{value * found.scale:.2f}"


def _window(params: dict[str, str], days: int) -> Window:
    def day(name: str) -> datetime | None:
        raw = params.get(name, "").strip()
        if not raw:
            return None
        try:
            return datetime.combine(date.fromisoformat(raw), time(), tzinfo=UTC)
        except ValueError:
            raise InvalidInput(f"{name}: give a date as YYYY-MM-DD") from None

    end = day("to")
    return Window.of(day("from"), end + timedelta(days=1) if end else None, days=days)


def _dates(window: Window) -> dict[str, str]:
    last = window.end - timedelta(microseconds=1)
    return {"period_from": window.start.date().isoformat(), "period_to": last.date().isoformat()}


@router.get("/quality", response_model=None)
def quality_page(request: Request, db: PageDb, page: CurrentPage) -> Response:
    params = dict(request.query_params)
    raw = params.get("group_by", "member")
    if raw not in GROUPS:
        raise InvalidInput(f"group_by: one of {', '.join(GROUPS)}")
    group_by = cast(GroupBy, raw)
    window = _window(params, quality_service.DEFAULT_DAYS)
    report = reports.metrics_report(db=db, caller=page.member, window=window, group_by=group_by)
    defs = definitions.described(quality_service.parameters(db=db))
    context: dict[str, Any] = {
        **page.values("quality"),
        **_dates(window),
        "report": report,
        "group_by": group_by,
        "groups": GROUPS if page.allows(Role.MANAGER) else ("member", "team"),
        "speed": [x for x in definitions.DEFINITIONS if x.kind == "speed"],
        "quality": [x for x in definitions.DEFINITIONS if x.kind == "quality"],
        "defs": defs,
        "metric_value": metric_value,
    }
    return render(request, "quality.html", context)


@router.get("/quality/conversations", response_model=None)
def quality_conversations(request: Request, db: PageDb, page: CurrentPage) -> Response:
    """The conversations behind a number (one page of up to 100)."""
    params = dict(request.query_params)

    def an_id(name: str) -> uuid.UUID | None:
        raw = params.get(name, "")
        try:
            return uuid.UUID(raw) if raw else None
        except ValueError:
            raise InvalidInput(f"{name}: not an id") from None

    window = _window(params, quality_service.DEFAULT_DAYS)
    found = reports.drill_down(
        db=db,
        caller=page.member,
        window=window,
        metric=params.get("metric") or None,
        member_id=an_id("member_id"),
        team_id=an_id("team_id"),
        cursor=params.get("cursor") or None,
        limit=100,
    )
    context = {
        **page.values("quality"),
        **_dates(window),
        "found": found,
        "params": params,
        "titles": {x.name: x.title for x in definitions.DEFINITIONS},
        "metric_value": metric_value,
    }
    return render(request, "quality_conversations.html", context)


@router.get("/quality/coaching/{member_id}", response_model=None)
def coaching_page(
    request: Request, db: PageDb, page: CurrentPage, member_id: uuid.UUID
) -> Response:
    """A member's irritants per week and per category (for them and their managers)."""
    window = _window(dict(request.query_params), 84)
    found = reports.coaching_view(db=db, caller=page.member, member_id=member_id, window=window)
    who = quality_service.people(db=db).member_names.get(member_id, "?")
    route = "GET /quality/coaching/{member_id}"
    viewed(request, page, target_type="quality", target_id=member_id, route=route)
    context = {**page.values("quality"), **_dates(window), "found": found, "who": who}
    return render(request, "quality_coaching.html", context)
