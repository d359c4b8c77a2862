"""The operators' verdicts on the coach's findings: stored with their draft, a sentence judged
wrong repeatedly muted for that organisation only, the tallies for managers, the export, and the
verdicts' life (a customer's erasure, the retention policy)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill.audit.models import AuditEvent
from goodwill.cli import app
from goodwill.cli_support import organisation_session
from goodwill.cli_support import session_factory as cli_sessions
from goodwill.coach import verdicts
from goodwill.coach.models import CoachVerdict
from goodwill.database import utcnow
from goodwill.main import API_PREFIX
from goodwill.organisations.models import Member
from goodwill.privacy import retention
from goodwill.quality.models import ReplyReview
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.interactions import make_conversation, make_interaction
from tests.factories.organisations import OrgContext, add_member
from tests.factories.quality import review_all

COACH = f"{API_PREFIX}/coach"
CUSTOMER = "My parcel is two weeks late and nobody answers my emails. Where is it?"
# a team's standard line that the rules read as blame; the reference number changes per draft
LINE = "Deliveries are handled by our partner depot under reference {n}."


def _draft(n: int) -> str:
    return (
        f"Hi Sam,\n\nI'm sorry for the wait. {LINE.format(n=n)} I've booked a redelivery for "
        "Thursday before noon and I'll text you when the van leaves.\n\nBest,\nOwen"
    )


def _coach(client: TestClient, headers: dict[str, str], reply: str) -> dict[str, Any]:
    r = client.post(COACH, json={"customer_message": CUSTOMER, "reply": reply}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _blame(verdict: dict[str, Any]) -> dict[str, Any] | None:
    return next((f for f in verdict["findings"] if f["category"] == "blame_shifting"), None)


def _judge(
    client: TestClient, headers: dict[str, str], reply: str, finding: dict[str, Any], said: str
) -> dict[str, Any]:
    body = {
        "customer_message": CUSTOMER,
        "reply": reply,
        "category": finding["category"],
        "start": finding["start"],
        "end": finding["end"],
        "verdict": said,
    }
    r = client.post(f"{COACH}/verdicts", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_a_line_judged_wrong_twice_is_muted_for_that_organisation_only(
    client: TestClient, org_a: OrgContext, org_b: OrgContext
) -> None:
    first = _coach(client, org_a.headers, _draft(1001))
    flagged = _blame(first)
    assert flagged is not None, first  # the premise: the rules read the line as blame
    assert _judge(client, org_a.headers, _draft(1001), flagged, "wrong")["muted"] is False
    second = _coach(client, org_a.headers, _draft(2002))
    again = _blame(second)
    assert again is not None, "one verdict does not mute"
    assert _judge(client, org_a.headers, _draft(2002), again, "wrong")["muted"] is True
    # the same line with another number, in organisation A: not reported, the score without it
    third = _coach(client, org_a.headers, _draft(3003))
    assert _blame(third) is None
    assert third["score"] > second["score"]
    assert [f["category"] for f in third["findings"]] == [
        f["category"] for f in second["findings"] if f["category"] != "blame_shifting"
    ]
    # organisation B's coach is untouched
    assert _blame(_coach(client, org_b.headers, _draft(3003))) is not None


def test_a_muted_line_is_left_out_of_the_replies_reviewed_for_quality(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    customer = make_customer(session_factory, org_a)
    conversation = make_conversation(session_factory, org_a, customer_id=customer.id)
    where = str(conversation.id)
    make_interaction(
        session_factory, org_a, customer_id=customer.id, conversation_id=where, body=CUSTOMER
    )
    reply = make_interaction(
        session_factory,
        org_a,
        customer_id=customer.id,
        conversation_id=where,
        direction="outbound",
        body=_draft(4004),
        occurred_at=utcnow().isoformat(),
    )

    def blame_reviewed() -> bool:
        review_all(session_factory, org_a)
        with org_session(session_factory, org_a) as db:
            stored = db.get(ReplyReview, reply.id)
            assert stored is not None
            return any(f["category"] == "blame_shifting" for f in stored.findings)

    assert blame_reviewed()
    for n in (1, 2):
        finding = _blame(_coach(client, org_a.headers, _draft(n)))
        assert finding is not None
        _judge(client, org_a.headers, _draft(n), finding, "wrong")
    with org_session(session_factory, org_a) as db:  # reviewed again, as after a coach upgrade
        db.execute(delete(ReplyReview))
    assert not blame_reviewed()


def test_verdicts_right_as_often_as_wrong_keep_the_finding(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    _, other = add_member(session_factory, org_a, "lee@acme.example", Role.AGENT)
    lee = {"Authorization": f"Bearer {other}"}
    for n, (headers, said) in enumerate(
        [(lee, "right"), (org_a.headers, "wrong"), (lee, "right"), (org_a.headers, "wrong")]
    ):
        reply = _draft(n)
        finding = _blame(_coach(client, headers, reply))
        assert finding is not None
        assert _judge(client, headers, reply, finding, said)["muted"] is False
    assert _blame(_coach(client, org_a.headers, _draft(99))) is not None
    with org_session(session_factory, org_a) as db:
        stored = db.scalars(select(CoachVerdict).order_by(CoachVerdict.created_at)).all()
        assert [v.verdict for v in stored] == ["right", "wrong", "right", "wrong"]
        assert {v.text for v in stored} == {LINE.format(n=n) for n in range(4)}
        assert len({v.sentence_key for v in stored}) == 1
        members = {db.get(Member, v.member_id).user.email for v in stored}  # type: ignore[union-attr]
        assert members == {org_a.admin_email, "lee@acme.example"}


def test_whole_reply_verdicts_are_kept_but_never_mute(
    client: TestClient, org_a: OrgContext
) -> None:
    reply = "Hi Sam,\n\nParcels can take a while.\n\nOwen"
    verdict = _coach(client, org_a.headers, reply)
    whole = next(f for f in verdict["findings"] if f["start"] is None)
    for _ in range(3):
        assert _judge(client, org_a.headers, reply, whole, "wrong")["muted"] is False
    again = _coach(client, org_a.headers, reply)
    assert whole["category"] in {f["category"] for f in again["findings"]}


def test_a_verdict_names_what_is_wrong_with_it(client: TestClient, org_a: OrgContext) -> None:
    reply = _draft(7)
    base = {"customer_message": CUSTOMER, "reply": reply, "verdict": "wrong"}
    cases = [
        ({"category": "rudeness", "start": 0, "end": 5}, "category"),
        ({"category": "blame_shifting", "start": 5, "end": 5000}, "start and end"),
        ({"category": "blame_shifting", "start": 5}, "start and end"),
        ({"category": "blame_shifting", "start": 9, "end": 3}, "start and end"),
    ]
    for extra, field in cases:
        r = client.post(f"{COACH}/verdicts", json=base | extra, headers=org_a.headers)
        assert r.status_code == 422, r.text
        assert field in r.text, r.text
    maybe = base | {"category": "blame_shifting", "start": 0, "end": 5, "verdict": "maybe"}
    assert client.post(f"{COACH}/verdicts", json=maybe, headers=org_a.headers).status_code == 422


def test_another_organisations_relationship_is_not_found(
    client: TestClient,
    org_a: OrgContext,
    org_b: OrgContext,
    session_factory: sessionmaker[Session],
) -> None:
    theirs = relationship_of(session_factory, org_b, make_customer(session_factory, org_b).id)
    body = {
        "customer_message": CUSTOMER,
        "reply": _draft(1),
        "category": "missing_empathy",
        "verdict": "right",
        "relationship_id": str(theirs.id),
    }
    assert client.post(f"{COACH}/verdicts", json=body, headers=org_a.headers).status_code == 404
    assert client.post(f"{COACH}/verdicts", json=body, headers=org_b.headers).status_code == 201


def test_managers_see_the_tallies_and_agents_do_not(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    _, agent_token = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    _, manager_token = add_member(session_factory, org_a, "boss@acme.example", Role.MANAGER)
    for n in (1, 2):
        reply = _draft(n)
        finding = _blame(_coach(client, org_a.headers, reply))
        assert finding is not None
        _judge(client, org_a.headers, reply, finding, "wrong")
    empathy = next(
        f for f in _coach(client, org_a.headers, _draft(3))["findings"] if f["kind"] == "strength"
    )
    _judge(client, org_a.headers, _draft(3), empathy, "right")
    summary = f"{COACH}/verdicts/summary"
    agent = client.get(summary, headers={"Authorization": f"Bearer {agent_token}"})
    assert agent.status_code == 403
    rows = client.get(summary, headers={"Authorization": f"Bearer {manager_token}"}).json()
    by_category = {r["category"]: r for r in rows}
    assert by_category["blame_shifting"] == {
        "category": "blame_shifting",
        "kind": "irritant",
        "right": 0,
        "wrong": 2,
        "muted_sentences": 1,
        "recent_wrong": [LINE.format(n=2), LINE.format(n=1)],
    }
    assert by_category[empathy["category"]]["right"] == 1


def test_erasing_the_customer_removes_their_verdicts_and_retention_ages_them(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    customer = make_customer(session_factory, org_a)
    relationship = relationship_of(session_factory, org_a, customer.id)
    body = {
        "customer_message": CUSTOMER,
        "reply": _draft(1),
        "category": "missing_empathy",
        "verdict": "wrong",
    }
    tied = client.post(
        f"{COACH}/verdicts",
        json=body | {"relationship_id": str(relationship.id)},
        headers=org_a.headers,
    )
    loose = client.post(f"{COACH}/verdicts", json=body, headers=org_a.headers)
    assert (tied.status_code, loose.status_code) == (201, 201)
    erased = client.delete(f"{API_PREFIX}/customers/{customer.id}", headers=org_a.headers)
    assert erased.status_code in (200, 204), erased.text
    with org_session(session_factory, org_a) as db:
        assert list(db.scalars(select(CoachVerdict.id))) == [uuid.UUID(loose.json()["id"])]
        db.execute(update(CoachVerdict).values(created_at=utcnow() - timedelta(days=400)))
    r = client.put(f"{API_PREFIX}/retention", json={"interaction_days": 365}, headers=org_a.headers)
    assert r.status_code == 200, r.text
    retention.apply_everywhere(session_factory)
    with org_session(session_factory, org_a) as db:
        assert db.scalars(select(CoachVerdict.id)).all() == []


def test_the_cli_exports_every_verdict_with_its_draft(cli_env: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    init = ["init", "--org-name", "Test Co", "--admin-email", "ada@test.example"]
    init += ["--admin-password", "a long demo password 42", "--domain", "test.example"]
    assert runner.invoke(app, init).exit_code == 0
    reply = _draft(5)
    start = reply.index("Deliveries")
    with organisation_session(cli_sessions(), None) as db:
        member = db.scalars(select(Member)).one()
        given = verdicts.VerdictIn(CUSTOMER, reply, "blame_shifting", "wrong", start, start + 20)
        verdicts.record(db=db, member=member, given=given, reader="interim-lexicon")
    out = tmp_path / "verdicts.jsonl"
    result = runner.invoke(app, ["coach-verdicts", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 verdicts (1 wrong)" in " ".join(result.output.split())
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["category"] == "blame_shifting"
    assert row["verdict"] == "wrong"
    assert row["text"] == reply[start : start + 20]
    assert row["reply"] == reply
    assert row["customer_message"] == CUSTOMER
    with organisation_session(cli_sessions(), None) as db:
        [event] = db.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert (event.target_type, event.detail) == (
            "coach_verdicts",
            {"verdicts": 1, "file": "verdicts.jsonl"},
        )
