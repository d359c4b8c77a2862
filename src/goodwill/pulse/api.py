"""JSON routes of the Q12 pulse. Members answer (once per round, anonymously); managers open
rounds and read results, trends and engagement beside customer outcomes. No route takes a
filter narrower than a whole team, and no route returns an individual answer."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi import status as http_status

from goodwill.database import utcnow
from goodwill.dependencies import CurrentMember, DbSession, ManagerMember
from goodwill.pagination import paginate
from goodwill.pulse import results, service
from goodwill.pulse.models import PulseRound
from goodwill.pulse.schemas import (
    AnswerAccepted,
    AnswerCreate,
    EngagementRead,
    RoundCreate,
    RoundPage,
    RoundRead,
    RoundResults,
    TrendsRead,
)

router = APIRouter(tags=["pulse"])


@router.post("/pulse/rounds", response_model=RoundRead, status_code=http_status.HTTP_201_CREATED)
def create_round(db: DbSession, member: ManagerMember, round_in: RoundCreate) -> RoundRead:
    """Open a round for a team or everyone; ``repeat_every_weeks`` schedules the next ones."""
    pulse = service.create_round(db=db, round_in=round_in, member_id=member.id)
    return RoundRead.model_validate(pulse).model_copy(
        update={"is_open": service.is_open(pulse), "can_answer": service.may_answer(pulse, member)}
    )


@router.get("/pulse/rounds", response_model=RoundPage)
def list_rounds(
    db: DbSession, member: CurrentMember, cursor: str | None = None, limit: int = 50
) -> RoundPage:
    """Rounds, newest first, with whether the caller has answered and may answer now."""
    rows, next_cursor = paginate(
        db, service.query_rounds(), keys=[PulseRound.id], cursor=cursor, limit=limit,
        descending=True,
    )  # fmt: skip
    done = service.answered_rounds(db=db, member_id=member.id, round_ids=[r.id for r in rows])
    now = utcnow()
    items = []
    for pulse in rows:
        open_now = service.is_open(pulse, now)
        answered = pulse.id in done
        items.append(
            RoundRead.model_validate(pulse).model_copy(
                update={
                    "is_open": open_now,
                    "answered": answered,
                    "can_answer": open_now and not answered and service.may_answer(pulse, member),
                }
            )
        )
    return RoundPage(items=items, next_cursor=next_cursor)


@router.post(
    "/pulse/rounds/{round_id}/answers",
    response_model=AnswerAccepted,
    status_code=http_status.HTTP_201_CREATED,
)
def answer_round(
    db: DbSession, member: CurrentMember, round_id: uuid.UUID, answer_in: AnswerCreate
) -> AnswerAccepted:
    """The caller's twelve answers, counted without their name; a second answer is a 409."""
    pulse = service.get_round(db=db, round_id=round_id)
    service.answer(db=db, pulse=pulse, member=member, answers=answer_in.answers)
    return AnswerAccepted(
        round_id=pulse.id, detail="thank you: your answers were counted without your name"
    )


@router.get("/pulse/rounds/{round_id}/results", response_model=RoundResults)
def round_results(db: DbSession, _: ManagerMember, round_id: uuid.UUID) -> RoundResults:
    """After the round closes: each team with at least min_group_size answers; the others
    say "fewer than 5 answers: hidden"."""
    return results.round_results(db=db, pulse=service.get_round(db=db, round_id=round_id))


@router.get("/pulse/trends", response_model=TrendsRead)
def pulse_trends(db: DbSession, _: ManagerMember) -> TrendsRead:
    """Per team and for the organisation: each round's question means, in time order."""
    return results.trends(db=db)


@router.get("/pulse/engagement", response_model=EngagementRead)
def pulse_engagement(db: DbSession, _: ManagerMember) -> EngagementRead:
    """Per team, engagement beside the mean health of the relationships its members own."""
    return results.engagement(db=db)
