"""Q12 pulse rounds, members in teams, and their (anonymous) answers."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import utcnow
from goodwill.organisations import service as organisation_service
from goodwill.organisations.models import Member, Team
from goodwill.pulse import service
from goodwill.pulse.models import PulseRound
from goodwill.pulse.schemas import RoundCreate
from goodwill.types import Role
from tests.factories.customers import org_session
from tests.factories.organisations import PASSWORD, OrgContext


def team_member(
    factory: sessionmaker[Session],
    org: OrgContext,
    email: str,
    team: str | None,
    role: Role = Role.AGENT,
) -> tuple[uuid.UUID, str]:
    """A member of ``team`` (created if new) with an API token: (member id, token)."""
    session = factory()
    tenancy.scope(session, org.organisation_id)
    user = organisation_service.get_or_create_user(
        db=session, email=email, display_name=email, password=PASSWORD
    )
    member = organisation_service.add_member(db=session, user=user, role=role, team_name=team)
    _, token = organisation_service.create_api_token(db=session, member=member, name="tests")
    session.commit()
    session.close()
    return member.id, token


def team_id(factory: sessionmaker[Session], org: OrgContext, name: str) -> uuid.UUID:
    with org_session(factory, org) as db:
        return organisation_service.get_or_create_team(db=db, name=name).id


def make_round(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    team: uuid.UUID | None = None,
    min_group_size: int = 5,
    repeat_every_weeks: int | None = None,
) -> PulseRound:
    round_in = RoundCreate(
        team_id=team, min_group_size=min_group_size, repeat_every_weeks=repeat_every_weeks
    )
    with org_session(factory, org) as db:
        return service.create_round(db=db, round_in=round_in, member_id=org.admin_member_id)


def answer(
    factory: sessionmaker[Session],
    org: OrgContext,
    round_id: uuid.UUID,
    member_id: uuid.UUID,
    answers: list[int],
) -> None:
    with org_session(factory, org) as db:
        pulse = service.get_round(db=db, round_id=round_id)
        member = db.get(Member, member_id)
        assert member is not None
        service.answer(db=db, pulse=pulse, member=member, answers=answers)


def close_round(factory: sessionmaker[Session], org: OrgContext, round_id: uuid.UUID) -> None:
    """End the round now (as if its time had passed)."""
    with org_session(factory, org) as db:
        db.execute(
            update(PulseRound)
            .where(PulseRound.id == round_id)
            .values(closes_at=utcnow() - timedelta(seconds=1))
        )


def pulse_records(factory: sessionmaker[Session], org: OrgContext) -> dict[str, uuid.UUID]:
    """For cross-tenant tests: the admin's team and an open organisation-wide round."""
    with org_session(factory, org) as db:
        admin = db.get(Member, org.admin_member_id)
        assert admin is not None
        assert admin.team_id is not None
        team = db.get(Team, admin.team_id)
        assert team is not None
        support = team.id
    pulse = make_round(factory, org)
    return {"team": support, "pulse_round": pulse.id}
