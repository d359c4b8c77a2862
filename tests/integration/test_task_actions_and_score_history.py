"""What an owner does with a next conversation (done, dismissed, snoozed) and how the trust and
health scores move over time, through the API."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.relationships import engine, nextconv
from goodwill.relationships.models import Relationship
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext

NOW = utcnow()
DAY = timedelta(days=1)
API = "/api/v1"


def _quiet_customer(
    factory: sessionmaker[Session], org: OrgContext, name: str, last_contact_days: int
) -> Relationship:
    """An established customer last heard from ``last_contact_days`` ago: a stay-in-touch task."""
    customer = make_customer(factory, org, name=name)
    with org_session(factory, org) as db:
        db.add(
            Interaction(
                external_id=f"I-{uuid.uuid4()}",
                customer_id=customer.id,
                kind="message",
                channel="email",
                direction="inbound",
                occurred_at=NOW - last_contact_days * DAY,
                body="Hello",
            )
        )
        rel = relationship_of(factory, org, customer.id)
        stored = db.get(Relationship, rel.id)
        assert stored is not None
        stored.phase, stored.started_at = "established", NOW - 300 * DAY
        return stored


def _tasks(client: TestClient, org: OrgContext, rel: Relationship) -> list[dict[str, Any]]:
    response = client.get(f"{API}/relationships/{rel.id}/next-conversations", headers=org.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _act(client: TestClient, org: OrgContext, rel: Relationship, **body: Any) -> Any:
    return client.post(
        f"{API}/relationships/{rel.id}/next-conversations/actions", json=body, headers=org.headers
    )


def test_a_task_marked_done_disappears_until_a_new_occasion_raises_it(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    rel = _quiet_customer(session_factory, org_a, "Quinn Hale", last_contact_days=70)
    [task] = _tasks(client, org_a, rel)
    assert task["kind"] == "stay_in_touch"
    assert "cooling" in task["reason"]
    assert _tasks(client, org_a, rel)[0]["task_id"] == task["task_id"]  # stable across reads

    done = _act(client, org_a, rel, task_id=task["task_id"], action="done", note="called her")

    assert done.status_code == 201, done.text
    assert done.json()["kind"] == "stay_in_touch"
    assert done.json()["note"] == "called her"
    assert _tasks(client, org_a, rel) == []
    today = client.get(f"{API}/next-conversations", headers=org_a.headers).json()["items"]
    assert task["task_id"] not in {t["task_id"] for t in today}
    history = client.get(
        f"{API}/relationships/{rel.id}/next-conversations/actions", headers=org_a.headers
    ).json()["items"]
    assert [(h["task_id"], h["action"]) for h in history] == [(task["task_id"], "done")]
    # the gap grows past the maximum: the relationship is cold, a new occasion, a new task
    with org_session(session_factory, org_a) as db:
        cold = nextconv.tasks(db=db, relationship_id=rel.id, as_of=NOW + 60 * DAY)
    assert [t.kind for t in cold] == ["stay_in_touch"]
    assert cold[0].task_id != task["task_id"]


def test_a_snoozed_task_comes_back_when_the_snooze_ends(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    rel = _quiet_customer(session_factory, org_a, "Sol Marin", last_contact_days=70)
    [task] = _tasks(client, org_a, rel)
    until = (NOW + 3 * DAY).isoformat()

    snoozed = _act(client, org_a, rel, task_id=task["task_id"], action="snoozed", until=until)

    assert snoozed.status_code == 201, snoozed.text
    assert _tasks(client, org_a, rel) == []
    with org_session(session_factory, org_a) as db:
        back = nextconv.tasks(db=db, relationship_id=rel.id, as_of=NOW + 4 * DAY)
        hidden_too = nextconv.tasks(db=db, relationship_id=rel.id, include_hidden=True)
    assert [t.task_id for t in back] == [task["task_id"]]
    assert [t.task_id for t in hidden_too] == [task["task_id"]]


def test_bad_task_actions_say_what_is_wrong_and_store_nothing(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    rel = _quiet_customer(session_factory, org_a, "Ira Bell", last_contact_days=70)
    [task] = _tasks(client, org_a, rel)

    unknown = _act(client, org_a, rel, task_id="0" * 32, action="done")
    no_until = _act(client, org_a, rel, task_id=task["task_id"], action="snoozed")
    past = _act(
        client,
        org_a,
        rel,
        task_id=task["task_id"],
        action="snoozed",
        until=(NOW - DAY).isoformat(),
    )
    bad_action = _act(client, org_a, rel, task_id=task["task_id"], action="ignore")

    assert unknown.status_code == 404
    assert "not among" in unknown.text
    assert no_until.status_code == 422
    assert "until" in no_until.text
    assert past.status_code == 422
    assert "future" in past.text
    assert bad_action.status_code == 422
    assert "action" in bad_action.text
    assert [t["task_id"] for t in _tasks(client, org_a, rel)] == [task["task_id"]]


def _message(db: Session, customer: Customer, days_ago: int, sentiment: dict[str, Any]) -> None:
    row = Interaction(
        external_id=f"I-{uuid.uuid4()}",
        customer_id=customer.id,
        kind="message",
        channel="email",
        direction="inbound",
        occurred_at=NOW - days_ago * DAY,
        body="Hello",
    )
    db.add(row)
    db.flush()
    db.add(
        MessageAnalysis(
            interaction_id=row.id, analyser="sentiment", version="1", result={"value": sentiment}
        )
    )


def test_score_history_keeps_a_row_each_time_a_score_moves(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a, name="Hana Ode")
    rel = relationship_of(session_factory, org_a, customer.id)

    def recompute(days_later: int) -> None:
        with session_factory() as db:
            tenancy.scope(db, org_a.organisation_id)
            engine.recompute(db=db, as_of=NOW + days_later * DAY)
            db.commit()

    with org_session(session_factory, org_a) as db:
        _message(db, customer, 40, {"label": "positive", "score": 0.7})
    recompute(0)
    recompute(0)  # nothing new: no recompute, no row
    with org_session(session_factory, org_a) as db:
        for days in (3, 2, 1):
            _message(db, customer, days, {"label": "negative", "score": -0.9})
    recompute(0)

    response = client.get(f"{API}/relationships/{rel.id}/score-history", headers=org_a.headers)

    assert response.status_code == 200, response.text
    rows = response.json()["items"]
    assert len(rows) == 2
    newest, first = rows
    assert set(first["scores"]) >= {"reliability", "accountability", "connection", "health"}
    assert newest["health"] < first["health"]
    assert newest["computed_at"] >= first["computed_at"]
