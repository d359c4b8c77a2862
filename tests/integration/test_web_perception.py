"""The perception pages: the book of gaps (a manager sees every owner's blind spots, an agent
their own), a relationship's two sides with the owner's estimate form and the one-time link."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.perception.models import PerceptionAnswer, PerceptionRequest
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext
from tests.factories.perception import FINE, customer_answers, owner_estimate
from tests.integration.perception_support import Team, make_relationship, make_team, token_of
from tests.web_support import sign_in


@pytest.fixture
def team(session_factory: sessionmaker[Session], org_a: OrgContext) -> Team:
    return make_team(session_factory, org_a)


@pytest.fixture
def book(
    session_factory: sessionmaker[Session], org_a: OrgContext, team: Team
) -> dict[str, uuid.UUID]:
    f = session_factory
    blind = make_relationship(f, org_a, owner=team.ana, name="Blind Spot Ltd")
    fine = make_relationship(f, org_a, owner=team.bo, name="Fine Co")
    customer_answers(f, org_a, blind, FINE | {"ease": 1})
    owner_estimate(f, org_a, blind, team.ana.member_id, FINE | {"ease": 5})
    customer_answers(f, org_a, fine, FINE)
    owner_estimate(f, org_a, fine, team.bo.member_id, FINE)
    return {"blind": blind, "fine": fine}


def test_a_manager_sees_blind_spots_per_owner(
    client: TestClient, team: Team, book: dict[str, uuid.UUID]
) -> None:
    sign_in(client, team.max.email)
    page = client.get("/perception")
    assert page.status_code == 200, page.text
    assert 'href="/perception" aria-current="page"' in page.text
    assert '<strong id="blind-spots">1</strong>' in page.text
    owners = page.text.split('id="owners"')[1].split("</table>")[0]
    assert owners.index("ana@acme.example") < owners.index("bo@acme.example")
    assert '<span class="tag bad">1</span>' in owners
    rows = page.text.split('id="gaps"')[1]
    assert rows.index("Blind Spot Ltd") < rows.index("Fine Co")
    assert f'href="/relationships/{book["blind"]}/perception"' in rows
    assert '<span class="tag bad">-4</span>' in rows
    only_bo = client.get(f"/perception?owner={team.bo.member_id}&blind=1")
    assert "Blind Spot Ltd" not in only_bo.text
    assert client.get("/perception?window=0").status_code == 422
    assert client.get("/perception?owner=nobody").status_code == 422


def test_an_agent_sees_their_own_book(
    client: TestClient, team: Team, book: dict[str, uuid.UUID]
) -> None:
    sign_in(client, team.bo.email)
    page = client.get(f"/perception?owner={team.ana.member_id}")  # ignored for an agent
    assert page.status_code == 200
    assert "Fine Co" in page.text
    assert "Blind Spot Ltd" not in page.text
    assert client.get(f"/relationships/{book['blind']}/perception").status_code == 403


def test_the_owner_gives_an_estimate_beside_the_customers_answers(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    team: Team,
    book: dict[str, uuid.UUID],
) -> None:
    csrf = sign_in(client, team.ana.email)
    url = f"/relationships/{book['blind']}/perception"
    page = client.get(url)
    assert page.status_code == 200
    assert "How much value does Blind Spot Ltd feel they get from working with us?" in page.text
    assert "Blind spot" in page.text
    assert 'name="ease" value="5" checked' in page.text  # her last estimate
    incomplete = {"csrf_token": csrf, "value_received": "4", "value_given": "2", "trust": "4"}
    refused = client.post(f"{url}/owner", data=incomplete)
    assert refused.status_code == 422
    assert 'id="ease-error"' in refused.text
    assert 'name="trust" value="4" checked' in refused.text  # what she entered is kept
    saved = client.post(f"{url}/owner", data=incomplete | {"ease": "1"}, follow_redirects=False)
    assert saved.status_code == 303
    after = client.get(saved.headers["location"])
    assert "Blind spot" not in after.text
    no_csrf = client.post(f"{url}/owner", data={**incomplete, "csrf_token": "x", "ease": "2"})
    assert no_csrf.status_code == 403
    with org_session(session_factory, org_a) as db:
        owners = select(func.count()).where(PerceptionAnswer.side == "owner")
        assert db.scalar(owners.select_from(PerceptionAnswer)) == 3


def test_a_link_is_shown_once_and_not_made_twice(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    team: Team,
    book: dict[str, uuid.UUID],
) -> None:
    csrf = sign_in(client, team.bo.email)
    url = f"/relationships/{book['fine']}/perception"
    made = client.post(f"{url}/link", data={"csrf_token": csrf})
    assert made.status_code == 200
    link = made.text.split('id="new-link">')[1].split("<")[0]
    assert link.startswith("https://testserver/p/gw_")
    assert client.get(url).text.count(token_of(link)) == 0  # shown once
    assert "is open until" in client.get(url).text
    again = client.post(f"{url}/link", data={"csrf_token": csrf})
    assert "No new link: a link made on" in again.text
    assert (
        client.post(
            f"/relationships/{book['blind']}/perception/link", data={"csrf_token": csrf}
        ).status_code
        == 403
    )
    with org_session(session_factory, org_a) as db:
        assert db.scalar(select(func.count()).select_from(PerceptionRequest)) == 3
