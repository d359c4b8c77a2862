"""The termination-risk model learnt from an organisation's own ended relationships, validated on
a time-based holdout, through the engine and the API."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.customers import service as customer_service
from goodwill.customers.schemas import CustomerCreate
from goodwill.database import new_id, utcnow
from goodwill.interactions.models import Interaction
from goodwill.relationships import risk, writes
from goodwill.relationships import service as relationship_service
from goodwill.relationships.models import Relationship, ScoreHistory
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext

NOW = utcnow()
DAY = timedelta(days=1)
API = "/api/v1"


def _message(db: Session, customer_id: uuid.UUID, days_ago: float, body: str = "Hi") -> uuid.UUID:
    row = Interaction(
        id=new_id(),
        external_id=f"I-{uuid.uuid4()}",
        customer_id=customer_id,
        kind="message",
        channel="email",
        direction="inbound",
        occurred_at=NOW - days_ago * DAY,
        body=body,
    )
    db.add(row)
    return row.id


def _history(factory: sessionmaker[Session], org: OrgContext, count: int, leavers: float) -> None:
    """Customers in touch every couple of weeks for 600 days; a share of them fall quiet two to
    four months before they cancel, and the engine put those in ``terminating``."""
    rng = random.Random(5)
    with org_session(factory, org) as db:
        for n in range(count):
            customer = customer_service.create(
                db=db, customer_in=CustomerCreate(email=f"c{n}@example.com", name=f"C {n}")
            )
            rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
            rel.started_at = NOW - 600 * DAY
            end = rng.uniform(0, 420) if rng.random() < leavers else None
            quiet_from = end + rng.uniform(60, 120) if end is not None else 0
            day = 600.0
            while day > quiet_from:
                _message(db, customer.id, day)
                day -= rng.uniform(7, 21)
            if end is not None:
                cancel = _message(db, customer.id, end, "Please close my account.")
                rel.stage = "terminating"
                rel.stage_evidence = [{"signal": "cancellations", "interaction_id": str(cancel)}]


def test_the_model_learns_who_leaves_and_reports_its_holdout_auc(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _history(session_factory, org_a, count=90, leavers=0.6)

    with org_session(session_factory, org_a) as db:
        entry = risk.refresh(db=db, as_of=NOW)
    model = client.get(f"{API}/risk", headers=org_a.headers).json()

    assert entry["status"] == "fitted"
    assert model["status"] == "fitted"
    assert model["summary"]["holdout_auc"] > 0.75
    assert model["summary"]["holdout_ended"] >= 1
    assert model["weights"]["days_since_contact"] > 0
    with org_session(session_factory, org_a) as db:
        rows = db.execute(select(Relationship.id, Relationship.stage, Relationship.risk)).all()
    ended = [r for r in rows if r.stage == "terminating"]
    going = [r for r in rows if r.stage != "terminating"]
    assert all(r.risk is None for r in ended)
    assert all(r.risk is not None and 0 <= r.risk <= 1 for r in going)
    one: dict[str, Any] = client.get(
        f"{API}/relationships/{going[0].id}/risk", headers=org_a.headers
    ).json()
    assert one["status"] == "fitted"
    assert abs(one["probability"] - going[0].risk) < 0.01  # now, a moment after the scoring
    pushes = [abs(f["push"]) for f in one["factors"]]
    assert pushes == sorted(pushes, reverse=True)
    listed = client.get(f"{API}/relationships/{going[0].id}", headers=org_a.headers).json()
    assert listed["risk"] == going[0].risk


def test_without_enough_ended_relationships_it_says_so(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _history(session_factory, org_a, count=12, leavers=0.3)

    with org_session(session_factory, org_a) as db:
        entry = risk.refresh(db=db, as_of=NOW)
    model = client.get(f"{API}/risk", headers=org_a.headers).json()
    rel = client.get(f"{API}/relationships", headers=org_a.headers).json()["items"][0]

    assert entry["status"] == "missing"
    assert model["status"] == "missing"
    assert "needed" in model["reason"]
    assert rel["risk"] is None
    assert (
        client.get(f"{API}/relationships/{rel['id']}/risk", headers=org_a.headers).json()["status"]
        == "missing"
    )


def test_a_history_read_in_parts_joins_into_the_one_read_at_once(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """As the workers of a parallel recompute read it, batch by batch."""
    _history(session_factory, org_a, count=40, leavers=0.5)

    with org_session(session_factory, org_a) as db:
        ids = list(db.scalars(select(Relationship.id).order_by(Relationship.id)))
        whole = risk.read_part(db=db, as_of=NOW)
        parts = [
            risk.read_part(db=db, as_of=NOW, relationship_ids=ids[start : start + 7])
            for start in range(0, len(ids), 7)
        ]
    joined = risk.join(parts)

    assert joined.ids == whole.ids == ids
    assert np.array_equal(joined.started, whole.started)
    assert np.array_equal(joined.ended, whole.ended, equal_nan=True)
    assert np.isfinite(whole.ended).sum() > 5  # some ended, with their end times
    one, other = whole.history().events.keys, joined.history().events.keys
    assert one.keys() == other.keys()
    assert all(np.array_equal(one[kind], other[kind]) for kind in one)
    assert len(one["contact"]) > 100


def test_bulk_updates_stay_inside_the_session_organisation(
    session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    _history(session_factory, org_a, count=2, leavers=0.0)
    with org_session(session_factory, org_a) as db:
        theirs = list(db.scalars(select(Relationship.id)))
        writes.update_rows(db, Relationship, [{"id": theirs[0], "risk": 0.25}])

    with org_session(session_factory, org_b) as db:
        writes.update_rows(db, Relationship, [{"id": rid, "risk": 0.99} for rid in theirs])

    with org_session(session_factory, org_a) as db:
        risks = {row.id: row.risk for row in db.execute(select(Relationship.id, Relationship.risk))}
    assert risks == {theirs[0]: 0.25, theirs[1]: None}


def test_the_risk_is_kept_as_history_when_it_moves(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _history(session_factory, org_a, count=90, leavers=0.6)
    with org_session(session_factory, org_a) as db:
        risk.refresh(db=db, as_of=NOW)
        risk.refresh(db=db, as_of=NOW)  # the same history again: nothing moved
        going = db.execute(
            select(Relationship.id, Relationship.risk).where(Relationship.risk.is_not(None))
        ).all()
        rows = db.execute(select(ScoreHistory.relationship_id, ScoreHistory.scores)).all()

    assert len(going) > 10
    assert len(rows) == len(going)  # one row each, from the first scoring only
    assert {r.relationship_id: r.scores["risk"] for r in rows} == {
        g.id: round(g.risk * 100, 1) for g in going
    }
    story = client.get(
        f"{API}/relationships/{going[0].id}/score-history", headers=org_a.headers
    ).json()
    assert story["items"][0]["scores"] == {"risk": round(going[0].risk * 100, 1)}
    assert story["items"][0]["health"] is None
