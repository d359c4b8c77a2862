"""The segments pages: the list with members and cadence, the editor's labelled condition rows,
a preview that stores nothing, mistakes shown with the condition named, escaping, who may edit,
CSRF and tenancy."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.segments.models import Segment
from tests.factories.customers import org_session
from tests.factories.segments import make_relationship
from tests.integration.conftest import World
from tests.web_support import sign_in


def _form(token: str, name: str, action: str = "save", **fields: str) -> dict[str, str]:
    base = {
        "csrf_token": token,
        "action": action,
        "name": name,
        "priority": "5",
        "rows": "4",
        "group-1": "1",
        "field-1": "health",
        "op-1": "gte",
        "value-1": "70",
        "field-2": "",
    }
    return base | fields


def test_the_list_shows_this_organisations_segments_with_members(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.a.values["member_email"])  # an agent

    page = client.get("/segments")

    assert page.status_code == 200
    assert f'href="/segments/{world.a.ids["segment"]}"' in page.text
    assert str(world.b.ids["segment"]) not in page.text
    assert "Everyone" in page.text
    assert 'href="/segments/new"' not in page.text  # agents read only
    assert client.get("/segments/new").status_code == 403
    assert client.get(f"/segments/{world.b.ids['segment']}").status_code == 404
    detail = client.get(f"/segments/{world.a.ids['segment']}")
    assert detail.status_code == 200
    assert '<label for="field-1" class="sr-only">Condition 1 field</label>' in detail.text
    for shown in (page, detail):
        assert 'style="' not in shown.text  # the content security policy allows no inline style
        assert "<script" not in shown.text


def test_a_manager_previews_then_creates_a_segment_with_its_cadence(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    for name, health in (("Ann", 90.0), ("Bo", 75.0), ("Cy", 10.0)):
        make_relationship(session_factory, world.a.ctx, name, health=health)
    token = sign_in(client, world.a.ctx.admin_email)
    named = "<b>Happy</b> few"

    preview = client.post("/segments/new", data=_form(token, named, action="preview"))
    with org_session(session_factory, world.a.ctx) as db:
        stored = db.scalar(select(func.count()).select_from(Segment))
    created = client.post("/segments/new", data=_form(token, named, ideal_days="7", max_days="14"))

    assert preview.status_code == 200
    assert re.search(r"<strong>2</strong> of 4 relationships meet these conditions", preview.text)
    assert stored == 1  # only build_org's: the preview stored nothing
    assert created.status_code == 200  # followed the redirect to the segment's page
    assert "&lt;b&gt;Happy&lt;/b&gt; few" in created.text
    assert "<b>Happy</b>" not in created.text
    assert "every 7 days, at most 14" in created.text
    assert "<dt>Members</dt><dd>2</dd>" in created.text


def test_mistakes_name_the_condition_and_nothing_is_stored(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)

    not_number = client.post("/segments/new", data=_form(token, "Odd", **{"value-1": "lots"}))
    wrong_op = client.post(
        "/segments/new",
        data=_form(token, "Odd", **{"field-2": "stage", "op-2": "gt", "value-2": "bonding"}),
    )
    endless = client.post(
        "/segments/new",
        data=_form(
            token, "Odd", **{"field-2": "reasons", "op-2": "eq", "value-2": "x", "days-2": "1e999"}
        ),
    )
    no_csrf = client.post("/segments/new", data=_form("forged", "Odd"))

    assert not_number.status_code == 422
    assert "row 1: &#39;lots&#39; is not a number" in not_number.text
    assert wrong_op.status_code == 422
    assert "condition 2 (stage): gt compares numbers" in wrong_op.text
    assert 'value="Odd"' in wrong_op.text  # the form comes back as sent
    assert endless.status_code == 422
    assert "row 2: &#39;1e999&#39; is not a number" in endless.text
    assert no_csrf.status_code == 403
    with org_session(session_factory, world.a.ctx) as db:
        assert db.scalar(select(func.count()).select_from(Segment)) == 1


def test_a_manager_edits_and_deletes_an_agent_cannot(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    url = f"/segments/{world.a.ids['segment']}"
    agent = sign_in(client, world.a.values["member_email"])
    refused = client.post(url, data=_form(agent, "Mine now"))
    token = sign_in(client, world.a.ctx.admin_email)

    saved = client.post(url, data=_form(token, "Healthy", ideal_days="10", max_days="30"))
    deleted = client.post(f"{url}/delete", data={"csrf_token": token})

    assert refused.status_code == 403
    assert saved.status_code == 200
    assert "<h1>Healthy</h1>" in saved.text
    assert "every 10 days, at most 30" in saved.text
    assert deleted.status_code == 200
    assert "No segments yet" in deleted.text
    with org_session(session_factory, world.a.ctx) as db:
        assert db.scalar(select(func.count()).select_from(Segment)) == 0
