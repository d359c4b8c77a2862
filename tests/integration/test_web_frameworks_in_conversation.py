"""Response frameworks in a conversation, on the relationship page: the published frameworks
that fit the customer's latest message are suggested best first with why; ``?framework=<id>``
fills one for this relationship and opens it as the coach's draft with its personal slot still
marked; another organisation's framework is not found; framework text is shown as text."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.database import utcnow
from goodwill.frameworks.models import FrameworkUsage
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.frameworks import GOOD_BODY, make_framework
from tests.factories.interactions import make_interaction
from tests.factories.organisations import OrgContext
from tests.web_support import sign_in

COMPLAINT = "You charged me twice this month and nobody answers my emails. This is unacceptable."
SLOT = "[[answer: what you found and what you will do, by when]]"


@dataclass
class Scene:
    url: str
    complaint: uuid.UUID
    idea: uuid.UUID


@pytest.fixture
def scene(session_factory: sessionmaker[Session], org_a: OrgContext) -> Scene:
    customer = make_customer(
        session_factory, org_a, email="rosa@example.com", external_id="R-1", name="Rosa Lima"
    )
    make_interaction(
        session_factory,
        org_a,
        customer_id=customer.id,
        body=COMPLAINT,
        occurred_at=(utcnow() - timedelta(minutes=5)).isoformat(),
    )
    relationship = relationship_of(session_factory, org_a, customer.id)
    idea = make_framework(
        session_factory,
        org_a,
        name="Thank for an <idea>",
        intents=["suggestion"],
        examples=["It would be great if the app could export to a spreadsheet"],
    )
    complaint = make_framework(
        session_factory,
        org_a,
        name="Answer a complaint",
        intents=["complaint"],
        examples=["You charged me twice and nobody answers"],
    )
    return Scene(f"/relationships/{relationship.id}", complaint, idea)


def _suggested(page: str) -> list[str]:
    """The framework ids offered, in the order shown."""
    return re.findall(r'action="/relationships/[0-9a-f-]{36}/frameworks/([0-9a-f-]{36})/use"', page)


def _draft(page: str) -> str:
    found = re.search(r'<textarea id="reply"[^>]*>(.*?)</textarea>', page, re.S)
    assert found is not None
    return html.unescape(found.group(1))


def test_the_fitting_framework_is_suggested_first_with_why(
    client: TestClient, org_a: OrgContext, scene: Scene, session_factory: sessionmaker[Session]
) -> None:
    sign_in(client, org_a.admin_email)
    page = client.get(scene.url)
    assert page.status_code == 200
    assert "Suggested frameworks" in page.text
    assert _suggested(page.text) == [str(scene.complaint), str(scene.idea)]
    assert "for complaint messages" in page.text
    assert "Thank for an &lt;idea&gt;" in page.text
    assert "<idea>" not in page.text
    assert _draft(page.text) == ""
    with org_session(session_factory, org_a) as db:  # a page view records nothing
        assert db.scalar(select(func.count()).select_from(FrameworkUsage)) == 0


def test_use_opens_the_filled_framework_as_the_coachs_draft(
    client: TestClient, org_a: OrgContext, scene: Scene
) -> None:
    sign_in(client, org_a.admin_email)
    page = client.get(f"{scene.url}?framework={scene.complaint}")
    assert page.status_code == 200
    draft = _draft(page.text)
    assert draft.startswith("Hi Rosa,")
    assert SLOT in draft
    assert "{{" not in draft
    assert "{%" not in draft
    assert "Your draft is <strong>Answer a complaint</strong>" in page.text
    assert "<q>what you found and what you will do, by when</q>" in page.text
    assert re.search(r'id="coach-score"[^>]*>\d{1,3}<', page.text)  # reviewed by the server
    assert f">{html.escape(COMPLAINT, quote=False)}</textarea>" in page.text
    assert client.get(f"{scene.url}?framework=not-an-id").status_code == 422


def test_another_organisations_framework_is_not_found(
    client: TestClient,
    org_a: OrgContext,
    org_b: OrgContext,
    scene: Scene,
    session_factory: sessionmaker[Session],
) -> None:
    theirs = make_framework(session_factory, org_b, name="Beta's secret", intents=["complaint"])
    sign_in(client, org_a.admin_email)
    page = client.get(f"{scene.url}?framework={theirs}")
    assert page.status_code == 404
    assert "Beta's secret" not in page.text
    assert str(theirs) not in client.get(scene.url).text


def test_no_published_framework_shows_the_empty_state(
    client: TestClient, org_b: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    customer = make_customer(session_factory, org_b, email="x@example.com", external_id="X-1")
    make_interaction(session_factory, org_b, customer_id=customer.id, body=COMPLAINT)
    make_framework(session_factory, org_b, name="Not yet", intents=["complaint"], publish=False)
    relationship = relationship_of(session_factory, org_b, customer.id)
    sign_in(client, org_b.admin_email)
    page = client.get(f"/relationships/{relationship.id}").text
    assert "No framework fits this message yet — build one in" in page
    assert '<a href="/frameworks">Frameworks</a>' in page
    assert _suggested(page) == []


def test_a_script_in_a_framework_shows_as_text(
    client: TestClient, org_a: OrgContext, scene: Scene, session_factory: sessionmaker[Session]
) -> None:
    body = GOOD_BODY + "\n<script>alert(1)</script>"
    draft_id = make_framework(
        session_factory, org_a, name="<script>x</script>", body=body, publish=False
    )
    sign_in(client, org_a.admin_email)
    page = client.get(f"{scene.url}?framework={draft_id}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "<script>x</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)</script>" in _draft(page.text)


def test_using_a_framework_is_counted_then_opens_it_filled(
    client: TestClient, org_a: OrgContext, scene: Scene, session_factory: sessionmaker[Session]
) -> None:
    sign_in(client, org_a.admin_email)
    page = client.get(scene.url)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    use = f"{scene.url}/frameworks/{scene.complaint}/use"
    assert client.post(use, data={}).status_code == 403  # no CSRF token: refused, nothing kept
    answer = client.post(use, data={"csrf_token": token.group(1)}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].endswith(f"?framework={scene.complaint}#coach")
    with org_session(session_factory, org_a) as db:
        events = db.execute(select(FrameworkUsage.event, FrameworkUsage.framework_id)).all()
    assert [(e, str(f)) for e, f in events] == [("used", str(scene.complaint))]
