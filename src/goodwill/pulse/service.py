"""Q12 rounds, their schedules, and anonymous answers.

An answer is stored as +1 on the team's counts of the round (see models.py); the member is
recorded separately as having answered, so a second answer is refused (409) and nothing joins
the two.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.errors import Conflict, NotFound, PermissionDenied
from goodwill.organisations.models import Member, Team
from goodwill.pulse.models import PulseParticipation, PulseRound, PulseSchedule, PulseTally
from goodwill.pulse.questions import Q12, SCALE
from goodwill.pulse.schemas import RoundCreate


def get_team(*, db: Session, team_id: uuid.UUID) -> Team:
    team = db.get(Team, team_id)
    if team is None:
        raise NotFound(f"team {team_id} not found")
    return team


def create_round(*, db: Session, round_in: RoundCreate, member_id: uuid.UUID | None) -> PulseRound:
    """A round (and, with ``repeat_every_weeks``, the schedule that repeats it)."""
    if round_in.team_id is not None:
        get_team(db=db, team_id=round_in.team_id)
    opens_at = round_in.opens_at or utcnow()
    schedule = None
    if round_in.repeat_every_weeks is not None:
        schedule = PulseSchedule(
            team_id=round_in.team_id,
            every_weeks=round_in.repeat_every_weeks,
            open_days=round_in.open_days,
            min_group_size=round_in.min_group_size,
            next_open_at=opens_at + timedelta(weeks=round_in.repeat_every_weeks),
            created_by_member_id=member_id,
        )
        db.add(schedule)
        db.flush()
    pulse = PulseRound(
        team_id=round_in.team_id,
        schedule_id=schedule.id if schedule else None,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(days=round_in.open_days),
        min_group_size=round_in.min_group_size,
        created_by_member_id=member_id,
    )
    db.add(pulse)
    db.flush()
    return pulse


def open_due(*, db: Session, now: datetime | None = None) -> list[PulseRound]:
    """Open one round for every active schedule that is due; safe to run twice (a cron job)."""
    now = now or utcnow()
    due = db.scalars(
        select(PulseSchedule).where(PulseSchedule.active, PulseSchedule.next_open_at <= now)
    )
    opened = []
    for schedule in list(due):
        pulse = PulseRound(
            team_id=schedule.team_id,
            schedule_id=schedule.id,
            opens_at=now,
            closes_at=now + timedelta(days=schedule.open_days),
            min_group_size=schedule.min_group_size,
            created_by_member_id=schedule.created_by_member_id,
        )
        db.add(pulse)
        step = timedelta(weeks=schedule.every_weeks)
        while schedule.next_open_at <= now:  # missed periods are skipped, not caught up
            schedule.next_open_at += step
        opened.append(pulse)
    db.flush()
    return opened


def get_all_schedules(*, db: Session) -> list[PulseSchedule]:
    return list(db.scalars(select(PulseSchedule).order_by(PulseSchedule.created_at)))


def stop_schedule(*, db: Session, schedule_id: uuid.UUID) -> PulseSchedule:
    """No more rounds from this schedule; rounds already opened stay as they are."""
    schedule = db.get(PulseSchedule, schedule_id)
    if schedule is None:
        raise NotFound(f"pulse schedule {schedule_id} not found")
    schedule.active = False
    db.flush()
    return schedule


def query_rounds() -> Select[Any]:
    """All of them (tenancy scopes the organisation); pages are cut by the caller."""
    return select(PulseRound)


def get_round(*, db: Session, round_id: uuid.UUID) -> PulseRound:
    pulse = db.get(PulseRound, round_id)
    if pulse is None:
        raise NotFound(f"pulse round {round_id} not found")
    return pulse


def is_open(pulse: PulseRound, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return pulse.opens_at <= now < pulse.closes_at


def may_answer(pulse: PulseRound, member: Member) -> bool:
    return pulse.team_id is None or pulse.team_id == member.team_id


def answered_rounds(
    *, db: Session, member_id: uuid.UUID, round_ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    stmt = select(PulseParticipation.round_id).where(
        PulseParticipation.member_id == member_id, PulseParticipation.round_id.in_(round_ids)
    )
    return set(db.scalars(stmt))


def answer(*, db: Session, pulse: PulseRound, member: Member, answers: list[int]) -> None:
    """Count ``member``'s twelve answers in the round, once; the member is not stored with them."""
    if not is_open(pulse):
        raise Conflict(f"pulse round {pulse.id} is not open (open {_window(pulse)})")
    if not may_answer(pulse, member):
        raise PermissionDenied("this round is for another team")
    try:
        with db.begin_nested():
            db.add(PulseParticipation(round_id=pulse.id, member_id=member.id))
            db.flush()
    except IntegrityError:
        raise Conflict("you have already answered this round") from None
    _count(db, pulse.id, member.team_id, answers)


def _window(pulse: PulseRound) -> str:
    return f"{pulse.opens_at.isoformat()} to {pulse.closes_at.isoformat()}"


def _team_rows(round_id: uuid.UUID, team_id: uuid.UUID | None) -> ColumnElement[bool]:
    team = PulseTally.team_id.is_(None) if team_id is None else PulseTally.team_id == team_id
    return (PulseTally.round_id == round_id) & team


def _count(db: Session, round_id: uuid.UUID, team_id: uuid.UUID | None, answers: list[int]) -> None:
    """+1 on the chosen value of each question; every row of the team is written (most +0).
    The round row is locked first so two first answers of a team cannot both create its rows
    (SQLite holds the write lock already, from the participation row)."""
    db.execute(select(PulseRound.id).where(PulseRound.id == round_id).with_for_update())
    exists = db.scalar(select(PulseTally.id).where(_team_rows(round_id, team_id)).limit(1))
    if exists is None:
        low, high = SCALE
        db.add_all(
            PulseTally(round_id=round_id, team_id=team_id, question=q.number, value=v, count=0)
            for q in Q12
            for v in range(low, high + 1)
        )
        db.flush()
    chosen = case(
        {q.number: a for q, a in zip(Q12, answers, strict=True)}, value=PulseTally.question
    )
    db.execute(
        update(PulseTally)
        .where(_team_rows(round_id, team_id))
        .values(count=PulseTally.count + case((PulseTally.value == chosen, 1), else_=0)),
        execution_options={"synchronize_session": False},
    )
