"""The quality pages: speed beside quality per member, team and organisation (agents see their
own numbers), the conversations behind a number, the coaching view; role refusal and tenancy."""

from __future__ import annotations

from fastapi.testclient import TestClient

from goodwill.quality import definitions
from tests.integration.conftest import World
from tests.web_support import sign_in


def test_a_manager_sees_every_member_and_the_organisation(client: TestClient, world: World) -> None:
    sign_in(client, world.a.ctx.admin_email)
    page = client.get("/quality")
    assert page.status_code == 200
    assert "First response time" in page.text
    for definition in definitions.DEFINITIONS:  # speed beside quality, every metric a column
        assert definition.title in page.text
    admin = world.a.ctx.admin_member_id
    assert f"/quality/conversations?metric=first_response_time&amp;member_id={admin}" in page.text
    organisation = client.get("/quality?group_by=organisation")
    assert organisation.status_code == 200
    assert ">organisation</th>" in organisation.text
    assert client.get("/quality?group_by=planet").status_code == 422
    drill = client.get(f"/quality/conversations?metric=first_response_time&member_id={admin}")
    assert drill.status_code == 200
    assert str(world.a.ids["quality_conversation"]) in drill.text
    coaching = client.get(f"/quality/coaching/{admin}")
    assert coaching.status_code == 200
    assert "1 of 1 replies reviewed" in coaching.text


def test_an_agent_sees_their_own_numbers_only(client: TestClient, world: World) -> None:
    sign_in(client, world.a.values["member_email"])
    page = client.get("/quality")
    assert page.status_code == 200
    assert f"/quality/coaching/{world.a.ctx.admin_member_id}" not in page.text
    assert client.get("/quality?group_by=organisation").status_code == 403
    admin = world.a.ctx.admin_member_id
    assert client.get(f"/quality/coaching/{admin}").status_code == 403
    assert client.get(f"/quality/conversations?member_id={admin}").status_code == 403
    assert client.get(f"/quality/coaching/{world.a.ids['member']}").status_code == 200


def test_another_organisations_member_is_not_found(client: TestClient, world: World) -> None:
    sign_in(client, world.a.ctx.admin_email)
    assert client.get(f"/quality/coaching/{world.b.ctx.admin_member_id}").status_code == 404
