"""The web pages through the app's ASGI interface: sign-in redirects, escaping of customer text,
CSRF refusal, tenancy (another organisation's relationship is not found), and the forms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.interactions.models import Interaction
from goodwill.organisations import service as organisation_service
from goodwill.relationships.models import Commitment, Relationship
from goodwill.types import Role
from tests.factories.customers import org_session
from tests.factories.interactions import make_interaction
from tests.factories.organisations import PASSWORD
from tests.integration.conftest import Org, World
from tests.web_support import csrf, sign_in

SCRIPT = '<script>alert("pwned")</script><img src=x onerror=alert(2)>'
PAGES = [
    "/",
    "/relationships",
    "/coach",
    "/reasons",
    "/feedback",
    "/frameworks",
    "/frameworks/new",
    "/quality",
    "/settings",
]


def test_pages_redirect_to_sign_in_without_a_session(client: TestClient, world: World) -> None:
    for path in [*PAGES, f"/relationships/{world.a.ids['relationship']}"]:
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == "/login"


def test_every_page_answers_with_the_security_headers(client: TestClient, world: World) -> None:
    sign_in(client, world.a.ctx.admin_email)
    for path in [*PAGES, f"/relationships/{world.a.ids['relationship']}"]:
        answer = client.get(path)
        assert answer.status_code == 200, path
        policy = answer.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
        scripts = re.findall(r"<script[^>]*>", answer.text)
        assert all(re.fullmatch(r'<script src="/static/[a-z]+\.js" defer>', s) for s in scripts)
        assert "<script>" not in answer.text  # no inline script: the policy would block it
        assert 'style="' not in answer.text


def test_session_cookie_is_http_only_and_same_site(client: TestClient, world: World) -> None:
    token = csrf(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"email": world.a.ctx.admin_email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"].lower()
    assert "goodwill_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_customer_html_shows_as_text(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    customer_id = world.a.ids["customer"]
    make_interaction(session_factory, world.a.ctx, customer_id=customer_id, body=SCRIPT)
    sign_in(client, world.a.ctx.admin_email)
    page = client.get(f"/relationships/{world.a.ids['relationship']}").text
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_a_post_without_the_csrf_token_is_refused(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    sign_in(client, world.a.ctx.admin_email)
    url = f"/relationships/{world.a.ids['relationship']}/notes"
    missing = client.post(url, data={"note": "forged"}, follow_redirects=False)
    wrong = client.post(url, data={"note": "forged", "csrf_token": "0" * 64})
    assert missing.status_code == 403
    assert wrong.status_code == 403
    assert "reload the page" in wrong.text
    with org_session(session_factory, world.a.ctx) as db:
        assert db.scalar(select(Interaction).where(Interaction.body == "forged")) is None


def test_another_organisations_relationship_is_not_found(client: TestClient, world: World) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    theirs = world.b.ids["relationship"]
    assert client.get(f"/relationships/{theirs}").status_code == 404
    for action, data in [
        ("notes", {"note": "hello"}),
        ("promises", {"promise": "call back"}),
        ("owner", {"owner_member_id": str(world.a.ids["member"])}),
    ]:
        url = f"/relationships/{theirs}/{action}"
        answer = client.post(url, data={**data, "csrf_token": token})
        assert answer.status_code == 404, action
        assert world.b.values["customer_email"] not in answer.text


def test_note_promise_and_owner_forms(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    rel_id = world.a.ids["relationship"]
    url = f"/relationships/{rel_id}"
    note = client.post(f"{url}/notes", data={"note": "Called <b>her</b>", "csrf_token": token})
    assert note.status_code == 200  # after the redirect
    assert "Called &lt;b&gt;her&lt;/b&gt;" in note.text
    promise = {"promise": "Send the refund form", "due_at": "2030-01-02T09:30", "csrf_token": token}
    assert "Send the refund form" in client.post(f"{url}/promises", data=promise).text
    empty = client.post(f"{url}/promises", data={"promise": " ", "csrf_token": token})
    assert empty.status_code == 422
    assert "What was promised" in empty.text
    bad_owner = client.post(f"{url}/owner", data={"owner_member_id": "x", "csrf_token": token})
    assert bad_owner.status_code == 422
    assert "choose an active member" in bad_owner.text
    client.post(f"{url}/owner", data={"owner_member_id": "", "csrf_token": token})
    with org_session(session_factory, world.a.ctx) as db:
        assert db.get(Relationship, rel_id).owner_member_id is None  # type: ignore[union-attr]
        stored = db.scalar(select(Commitment).where(Commitment.text == "Send the refund form"))
        assert stored is not None
        assert stored.due_at is not None
        assert stored.due_at.hour == 9
        kinds = db.scalars(select(Interaction.kind).where(Interaction.body == "Called <b>her</b>"))
        assert list(kinds) == ["note"]


def test_today_lists_the_promise_due_and_its_next_conversation(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.a.values["member_email"])  # the owner of the relationship
    page = client.get("/").text
    assert "I&#39;ll send the new card by tomorrow" in page
    assert "Suggested opening" in page


def test_board_filters_sorts_and_saves_views(client: TestClient, world: World) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    board = client.get("/relationships?owner=none&sort=trust&dir=asc")
    assert board.status_code == 200
    assert "0 relationships" in board.text
    everyone = client.get("/relationships?sort=owner").text
    assert "1 relationship<" in everyone
    bad = client.get("/relationships?health_min=lots")
    assert bad.status_code == 422
    assert "health_min: &#39;lots&#39; is not a number" in bad.text
    saved = client.post(
        "/relationships/views",
        data={"name": "Quiet <ones>", "quiet_days": "30", "sort": "health", "csrf_token": token},
    )
    assert saved.status_code == 200
    assert "Quiet &lt;ones&gt;" in saved.text
    assert "quiet_days=30" in saved.text
    client.post("/relationships/views/delete", data={"name": "Quiet <ones>", "csrf_token": token})
    assert "Quiet &lt;ones&gt;" not in client.get("/relationships").text


def test_a_member_of_two_organisations_switches_between_them(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    with org_session(session_factory, world.b.ctx) as db:
        user = organisation_service.get_or_create_user(
            db=db, email=world.a.ctx.admin_email, display_name="Ada", password=None
        )
        organisation_service.add_member(db=db, user=user, role=Role.AGENT)
    token = sign_in(client, world.a.ctx.admin_email)
    assert "Switch" in client.get("/").text
    data = {"organisation_id": str(world.b.ctx.organisation_id), "csrf_token": token}
    switched = client.post("/switch-organisation", data=data)
    assert switched.status_code == 200
    assert '" selected>Beta Bank</option>' in switched.text
    assert client.get(f"/relationships/{world.b.ids['relationship']}").status_code == 200
    assert client.get(f"/relationships/{world.a.ids['relationship']}").status_code == 404
    stranger = {"organisation_id": "0190c4f4-0000-7000-8000-000000000000", "csrf_token": token}
    assert client.post("/switch-organisation", data=stranger).status_code == 404


def _forms(org: Org) -> list[tuple[str, dict[str, str]]]:
    """Every POST form of the second part of the web app, aimed at ``org``'s records."""
    ids = org.ids
    return [
        (
            "/coach",
            {
                "customer_message": "Hi",
                "reply": "Hello",
                "relationship_id": str(ids["relationship"]),
            },
        ),
        ("/reasons/train", {}),
        (f"/reasons/{ids['reason']}/update", {"name": "forged"}),
        (f"/reasons/{ids['reason']}/merge", {"into_reason_id": str(ids["reason_2"])}),
        (
            f"/reasons/{ids['reason']}/split",
            {"name": "forged", "interaction_ids": str(ids["interaction"])},
        ),
        (f"/feedback/ideas/{ids['idea_2']}/status", {"status": "declined"}),
        (f"/feedback/drafts/{ids['loop_draft']}/edit", {"subject": "forged", "body": "forged"}),
        (f"/feedback/drafts/{ids['loop_draft']}/send", {}),
        (f"/settings/members/{ids['member']}/role", {"role": "admin"}),
        ("/settings/tokens", {"name": "forged"}),
        (f"/settings/tokens/{ids['token']}/revoke", {}),
        ("/frameworks/new", {"name": "forged", "body": "Hello there."}),
        (f"/frameworks/{ids['framework']}", {"name": "forged", "body": "Hello there."}),
        (f"/frameworks/{ids['framework']}/publish", {}),
        (f"/frameworks/{ids['framework']}/retire", {}),
    ]


def test_every_new_form_refuses_a_post_without_the_csrf_token(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.a.ctx.admin_email)
    for url, data in _forms(world.a):
        answer = client.post(url, data=data, follow_redirects=False)
        assert answer.status_code == 403, url
        assert "reload the page" in answer.text, url
        wrong = client.post(url, data={**data, "csrf_token": "0" * 64}, follow_redirects=False)
        assert wrong.status_code == 403, url


def test_every_new_form_finds_nothing_of_another_organisation(
    client: TestClient, world: World
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    theirs = [str(i) for i in world.b.ids.values()]
    aimed = [
        (u, d) for u, d in _forms(world.b) if any(i in u + " ".join(d.values()) for i in theirs)
    ]
    assert len(aimed) == 12
    for url, data in aimed:
        answer = client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)
        assert answer.status_code == 404, url
        for marker in world.b.values.values():
            assert marker not in answer.text, url
