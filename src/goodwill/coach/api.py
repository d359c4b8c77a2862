"""JSON route of the reply coach: check a draft reply before it is sent."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, status

from goodwill.coach import service, verdicts
from goodwill.coach.engine import Coach
from goodwill.coach.model import Turn
from goodwill.coach.schemas import (
    CoachRequest,
    CoachResponse,
    VerdictCreate,
    VerdictCreated,
    VerdictTally,
)
from goodwill.dependencies import CurrentMember, DbSession, ManagerMember

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
    verdict = verdicts.for_organisation(db=db, verdict=coach.review(draft), reply=body.reply)
    return CoachResponse.model_validate(verdict.to_json())


@router.post("/coach/verdicts", response_model=VerdictCreated, status_code=status.HTTP_201_CREATED)
def give_verdict(db: DbSession, member: CurrentMember, body: VerdictCreate) -> VerdictCreated:
    """An operator's verdict ("right" or "wrong") on one finding: kept with its draft as labelled
    material; a sentence judged wrong repeatedly is muted for the organisation."""
    given = verdicts.VerdictIn(
        customer_message=body.customer_message,
        reply=body.reply,
        category=body.category,
        verdict=body.verdict,
        start=body.start,
        end=body.end,
        relationship_id=body.relationship_id,
    )
    row = verdicts.record(db=db, member=member, given=given, reader=get_coach().reader.name)
    muted = verdicts.is_muted(db=db, category=row.category, key=row.sentence_key)
    return VerdictCreated(id=row.id, muted=muted)


@router.get("/coach/verdicts/summary", response_model=list[VerdictTally])
def verdict_summary(db: DbSession, _: ManagerMember) -> list[VerdictTally]:
    """Per category, how often the organisation's operators found the coach right and wrong."""
    return [VerdictTally.model_validate(t, from_attributes=True) for t in verdicts.summary(db=db)]
