"""Perception links, customers' answers and owners' estimates, stored in one organisation."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from goodwill.organisations.models import Member
from goodwill.perception import service
from goodwill.perception.schemas import Answer
from goodwill.relationships import service as relationship_service
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext

FINE = {"value_received": 4, "value_given": 2, "trust": 4, "ease": 4}


def ask(
    factory: sessionmaker[Session],
    org: OrgContext,
    relationship_id: uuid.UUID,
    *,
    expires_in_days: int = 30,
    now: datetime | None = None,
) -> tuple[uuid.UUID, str]:
    """A one-time link for the relationship's customer: (request id, token)."""
    with org_session(factory, org) as db:
        relationship = relationship_service.get(db=db, relationship_id=relationship_id)
        made, _ = service.create_requests(
            db=db,
            relationships=[relationship],
            member_id=org.admin_member_id,
            expires_in_days=expires_in_days,
            now=now,
        )
        return made[0].request.id, made[0].token


def customer_answers(
    factory: sessionmaker[Session],
    org: OrgContext,
    relationship_id: uuid.UUID,
    scores: dict[str, int],
    *,
    comment: str | None = None,
    at: datetime | None = None,
) -> uuid.UUID:
    """The customer answers through a new link (made and answered at ``at``)."""
    request_id, token = ask(factory, org, relationship_id, now=at)
    session = factory()
    try:
        request = service.find_by_token(db=session, token=token)
        answer = Answer(**scores, comment=comment)
        service.answer_by_customer(db=session, request=request, answer=answer, now=at)
        session.commit()
    finally:
        session.close()
    return request_id


def owner_estimate(
    factory: sessionmaker[Session],
    org: OrgContext,
    relationship_id: uuid.UUID,
    member_id: uuid.UUID,
    scores: dict[str, int],
    *,
    at: datetime | None = None,
) -> uuid.UUID:
    with org_session(factory, org) as db:
        relationship = relationship_service.get(db=db, relationship_id=relationship_id)
        member = db.get(Member, member_id)
        assert member is not None
        row = service.estimate(
            db=db, relationship=relationship, member=member, answer=Answer(**scores), now=at
        )
        return row.id


def perception_records(
    factory: sessionmaker[Session],
    org: OrgContext,
    relationship_id: uuid.UUID,
    owner_member_id: uuid.UUID,
) -> dict[str, uuid.UUID]:
    """For cross-tenant tests: the customer answered and the owner estimated (a blind spot)."""
    request_id = customer_answers(factory, org, relationship_id, FINE | {"trust": 1})
    owner_estimate(factory, org, relationship_id, owner_member_id, FINE)
    return {"perception_request": request_id}
