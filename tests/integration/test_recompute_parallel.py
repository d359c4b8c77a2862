"""A full recompute in worker processes (``goodwill recompute --all --processes 2``) gives what
the serial engine gives: stages, phases, evidence, trust, health, risk, commitments and their
statuses, stage and score history, the "alive" fit; on SQLite and PostgreSQL, whose database the
worker processes open themselves (so the data is committed, in a database of its own)."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill import migrations
from goodwill.cli import app
from goodwill.database import make_session_factory
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations.models import Organisation
from goodwill.relationships import engine, parallel, risk
from goodwill.relationships.models import Commitment, Relationship, ScoreHistory, StageHistory
from tests.factories.customers import make_customer, org_session
from tests.factories.organisations import OrgContext, make_organisation

AS_OF = datetime(2026, 12, 3, 12, tzinfo=UTC)
DAY = timedelta(days=1)
CUSTOMERS = 34  # enough purchasing customers for the "alive" fit (30)
runner = CliRunner()


@pytest.fixture
def factory(fresh_engine: Engine) -> sessionmaker[Session]:
    migrations.upgrade(fresh_engine)
    return make_session_factory(fresh_engine)


def _add(db: Session, customer_id: uuid.UUID, days_ago: float, **fields: Any) -> None:
    analyses = fields.pop("analyses", {})
    row = Interaction(
        external_id=f"I-{uuid.uuid4()}",
        customer_id=customer_id,
        channel="email",
        occurred_at=AS_OF - days_ago * DAY,
        **{"kind": "message", "direction": "inbound", "body": "Hello", **fields},
    )
    db.add(row)
    db.flush()
    for analyser, value in analyses.items():
        db.add(
            MessageAnalysis(
                interaction_id=row.id, analyser=analyser, version="1", result={"value": value}
            )
        )


def _promise(text: str, due_days_ago: float) -> list[dict[str, Any]]:
    due = (AS_OF - due_days_ago * DAY).isoformat()
    return [{"text": text, "due_at": due, "owner": "I", "start": 0, "end": len(text)}]


def _history(db: Session, customer_id: uuid.UUID, kind: int, rng: random.Random) -> None:
    """Purchases, and one of four stories: a kept promise, a broken one after a complaint, a
    request to cancel, calm questions."""
    for _ in range(rng.randint(1, 6)):
        _add(db, customer_id, rng.uniform(1, 300), kind="purchase", direction=None, body=None)
    _add(db, customer_id, 400, body="Opening an account")
    negative = {"label": "negative", "score": -0.7}
    if kind == 0:
        _add(
            db,
            customer_id,
            20,
            direction="outbound",
            analyses={"commitments": _promise("I'll call", 18)},
        )
        _add(db, customer_id, 19, kind="call", direction="outbound")
    elif kind == 1:
        _add(
            db,
            customer_id,
            30,
            body="Charged twice!",
            analyses={"intent": ["complaint"], "sentiment": negative},
        )
        _add(
            db,
            customer_id,
            29,
            direction="outbound",
            analyses={"commitments": _promise("refund by Friday", 25)},
        )
    elif kind == 2:
        _add(db, customer_id, 5, body="Close my account", analyses={"intent": ["cancellation"]})
    else:
        _add(db, customer_id, 3, body="How do I top up?", analyses={"intent": ["question"]})


def _build(factory: sessionmaker[Session], org: OrgContext) -> None:
    rng = random.Random(7)
    for index in range(CUSTOMERS):
        customer = make_customer(factory, org, segment="retail" if index % 2 else "business")
        with org_session(factory, org) as db:
            _history(db, customer.id, index % 4, rng)


QUERIES = {
    "relationship": select(
        Relationship.id,
        Relationship.stage,
        Relationship.phase,
        Relationship.stage_evidence,
        Relationship.health,
        Relationship.risk,
        Relationship.trust,
        Relationship.computed_at,
    ),
    "commitment": select(
        Commitment.relationship_id,
        Commitment.interaction_id,
        Commitment.start,
        Commitment.status,
        Commitment.due_at,
        Commitment.closed_at,
        Commitment.closed_by_interaction_id,
    ),
    "stage": select(
        StageHistory.relationship_id,
        StageHistory.valid_from,
        StageHistory.stage,
        StageHistory.phase,
        StageHistory.evidence,
    ),
    "score": select(
        ScoreHistory.relationship_id,
        ScoreHistory.computed_at,
        ScoreHistory.health,
        ScoreHistory.scores,
    ),
}


def _state(factory: sessionmaker[Session], org: OrgContext) -> list[str]:
    """Everything the engine computed for the organisation, as sorted JSON lines."""
    lines = []
    with org_session(factory, org) as db:
        for table, stmt in QUERIES.items():
            lines += [json.dumps([table, *row], default=str) for row in db.execute(stmt)]
        settings = db.get_one(Organisation, org.organisation_id).settings or {}
        lines += [json.dumps([key, settings.get(key)]) for key in ("alive_fit", "risk_model")]
        promises = db.execute(select(Commitment.id, Commitment.interaction_id, Commitment.start))
        names = {str(id_): f"promise({message},{start})" for id_, message, start in promises}
    for promise_id, name in names.items():  # new ids on every run: named by message and offset
        lines = [line.replace(promise_id, name) for line in lines]
    return sorted(lines)


def _forget(factory: sessionmaker[Session], org: OrgContext) -> None:
    """Back to "nothing computed yet"."""
    with org_session(factory, org) as db:
        for model in (Commitment, StageHistory, ScoreHistory):
            db.execute(delete(model))
        cleared = dict.fromkeys(
            ("stage", "phase", "stage_evidence", "health", "risk", "trust", "computed_at")
        )
        db.execute(update(Relationship).values(**cleared))


def _summary(done: engine.RecomputeSummary) -> tuple[int, int, int, int]:
    return (done.relationships, done.transitions, done.commitments_added, done.commitments_closed)


def _two_full_recomputes(
    factory: sessionmaker[Session], org: OrgContext, processes: int
) -> tuple[list[tuple[int, int, int, int]], list[str]]:
    """A full recompute from scratch, and one ten days later (promises broken, stages moved):
    their summaries and what they computed."""
    done = []
    for later in (0, 10):
        found = parallel.recompute_all_parallel(
            factory,
            org.organisation_id,
            processes=processes,
            as_of=AS_OF + later * DAY,
            batch_size=7,  # five batches: both workers take several
        )
        done.append(_summary(found))
    return done, _state(factory, org)


def test_two_processes_compute_what_one_does(factory: sessionmaker[Session]) -> None:
    org, other = make_organisation(factory, "Acme Money"), make_organisation(factory, "Beta Bank")
    _build(factory, org)
    bystander = make_customer(factory, other)
    with org_session(factory, other) as db:
        _add(db, bystander.id, 2)

    serial = _two_full_recomputes(factory, org, processes=1)
    _forget(factory, org)
    in_processes = _two_full_recomputes(factory, org, processes=2)

    assert serial[0][0][0] == CUSTOMERS
    assert serial[0][0][2] > 0  # promises were found
    assert in_processes[0] == serial[0]
    assert in_processes[1] == serial[1]
    with org_session(factory, other) as db:  # the workers stayed in their organisation
        assert db.scalars(select(Relationship.computed_at)).all() == [None]


def test_the_command_runs_a_full_recompute_in_processes(cli_env: Path) -> None:
    init = runner.invoke(
        app,
        [
            "init",
            "--org-name",
            "Test Co",
            "--admin-email",
            "ada@test.example",
            "--admin-password",
            "a long demo password 42",
            "--domain",
            "test.example",
        ],
    )
    assert init.exit_code == 0, init.output

    full = runner.invoke(app, ["recompute", "--all", "--processes", "2", "--json"])
    incremental = runner.invoke(app, ["recompute", "--processes", "2"])

    assert full.exit_code == 0, full.output
    assert json.loads(full.output)["relationships"] == 0
    assert incremental.exit_code == 1
    assert "--processes: only with --all" in incremental.output


def test_an_in_memory_database_is_refused() -> None:
    with pytest.raises(ValueError, match="not shared by processes"):
        parallel.database_url("sqlite://")


def _sorted_kinds(part: risk.HistoryPart) -> dict[str, list[tuple[int, float]]]:
    return {
        kind: sorted(zip(map(int, index), map(float, times), strict=True))
        for kind, (index, times) in part.kinds.items()
    }


def test_a_batch_takes_its_risk_part_from_its_own_reads(factory: sessionmaker[Session]) -> None:
    """A worker reads its batch's part of the risk model's history before writing the batch,
    with the "negative" and "complaint" events from its message read and the stages it is about
    to store: the same part as read from the database after the batch is stored."""
    org = make_organisation(factory, "Acme Money")
    _build(factory, org)
    with org_session(factory, org) as db:
        ids = sorted(db.scalars(select(Relationship.id)))
        ruleset = engine.RuleSet.of(db)
        rels = engine.relationship_rows(db, ids)
        engine.sync_commitments(db=db, rels=rels, as_of=AS_OF)
        computed = engine.compute_batch(
            db=db, rels=rels, ruleset=ruleset, as_of=AS_OF, alive_values=None
        )
        before = risk.read_part(
            db=db,
            as_of=AS_OF,
            relationship_ids=ids,
            analysed=computed.risk_events,
            stages=computed.writes.stages_found(),
        )
        computed.writes.store(db)
        db.flush()
        after = risk.read_part(db=db, as_of=AS_OF, relationship_ids=ids)

    assert {stage for stage, _ in computed.writes.stages_found().values()} >= {"terminating"}
    assert len(after.kinds["negative"][0]) > 0
    assert len(after.kinds["complaint"][0]) > 0
    assert before.ids == after.ids
    assert _sorted_kinds(before) == _sorted_kinds(after)
    assert before.started.tolist() == after.started.tolist()
    assert before.ended.tobytes() == after.ended.tobytes()  # NaN where going, equal elsewhere
    assert before.risk.tobytes() == after.risk.tobytes()
