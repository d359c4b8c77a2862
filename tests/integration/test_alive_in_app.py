""" "Still alive" in the product: the engine fits BG/NBD on an organisation's purchases during a
recompute, stores P(alive) per purchase relationship and shows the fit at ``GET /alive``.
With the organisation's ``alive_model`` settings it fits Pareto/NBD instead, and one model per
segment big enough, the others falling back to the organisation-wide fit."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.interactions.models import Interaction
from goodwill.organisations import service as organisation_service
from goodwill.relationships import alive, engine
from goodwill.relationships.models import Relationship
from goodwill.stats import BGNBDModel, BGNBDParams, ParetoNBDModel, ParetoNBDParams
from goodwill.stats.simulation import simulate_bg_nbd
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext

NOW = utcnow()
WEEK = timedelta(weeks=1)
DAY = timedelta(days=1)
Entries = dict[uuid.UUID, dict[str, Any]]


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


def _buyer(
    factory: sessionmaker[Session],
    org: OrgContext,
    times: list[datetime],
    segment: str | None = None,
) -> Customer:
    customer = make_customer(factory, org, segment=segment)
    with org_session(factory, org) as db:
        for at in times:
            _interaction(db, customer, at)
    return customer


def _simulated_buyers(
    factory: sessionmaker[Session], org: OrgContext, count: int, segment: str | None = None
) -> None:
    """``count`` customers whose purchase days follow a seeded BG/NBD simulation."""
    rng = np.random.default_rng(7)
    params = BGNBDParams(r=1.0, alpha=4.0, a=0.5, b=1.5)
    summary = simulate_bg_nbd(params, rng.uniform(10, 52, count), rng)
    for x, t_x, age in zip(summary.frequency, summary.recency, summary.T, strict=True):
        first = NOW - timedelta(days=round(float(age) * 7))
        span = round(float(t_x) * 7)
        days = sorted({0, span, *rng.integers(0, span + 1, int(x)).tolist()})
        _buyer(factory, org, [first + d * DAY for d in days], segment)


def _purchase_history(factory: sessionmaker[Session], org: OrgContext) -> tuple[Customer, Customer]:
    """36 purchasing customers; the last two made nine repeat purchases over the same 40 weeks,
    one all in the first ten weeks, the other spread up to today."""
    _simulated_buyers(factory, org, 34)
    return _purchase_history_tail(factory, org)


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


def _set_alive_model(factory: sessionmaker[Session], org: OrgContext, **config: object) -> None:
    with org_session(factory, org) as db:
        found = organisation_service.get_organisation(db=db)
        found.settings = {**(found.settings or {}), alive.SETTINGS_KEY: config}


def _stored(factory: sessionmaker[Session], org: OrgContext) -> tuple[dict[str, Any], Entries]:
    """The organisation's stored fit and each purchasing customer's "alive" entry."""
    with org_session(factory, org) as db:
        fit = alive.stored_fit(db=db)
        rows = db.execute(select(Relationship.customer_id, Relationship.trust)).all()
    assert fit is not None
    return fit, {c: t[alive.TRUST_KEY] for c, t in rows if t and alive.TRUST_KEY in t}


def _segmented_history(
    factory: sessionmaker[Session], org: OrgContext
) -> tuple[Customer, Customer]:
    """36 customers in segment "retail" (34 simulated), 6 regular buyers in "vip" and 2 without
    a segment; returns the retail customer who bought recently and a vip customer."""
    _simulated_buyers(factory, org, 34, segment="retail")
    _, recent = _purchase_history_tail(factory, org, segment="retail")
    weekly = [NOW - (30 - 3 * i) * WEEK for i in range(10)]
    vips = [_buyer(factory, org, weekly, segment="vip") for _ in range(6)]
    for _ in range(2):
        _buyer(factory, org, [NOW - 20 * WEEK, NOW - 2 * WEEK])
    return recent, vips[0]


def _purchase_history_tail(
    factory: sessionmaker[Session], org: OrgContext, segment: str | None = None
) -> tuple[Customer, Customer]:
    weekly = [NOW - (40 - i) * WEEK for i in range(10)]
    silent = _buyer(factory, org, weekly, segment=segment)
    spread = [weekly[0], *(NOW - (9 - i) * 4 * WEEK for i in range(9))]
    return silent, _buyer(factory, org, spread, segment=segment)


def _expected_p_alive(fit: dict[str, Any], entry: dict[str, Any]) -> float:
    model = BGNBDModel()
    model.params_ = BGNBDParams(**fit["params"])
    history = ([entry["frequency"]], [entry["recency_weeks"]], [entry["T_weeks"]])
    return float(model.conditional_probability_alive(*history)[0])


def test_by_segment_a_big_segment_gets_its_own_fit_and_a_small_one_the_organisations(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    retail, vip = _segmented_history(session_factory, org_a)
    _set_alive_model(session_factory, org_a, model="bgnbd", by_segment=True, min_customers=30)
    _recompute(session_factory, org_a)

    fit, entries = _stored(session_factory, org_a)
    assert (fit["status"], fit["customers"], fit["by_segment"]) == ("fitted", 44, True)
    segments = fit["segments"]
    assert set(segments) == {"retail", "vip"}
    assert (segments["retail"]["status"], segments["retail"]["customers"]) == ("fitted", 36)
    assert segments["retail"]["params"] != fit["params"]
    assert (segments["vip"]["status"], segments["vip"]["customers"]) == ("not_enough_data", 6)
    assert "organisation-wide" in segments["vip"]["reason"]
    assert len(entries) == 44
    assert {e["segment"] for e in entries.values()} == {"retail", "all"}
    mine, theirs = entries[retail.id], entries[vip.id]
    assert (mine["model"], mine["segment"], theirs["segment"]) == ("bgnbd", "retail", "all")
    assert mine["p_alive"] == pytest.approx(_expected_p_alive(segments["retail"], mine))
    assert theirs["p_alive"] == pytest.approx(_expected_p_alive(fit, theirs))
    assert mine["p_alive"] != pytest.approx(_expected_p_alive(fit, mine), abs=1e-4)
    # GET /alive keeps its fields for the organisation-wide fit
    shown = client.get("/api/v1/alive", headers=org_a.headers).json()
    assert (shown["status"], shown["customers"], shown["params"]) == ("fitted", 44, fit["params"])
    assert shown["segments"]["retail"]["params"] == segments["retail"]["params"]
    trust = client.get(f"/api/v1/relationships/{_rel_id(session_factory, org_a, retail.id)}/trust",
                       headers=org_a.headers).json()  # fmt: skip
    assert (trust["alive"]["segment"], trust["alive"]["model"]) == ("retail", "bgnbd")


def test_pareto_nbd_chosen_in_the_settings_gives_its_parameters(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, recent = _purchase_history(session_factory, org_a)
    _set_alive_model(session_factory, org_a, model="paretonbd")
    _recompute(session_factory, org_a)

    fit, entries = _stored(session_factory, org_a)
    assert (fit["model"], fit["status"], fit["customers"]) == ("paretonbd", "fitted", 36)
    assert set(fit["params"]) == set(fit["standard_errors"]) == {"r", "alpha", "s", "beta"}
    assert fit["segments"] == {}
    model = ParetoNBDModel()
    model.params_ = ParetoNBDParams(**fit["params"])
    entry = entries[recent.id]
    history = ([entry["frequency"]], [entry["recency_weeks"]], [entry["T_weeks"]])
    assert (entry["model"], entry["segment"]) == ("paretonbd", "all")
    assert entry["p_alive"] == pytest.approx(model.conditional_probability_alive(*history)[0])
    assert all(e["model"] == "paretonbd" for e in entries.values())
    shown = client.get("/api/v1/alive", headers=org_a.headers)
    assert shown.status_code == 200, shown.text
    assert (shown.json()["model"], shown.json()["params"]) == ("paretonbd", fit["params"])
    trust = client.get(f"/api/v1/relationships/{_rel_id(session_factory, org_a, recent.id)}/trust",
                       headers=org_a.headers)  # fmt: skip
    assert trust.status_code == 200, trust.text
    assert trust.json()["alive"]["model"] == "paretonbd"


def _rel_id(factory: sessionmaker[Session], org: OrgContext, customer_id: uuid.UUID) -> uuid.UUID:
    return relationship_of(factory, org, customer_id).id


def test_changing_the_alive_settings_refits_on_the_next_incremental_recompute(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _purchase_history(session_factory, org_a)
    _recompute(session_factory, org_a, full=False)
    assert _stored(session_factory, org_a)[0]["model"] == "bgnbd"
    _set_alive_model(session_factory, org_a, model="paretonbd")
    _recompute(session_factory, org_a, full=False)

    fit, entries = _stored(session_factory, org_a)
    assert fit["model"] == "paretonbd"
    assert {e["model"] for e in entries.values()} == {"paretonbd"}


def test_unusable_alive_settings_are_reported_and_do_not_fail_the_recompute(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _purchase_history(session_factory, org_a)
    _set_alive_model(session_factory, org_a, model="gamma-gompertz")
    _recompute(session_factory, org_a)

    fit, entries = _stored(session_factory, org_a)
    assert fit["status"] == "failed"
    assert "alive_model.model" in fit["reason"]
    assert entries == {}
    shown = client.get("/api/v1/alive", headers=org_a.headers).json()
    assert (shown["status"], shown["reason"]) == ("failed", fit["reason"])
    _set_alive_model(session_factory, org_a, model="bgnbd")  # fixed: refitted at once
    _recompute(session_factory, org_a, full=False)
    fixed, entries = _stored(session_factory, org_a)
    assert (fixed["status"], len(entries)) == ("fitted", 36)
