"""Contact reasons over HTTP: reasons, examples, the model, labels, discovery and the grid."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill import ingest
from goodwill.cli import app
from goodwill.cli_support import organisation_session
from goodwill.cli_support import session_factory as cli_sessions
from goodwill.customers.models import Customer
from goodwill.main import API_PREFIX
from goodwill.reasons import flows, grid_cli, training
from goodwill.reasons import service as reason_service
from goodwill.reasons.models import ContactReason, MessageReason, ReasonExample
from goodwill.reasons.schemas import ExampleIn, ReasonCreate
from goodwill.relationships.models import StageHistory
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.interactions import make_conversation, make_interaction
from tests.factories.organisations import OrgContext, add_member
from tests.factories.reasons import add_example, analyse, assign, make_reason

R = f"{API_PREFIX}/reasons"
EXAMPLES = {
    "Lost card": ["Where is my new card?", "My card has not arrived yet", "card never came"],
    "Top up": ["How do I top up?", "How can I add money to my account", "top up by transfer"],
    "Cancel": ["Please close my account", "I want to cancel my account", "cancel everything"],
}


def _count(factory: sessionmaker[Session], org: OrgContext, table: Any) -> int:
    with org_session(factory, org) as db:
        return db.scalar(select(func.count()).select_from(table)) or 0


def _examples_json() -> list[dict[str, str]]:
    return [{"text": t, "reason": r} for r, texts in EXAMPLES.items() for t in texts]


def _message(
    factory: sessionmaker[Session], org: OrgContext, customer: Customer, body: str, **fields: Any
) -> uuid.UUID:
    return make_interaction(factory, org, customer_id=customer.id, body=body, **fields).id


def test_create_rename_and_roles(
    client: TestClient, org_a: OrgContext, session_factory: Any
) -> None:
    r = client.post(R, json={"name": "Lost card", "company_value": -0.5}, headers=org_a.headers)
    assert r.status_code == 201, r.text
    reason = r.json()
    assert (reason["name"], reason["company_value"], reason["example_count"]) == (
        "Lost card",
        -0.5,
        0,
    )
    again = client.post(R, json={"name": "Lost card"}, headers=org_a.headers)
    assert again.status_code == 409
    bad = client.post(R, json={"name": "x", "company_value": 2}, headers=org_a.headers)
    assert bad.status_code == 422
    renamed = client.patch(
        f"{R}/{reason['id']}", json={"name": "Card not arrived"}, headers=org_a.headers
    )
    assert renamed.json()["name"] == "Card not arrived"
    assert renamed.json()["company_value"] == -0.5  # left out: unchanged
    _, token = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    agent = {"Authorization": f"Bearer {token}"}
    assert client.get(R, headers=agent).json()["items"][0]["name"] == "Card not arrived"
    assert client.post(R, json={"name": "Other"}, headers=agent).status_code == 403
    assert client.patch(f"{R}/{reason['id']}", json={"name": "y"}, headers=agent).status_code == 403


def test_examples_from_json_and_csv_create_reasons(
    client: TestClient, org_a: OrgContext, session_factory: Any
) -> None:
    r = client.post(f"{R}/examples", json=_examples_json(), headers=org_a.headers)
    assert r.status_code == 201, r.text
    assert r.json() == {"added": 9, "reasons_created": list(EXAMPLES)}
    csv = "text,reason\nMy card is stuck in the ATM,Lost card\nWhere to complain,Complaint\n"
    r = client.post(
        f"{R}/examples",
        files={"file": ("more.csv", csv.encode(), "text/csv")},
        headers=org_a.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json() == {"added": 2, "reasons_created": ["Complaint"]}
    items = {
        i["name"]: i["example_count"] for i in client.get(R, headers=org_a.headers).json()["items"]
    }
    assert items == {"Lost card": 4, "Top up": 3, "Cancel": 3, "Complaint": 1}


def test_a_bad_csv_names_line_and_field_and_stores_nothing(
    client: TestClient, org_a: OrgContext, session_factory: Any
) -> None:
    csv = "text,reason\nWhere is my card,Lost card\n,Lost card\nHow to top up,\n"
    r = client.post(
        f"{R}/examples", content=csv, headers=org_a.headers | {"Content-Type": "text/csv"}
    )
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert {(e["line"], e["field"]) for e in errors} == {(3, "text"), (4, "reason")}
    assert "line 3" in r.json()["detail"]
    assert _count(session_factory, org_a, ReasonExample) == 0
    assert _count(session_factory, org_a, ContactReason) == 0
    missing = client.post(
        f"{R}/examples",
        content="body,label\nx,y\n",
        headers=org_a.headers | {"Content-Type": "text/csv"},
    )
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"text", "reason"}
    bad_json = client.post(f"{R}/examples", json=[{"text": "hi"}], headers=org_a.headers)
    assert bad_json.status_code == 422
    assert bad_json.json()["errors"][0] == {
        "line": 1,
        "field": "reason",
        "reason": "Field required",
    }


def test_merge_moves_examples_and_messages(
    client: TestClient, org_a: OrgContext, session_factory: Any, customer: Customer
) -> None:
    lost, card = (
        make_reason(session_factory, org_a, "Lost card"),
        make_reason(session_factory, org_a, "Card"),
    )
    add_example(session_factory, org_a, lost, "where is my card")
    message = _message(session_factory, org_a, customer, "my card never arrived")
    assign(session_factory, org_a, message, lost)
    r = client.post(f"{R}/{lost}/merge", json={"into_reason_id": str(card)}, headers=org_a.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["id"], r.json()["example_count"], r.json()["message_count"]) == (
        str(card),
        1,
        1,
    )
    assert [i["name"] for i in client.get(R, headers=org_a.headers).json()["items"]] == ["Card"]
    assert client.get(f"{R}/{lost}", headers=org_a.headers).json()["merged_into_id"] == str(card)
    label = client.get(f"{API_PREFIX}/interactions/{message}/reason", headers=org_a.headers).json()
    assert label["reason"] == "Card"
    itself = client.post(
        f"{R}/{card}/merge", json={"into_reason_id": str(card)}, headers=org_a.headers
    )
    assert itself.status_code == 422
    merged_again = client.post(
        f"{R}/{lost}/merge", json={"into_reason_id": str(card)}, headers=org_a.headers
    )
    assert merged_again.status_code == 409


def test_split_moves_chosen_examples_and_messages_as_manual_labels(
    client: TestClient, org_a: OrgContext, session_factory: Any, customer: Customer
) -> None:
    card = make_reason(session_factory, org_a, "Card")
    keep = add_example(session_factory, org_a, card, "where is my card")
    move = add_example(session_factory, org_a, card, "my card was declined in a shop")
    message = _message(session_factory, org_a, customer, "declined at the hotel")
    other = _message(session_factory, org_a, customer, "card still not here")
    assign(session_factory, org_a, message, card)
    assign(session_factory, org_a, other, card)
    body = {"name": "Card declined", "example_ids": [str(move)], "interaction_ids": [str(message)]}
    r = client.post(f"{R}/{card}/split", json=body, headers=org_a.headers)
    assert r.status_code == 201, r.text
    assert (r.json()["name"], r.json()["example_count"], r.json()["message_count"]) == (
        "Card declined",
        1,
        1,
    )
    moved = client.get(f"{API_PREFIX}/interactions/{message}/reason", headers=org_a.headers).json()
    assert (moved["reason"], moved["manual"]) == ("Card declined", True)
    stayed = client.get(f"{API_PREFIX}/interactions/{other}/reason", headers=org_a.headers).json()
    assert (stayed["reason"], stayed["manual"]) == ("Card", False)
    with org_session(session_factory, org_a) as db:
        assert db.get(ReasonExample, keep).reason_id == card  # type: ignore[union-attr]
    # an example of another reason cannot be split off this one
    r = client.post(
        f"{R}/{card}/split", json={"name": "X", "example_ids": [str(move)]}, headers=org_a.headers
    )
    assert r.status_code == 422


def _trained(client: TestClient, org: OrgContext) -> dict[str, Any]:
    assert (
        client.post(f"{R}/examples", json=_examples_json(), headers=org.headers).status_code == 201
    )
    r = client.post(f"{R}/train", headers=org.headers)
    assert r.status_code == 202, r.text
    # no broker in tests: the job ran in this process once the request had committed
    done = client.get(f"{R}/training/{r.json()['id']}", headers=org.headers).json()
    assert done["state"] == "done", done
    return done["model"]  # type: ignore[no-any-return]


def test_train_classify_texts_and_load_the_stored_model(
    client: TestClient, org_a: OrgContext, session_factory: Any
) -> None:
    assert (
        client.post(f"{R}/classify", json={"texts": ["hi"]}, headers=org_a.headers).status_code
        == 409
    )
    model = _trained(client, org_a)
    assert (model["version"], model["example_count"], len(model["reasons"])) == (1, 9, 3)
    texts = ["my card has still not arrived", "how do I add money by bank transfer"]
    first = client.post(f"{R}/classify", json={"texts": texts}, headers=org_a.headers).json()
    assert [p["reason"] for p in first["predictions"]] == ["Lost card", "Top up"]
    assert [p["row"] for p in first["predictions"]] == [1, 2]
    _, token = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    agent = {"Authorization": f"Bearer {token}"}
    as_agent = client.post(f"{R}/classify", json={"texts": texts}, headers=agent)
    assert as_agent.json()["predictions"] == first["predictions"]
    assert client.post(f"{R}/classify", json={"stored": True}, headers=agent).status_code == 403
    assert client.post(f"{R}/train", headers=agent).status_code == 403
    flows._cache.clear()  # another process: the model comes from the database
    again = client.post(f"{R}/classify", json={"texts": texts}, headers=org_a.headers).json()
    assert again["predictions"] == first["predictions"]
    assert _trained(client, org_a)["version"] == 2
    latest = client.get(f"{R}/training", headers=agent).json()
    assert (latest["state"], latest["model"]["version"]) == ("done", 2)


def test_training_without_examples_is_refused_at_once(
    client: TestClient, org_a: OrgContext
) -> None:
    r = client.post(f"{R}/train", headers=org_a.headers)
    assert r.status_code == 422
    assert "no examples yet" in r.json()["detail"]
    assert client.get(f"{R}/training", headers=org_a.headers).status_code == 404


def test_one_job_trains_once_for_every_waiting_request(
    org_a: OrgContext, session_factory: Any
) -> None:
    with org_session(session_factory, org_a) as db:
        reason_service.add_examples(db=db, examples=[ExampleIn(**e) for e in _examples_json()])
        first = training.request(db=db, member_id=None)
        again = training.request(db=db, member_id=None)  # still waiting: the same request
        assert again.id == first.id
    assert training.train_waiting(session_factory, org_a.organisation_id) == 1
    assert training.train_waiting(session_factory, org_a.organisation_id) is None  # nothing left
    with org_session(session_factory, org_a) as db:
        done = training.get(db=db, training_id=first.id)
        assert (done.state, done.model_version, done.error) == ("done", 1, None)
        assert done.started_at is not None
        assert done.finished_at is not None


def test_a_managers_label_wins_and_survives_reclassification(
    client: TestClient, org_a: OrgContext, session_factory: Any, customer: Customer
) -> None:
    _trained(client, org_a)
    card = _message(session_factory, org_a, customer, "My card has not arrived")
    labelled = _message(session_factory, org_a, customer, "Where is my new card please")
    outbound = _message(session_factory, org_a, customer, "We sent it", direction="outbound")
    cancel_id = client.get(R, headers=org_a.headers).json()["items"][0]["id"]  # by name: Cancel
    put = client.put(
        f"{API_PREFIX}/interactions/{labelled}/reason",
        json={"reason_id": cancel_id},
        headers=org_a.headers,
    )
    assert put.status_code == 200, put.text
    assert (put.json()["reason"], put.json()["manual"]) == ("Cancel", True)
    r = client.post(f"{R}/classify", json={"stored": True}, headers=org_a.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["classified"], r.json()["kept_manual"]) == (1, 1)
    got = client.get(f"{API_PREFIX}/interactions/{card}/reason", headers=org_a.headers).json()
    assert (got["reason"], got["manual"]) == ("Lost card", False)
    assert 0 < got["confidence"] <= 1
    kept = client.get(f"{API_PREFIX}/interactions/{labelled}/reason", headers=org_a.headers).json()
    assert (kept["reason"], kept["manual"]) == ("Cancel", True)
    assert (
        client.get(
            f"{API_PREFIX}/interactions/{outbound}/reason", headers=org_a.headers
        ).status_code
        == 422
    )
    # the label made the message an example; removing the label gives it back to the model
    assert client.get(f"{R}/{cancel_id}", headers=org_a.headers).json()["example_count"] == 4
    client.put(
        f"{API_PREFIX}/interactions/{labelled}/reason",
        json={"reason_id": None},
        headers=org_a.headers,
    )
    assert client.get(f"{R}/{cancel_id}", headers=org_a.headers).json()["example_count"] == 3
    client.post(f"{R}/classify", json={"stored": True}, headers=org_a.headers)
    back = client.get(f"{API_PREFIX}/interactions/{labelled}/reason", headers=org_a.headers).json()
    assert (back["reason"], back["manual"]) == ("Lost card", False)


def test_relabel_moves_the_example(
    client: TestClient, org_a: OrgContext, session_factory: Any, customer: Customer
) -> None:
    one, two = (
        make_reason(session_factory, org_a, "One"),
        make_reason(session_factory, org_a, "Two"),
    )
    message = _message(session_factory, org_a, customer, "a message")
    url = f"{API_PREFIX}/interactions/{message}/reason"
    client.put(url, json={"reason_id": str(one)}, headers=org_a.headers)
    client.put(url, json={"reason_id": str(two)}, headers=org_a.headers)
    counts = {
        i["name"]: i["example_count"] for i in client.get(R, headers=org_a.headers).json()["items"]
    }
    assert counts == {"One": 0, "Two": 1}
    assert _count(session_factory, org_a, MessageReason) == 1


def test_classifying_stored_messages_stays_in_the_organisation(
    client: TestClient,
    org_a: OrgContext,
    org_b: OrgContext,
    session_factory: Any,
    customer: Customer,
) -> None:
    _trained(client, org_a)
    theirs = make_customer(session_factory, org_b, email="b@beta.example")
    _message(session_factory, org_b, theirs, "My card has not arrived")
    r = client.post(f"{R}/classify", json={"stored": True}, headers=org_a.headers)
    assert r.json()["classified"] == 0
    assert _count(session_factory, org_b, MessageReason) == 0
    assert (
        client.post(f"{R}/classify", json={"stored": True}, headers=org_b.headers).status_code
        == 409
    )


def test_discover_then_accept_a_group(
    client: TestClient, org_a: OrgContext, session_factory: Any, customer: Customer
) -> None:
    texts = [f"{t} ({n})" for group in EXAMPLES.values() for t in group for n in range(2)]
    ids = [_message(session_factory, org_a, customer, t) for t in texts]
    r = client.post(f"{R}/discover", json={"k": 3}, headers=org_a.headers)
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["messages"] == len(ids)
    assert sum(g["size"] for g in found["groups"]) == len(ids)
    group = found["groups"][0]
    assert group["label"]
    assert {t["interaction_id"] for t in group["typical"]} <= set(group["interaction_ids"])
    accept = {"name": "From discovery", "interaction_ids": group["interaction_ids"]}
    r = client.post(f"{R}/discover/accept", json=accept, headers=org_a.headers)
    assert r.status_code == 201, r.text
    assert r.json()["example_count"] == group["size"]
    again = client.post(f"{R}/discover/accept", json=accept, headers=org_a.headers)
    assert again.json()["example_count"] == group["size"]  # not added twice


def _grid_world(factory: sessionmaker[Session], org: OrgContext) -> dict[str, uuid.UUID]:
    """Angry repeat contacts about a lost card (eliminate) and glad ones about an upgrade
    that are followed by purchases (leverage), all in November 2026."""
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    lost = make_reason(factory, org, '<script>alert("x")</script> Lost card')
    upgrade = make_reason(factory, org, "Upgrade")
    angry = make_customer(factory, org, email="angry@example.com")
    convo = make_conversation(factory, org, customer_id=angry.id, external_id="T-lost")
    for day in (0, 3, 6):
        when = (start + timedelta(days=day)).isoformat()
        m = make_interaction(
            factory,
            org,
            customer_id=angry.id,
            body="Where is my card?!",
            occurred_at=when,
            conversation_id=str(convo.id),
        ).id
        assign(factory, org, m, lost)
        analyse(
            factory,
            org,
            m,
            sentiment={"label": "negative", "score": -0.9},
            emotion={"label": "anger"},
        )
    for n in range(2):
        glad = make_customer(factory, org, email=f"glad{n}@example.com")
        when = (start + timedelta(days=n)).isoformat()
        m = make_interaction(
            factory, org, customer_id=glad.id, body="I'd love premium", occurred_at=when
        ).id
        assign(factory, org, m, upgrade)
        analyse(
            factory, org, m, sentiment={"label": "positive", "score": 0.8}, emotion={"label": "joy"}
        )
        make_interaction(
            factory,
            org,
            customer_id=glad.id,
            kind="purchase",
            channel="store",
            direction=None,
            body=None,
            subject=None,
            amount="9.99",
            currency="EUR",
            occurred_at=(start + timedelta(days=10)).isoformat(),
        )
    return {"lost": lost, "upgrade": upgrade}


def test_grid_places_reasons_with_evidence_and_an_escaped_svg(
    client: TestClient, org_a: OrgContext, session_factory: Any
) -> None:
    ids = _grid_world(session_factory, org_a)
    period = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    r = client.get(f"{R}/grid", params=period, headers=org_a.headers)
    assert r.status_code == 200, r.text
    grid = r.json()
    assert grid["thresholds"] == {
        "customer": 0.0,
        "company": 0.0,
        "repeat_days": 14,
        "outcome_days": 90,
        "effort_high": 4.0,
    }
    cells = {c["reason_id"]: c for c in grid["cells"]}
    lost, upgrade = cells[str(ids["lost"])], cells[str(ids["upgrade"])]
    assert (lost["volume"], lost["quadrant"]) == (3, "eliminate")
    assert lost["evidence"]["repeat_rate"] == 0.6667
    assert lost["evidence"]["messages_per_conversation"] == 3
    assert len(lost["evidence"]["sample_interaction_ids"]) == 3
    assert (upgrade["quadrant"], upgrade["company_value"], upgrade["company_value_source"]) == (
        "leverage",
        1.0,
        "derived",
    )
    assert upgrade["action"].startswith("Invest in “Upgrade”")
    svg = client.get(f"{R}/grid.svg", params=period, headers=org_a.headers)
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "<script" not in svg.text
    assert "&lt;script&gt;" in svg.text
    empty = client.get(
        f"{R}/grid",
        params={"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"},
        headers=org_a.headers,
    ).json()
    assert {c["quadrant"] for c in empty["cells"]} == {None}
    assert (
        client.get(
            f"{R}/grid", params={"from": period["to"], "to": period["from"]}, headers=org_a.headers
        ).status_code
        == 422
    )


def test_configured_company_value_moves_a_reason(
    client: TestClient, org_a: OrgContext, session_factory: Any
) -> None:
    ids = _grid_world(session_factory, org_a)
    client.patch(f"{R}/{ids['lost']}", json={"company_value": 0.8}, headers=org_a.headers)
    period = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    cells = {
        c["reason_id"]: c
        for c in client.get(f"{R}/grid", params=period, headers=org_a.headers).json()["cells"]
    }
    assert (
        cells[str(ids["lost"])]["quadrant"],
        cells[str(ids["lost"])]["company_value_source"],
    ) == ("simplify", "configured")


def test_grid_command_prints_json_and_writes_svg(cli_env: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    init = ["init", "--org-name", "Test Co", "--admin-email", "ada@test.example"]
    init += ["--admin-password", "a long demo password 42", "--domain", "test.example"]
    assert runner.invoke(app, init).exit_code == 0
    with organisation_session(cli_sessions(), None) as db:
        reason_service.create(db=db, reason_in=ReasonCreate(name="<b>Lost</b> card"))
    reasons_app = typer.Typer()
    grid_cli.register(reasons_app)
    reasons_app.command("noop")(lambda: None)  # a group, so "grid" is a subcommand
    shown = runner.invoke(
        reasons_app, ["grid", "--json", "--from", "2026-11-01", "--to", "2026-12-01"]
    )
    assert shown.exit_code == 0, shown.output
    grid = json.loads(shown.output)
    assert [c["name"] for c in grid["cells"]] == ["<b>Lost</b> card"]
    assert grid["period_from"].startswith("2026-11-01")
    svg = tmp_path / "grid.svg"
    written = runner.invoke(reasons_app, ["grid", "--svg", str(svg)])
    assert written.exit_code == 0, written.output
    assert "&lt;b&gt;Lost&lt;/b&gt; card" in svg.read_text()
    bad = runner.invoke(reasons_app, ["grid", "--from", "yesterday"])
    assert bad.exit_code == 1


def test_cancellation_intent_and_an_ended_relationship_make_a_reason_a_cost(
    client: TestClient, org_a: OrgContext, session_factory: Any
) -> None:
    fees = make_reason(session_factory, org_a, "Fees")
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    leaving, ended = (
        make_customer(session_factory, org_a, email=f"{n}@example.com")
        for n in ("leaving", "ended")
    )
    for who in (leaving, ended):
        m = _message(session_factory, org_a, who, "Why this fee?", occurred_at=start.isoformat())
        assign(session_factory, org_a, m, fees)
    later = (start + timedelta(days=8)).isoformat()
    goodbye = _message(
        session_factory, org_a, leaving, "I will close my account", occurred_at=later
    )
    analyse(session_factory, org_a, goodbye, intent=["cancellation"])
    relationship = relationship_of(session_factory, org_a, ended.id)
    with org_session(session_factory, org_a) as db:
        db.add(
            StageHistory(
                relationship_id=relationship.id,
                stage="terminating",
                phase="long_term",
                evidence=[],
                valid_from=start + timedelta(days=20),
            )
        )
    period = {"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    cell = client.get(f"{R}/grid", params=period, headers=org_a.headers).json()["cells"][0]
    assert (cell["company_value"], cell["company_value_source"]) == (-1.0, "derived")
    assert (cell["evidence"]["customers"], cell["evidence"]["customers_negative_after"]) == (2, 2)
    assert cell["quadrant"] == "eliminate"


def test_new_messages_get_a_reason_after_ingest_once_a_model_is_trained(
    client: TestClient, org_a: OrgContext, session_factory: Any, customer: Customer
) -> None:
    before = _message(session_factory, org_a, customer, "my card has still not arrived")
    assert flows.classify_new_after_ingest(session_factory, org_a.organisation_id) == 0  # no model
    _trained(client, org_a)
    later = _message(session_factory, org_a, customer, "how do I add money by bank transfer")

    ingest.after_ingest(session_factory, org_a.organisation_id)
    ingest.after_ingest(session_factory, org_a.organisation_id)  # again: nothing to do

    with org_session(session_factory, org_a) as db:
        labels = {
            m.interaction_id: db.get(ContactReason, m.reason_id).name  # type: ignore[union-attr]
            for m in db.scalars(select(MessageReason))
        }
    assert labels == {before: "Lost card", later: "Top up"}
