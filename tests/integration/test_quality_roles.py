"""Who sees which quality numbers: members their own and their team's, managers everyone's;
and the ``goodwill quality`` commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill.cli import app as cli_app
from goodwill.cli_support import organisation_session
from goodwill.cli_support import session_factory as cli_session_factory
from goodwill.organisations.models import Member
from goodwill.types import Role
from tests.factories.customers import make_customer
from tests.factories.organisations import OrgContext
from tests.factories.pulse import team_id, team_member
from tests.factories.quality import PERIOD, inbound, reply, thread

API = "/api/v1/quality"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_members_see_their_own_and_their_teams_numbers_managers_see_all(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    f = session_factory
    ana, ana_token = team_member(f, org_a, "ana@acme.example", "Blue")
    bob, _ = team_member(f, org_a, "bob@acme.example", "Blue")
    _, boss_token = team_member(f, org_a, "boss@acme.example", "Red", Role.MANAGER)
    customer = make_customer(f, org_a)
    for author in (ana, bob):
        thread(f, org_a, customer_id=customer.id, messages=[inbound(0), reply(1, author)])
    blue, red = team_id(f, org_a, "Blue"), team_id(f, org_a, "Red")

    def get(path: str, token: str, **params: str) -> tuple[int, dict[str, Any]]:
        r = client.get(f"{API}{path}", params=PERIOD | params, headers=_auth(token))
        return r.status_code, r.json()

    status, mine = get("/metrics", ana_token)
    assert status == 200
    assert [i["member_id"] for i in mine["items"]] == [str(ana)]
    status, team = get("/metrics", ana_token, group_by="team")
    assert [i["team_id"] for i in team["items"]] == [str(blue)]
    assert team["items"][0]["speed"]["first_response_time"]["count"] == 2
    assert get("/metrics", ana_token, group_by="organisation")[0] == 403
    status, everyone = get("/metrics", boss_token)
    listed = {i["member_id"] for i in everyone["items"]}
    assert {str(ana), str(bob), str(org_a.admin_member_id)} <= listed
    # drill-down: an agent's own by default, never a colleague's or another team's
    status, own = get("/conversations", ana_token)
    members = {c["member_id"] for i in own["items"] for c in i["contributions"]}
    assert status == 200
    assert members == {str(ana)}
    assert get("/conversations", ana_token, member_id=str(bob))[0] == 403
    assert get("/conversations", ana_token, team_id=str(red))[0] == 403
    status, blue_items = get("/conversations", ana_token, team_id=str(blue))
    assert status == 200
    assert len(blue_items["items"]) == 2
    # coaching: for the member and managers
    assert get(f"/coaching/{ana}", ana_token)[0] == 200
    assert get(f"/coaching/{bob}", ana_token)[0] == 403
    assert get(f"/coaching/{bob}", boss_token)[0] == 200


def test_periods_need_a_time_zone_and_an_order(client: TestClient, org_a: OrgContext) -> None:
    naive = client.get(
        f"{API}/metrics", params={"period_start": "2026-03-01T00:00:00"}, headers=org_a.headers
    )
    assert naive.status_code == 422
    assert "period_start: give a time zone" in naive.text
    backwards = client.get(
        f"{API}/metrics",
        params={"period_start": PERIOD["period_end"], "period_end": PERIOD["period_start"]},
        headers=org_a.headers,
    )
    assert backwards.status_code == 422
    assert "must be before period_end" in backwards.text


runner = CliRunner()


def test_cli_reviews_replies_and_prints_metrics_as_json(cli_env: Path) -> None:
    init = runner.invoke(
        cli_app,
        [
            "init",
            "--org-name",
            "Quality Co",
            "--admin-email",
            "ada@quality.example",
            "--admin-password",
            "a long demo password 42",
        ],
    )
    assert init.exit_code == 0, init.output
    with organisation_session(cli_session_factory(), None) as db:
        admin = db.query(Member).one()
        org = OrgContext(admin.organisation_id, admin.id, "ada@quality.example", "")
    factory = cli_session_factory()
    customer = make_customer(factory, org)
    thread(
        factory,
        org,
        customer_id=customer.id,
        messages=[
            inbound(0, "Why was I charged twice??"),
            reply(3, admin.id, "Unfortunately that is our policy. Regards"),
        ],
    )
    reviewed = runner.invoke(cli_app, ["quality", "review", "--json"])
    assert reviewed.exit_code == 0, reviewed.output
    assert json.loads(reviewed.output)["reviewed"] == 1
    since, until = PERIOD["period_start"], PERIOD["period_end"]
    out = runner.invoke(
        cli_app, ["quality", "metrics", "--since", since, "--until", until, "--json"]
    )
    assert out.exit_code == 0, out.output
    row = next(i for i in json.loads(out.output)["items"] if i["member_id"] == str(admin.id))
    assert row["speed"]["first_response_time"]["value"] == 3.0
    assert row["quality"]["irritant_density"]["numerator"] == 3.0
    bad = runner.invoke(cli_app, ["quality", "metrics", "--by", "week"])
    assert bad.exit_code == 1
    assert "--by: member, team or organisation" in bad.output
