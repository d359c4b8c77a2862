"""Today's "needs your attention": a relationship is cooling when its health fell by at least
``COOLING_POINTS`` from its best within the last ``COOLING_DAYS``; only the owner's count."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from goodwill.database import utcnow
from goodwill.relationships.models import Relationship, ScoreHistory
from goodwill.types import Role
from goodwill.web import queries
from tests.factories.customers import make_customer, org_session
from tests.factories.organisations import OrgContext, add_member

NOW = utcnow()


def _relationship(
    factory: sessionmaker[Session],
    org: OrgContext,
    owner: uuid.UUID,
    health: float | None,
    history: list[tuple[float | None, int]],
) -> uuid.UUID:
    """A relationship of ``owner`` at ``health`` now, with (health, days ago) score rows."""
    customer = make_customer(factory, org, owner_member_id=owner)
    with org_session(factory, org) as db:
        rel = db.query(Relationship).filter_by(customer_id=customer.id).one()
        rel.health = health
        for value, days in history:
            db.add(
                ScoreHistory(
                    relationship_id=rel.id,
                    health=value,
                    scores={},
                    computed_at=NOW - timedelta(days=days),
                )
            )
        return rel.id


def test_cooling_is_a_fall_from_the_best_health_within_the_window(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    me, _ = add_member(session_factory, org_a, "owner@acme.example", Role.AGENT)
    other, _ = add_member(session_factory, org_a, "other@acme.example", Role.AGENT)
    fell = _relationship(session_factory, org_a, me, 60, [(70, 20), (82, 10), (61, 1)])
    just = _relationship(session_factory, org_a, me, 60, [(65, 3)])  # exactly COOLING_POINTS
    _relationship(session_factory, org_a, me, 60, [(64, 3)])  # fell by 4: not enough
    _relationship(session_factory, org_a, me, 40, [(90, 45), (41, 5)])  # best before the window
    _relationship(session_factory, org_a, me, 80, [(50, 10)])  # rose
    _relationship(session_factory, org_a, me, None, [(70, 2)])  # no health now: not compared
    theirs = _relationship(session_factory, org_a, other, 10, [(90, 2)])

    with org_session(session_factory, org_a) as db:
        found = queries.attention(db=db, owner_id=me, drifting=(), as_of=NOW)
        listed = {a.relationship.id: a.reasons for a in found.page(db)}
        count = found.count(db)

    assert found.cooling == {fell: 22.0, just: 5.0}
    assert set(listed) == {fell, just}
    assert count == 2
    assert listed[fell] == ["cooling: health down 22 points in 30 days"]
    assert theirs not in found.cooling
