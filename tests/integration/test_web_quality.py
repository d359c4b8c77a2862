"""The quality pages: speed beside quality per member, team and organisation (agents see their
own numbers), the conversations behind a number, the coaching view; role refusal and tenancy."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.quality import definitions
from goodwill.types import Role
from tests.factories.customers import make_customer, relationship_of
from tests.factories.organisations import OrgContext, add_member
from tests.factories.quality import T0, inbound, promise, reason, reply, thread
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


class _Cells(HTMLParser):
    """The metrics table's rows: label → the text of each cell, spaces collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.cell: list[str] | None = None
        self.row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.row = []
        elif tag in ("th", "td"):
            self.cell = []

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row:
            self.rows[self.row[0]] = self.row[1:]


def _figures(page: str) -> dict[str, list[str]]:
    table = page[page.index('<table class="quality">') : page.index("</table>")]
    parser = _Cells()
    parser.feed(table)
    return {label: cells[:8] for label, cells in parser.rows.items()}


def test_the_page_shows_each_members_figures_from_hand_built_conversations(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """Speed beside quality, as numbers a person reads, for two members and the organisation
    (the same figures before and after the page was made faster)."""
    ana, _ = add_member(session_factory, org_a, "ana@acme.example", Role.AGENT)
    bob, _ = add_member(session_factory, org_a, "bob@acme.example", Role.AGENT)
    card = reason(session_factory, org_a, "card")
    x, y, z = (make_customer(session_factory, org_a).id for _ in range(3))
    calm = "Works now, thank you!"
    thread(session_factory, org_a, customer_id=x, messages=[
        inbound(0, sentiment=-0.8, reason=card), reply(2, ana), inbound(3, calm, sentiment=0.6),
    ])  # fmt: skip
    thread(session_factory, org_a, customer_id=y, messages=[inbound(0, reason=card), reply(4, ana)])
    # Y comes back on the same reason a day later, in an older conversation (before the period)
    thread(
        session_factory,
        org_a,
        customer_id=y,
        opened_at=T0 - timedelta(days=10),
        messages=[inbound(24 * 11, "The card fails again.", reason=card)],
    )
    thread(
        session_factory,
        org_a,
        customer_id=z,
        closed_at=T0 + timedelta(hours=2),
        messages=[inbound(0), reply(1, bob), inbound(5, "It broke again.")],
    )
    relationship = relationship_of(session_factory, org_a, z)
    for status, day in (("kept", 3), ("broken", 4)):
        promise(
            session_factory,
            org_a,
            relationship_id=relationship.id,
            owner=bob,
            status=status,
            closed_at=T0 + timedelta(days=day),
        )
    sign_in(client, org_a.admin_email)
    period = "from=2026-03-01&to=2026-03-31"
    figures = _figures(client.get(f"/quality?{period}").text)
    # first response, handling, resolution, reopen, sentiment recovery, irritants, empathy,
    # promises kept
    assert figures["ana@acme.example"] == [
        "3.0 h n=2", "3.0 h n=2", "50 % n=2", "0 % n=2", "1.40 n=1", "—", "—", "—",
    ]  # fmt: skip
    assert figures["bob@acme.example"] == [
        "1.0 h n=1", "1.0 h n=1", "0 % n=1", "100 % n=1", "—", "—", "—", "50 % n=2",
    ]  # fmt: skip
    organisation = _figures(client.get(f"/quality?{period}&group_by=organisation").text)
    assert organisation["organisation"] == [
        "2.0 h n=3", "2.0 h n=3", "33 % n=3", "33 % n=3", "1.40 n=1", "—", "—", "50 % n=2",
    ]  # fmt: skip
