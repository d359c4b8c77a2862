"""The coach page and the coach panel of a relationship page: the form without JavaScript, the
JSON coach the page's script calls with the session and its CSRF header, escaping, CSRF refusal,
tenancy; and page views of a relationship recorded in the audit log."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.audit.models import AuditEvent
from goodwill.database import utcnow
from goodwill.web.coach_pages import Piece, marked
from tests.factories.customers import org_session
from tests.factories.interactions import make_interaction
from tests.integration.conftest import World
from tests.web_support import csrf, sign_in

MESSAGE = "My card was charged twice, I am furious!"
DRAFT = "As per our policy, please read our FAQ before contacting us. Thank you for your patience."


def test_marked_cuts_the_draft_at_irritant_spans_and_joins_overlaps() -> None:
    findings = [
        {"kind": "irritant", "start": 0, "end": 5, "category": "a"},
        {"kind": "irritant", "start": 3, "end": 8, "category": "b"},
        {"kind": "irritant", "start": None, "end": None, "category": "c"},
        {"kind": "strength", "start": 9, "end": 12, "category": "d"},
    ]
    assert marked("abcdefghijklm", findings) == [
        Piece("abcdefgh", (1, 2)),
        Piece("ijklm"),
    ]
    assert marked("é😀x", [{"kind": "irritant", "start": 1, "end": 2}]) == [
        Piece("é"),
        Piece("😀", (1,)),
        Piece("x"),
    ]


def test_coach_page_renders_empty_then_marks_irritants_without_javascript(
    client: TestClient, world: World
) -> None:
    token = sign_in(client, world.a.values["member_email"])
    empty = client.get("/coach")
    assert empty.status_code == 200
    assert "Write the customer's message and your draft to see it here." in empty.text
    assert '<script src="/static/coach.js" defer></script>' in empty.text
    answer = client.post(
        "/coach", data={"customer_message": MESSAGE, "reply": DRAFT, "csrf_token": token}
    )
    assert answer.status_code == 200
    assert '<mark data-findings="1"' in answer.text
    assert "As per our policy, please read our FAQ before contacting us.</mark>" in answer.text
    assert "blame shifting" in answer.text
    assert "data-coach-score>0</output>" in answer.text


def test_coach_form_escapes_the_draft_and_refuses_without_csrf(
    client: TestClient, world: World
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    script = "<script>alert(1)</script> As per our policy, no."
    answer = client.post(
        "/coach", data={"customer_message": MESSAGE, "reply": script, "csrf_token": token}
    )
    assert "<script>alert(1)" not in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    refused = client.post("/coach", data={"customer_message": MESSAGE, "reply": DRAFT})
    assert refused.status_code == 403
    empty = client.post(
        "/coach", data={"customer_message": " ", "reply": DRAFT, "csrf_token": token}
    )
    assert empty.status_code == 422
    assert "Write the customer&#39;s message and your draft" in empty.text


def test_the_json_coach_takes_the_session_with_the_csrf_header(
    client: TestClient, world: World
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    body = {"customer_message": MESSAGE, "reply": DRAFT}
    assert client.post("/api/v1/coach", json=body).status_code == 403
    answer = client.post("/api/v1/coach", json=body, headers={"x-csrf-token": token})
    assert answer.status_code == 200
    spans = [(f["start"], f["end"]) for f in answer.json()["findings"] if f["start"] is not None]
    assert (0, 60) in spans


def test_coach_with_another_organisations_relationship_is_not_found(
    client: TestClient, world: World
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    data = {
        "customer_message": MESSAGE,
        "reply": DRAFT,
        "relationship_id": str(world.b.ids["relationship"]),
        "csrf_token": token,
    }
    assert client.post("/coach", data=data).status_code == 404
    mine = {**data, "relationship_id": str(world.a.ids["relationship"])}
    answer = client.post("/coach", data=mine)
    assert answer.status_code == 200
    assert f'/relationships/{world.a.ids["relationship"]}"' in answer.text


def test_relationship_page_offers_the_coach_on_the_latest_message_and_is_audited(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    customer_id = world.a.ids["customer"]
    make_interaction(
        session_factory,
        world.a.ctx,
        customer_id=customer_id,
        body="Where <b>is</b> it?",
        occurred_at=(utcnow() - timedelta(minutes=5)).isoformat(),
    )
    sign_in(client, world.a.ctx.admin_email)
    rel_id = world.a.ids["relationship"]
    page = client.get(f"/relationships/{rel_id}").text
    assert "Reply coach" in page
    assert ">Where &lt;b&gt;is&lt;/b&gt; it?</textarea>" in page
    assert f'name="relationship_id" value="{rel_id}"' in page
    assert csrf(page)
    with org_session(session_factory, world.a.ctx) as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.target_id == str(rel_id)))
        views = [e for e in events if e.action == "view" and e.actor == "session"]
    assert views
    assert views[0].route == "GET /relationships/{relationship_id}"
    assert views[0].actor_member_id == world.a.ctx.admin_member_id
