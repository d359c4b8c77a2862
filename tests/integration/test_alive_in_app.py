""" "Still alive" in the product: the engine fits BG/NBD on an organisation's purchases during a
recompute, stores P(alive) per purchase relationship and shows the fit at ``GET /alive``."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.interactions.models import Interaction
from goodwill.relationships import engine
from goodwill.stats import BGNBDParams
from goodwill.stats.simulation import simulate_bg_nbd
from tests.factories.customers import make_customer, org_session
from tests.factories.organisations import OrgContext

NOW = utcnow()
WEEK = timedelta(weeks=1)
DAY = timedelta(days=1)


def _interaction(db: Session, customer: Customer, at: datetime, kind: str = "purchase") -> None:
    db.add(
        Interaction(
            external_id=f"P-{uuid.uuid4()}",
            customer_id=customer.id,
            kind=kind,
            channel="web",
            occurred_at=at,
            amount=Decimal("19.90") if kind == "purchase" else None,
        )
    )


def _buyer(factory: sessionmaker[Session], org: OrgContext, times: list[datetime]) -> Customer:
    customer = make_customer(factory, org)
    with org_session(factory, org) as db:
        for at in times:
            _interaction(db, customer, at)
    return customer


def _simulated_buyers(factory: sessionmaker[Session], org: OrgContext, count: int) -> None:
    """``count`` customers whose purchase days follow a seeded BG/NBD simulation."""
    rng = np.random.default_rng(7)
    params = BGNBDParams(r=1.0, alpha=4.0, a=0.5, b=1.5)
    summary = simulate_bg_nbd(params, rng.uniform(10, 52, count), rng)
    for x, t_x, age in zip(summary.frequency, summary.recency, summary.T, strict=True):
        first = NOW - timedelta(days=round(float(age) * 7))
        span = round(float(t_x) * 7)
        days = sorted({0, span, *rng.integers(0, span + 1, int(x)).tolist()})
        _buyer(factory, org, [first + d * DAY for d in days])


def _purchase_history(factory: sessionmaker[Session], org: OrgContext) -> tuple[Customer, Customer]:
    """36 purchasing customers; the last two made nine repeat purchases over the same 40 weeks,
    one all in the first ten weeks, the other spread up to today."""
    _simulated_buyers(factory, org, 34)
    weekly = [NOW - (40 - i) * WEEK for i in range(10)]
    silent = _buyer(factory, org, weekly)
    recent = _buyer(factory, org, [weekly[0], *(NOW - (9 - i) * 4 * WEEK for i in range(9))])
    return silent, recent


def _recompute(factory: sessionmaker[Session], org: OrgContext, *, full: bool = True) -> None:
    with org_session(factory, org) as db:
        engine.recompute(db=db, all_relationships=full)


def _trust(client: TestClient, org: OrgContext, customer: Customer) -> dict[str, object]:
    rel_id = relationship_of_id(client, org, customer)
    response = client.get(f"/api/v1/relationships/{rel_id}/trust", headers=org.headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def relationship_of_id(client: TestClient, org: OrgContext, customer: Customer) -> str:
    response = client.get(
        "/api/v1/relationships", params={"customer_id": str(customer.id)}, headers=org.headers
    )
    return str(response.json()["items"][0]["id"])


def test_every_purchase_relationship_gets_a_probability_of_being_alive(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    silent, recent = _purchase_history(session_factory, org_a)
    browser = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        _interaction(db, browser, NOW - 3 * DAY, kind="message")
    _recompute(session_factory, org_a)

    response = client.get("/api/v1/relationships", params={"limit": 100}, headers=org_a.headers)
    items = response.json()["items"]
    assert len(items) == 37
    alive = {}
    for item in items:
        trust = client.get(f"/api/v1/relationships/{item['id']}/trust", headers=org_a.headers)
        alive[item["customer_id"]] = trust.json()["alive"]
    assert alive[str(browser.id)] is None
    buyers = [entry for key, entry in alive.items() if key != str(browser.id)]
    assert all(entry is not None and 0 <= entry["p_alive"] <= 1 for entry in buyers)
    assert all(entry["expected_purchases_12w"] >= 0 for entry in buyers)
    # the same nine repeat purchases over the same 40 weeks: the recent buyer is likelier alive
    quiet, active = alive[str(silent.id)], alive[str(recent.id)]
    assert (
        (quiet["frequency"], quiet["T_weeks"])
        == (active["frequency"], active["T_weeks"])
        == (
            9,
            40.0,
        )
    )
    assert active["p_alive"] > quiet["p_alive"] + 0.2
    assert active["expected_purchases_12w"] > quiet["expected_purchases_12w"]

    fit = client.get("/api/v1/alive", headers=org_a.headers).json()
    assert fit["status"] == "fitted"
    assert fit["customers"] == 36
    assert set(fit["params"]) == set(fit["standard_errors"]) == {"r", "alpha", "a", "b"}
    assert fit["log_likelihood"] < 0


def test_too_few_purchasing_customers_is_reported_and_nothing_is_stored(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    buyers = [_buyer(session_factory, org_a, [NOW - 20 * WEEK, NOW - WEEK]) for _ in range(5)]
    _recompute(session_factory, org_a)

    fit = client.get("/api/v1/alive", headers=org_a.headers).json()
    assert fit["status"] == "not_enough_data"
    assert "not enough purchase history" in fit["reason"]
    assert fit["customers"] == 5
    assert fit["params"] is None
    assert _trust(client, org_a, buyers[0])["alive"] is None


def test_before_any_recompute_the_fit_is_missing_with_its_reason(
    client: TestClient, org_a: OrgContext
) -> None:
    fit = client.get("/api/v1/alive", headers=org_a.headers).json()
    assert fit["status"] == "missing"
    assert "recompute" in fit["reason"]


def test_an_incremental_recompute_keeps_a_fresh_fit_and_the_stored_entries(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, buyer = _purchase_history(session_factory, org_a)
    _recompute(session_factory, org_a, full=False)  # no fit yet: fitted now
    first = client.get("/api/v1/alive", headers=org_a.headers).json()
    before = _trust(client, org_a, buyer)["alive"]
    with org_session(session_factory, org_a) as db:
        _interaction(db, buyer, NOW - DAY, kind="message")  # makes the relationship due
    _recompute(session_factory, org_a, full=False)

    again = client.get("/api/v1/alive", headers=org_a.headers).json()
    assert first["status"] == "fitted"
    assert again["checked_at"] == first["checked_at"]  # less than a day old: not refitted
    assert before is not None
    assert _trust(client, org_a, buyer)["alive"] == before


def test_alive_shows_only_the_callers_organisation(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    org_b: OrgContext,
) -> None:
    _purchase_history(session_factory, org_a)
    _buyer(session_factory, org_b, [NOW - 10 * WEEK, NOW - WEEK])
    _recompute(session_factory, org_a)
    _recompute(session_factory, org_b)

    mine = client.get("/api/v1/alive", headers=org_a.headers).json()
    theirs = client.get("/api/v1/alive", headers=org_b.headers).json()
    assert (mine["organisation_id"], mine["status"], mine["customers"]) == (
        str(org_a.organisation_id),
        "fitted",
        36,
    )
    assert (theirs["organisation_id"], theirs["status"], theirs["customers"]) == (
        str(org_b.organisation_id),
        "not_enough_data",
        1,
    )
