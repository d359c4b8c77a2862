"""The contact reasons pages: the grid and its table, a reason's messages, rename, merge and split
(managers only, checked on the server), training, escaping, CSRF refusal and tenancy."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.reasons.models import ContactReason, MessageReason, ReasonTraining
from tests.factories.customers import org_session
from tests.integration.conftest import World
from tests.web_support import sign_in

PERIOD = "from=2026-02-01&to=2026-03-31"  # the factories' messages are of 1 March 2026


def test_reasons_page_draws_the_grid_with_links_to_each_reason(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.a.values["member_email"])
    page = client.get(f"/reasons?{PERIOD}")
    assert page.status_code == 200
    reason_id = world.a.ids["reason"]
    assert f'href="/reasons/{reason_id}"' in page.text
    assert "acme-reason" in page.text
    assert "beta-reason" not in page.text
    assert "Classifier training" in page.text
    assert "Train the classifier" not in page.text  # an agent: no button (and no right, below)


def test_reasons_page_empty_period_and_bad_dates(client: TestClient, world: World) -> None:
    sign_in(client, world.a.ctx.admin_email)
    empty = client.get("/reasons?from=2020-01-01&to=2020-01-31")
    assert "No classified contacts in this period" in empty.text
    bad = client.get("/reasons?from=yesterday")
    assert bad.status_code == 422
    assert "from: give a date as YYYY-MM-DD" in bad.text


def test_reason_page_lists_its_messages_escaped_and_is_not_found_for_others(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    with org_session(session_factory, world.a.ctx) as db:
        reason = db.get(ContactReason, world.a.ids["reason"])
        assert reason is not None
        reason.description = "<script>alert(1)</script>"
    sign_in(client, world.a.ctx.admin_email)
    page = client.get(f"/reasons/{world.a.ids['reason']}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text
    assert "My card was declined in Lisbon" in page.text
    assert client.get(f"/reasons/{world.b.ids['reason']}").status_code == 404


def test_rename_merge_and_split_need_a_manager_and_the_csrf_token(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    reason_id = world.a.ids["reason"]
    token = sign_in(client, world.a.values["member_email"])  # an agent
    url = f"/reasons/{reason_id}"
    refused = client.post(f"{url}/update", data={"name": "Renamed", "csrf_token": token})
    assert refused.status_code == 403
    assert client.post("/reasons/train", data={"csrf_token": token}).status_code == 403
    client.cookies.clear()
    token = sign_in(client, world.a.ctx.admin_email)
    assert client.post(f"{url}/update", data={"name": "Renamed"}).status_code == 403
    clash = client.post(f"{url}/update", data={"name": "acme-reason-2", "csrf_token": token})
    assert clash.status_code == 422
    assert "already exists" in clash.text
    renamed = client.post(
        f"{url}/update", data={"name": "Card <b>", "company_value": "0.5", "csrf_token": token}
    )
    assert "Card &lt;b&gt;" in renamed.text
    interaction = str(world.a.ids["interaction"])
    split = client.post(
        f"{url}/split",
        data={"name": "Lost cards", "interaction_ids": interaction, "csrf_token": token},
    )
    assert split.status_code == 200
    assert "Lost cards" in split.text
    theirs = f"/reasons/{world.b.ids['reason']}/merge"
    data = {"into_reason_id": str(reason_id), "csrf_token": token}
    assert client.post(theirs, data=data).status_code == 404
    merged = client.post(
        f"/reasons/{world.a.ids['reason_2']}/merge", data={**data, "csrf_token": token}
    )
    assert merged.status_code == 200
    with org_session(session_factory, world.a.ctx) as db:
        stored = db.get(ContactReason, reason_id)
        assert stored is not None
        assert (stored.name, stored.company_value) == ("Card <b>", 0.5)
        label = db.scalar(
            select(MessageReason).where(MessageReason.interaction_id == world.a.ids["interaction"])
        )
        assert label is not None
        moved_to = db.get(ContactReason, label.reason_id)
        assert moved_to is not None
        assert moved_to.name == "Lost cards"
        second = db.get(ContactReason, world.a.ids["reason_2"])
        assert second is not None
        assert second.merged_into_id == reason_id


def test_a_manager_queues_a_training_and_sees_its_state(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    page = client.post("/reasons/train", data={"csrf_token": token})
    assert page.status_code == 200
    with org_session(session_factory, world.a.ctx) as db:
        latest = db.scalar(select(ReasonTraining).order_by(ReasonTraining.requested_at.desc()))
        assert latest is not None
    assert f'<strong class="tag status-{latest.state}">{latest.state}</strong>' in page.text
