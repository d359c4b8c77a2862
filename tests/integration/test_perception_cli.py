"""``goodwill perception request|gaps`` against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select, update
from typer.testing import CliRunner

from goodwill import tenancy
from goodwill.cli import app
from goodwill.cli_support import session_factory
from goodwill.customers import service as customer_service
from goodwill.customers.schemas import CustomerCreate
from goodwill.database import unit_of_work
from goodwill.organisations.models import Member, Organisation
from goodwill.perception import service
from goodwill.perception.schemas import Answer
from goodwill.relationships.models import Relationship
from tests.factories.perception import FINE

runner = CliRunner()


def _init() -> None:
    result = runner.invoke(
        app,
        [
            "init", "--org-name", "Test Co", "--admin-email", "ada@test.example",
            "--admin-password", "a long demo password 42", "--domain", "test.example",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def _customers() -> list[str]:
    """Two customers owned by the admin, one integrating and one bonding: their relationships."""
    with unit_of_work(session_factory()) as db:
        with tenancy.system_scope(db):
            org = db.scalars(select(Organisation)).one()
        tenancy.scope(db, org.id)
        admin = db.scalars(select(Member)).one()
        ids = []
        for name, stage in (("Ines", "integrating"), ("Bram", "bonding")):
            customer = customer_service.create(
                db=db,
                customer_in=CustomerCreate(
                    email=f"{name.lower()}@example.com", name=name, owner_member_id=admin.id
                ),
            )
            relationship = db.scalars(
                select(Relationship).where(Relationship.customer_id == customer.id)
            ).one()
            db.execute(
                update(Relationship).where(Relationship.id == relationship.id).values(stage=stage)
            )
            ids.append(str(relationship.id))
        return ids


def _answer_and_estimate(token: str) -> None:
    """The customer answers the link (trust 1) and the admin estimates (trust 4)."""
    with unit_of_work(session_factory()) as db:
        request = service.find_by_token(db=db, token=token)
        service.answer_by_customer(db=db, request=request, answer=Answer(**FINE | {"trust": 1}))
        relationship = db.get(Relationship, request.relationship_id)
        admin = db.scalars(select(Member)).one()
        assert relationship is not None
        service.estimate(db=db, relationship=relationship, member=admin, answer=Answer(**FINE))


def test_request_links_by_stage_and_read_the_gaps(cli_env: Path) -> None:
    _init()
    ines, _ = _customers()
    made = runner.invoke(
        app,
        [
            "perception",
            "request",
            "--stage",
            "integrating",
            "--base-url",
            "https://gw.example",
            "--json",
        ],
    )
    assert made.exit_code == 0, made.output
    result = json.loads(made.output)
    assert [link["relationship_id"] for link in result["created"]] == [ines]
    url = result["created"][0]["url"]
    assert url.startswith("https://gw.example/p/gw_")
    again = runner.invoke(
        app, ["perception", "request", "--ids", ines, "--base-url", "https://gw.example"]
    )
    assert again.exit_code == 0, again.output
    assert "skipped: a link made on" in again.output
    assert "0 link(s) made, 1 skipped" in again.output
    _answer_and_estimate(url.rsplit("/p/", 1)[1])
    shown = runner.invoke(app, ["perception", "gaps", "--json"])
    assert shown.exit_code == 0, shown.output
    book = json.loads(shown.output)
    assert (book["relationships"], book["blind_spots"]) == (1, 1)
    assert book["items"][0]["gap"]["by_question"]["trust"] == -3
    table = runner.invoke(app, ["perception", "gaps", "--owner", "ada@test.example"])
    assert table.exit_code == 0, table.output
    assert "1 blind spot(s)" in table.output
    assert "Ines" in table.output


def test_mistakes_are_one_line_and_exit_1(cli_env: Path) -> None:
    _init()
    _customers()
    base = ["--base-url", "https://gw.example"]
    for args, says in [
        (["--stage", "friendly", *base], "--stage"),
        (base, "choose relationships"),
        (["--ids", "not-an-id", *base], "--ids: 'not-an-id'"),
        (["--stage", "bonding", "--base-url", "gw.example"], "--base-url"),
        (["--stage", "terminating", *base], "no relationship matches"),
    ]:
        result = runner.invoke(app, ["perception", "request", *args])
        assert result.exit_code == 1, (args, result.output)
        assert says in result.output, (args, result.output)
    bad = runner.invoke(app, ["perception", "gaps", "--threshold", "9"])
    assert bad.exit_code == 1
    assert "--threshold" in bad.output
