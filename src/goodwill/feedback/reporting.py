"""Loads the facts the loop metrics are computed from (``metrics.py`` stays pure).

A suggestion's team is the team of the member who owns the customer's relationship, else of the
idea's owner; a shipped idea's team is its owner's team.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goodwill import tenancy
from goodwill.feedback import metrics
from goodwill.feedback.models import Idea, IdeaStatusChange, LoopDraft, Suggestion
from goodwill.organisations.models import Member, Team
from goodwill.relationships.models import Relationship


def _teams(db: Session) -> dict[uuid.UUID, uuid.UUID | None]:
    return {m.id: m.team_id for m in db.scalars(select(Member))}


def suggestion_facts(
    *, db: Session, start: datetime | None, end: datetime | None
) -> list[metrics.SuggestionFact]:
    heard = (
        select(
            LoopDraft.idea_id, LoopDraft.customer_id, func.min(LoopDraft.sent_at).label("sent_at")
        )
        .where(LoopDraft.state == "sent")
        .group_by(LoopDraft.idea_id, LoopDraft.customer_id)
        .subquery()
    )
    stmt = (
        select(Suggestion.suggested_at, heard.c.sent_at, Relationship.owner_member_id, Idea)
        .join(Idea, Idea.id == Suggestion.idea_id)
        .outerjoin(Relationship, Relationship.customer_id == Suggestion.customer_id)
        .outerjoin(
            heard,
            (heard.c.idea_id == Suggestion.idea_id)
            & (heard.c.customer_id == Suggestion.customer_id),
        )
    )
    if start is not None:
        stmt = stmt.where(Suggestion.suggested_at >= start)
    if end is not None:
        stmt = stmt.where(Suggestion.suggested_at < end)
    teams = _teams(db)
    facts = []
    for suggested_at, sent_at, owner, idea in db.execute(stmt):
        member = owner or idea.owner_member_id
        team = teams.get(member) if member is not None else None
        facts.append(metrics.SuggestionFact(suggested_at, sent_at, team))
    return facts


def shipped_facts(
    *, db: Session, start: datetime | None, end: datetime | None
) -> list[metrics.ShippedFact]:
    with_customers = select(Suggestion.idea_id).distinct()
    stmt = (
        select(IdeaStatusChange.changed_at, Idea)
        .join(Idea, Idea.id == IdeaStatusChange.idea_id)
        .where(IdeaStatusChange.to_status == "shipped", Idea.id.in_(with_customers))
    )
    if start is not None:
        stmt = stmt.where(IdeaStatusChange.changed_at >= start)
    if end is not None:
        stmt = stmt.where(IdeaStatusChange.changed_at < end)
    teams = _teams(db)
    return [
        metrics.ShippedFact(
            idea.id,
            changed_at,
            teams.get(idea.owner_member_id) if idea.owner_member_id else None,
        )
        for changed_at, idea in db.execute(stmt)
    ]


def loop_metrics(
    *,
    db: Session,
    start: datetime | None,
    end: datetime | None,
    period: metrics.Period = "month",
) -> dict[str, Any]:
    """Overall, by period and by team (with the team's name)."""
    suggestions = suggestion_facts(db=db, start=start, end=end)
    shipped = shipped_facts(db=db, start=start, end=end)
    names = {str(t.id): t.name for t in db.scalars(select(Team))}
    teams = [
        row | {"team_name": names.get(row["team_id"] or "")}
        for row in metrics.by_team(suggestions, shipped)
    ]
    return {
        "organisation_id": tenancy.current_organisation_id(db),
        "period_from": start,
        "period_to": end,
        "overall": metrics.summary(suggestions, shipped),
        "by_period": metrics.by_period(suggestions, shipped, period),
        "by_team": teams,
    }
