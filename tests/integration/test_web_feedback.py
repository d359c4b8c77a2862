"""The feedback pages: the ideas board by status, an idea with its customers and drafts, status
changes that prepare closing-the-loop drafts, editing and sending a draft (managers send),
escaping, CSRF refusal and tenancy."""

from __future__ import annotations

import json

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.config import Settings
from goodwill.feedback import api as feedback_api
from goodwill.feedback import flows
from goodwill.feedback.models import Idea, LoopDraft
from tests.factories.customers import org_session
from tests.integration.conftest import World
from tests.web_support import sign_in


def _hook(sent: list[dict[str, object]]) -> None:
    """Nothing leaves the machine: the outbound webhook is a mock that records what came."""

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200)

    return answer  # type: ignore[return-value]


def test_board_shows_ideas_by_status_and_empty_columns(client: TestClient, world: World) -> None:
    sign_in(client, world.a.values["member_email"])
    board = client.get("/feedback")
    assert board.status_code == 200
    assert f'href="/feedback/ideas/{world.a.ids["idea"]}"' in board.text
    assert f'href="/feedback/ideas/{world.a.ids["idea_2"]}"' in board.text
    assert str(world.b.ids["idea"]) not in board.text
    assert "No ideas shipped." in board.text


def test_idea_page_shows_customers_and_drafts_escaped_and_others_are_not_found(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    with org_session(session_factory, world.a.ctx) as db:
        idea = db.get(Idea, world.a.ids["idea"])
        assert idea is not None
        idea.title = "<script>alert(1)</script> dark mode"
    sign_in(client, world.a.values["member_email"])
    page = client.get(f"/feedback/ideas/{world.a.ids['idea']}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; dark mode" in page.text
    assert "<script>alert(1)" not in page.text
    assert f'id="draft-{world.a.ids["loop_draft"]}"' in page.text
    assert "Change status" not in page.text  # an agent
    assert ">Send</button>" not in page.text
    assert client.get(f"/feedback/ideas/{world.b.ids['idea']}").status_code == 404


def test_agents_cannot_change_status_or_send_and_forms_need_the_token(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.values["member_email"])
    idea_url = f"/feedback/ideas/{world.a.ids['idea_2']}/status"
    send_url = f"/feedback/drafts/{world.a.ids['loop_draft']}/send"
    assert client.post(idea_url, data={"status": "shipped", "csrf_token": token}).status_code == 403
    assert client.post(send_url, data={"csrf_token": token}).status_code == 403
    assert client.post(idea_url, data={"status": "shipped"}).status_code == 403
    with org_session(session_factory, world.a.ctx) as db:
        idea = db.get(Idea, world.a.ids["idea_2"])
        draft = db.get(LoopDraft, world.a.ids["loop_draft"])
        assert idea is not None
        assert draft is not None
        assert (idea.status, draft.state) == ("new", "draft")


def test_a_status_change_prepares_drafts_an_edit_reviews_and_a_send_delivers(
    client: TestClient,
    world: World,
    settings: Settings,
    session_factory: sessionmaker[Session],
) -> None:
    sent: list[dict[str, object]] = []
    http = httpx.Client(transport=httpx.MockTransport(_hook(sent)))  # type: ignore[arg-type]
    client.app.dependency_overrides[feedback_api.get_transport] = lambda: flows.Transport(  # type: ignore[attr-defined]
        settings=settings, http_client=http, sleep=lambda _: None
    )
    token = sign_in(client, world.a.ctx.admin_email)
    idea_id = world.a.ids["idea_2"]
    bad = client.post(
        f"/feedback/ideas/{idea_id}/status", data={"status": "done", "csrf_token": token}
    )
    assert bad.status_code == 422
    shipped = client.post(
        f"/feedback/ideas/{idea_id}/status",
        data={"status": "shipped", "public_note": "Out today.", "csrf_token": token},
    )
    assert shipped.status_code == 200
    assert "Closing the loop" in shipped.text
    with org_session(session_factory, world.a.ctx) as db:
        (draft,) = flows.drafts_of(db=db, idea_id=idea_id)
    assert f'id="draft-{draft.id}"' in shipped.text
    edited = client.post(
        f"/feedback/drafts/{draft.id}/edit",
        data={
            "subject": "CSV export is here",
            "body": "Hi, <b>it shipped</b>.",
            "csrf_token": token,
        },
    )
    assert "Hi, &lt;b&gt;it shipped&lt;/b&gt;." in edited.text
    other = client.post(
        f"/feedback/drafts/{world.b.ids['loop_draft']}/send", data={"csrf_token": token}
    )
    assert other.status_code == 404
    hooked = world.a.ids["loop_draft"]  # the planned idea's letter, to go by the webhook
    page = client.post(
        f"/feedback/drafts/{hooked}/send", data={"csrf_token": token, "override": "yes"}
    )
    assert page.status_code == 200
    with org_session(session_factory, world.a.ctx) as db:
        stored = db.get(LoopDraft, hooked)
        edited_draft = db.get(LoopDraft, draft.id)
        assert stored is not None
        assert edited_draft is not None
        assert stored.state == "sent"
        assert edited_draft.subject == "CSV export is here"
    assert len(sent) == 1
