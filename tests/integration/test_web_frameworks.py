"""The response frameworks pages: the library, the editor (a save is a version reviewed by the
coach), publication blocked by the review unless a manager overrides, outcomes for managers;
escaping, CSRF refusal, who may edit, and tenancy."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.frameworks.models import ResponseFramework
from tests.factories.customers import org_session
from tests.factories.frameworks import GOOD_BODY
from tests.integration.conftest import World
from tests.web_support import sign_in

IRRITATING = (
    "As per our policy, please read our FAQ before contacting us. Thank you for your patience."
)


def _form(token: str, name: str, body: str) -> dict[str, object]:
    return {"name": name, "body": body, "intents": ["complaint"], "csrf_token": token}


def test_library_lists_the_organisations_frameworks(client: TestClient, world: World) -> None:
    sign_in(client, world.a.values["member_email"])
    library = client.get("/frameworks")
    assert library.status_code == 200
    assert f'href="/frameworks/{world.a.ids["framework"]}"' in library.text
    assert str(world.b.ids["framework"]) not in library.text
    assert "No retired frameworks yet" in client.get("/frameworks?status=retired").text
    assert client.get("/frameworks?status=lost").status_code == 422
    assert client.get(f"/frameworks/{world.b.ids['framework']}").status_code == 404
    page = client.get(f"/frameworks/{world.a.ids['framework']}")
    assert page.status_code == 200
    assert '<script src="/static/framework.js" defer></script>' in page.text
    assert "Can be published" in page.text


def test_a_new_framework_is_reviewed_escaped_and_blocked_until_a_manager_overrides(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    assert client.post("/frameworks/new", data={"name": "x", "body": "y"}).status_code == 403
    bad = client.post("/frameworks/new", data=_form(token, "Oops", "Hi {{nobody}}"))
    assert bad.status_code == 422
    assert "unknown variable" in bad.text
    created = client.post("/frameworks/new", data=_form(token, "<b>Policy</b> reply", IRRITATING))
    assert created.status_code == 200
    assert "&lt;b&gt;Policy&lt;/b&gt; reply" in created.text
    assert "Blocked: fix the text" in created.text
    found = re.search(r'action="/frameworks/([0-9a-f-]{36})/publish"', created.text)
    assert found is not None
    url = f"/frameworks/{found.group(1)}/publish"
    blocked = client.post(url, data={"csrf_token": token})
    assert blocked.status_code == 409
    assert "is not published: the coach found" in blocked.text
    reason = "Legal asked for this exact wording."
    assert (
        client.post(url, data={"csrf_token": token, "override_reason": reason}).status_code == 200
    )
    with org_session(session_factory, world.a.ctx) as db:
        stored = db.scalar(
            select(ResponseFramework).where(ResponseFramework.name == "<b>Policy</b> reply")
        )
        assert stored is not None
        assert stored.status == "published"


def test_an_agent_cannot_change_someone_elses_framework_nor_see_outcomes(
    client: TestClient, world: World
) -> None:
    token = sign_in(client, world.a.values["member_email"])
    url = f"/frameworks/{world.a.ids['framework']}"
    assert client.post(url, data=_form(token, "Mine now", GOOD_BODY)).status_code == 403
    assert client.post(f"{url}/retire", data={"csrf_token": token}).status_code == 403
    assert client.get("/frameworks/outcomes").status_code == 403
    theirs = f"/frameworks/{world.b.ids['framework']}/retire"
    assert client.post(theirs, data={"csrf_token": token}).status_code == 404


def test_a_manager_reads_the_outcomes(client: TestClient, world: World) -> None:
    sign_in(client, world.a.ctx.admin_email)
    page = client.get("/frameworks/outcomes?days=30")
    assert page.status_code == 200
    assert "What the frameworks did" in page.text
