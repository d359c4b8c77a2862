"""The journey map on hand-built interactions (exact figures), the moments of truth on a generated
history where one touchpoint type truly raises the hazard of decline and another does not, the
not-enough-history answer, roles and tenancy; on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.customers.models import Customer
from goodwill.interactions.models import Interaction
from goodwill.journeys import service
from goodwill.journeys.schemas import CAVEAT
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations import service as organisation_service
from goodwill.quality.models import ReplyReview
from goodwill.relationships.models import Relationship, StageHistory
from goodwill.types import Role
from tests.factories.organisations import OrgContext, add_member
from tests.web_support import sign_in

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _relationship(db: Session, *, phase: str | None = None, **fields: object) -> Relationship:
    customer = Customer(external_id=f"C-{uuid.uuid4().hex[:8]}", name="Someone")
    db.add(customer)
    db.flush()
    rel = Relationship(customer_id=customer.id, phase=phase, **fields)
    db.add(rel)
    db.flush()
    return rel


def _touch(
    db: Session, rel: Relationship, day: float, kind: str, channel: str, **kw: object
) -> uuid.UUID:
    row = Interaction(
        external_id=uuid.uuid4().hex,
        customer_id=rel.customer_id,
        kind=kind,
        channel=channel,
        occurred_at=T0 + timedelta(days=day),
        **kw,
    )
    db.add(row)
    db.flush()
    return row.id


def _sentiment(db: Session, interaction_id: uuid.UUID, score: float) -> None:
    db.add(
        MessageAnalysis(
            interaction_id=interaction_id,
            analyser="sentiment",
            version="test",
            result={"value": {"label": "neutral", "score": score}},
        )
    )


def _review(db: Session, interaction_id: uuid.UUID, irritants: int) -> None:
    db.add(
        ReplyReview(
            interaction_id=interaction_id,
            coach_version="t",
            reader="t",
            word_count=20,
            irritant_count=irritants,
            empathy=False,
            findings=[],
        )
    )


def _stage(db: Session, rel: Relationship, day: float, stage: str, phase: str) -> None:
    db.add(
        StageHistory(
            relationship_id=rel.id,
            stage=stage,
            phase=phase,
            evidence=[],
            valid_from=T0 + timedelta(days=day),
        )
    )


def _hand_built(db: Session) -> None:
    one = _relationship(db, phase="long_term")
    _stage(db, one, 0, "experimenting", "early_days")
    _stage(db, one, 59, "integrating", "long_term")  # 1 March
    a = _touch(db, one, 31, "message", "email", direction="inbound")
    b = _touch(db, one, 40, "message", "email", direction="inbound")
    c = _touch(db, one, 41, "message", "email", direction="outbound")
    d = _touch(db, one, 42, "message", "email", direction="outbound")
    _touch(db, one, 42, "message", "email", direction="outbound")  # not reviewed
    _touch(db, one, 32, "note", "internal")
    _touch(db, one, 63, "billing", "email")
    _touch(db, one, 68, "call", "phone", direction="inbound")
    _touch(db, one, -30, "message", "email", direction="inbound")  # before the period
    for interaction_id, score in ((a, -0.5), (b, 0.3), (c, 0.9)):  # c is ours: not counted
        _sentiment(db, interaction_id, score)
    _review(db, c, 2)
    _review(db, d, 0)
    two = _relationship(db, phase="established")  # never computed: its current phase
    _sentiment(db, _touch(db, two, 33, "message", "email", direction="inbound"), 0.1)
    db.flush()


def test_journey_map_figures_on_hand_built_interactions(db: Session) -> None:
    _hand_built(db)
    found = service.journey_map(db=db, since=T0, until=T0 + timedelta(days=100))
    cells = {(c.phase, c.touchpoint): c for c in found.cells}
    assert set(cells) == {
        ("early_days", "message/email"),
        ("established", "message/email"),
        ("long_term", "billing"),
        ("long_term", "call/phone"),
    }
    early = cells[("early_days", "message/email")]
    assert (early.interactions, early.customers, early.inbound_messages) == (5, 1, 2)
    assert early.sentiment_count == 2
    assert early.sentiment_mean == pytest.approx(-0.1)
    assert (early.replies_reviewed, early.irritants, early.irritant_heat) == (2, 2, 1.0)
    other = cells[("established", "message/email")]
    assert (other.interactions, other.sentiment_mean, other.irritant_heat) == (1, 0.1, None)
    assert cells[("long_term", "billing")].interactions == 1
    assert found.phases == ["early_days", "long_term", "established"]
    assert found.touchpoints[0] == "message/email"


PHASE_NAMES = ("early_days", "established", "first_disagreement", "long_term", "winding_down")
KINDS = (
    ("message", "email"), ("message", "chat"), ("call", "phone"), ("meeting", "video"),
    ("billing", "email"), ("purchase", "web"), ("usage", "app"), ("survey", "email"),
    ("note", "internal"),
)  # fmt: skip


def _mixed(db: Session, seed: int) -> None:
    """Relationships with every shape of stage history (none, one row, several, a phase that
    comes back, two rows at the same time, rows after the period) and touchpoints of every
    kind and direction, some at the very time of a stage change, some outside the period;
    sentiment on most messages (ours too), reviews on most of our replies; and a customer
    without a relationship."""
    rng = random.Random(seed)
    for n in range(30):
        rel = _relationship(db, phase=None if n == 0 else rng.choice([None, *PHASE_NAMES]))
        days = sorted(rng.uniform(-40, 140) for _ in range(0 if n == 0 else rng.randint(0, 4)))
        if n % 5 == 1 and days:
            days.append(days[-1])  # two rows valid from the same time
        phases = [rng.choice(PHASE_NAMES) for _ in days]
        if n == 1:  # a phase that comes back, two rows at one time, one after the period
            days, phases = (
                [10, 30, 30, 50, 120],
                ["early_days", "long_term", "early_days", "long_term", "winding_down"],
            )
        for day, phase in zip(days, phases, strict=True):
            _stage(db, rel, day, "experimenting", phase)
        for _ in range(rng.randint(3, 25)):
            kind, channel = rng.choice(KINDS)
            at_change = days and rng.random() < 0.15
            day = rng.choice(days) if at_change else rng.uniform(-20, 130)
            direction = rng.choice(["inbound", "inbound", "outbound", None])
            touch = _touch(db, rel, day, kind, channel, direction=direction)
            if kind == "message" and rng.random() < 0.8:
                _sentiment(db, touch, round(rng.uniform(-1, 1), 4))
            if direction == "outbound" and rng.random() < 0.6:
                _review(db, touch, rng.randint(0, 3))
    stranger = Customer(external_id="C-no-relationship", name="Nobody's")
    db.add(stranger)
    db.flush()
    for day in (1, 2, 3):
        db.add(
            Interaction(
                external_id=f"stranger-{day}", customer_id=stranger.id, kind="message",
                channel="email", direction="inbound", occurred_at=T0 + timedelta(days=day),
            )
        )  # fmt: skip
    db.flush()


def _reference_cells(db: Session, since: datetime, until: datetime) -> dict[Any, Any]:
    """The map computed the plain way, interaction by interaction, from the ORM objects."""
    relationships = {r.customer_id: r for r in db.scalars(select(Relationship))}
    history: dict[uuid.UUID, list[StageHistory]] = defaultdict(list)
    for row in db.scalars(select(StageHistory)):
        history[row.relationship_id].append(row)
    for rows in history.values():
        rows.sort(key=lambda h: (h.valid_from, h.id))
    analyses = db.scalars(select(MessageAnalysis).where(MessageAnalysis.analyser == "sentiment"))
    scores = {a.interaction_id: a.result["value"]["score"] for a in analyses}
    reviews = {r.interaction_id: r.irritant_count for r in db.scalars(select(ReplyReview))}
    cells: dict[Any, Any] = {}
    for i in db.scalars(select(Interaction)):
        rel = relationships.get(i.customer_id)
        if rel is None or i.kind == "note" or not since <= i.occurred_at < until:
            continue
        rows = history[rel.id]
        before = [h for h in rows if h.valid_from <= i.occurred_at]
        phase = before[-1].phase if before else rows[0].phase if rows else rel.phase or "unknown"
        name = f"{i.kind}/{i.channel}" if i.kind in ("message", "call", "meeting") else i.kind
        cell = cells.setdefault((phase, name), [0, set(), 0, [], []])
        cell[0] += 1
        cell[1].add(i.customer_id)
        inbound = i.kind == "message" and i.direction == "inbound"
        cell[2] += inbound
        if inbound and i.id in scores:
            cell[3].append(scores[i.id])
        if i.direction == "outbound" and i.id in reviews:
            cell[4].append(reviews[i.id])
    return cells


@pytest.mark.parametrize("seed", [1, 2])
def test_journey_map_equals_a_plain_computation_interaction_by_interaction(
    db: Session, seed: int
) -> None:
    _mixed(db, seed)
    since, until = T0, T0 + timedelta(days=100)
    expected = _reference_cells(db, since, until)
    found = service.journey_map(db=db, since=since, until=until)
    assert {(c.phase, c.touchpoint) for c in found.cells} == set(expected)
    for c in found.cells:
        n, customers, inbound, scores, irritants = expected[(c.phase, c.touchpoint)]
        assert (c.interactions, c.customers, c.inbound_messages) == (n, len(customers), inbound)
        assert (c.sentiment_count, c.replies_reviewed) == (len(scores), len(irritants))
        assert c.irritants == sum(irritants)
        mean = sum(scores) / len(scores) if scores else None
        assert c.sentiment_mean == (pytest.approx(mean, abs=1e-6) if scores else None)
        heat = sum(irritants) / len(irritants) if irritants else None
        assert c.irritant_heat == (pytest.approx(heat, abs=1e-6) if irritants else None)
    volume = Counter[str]()
    for (_, name), cell in expected.items():
        volume[name] += cell[0]
    assert found.touchpoints == sorted(volume, key=lambda t: (-volume[t], t))
    order = ("early_days", "first_disagreement", "long_term", "established")
    phases = {p for p, _ in expected}
    assert found.phases == [p for p in order if p in phases] + sorted(phases - set(order))
    assert "unknown" in found.phases  # a relationship never computed, without a phase


def test_journey_map_refuses_a_period_without_zone_or_backwards(db: Session) -> None:
    with pytest.raises(Exception, match="time zone"):
        service.journey_map(db=db, since=datetime(2026, 1, 1), until=None)
    with pytest.raises(Exception, match="before until"):
        service.journey_map(db=db, since=T0, until=T0 - timedelta(days=1))


def _generated(db: Session, n: int, seed: int) -> None:
    """Relationships followed a year, day by day: decline hazard 0.003/day, four times as high
    within 30 days after a phone call; e-mails (more frequent) change nothing."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        begin = float(rng.uniform(0, 60))
        calls = np.sort(begin + rng.uniform(0, 365, rng.poisson(6)))
        mails = np.sort(begin + rng.uniform(0, 365, rng.poisson(15)))
        ended = None
        for day in range(365):
            u = begin + day + 0.5
            recent = np.any((calls >= u - 30) & (calls < u))
            if rng.random() < 0.003 * (4.0 if recent else 1.0):
                ended = u
                break
        last = ended if ended is not None else begin + 365
        rel = _relationship(
            db, started_at=T0 + timedelta(days=begin), computed_at=T0 + timedelta(days=last)
        )
        _stage(db, rel, begin, "experimenting", "early_days")
        settled = begin + float(rng.uniform(30, 200))
        if last > settled:
            _stage(db, rel, settled, "integrating", "established")
        if ended is not None:
            _stage(db, rel, ended, "differentiating", "first_disagreement")
        for at, kind, channel in [
            *((c, "call", "phone") for c in calls),
            *((m, "message", "email") for m in mails),
        ]:
            if at < last:
                _touch(db, rel, float(at), kind, channel, direction="outbound")
    db.flush()


def test_moments_of_truth_recover_the_touchpoint_that_raises_the_hazard(db: Session) -> None:
    _generated(db, 400, seed=5)
    found = service.moments_of_truth(db=db, outcome="decline")
    assert found.status == "fitted", found.message
    assert found.caveat == CAVEAT
    assert "association, not causation" in found.caveat
    assert found.relationships == 400
    by = {m.touchpoint: m for m in found.items}
    call, mail = by["call/phone"], by["message/email"]
    assert call.ci_low > 1.0
    assert call.significant
    assert call.direction == "raises"
    assert call.ci_low < 4.0 < call.ci_high
    assert mail.ci_low < 1.0 < mail.ci_high
    assert not mail.significant
    assert found.items[0].touchpoint == "call/phone"  # ranked by effect
    assert 0 < call.exposed_events < found.events


def test_moments_of_truth_say_not_enough_history_with_the_counts(db: Session) -> None:
    _generated(db, 12, seed=1)
    found = service.moments_of_truth(db=db, outcome="termination")
    assert found.status == "not_enough_history"
    assert found.items == []
    assert found.relationships == 12
    assert found.events == 0
    assert "not enough history: 12 relationship(s)" in found.message
    assert found.caveat == CAVEAT


def test_journeys_api_for_managers_not_agents(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, agent = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    _, manager = add_member(session_factory, org_a, "manager@acme.example", Role.MANAGER)
    for path in ("/api/v1/journeys/map", "/api/v1/journeys/moments-of-truth"):
        denied = client.get(path, headers={"Authorization": f"Bearer {agent}"})
        assert denied.status_code == 403, denied.text
        allowed = client.get(path, headers={"Authorization": f"Bearer {manager}"})
        assert allowed.status_code == 200, allowed.text
        assert allowed.json()["organisation_id"] == str(org_a.organisation_id)
    bad = client.get("/api/v1/journeys/moments-of-truth?outcome=churn", headers=org_a.headers)
    assert bad.status_code == 422


def test_journeys_api_shows_only_the_callers_organisation(
    client: TestClient,
    session_factory: sessionmaker[Session],
    db: Session,
    org_a: OrgContext,
    org_b: OrgContext,
) -> None:
    _hand_built(db)
    db.commit()
    params = {"since": T0.isoformat(), "until": (T0 + timedelta(days=100)).isoformat()}
    mine = client.get("/api/v1/journeys/map", params=params, headers=org_a.headers).json()
    theirs = client.get("/api/v1/journeys/map", params=params, headers=org_b.headers).json()
    assert sum(c["interactions"] for c in mine["cells"]) == 8
    assert theirs["cells"] == []
    moments = client.get("/api/v1/journeys/moments-of-truth", headers=org_b.headers).json()
    assert (moments["relationships"], moments["events"]) == (0, 0)


def test_journeys_page_for_managers_with_map_moments_and_caveat(
    client: TestClient, session_factory: sessionmaker[Session], db: Session, org_a: OrgContext
) -> None:
    rel = _relationship(db, phase="early_days")
    _touch(db, rel, 0, "message", "<script>x</script>", direction="inbound")
    db.commit()
    add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    sign_in(client, "agent@acme.example")
    assert client.get("/journeys").status_code == 403
    client.cookies.clear()
    sign_in(client, org_a.admin_email)
    page = client.get("/journeys?outcome=termination")
    assert page.status_code == 200, page.text
    assert "association, not causation" in page.text
    assert "not enough history" in page.text
    assert "<script>x</script>" not in page.text
    assert "message/&lt;script&gt;x&lt;/script&gt;" in page.text
    assert client.get("/journeys?outcome=churn").status_code == 422


def test_moments_are_kept_for_a_day_and_refreshed_on_demand(db: Session) -> None:
    _generated(db, 12, seed=2)
    first = service.cached_moments(db=db, outcome="decline")
    _generated(db, 3, seed=3)
    again = service.cached_moments(db=db, outcome="decline")
    assert again.computed_at == first.computed_at
    assert again.relationships == first.relationships
    fresh = service.cached_moments(db=db, outcome="decline", refresh=True)
    assert fresh.computed_at > first.computed_at
    assert fresh.relationships == first.relationships + 3
    other = service.cached_moments(db=db, outcome="termination")  # kept beside, not replacing
    assert other.outcome == "termination"
    assert service.cached_moments(db=db, outcome="decline").computed_at == fresh.computed_at


def test_both_outcomes_stay_kept_for_the_next_request_and_a_refresh_is_saved(
    db: Session, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """Each web request has its own session: what one keeps, the next must read back."""
    _generated(db, 12, seed=2)
    db.commit()
    kept = {}
    for outcome in ("decline", "termination"):
        kept[outcome] = service.cached_moments(db=db, outcome=outcome)
        db.commit()
    kept["decline"] = service.cached_moments(db=db, outcome="decline", refresh=True)
    db.commit()
    later = tenancy.scope(session_factory(), org_a.organisation_id)
    try:
        for outcome, found in kept.items():
            again = service.cached_moments(db=later, outcome=found.outcome)
            assert again.computed_at == found.computed_at, outcome
    finally:
        later.close()


def test_the_page_keeps_each_outcome_for_the_next_view(
    client: TestClient,
    session_factory: sessionmaker[Session],
    db: Session,
    org_a: OrgContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second outcome viewed is kept beside the first (it was computed on every view)."""
    _generated(db, 12, seed=4)
    db.commit()
    computed: list[str] = []
    fit = service.moments_of_truth

    def counted(**kw: Any) -> Any:
        computed.append(kw["outcome"])
        return fit(**kw)

    monkeypatch.setattr(service, "moments_of_truth", counted)
    sign_in(client, org_a.admin_email)
    for outcome in ("decline", "termination", "decline", "termination", "termination"):
        assert client.get(f"/journeys?outcome={outcome}").status_code == 200
    assert computed == ["decline", "termination"]
    later = tenancy.scope(session_factory(), org_a.organisation_id)
    try:
        kept = organisation_service.get_setting(db=later, key=service.CACHE_KEY) or {}
        assert sorted(kept) == ["decline", "termination"]
    finally:
        later.close()


def test_the_journeys_link_shows_for_managers_only(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    sign_in(client, "agent@acme.example")
    assert 'href="/journeys"' not in client.get("/").text
    client.cookies.clear()
    sign_in(client, org_a.admin_email)
    assert 'href="/journeys"' in client.get("/").text
