"""The perception API: one-time links (random, stored hashed, e-mailed through the feedback
loop's SMTP sender), choosing relationships, the owner's estimate, one relationship's gap and
the book of gaps; roles (agents their own relationships, managers all) and tenancy."""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.config import Settings
from goodwill.database import utcnow
from goodwill.main import API_PREFIX, create_app
from goodwill.perception.models import PerceptionAnswer, PerceptionRequest
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext
from tests.factories.perception import FINE, customer_answers, owner_estimate
from tests.integration.perception_support import Team, make_relationship, make_team, token_of

REQUESTS = f"{API_PREFIX}/perception/requests"
GAPS = f"{API_PREFIX}/perception/gaps"


def perception(relationship_id: object) -> str:
    return f"{API_PREFIX}/relationships/{relationship_id}/perception"


@pytest.fixture
def team(session_factory: sessionmaker[Session], org_a: OrgContext) -> Team:
    return make_team(session_factory, org_a)


def _asked(answer: Any) -> set[str]:
    body = answer.json()
    return {i["relationship_id"] for i in body["created"] + body["skipped"]}


def test_links_are_random_stored_hashed_and_shown_once(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, team: Team
) -> None:
    ids = [
        str(make_relationship(session_factory, org_a, owner=team.ana, name=f"C{i}"))
        for i in range(3)
    ]
    answer = client.post(REQUESTS, json={"relationship_ids": ids}, headers=org_a.headers)
    assert answer.status_code == 201, answer.text
    created = answer.json()["created"]
    tokens = [token_of(link["url"]) for link in created]
    assert len(set(tokens)) == 3
    assert all(len(t) >= 46 and t.startswith("gw_") for t in tokens)  # 256 random bits
    assert all(link["url"].startswith("https://testserver/p/gw_") for link in created)
    with org_session(session_factory, org_a) as db:
        rows = list(db.scalars(select(PerceptionRequest)))
        stored = [str(getattr(r, c.key)) for r in rows for c in PerceptionRequest.__table__.c]
    assert {r.token_hash for r in rows} == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    assert not [t for t in tokens if any(t in value for value in stored)]
    shown = client.get(perception(ids[0]), headers=org_a.headers)
    assert shown.json()["open_request"]["request_id"] == created[0]["request_id"]
    assert not [t for t in tokens if t in shown.text]


def test_relationships_are_chosen_by_stage_segment_owner_and_ids(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, team: Team
) -> None:
    f = session_factory
    r1 = str(
        make_relationship(f, org_a, owner=team.ana, name="R1", stage="integrating", segment="vip")
    )
    r2 = str(make_relationship(f, org_a, owner=team.bo, name="R2", stage="integrating"))
    r3 = str(make_relationship(f, org_a, owner=team.ana, name="R3", stage="bonding"))

    def ask(body: dict[str, Any]) -> Any:
        return client.post(REQUESTS, json=body, headers=org_a.headers)

    assert _asked(ask({"segment": "vip"})) == {r1}
    both = ask({"stage": "integrating"})
    assert both.status_code == 201
    assert {i["relationship_id"] for i in both.json()["created"]} == {r2}
    assert both.json()["skipped"][0]["relationship_id"] == r1  # its link is still open
    assert "still open" in both.json()["skipped"][0]["reason"]
    assert _asked(ask({"owner_member_id": str(team.ana.member_id)})) == {r1, r3}
    assert _asked(ask({"relationship_ids": [r2, r3], "stage": "integrating"})) == {r2}
    nothing = ask({"stage": "terminating"})
    assert nothing.status_code == 422
    assert "no relationship matches" in nothing.json()["detail"]
    unknown = ask({"stage": "friendly"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.stage"
    assert ask({}).status_code == 422
    assert ask({"relationship_ids": [r1], "expires_in_days": 0}).status_code == 422
    assert ask({"owner_member_id": str(org_a.organisation_id)}).status_code == 404


def test_agents_act_on_their_own_relationships_and_managers_on_all(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, team: Team
) -> None:
    mine = make_relationship(session_factory, org_a, owner=team.ana, name="Mine", stage="bonding")
    theirs = make_relationship(session_factory, org_a, owner=team.bo, name="Bos", stage="bonding")
    ana, max_ = team.ana.headers, team.max.headers
    refused = client.post(REQUESTS, json={"relationship_ids": [str(theirs)]}, headers=ana)
    assert refused.status_code == 403
    by_owner = client.post(REQUESTS, json={"owner_member_id": str(team.bo.member_id)}, headers=ana)
    assert by_owner.status_code == 403
    own_stage = client.post(REQUESTS, json={"stage": "bonding"}, headers=ana)
    assert _asked(own_stage) == {str(mine)}  # limited to her own
    assert client.put(f"{perception(theirs)}/owner", json=FINE, headers=ana).status_code == 403
    assert client.get(perception(theirs), headers=ana).status_code == 403
    assert client.put(f"{perception(mine)}/owner", json=FINE, headers=ana).status_code == 200
    by_manager = client.put(f"{perception(theirs)}/owner", json=FINE, headers=max_)
    assert by_manager.status_code == 200
    assert by_manager.json()["owner"]["member_id"] == str(team.max.member_id)
    assert (
        client.get(
            GAPS, params={"owner_member_id": str(team.bo.member_id)}, headers=ana
        ).status_code
        == 403
    )
    with org_session(session_factory, org_a) as db:
        assert db.scalar(select(func.count()).select_from(PerceptionAnswer)) == 2


def test_another_organisations_relationship_is_not_found(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    org_b: OrgContext,
    team: Team,
) -> None:
    theirs = make_relationship(session_factory, org_b, owner=None, name="Other")
    assert client.get(perception(theirs), headers=org_a.headers).status_code == 404
    put = client.put(f"{perception(theirs)}/owner", json=FINE, headers=org_a.headers)
    assert put.status_code == 404
    asked = client.post(REQUESTS, json={"relationship_ids": [str(theirs)]}, headers=org_a.headers)
    assert asked.status_code == 404
    assert str(theirs) in asked.json()["detail"]
    with org_session(session_factory, org_b) as db:
        assert db.scalar(select(func.count()).select_from(PerceptionRequest)) == 0
        assert db.scalar(select(func.count()).select_from(PerceptionAnswer)) == 0


def test_the_gap_of_one_relationship_on_hand_built_answers(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, team: Team
) -> None:
    rel = make_relationship(session_factory, org_a, owner=team.ana, name="Gap")
    empty = client.get(perception(rel), headers=org_a.headers).json()
    assert (empty["comparable"], empty["reason"]) == (False, "neither side has answered")
    now = utcnow()
    customer = {"value_received": 2, "value_given": 5, "trust": 4, "ease": 3}
    customer_answers(
        session_factory, org_a, rel, customer, comment="Slow", at=now - timedelta(days=20)
    )
    half = client.get(perception(rel), headers=org_a.headers).json()
    assert half["reason"] == "the owner has not given an estimate"
    assert half["customer"]["scores"] == customer
    owner_estimate(
        session_factory, org_a, rel, team.ana.member_id, FINE, at=now - timedelta(days=5)
    )
    body = client.get(perception(rel), headers=org_a.headers).json()
    assert body["comparable"] is True
    gap = body["gap"]
    assert gap["by_question"] == {"value_received": -2, "value_given": 3, "trust": 0, "ease": -1}
    assert gap["shortfall"] == {"value_received": 2, "value_given": 3, "trust": 0, "ease": 1}
    assert (gap["blind_spot"], gap["largest_shortfall"]) == (True, 3)
    assert (gap["customer_balance"], gap["owner_balance"]) == (-3, 2)
    assert (gap["older_side"], gap["days_apart"]) == ("customer", 15.0)
    assert body["customer"]["comment"] == "Slow"
    narrow = client.get(perception(rel), params={"window_days": 10}, headers=org_a.headers).json()
    assert narrow["gap"] is None
    assert narrow["reason"] == "the customer's answer is not from the last 10 days"
    strict = client.get(perception(rel), params={"threshold": 4}, headers=org_a.headers).json()
    assert strict["gap"]["blind_spot"] is False
    bad = client.get(perception(rel), params={"window_days": 0}, headers=org_a.headers)
    assert bad.status_code == 422
    assert "window_days" in bad.json()["detail"]


def test_owner_estimate_is_checked_and_dated(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, team: Team
) -> None:
    rel = make_relationship(session_factory, org_a, owner=team.ana, name="Est")
    url = f"{perception(rel)}/owner"
    for bad, where in [
        (FINE | {"trust": 6}, "body.trust"),
        ({k: v for k, v in FINE.items() if k != "ease"}, "body.ease"),
        (FINE | {"mood": 3}, "body.mood"),
        (FINE | {"comment": "x" * 2001}, "body.comment"),
    ]:
        answer = client.put(url, json=bad, headers=team.ana.headers)
        assert answer.status_code == 422, bad
        assert answer.json()["errors"][0]["field"] == where
    first = client.put(url, json=FINE | {"comment": "  "}, headers=team.ana.headers).json()
    assert first["owner"]["comment"] is None
    second = client.put(url, json=FINE | {"trust": 2}, headers=team.ana.headers).json()
    assert second["owner"]["scores"]["trust"] == 2  # the latest estimate counts
    assert second["owner"]["answered_at"] >= first["owner"]["answered_at"]


def test_the_book_of_gaps_per_owner_with_blind_spots(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, team: Team
) -> None:
    f, now = session_factory, utcnow()
    blind = make_relationship(f, org_a, owner=team.ana, name="Blind")
    fine = make_relationship(f, org_a, owner=team.bo, name="Fine")
    half = make_relationship(f, org_a, owner=team.bo, name="Half")
    stale = make_relationship(f, org_a, owner=team.ana, name="Stale")
    customer_answers(f, org_a, blind, FINE | {"trust": 1, "ease": 2})  # trust -3, ease -2
    owner_estimate(f, org_a, blind, team.ana.member_id, FINE)
    customer_answers(f, org_a, fine, FINE | {"value_received": 5})  # +1
    owner_estimate(f, org_a, fine, team.bo.member_id, FINE)
    customer_answers(f, org_a, half, FINE)
    customer_answers(f, org_a, stale, FINE | {"trust": 1})
    owner_estimate(f, org_a, stale, team.ana.member_id, FINE, at=now - timedelta(days=120))
    body = client.get(GAPS, headers=team.max.headers).json()
    assert (body["relationships"], body["blind_spots"], body["window_days"]) == (2, 1, 90)
    assert [i["relationship_id"] for i in body["items"]] == [str(blind), str(fine)]
    assert body["items"][0]["gap"]["by_question"]["trust"] == -3
    assert body["items"][0]["customer_name"] == "Blind"
    means = {q["key"]: q["mean_gap"] for q in body["questions"]}
    assert means == {"value_received": 0.5, "value_given": 0.0, "trust": -1.5, "ease": -1.0}
    trust = next(q for q in body["questions"] if q["key"] == "trust")
    assert trust["distribution"]["-3"] == 1
    assert trust["distribution"]["0"] == 1
    owners = {o["owner_name"]: (o["relationships"], o["blind_spots"]) for o in body["owners"]}
    assert owners == {"ana@acme.example": (1, 1), "bo@acme.example": (1, 0)}
    assert body["owners"][0]["owner_member_id"] == str(team.ana.member_id)  # most blind spots
    wide = client.get(GAPS, params={"window_days": 180}, headers=team.max.headers).json()
    assert wide["relationships"] == 3


def test_the_book_is_paged_and_filtered(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, team: Team
) -> None:
    f = session_factory
    blind = make_relationship(f, org_a, owner=team.ana, name="Blind")
    fine = make_relationship(f, org_a, owner=team.bo, name="Fine")
    customer_answers(f, org_a, blind, FINE | {"trust": 1})
    owner_estimate(f, org_a, blind, team.ana.member_id, FINE)
    customer_answers(f, org_a, fine, FINE)
    owner_estimate(f, org_a, fine, team.bo.member_id, FINE)
    page1 = client.get(GAPS, params={"limit": 1}, headers=team.max.headers).json()
    page2 = client.get(
        GAPS, params={"limit": 1, "cursor": page1["next_cursor"]}, headers=team.max.headers
    ).json()
    assert [i["relationship_id"] for i in page1["items"] + page2["items"]] == [
        str(blind),
        str(fine),
    ]
    assert page2["next_cursor"] is None
    assert (
        client.get(GAPS, params={"cursor": "nonsense"}, headers=team.max.headers).status_code == 422
    )
    only = client.get(GAPS, params={"blind_spots_only": True}, headers=team.max.headers).json()
    assert [i["relationship_id"] for i in only["items"]] == [str(blind)]
    assert only["relationships"] == 2  # the totals stay those of the whole book
    bo = client.get(
        GAPS, params={"owner_member_id": str(team.bo.member_id)}, headers=team.max.headers
    )
    assert [i["relationship_id"] for i in bo.json()["items"]] == [str(fine)]
    as_bo = client.get(GAPS, headers=team.bo.headers).json()  # an agent: their own book
    assert [i["relationship_id"] for i in as_bo["items"]] == [str(fine)]


@dataclass
class Inbox:
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_port() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    # aiosmtpd logs each closed connection at INFO from its own thread, after the test's output
    # stream may have been closed (pytest-xdist workers): only its warnings are wanted
    mail_log = logging.getLogger("mail.log")
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
        mail_log.setLevel(level)


def test_links_go_out_by_email_once_stored(
    settings: Settings,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    team: Team,
    smtp_port: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_port
    mailing = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
    app = create_app(settings=mailing, session_factory=session_factory)
    reachable = make_relationship(
        session_factory, org_a, owner=team.ana, name="Mail", stage="bonding"
    )
    silent = make_relationship(
        session_factory, org_a, owner=team.ana, name="Silent", stage="bonding", with_email=False
    )
    with TestClient(app, base_url="https://testserver") as client:
        body = {"stage": "bonding", "send_email": True, "link_base_url": "https://gw.example/"}
        answer = client.post(REQUESTS, json=body, headers=org_a.headers)
        assert answer.status_code == 201, answer.text
        links = {i["relationship_id"]: i for i in answer.json()["created"]}
        assert links[str(reachable)]["emailing"] is True
        assert links[str(silent)]["emailing"] is False
        assert links[str(silent)]["delivery_error"] == "the customer has no e-mail address"
        assert [to for to, _ in inbox.messages] == [["mail@customers.example"]]
        letter = inbox.messages[0][1]
        assert links[str(reachable)]["url"].startswith("https://gw.example/p/gw_")
        assert links[str(reachable)]["url"] in letter.get_content()
        assert "Acme Money" in str(letter["Subject"])
        sent = client.get(perception(reachable), headers=org_a.headers).json()["open_request"]
        assert sent["emailed_at"] is not None
        assert sent["delivery_error"] is None
