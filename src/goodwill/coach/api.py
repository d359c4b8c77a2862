"""JSON route of the reply coach: check a draft reply before it is sent."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter

from goodwill.coach import service
from goodwill.coach.engine import Coach
from goodwill.coach.model import Turn
from goodwill.coach.schemas import CoachRequest, CoachResponse
from goodwill.dependencies import CurrentMember, DbSession

router = APIRouter(tags=["coach"])


@cache
def get_coach() -> Coach:
    """One coach per process: its reader and catalogue load once."""
    return Coach()


@router.post("/coach", response_model=CoachResponse)
def coach_reply(db: DbSession, _: CurrentMember, body: CoachRequest) -> CoachResponse:
    """Micro-irritants and strengths of a draft reply, with a 0–100 relational-quality score."""
    coach = get_coach()
    draft = service.build_draft(
        db=db,
        customer_message=body.customer_message,
        reply=body.reply,
        context=[Turn(t.direction, t.text) for t in body.context],
        relationship_id=body.relationship_id,
        reader=coach.reader,
    )
    return CoachResponse.model_validate(coach.review(draft).to_json())
