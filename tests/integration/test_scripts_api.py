"""Decision trees over HTTP: author, version, run step by step, and the analytics of runs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill.cli import app as cli_app
from goodwill.database import utcnow
from goodwill.relationships.models import Relationship
from goodwill.scripts.models import TreeRun
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext, add_member
from tests.factories.scripts import REFUND_TREE, make_tree, start_run, walk

API = "/api/v1"
BROKEN = REFUND_TREE.replace('"Still unclear": escalate', '"Still unclear": nowhere')


def test_create_run_step_by_step_to_an_outcome(client: TestClient, org_a: OrgContext) -> None:
    created = client.post(
        f"{API}/decision-trees", json={"source": REFUND_TREE}, headers=org_a.headers
    )
    assert created.status_code == 201, created.text
    tree = created.json()
    assert (tree["name"], tree["kind"], tree["published_version"]) == (
        "Charged twice",
        "service",
        1,
    )
    assert [v["number"] for v in tree["versions"]] == [1]

    run = client.post(f"{API}/decision-trees/{tree['id']}/runs", json={}, headers=org_a.headers)
    assert run.status_code == 201, run.text
    body = run.json()
    assert body["node"]["id"] == "start"
    assert body["node"]["options"] == ["Yes", "No"]
    run_id = body["id"]
    step = client.post(
        f"{API}/tree-runs/{run_id}/steps", json={"option": "No"}, headers=org_a.headers
    )
    assert step.json()["node"]["id"] == "explain"
    assert step.json()["status"] == "active"
    step = client.post(
        f"{API}/tree-runs/{run_id}/steps", json={"option": "Still unclear"}, headers=org_a.headers
    )
    done = step.json()
    assert (done["status"], done["outcome"], done["path"]) == (
        "completed",
        "escalated",
        ["start", "explain", "escalate"],
    )
    again = client.get(f"{API}/tree-runs/{run_id}", headers=org_a.headers).json()
    assert [(s["from_node"], s["option"], s["to_node"]) for s in again["steps"]] == [
        ("start", "No", "explain"),
        ("explain", "Still unclear", "escalate"),
    ]
    late = client.post(
        f"{API}/tree-runs/{run_id}/steps", json={"option": "Yes"}, headers=org_a.headers
    )
    assert late.status_code == 409


def test_invalid_option_is_422_naming_it(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    run = start_run(session_factory, org_a, make_tree(session_factory, org_a).id)
    r = client.post(
        f"{API}/tree-runs/{run.id}/steps", json={"option": "Maybe"}, headers=org_a.headers
    )
    assert r.status_code == 422
    assert "'Maybe'" in r.json()["detail"]
    assert "'start'" in r.json()["detail"]
    assert "'Yes'" in r.json()["detail"]
    assert client.get(f"{API}/tree-runs/{run.id}", headers=org_a.headers).json()["steps"] == []


def test_a_tree_with_errors_is_not_published(client: TestClient, org_a: OrgContext) -> None:
    refused = client.post(f"{API}/decision-trees", json={"source": BROKEN}, headers=org_a.headers)
    assert refused.status_code == 422
    assert "'explain'" in refused.json()["detail"]
    assert "'nowhere'" in refused.json()["detail"]
    assert "line 9" in refused.json()["detail"]
    draft = client.post(
        f"{API}/decision-trees", json={"source": BROKEN, "publish": False}, headers=org_a.headers
    )
    assert draft.status_code == 201
    tree = draft.json()
    assert tree["published_version"] is None
    (version,) = tree["versions"]
    assert version["errors"][0]["nodes"] == ["explain", "nowhere"]
    no_run = client.post(f"{API}/decision-trees/{tree['id']}/runs", json={}, headers=org_a.headers)
    assert no_run.status_code == 409
    fixed = client.put(
        f"{API}/decision-trees/{tree['id']}", json={"source": REFUND_TREE}, headers=org_a.headers
    )
    assert fixed.json()["published_version"] == 2


def test_runs_keep_the_version_they_started_with(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    tree = make_tree(session_factory, org_a)
    old_run = start_run(session_factory, org_a, tree.id)
    v2 = REFUND_TREE.replace('"No": explain', '"No, something else": explain')
    saved = client.put(
        f"{API}/decision-trees/{tree.id}", json={"source": v2}, headers=org_a.headers
    )
    assert [v["number"] for v in saved.json()["versions"]] == [2, 1]
    old = client.post(
        f"{API}/tree-runs/{old_run.id}/steps", json={"option": "No"}, headers=org_a.headers
    )
    assert old.status_code == 200
    assert old.json()["version"] == 1
    new = client.post(f"{API}/decision-trees/{tree.id}/runs", json={}, headers=org_a.headers).json()
    assert new["version"] == 2
    assert new["node"]["options"] == ["Yes", "No, something else"]


def test_only_managers_author_but_agents_run(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, token = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    agent = {"Authorization": f"Bearer {token}"}
    assert (
        client.post(
            f"{API}/decision-trees", json={"source": REFUND_TREE}, headers=agent
        ).status_code
        == 403
    )
    tree = make_tree(session_factory, org_a)
    assert (
        client.post(f"{API}/decision-trees/{tree.id}/runs", json={}, headers=agent).status_code
        == 201
    )
    assert client.get(f"{API}/decision-trees/{tree.id}/analytics", headers=agent).status_code == 403


def test_run_for_a_customer_uses_its_relationship_and_another_orgs_is_404(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    org_b: OrgContext,
) -> None:
    tree = make_tree(session_factory, org_a)
    mine = make_customer(session_factory, org_a)
    theirs = make_customer(session_factory, org_b)
    url = f"{API}/decision-trees/{tree.id}/runs"
    r = client.post(url, json={"customer_id": str(mine.id)}, headers=org_a.headers)
    assert r.json()["relationship_id"] == str(relationship_of(session_factory, org_a, mine.id).id)
    assert (
        client.post(url, json={"customer_id": str(theirs.id)}, headers=org_a.headers).status_code
        == 404
    )
    assert client.get(f"{API}/tree-runs/{r.json()['id']}", headers=org_b.headers).status_code == 404


def _set(factory: sessionmaker[Session], org: OrgContext, rel_id: object, **values: object) -> None:
    with org_session(factory, org) as db:
        db.execute(update(Relationship).where(Relationship.id == rel_id).values(**values))


def test_analytics_on_hand_built_runs(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    f, o = session_factory, org_a
    tree = make_tree(f, o)
    rels = [relationship_of(f, o, make_customer(f, o).id).id for _ in range(3)]
    for rel, health, stage in zip(
        rels, (40.0, 60.0, 50.0), ("experimenting", "intensifying", "integrating"), strict=True
    ):
        _set(f, o, rel, health=health, stage=stage)
    r1 = start_run(f, o, tree.id, rels[0])
    walk(f, o, r1.id, "Yes")  # start → refund: refunded
    r2 = start_run(f, o, tree.id, rels[1])
    walk(f, o, r2.id, "Yes")
    r3 = start_run(f, o, tree.id, rels[2])
    walk(f, o, r3.id, "No")  # stopped at explain, long ago: dropped
    start_run(f, o, tree.id)  # at start, just now: in progress
    with org_session(f, o) as db:
        db.execute(
            update(TreeRun)
            .where(TreeRun.id == r3.id)
            .values(last_step_at=utcnow() - timedelta(days=3))
        )
    _set(f, o, rels[0], health=70.0, stage="integrating")
    _set(f, o, rels[1], health=50.0, stage="differentiating")
    _set(f, o, rels[2], health=45.0)

    a = client.get(f"{API}/decision-trees/{tree.id}/analytics", headers=o.headers).json()
    assert (a["runs_started"], a["runs_completed"], a["runs_dropped"], a["runs_in_progress"]) == (
        4,
        2,
        1,
        1,
    )
    assert a["completion_rate"] == 0.5
    assert a["outcomes"] == {"refunded": 2}
    drop = {d["node"]: d for d in a["drop_off"]}
    assert (drop["start"]["reached"], drop["start"]["dropped"]) == (4, 0)
    assert (
        drop["explain"]["reached"],
        drop["explain"]["dropped"],
        drop["explain"]["drop_off_rate"],
    ) == (1, 1, 1.0)
    paths = {tuple(p["path"]): p for p in a["paths"]}
    refund = paths[("start", "refund")]
    assert (refund["runs"], refund["completed"], refund["outcome"], refund["relationships"]) == (
        2,
        2,
        "refunded",
        2,
    )
    assert (refund["health_at_start"], refund["health_now"], refund["health_change"]) == (
        50.0,
        60.0,
        10.0,
    )
    assert refund["stage_moves"] == {
        "experimenting → integrating": 1,
        "intensifying → differentiating": 1,
    }
    assert refund["coming_apart_now"] == 1
    explain = paths[("start", "explain")]
    assert (explain["health_change"], explain["completed"], explain["outcome"]) == (-5.0, 0, None)
    assert paths[("start",)]["relationships"] == 0
    later = client.get(
        f"{API}/decision-trees/{tree.id}/analytics",
        params={"abandoned_after_hours": 100},
        headers=o.headers,
    ).json()
    assert (later["runs_dropped"], later["runs_in_progress"]) == (0, 2)


runner = CliRunner()


def test_cli_validate_and_import(cli_env: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(cli_app, ["trees", "validate", str(broken)])
    assert result.exit_code == 1
    assert "broken.yaml:9: unknown_target" in result.output
    assert "'nowhere'" in result.output
    good = tmp_path / "refund.yaml"
    good.write_text(REFUND_TREE, encoding="utf-8")
    ok = runner.invoke(cli_app, ["trees", "validate", str(good)])
    assert ok.exit_code == 0
    assert "is valid (5 nodes)" in ok.output
    init = runner.invoke(
        cli_app,
        [
            "init",
            "--org-name",
            "Tree Co",
            "--admin-email",
            "ada@tree.example",
            "--admin-password",
            "a long demo password 42",
        ],
    )
    assert init.exit_code == 0, init.output
    imported = runner.invoke(cli_app, ["trees", "import", str(good)])
    assert imported.exit_code == 0, imported.output
    assert "imported 'Charged twice'" in imported.output
    assert "version 1" in imported.output
    refused = runner.invoke(cli_app, ["trees", "import", str(broken)])
    assert refused.exit_code == 1


@pytest.mark.parametrize("name", ["card_not_arrived.yaml", "self_service.json"])
def test_shipped_examples_import_over_the_api(
    client: TestClient, org_a: OrgContext, name: str
) -> None:
    path = Path(__file__).parents[2] / "src" / "goodwill" / "scripts" / "examples" / name
    fmt = "json" if name.endswith(".json") else "yaml"
    r = client.post(
        f"{API}/decision-trees",
        json={"source": path.read_text(encoding="utf-8"), "format": fmt},
        headers=org_a.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["definition"]["nodes"]
