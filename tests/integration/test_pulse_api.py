"""Q12 pulse: anonymity by construction, suppression of small groups, results maths, roles,
schedules, and engagement beside customer outcomes."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill.cli import app as cli_app
from goodwill.cli_support import organisation_session
from goodwill.cli_support import session_factory as cli_session_factory
from goodwill.database import utcnow
from goodwill.pulse import disclosure
from goodwill.pulse import service as pulse_service
from goodwill.pulse.models import PulseRound, PulseSchedule
from goodwill.pulse.schemas import RoundCreate
from goodwill.relationships.models import Relationship
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext
from tests.factories.pulse import answer, close_round, make_round, team_id, team_member

API = "/api/v1"
HIDDEN = "fewer than 5 answers: hidden"


def _members(
    factory: sessionmaker[Session], org: OrgContext, team: str, n: int
) -> list[tuple[uuid.UUID, str]]:
    return [team_member(factory, org, f"{team.lower()}{i}@acme.example", team) for i in range(n)]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_answers_are_stored_without_member_or_time(engine: Engine) -> None:
    """The schema itself: counts hold no member and no time; participation holds no answer."""
    schema = inspect(engine)
    tally = {c["name"] for c in schema.get_columns("pulse_tally")}
    assert tally == {"id", "organisation_id", "round_id", "team_id", "question", "value", "count"}
    participation = {c["name"] for c in schema.get_columns("pulse_participation")}
    assert participation == {"id", "organisation_id", "round_id", "member_id"}


def test_second_answer_is_409_and_outsiders_of_a_team_round_403(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    (_member_id, token), *_ = _members(session_factory, org_a, "Blue", 1)
    (_, other), *_ = _members(session_factory, org_a, "Red", 1)
    pulse = make_round(session_factory, org_a, team=team_id(session_factory, org_a, "Blue"))
    url = f"{API}/pulse/rounds/{pulse.id}/answers"
    first = client.post(url, json={"answers": [3] * 12}, headers=_auth(token))
    assert first.status_code == 201, first.text
    assert "member" not in first.text
    assert client.post(url, json={"answers": [5] * 12}, headers=_auth(token)).status_code == 409
    assert client.post(url, json={"answers": [5] * 12}, headers=_auth(other)).status_code == 403
    bad = client.post(url, json={"answers": [6] + [3] * 11}, headers=_auth(other))
    assert bad.status_code == 422
    listed = client.get(f"{API}/pulse/rounds", headers=_auth(token)).json()["items"]
    assert (listed[0]["answered"], listed[0]["can_answer"]) == (True, False)


def test_team_under_five_is_hidden_and_five_is_shown_with_the_right_maths(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    f = session_factory
    blue = _members(f, org_a, "Blue", 5)
    pulse = make_round(f, org_a, team=team_id(f, org_a, "Blue"))
    scores = [1, 2, 4, 5, 5]  # question 1; every other question gets 3
    for (member_id, _), first in zip(blue[:4], scores, strict=False):
        answer(f, org_a, pulse.id, member_id, [first] + [3] * 11)
    url = f"{API}/pulse/rounds/{pulse.id}/results"
    close_round(f, org_a, pulse.id)
    four = client.get(url, headers=org_a.headers).json()
    assert four["overall"]["hidden"]
    assert four["overall"]["reason"] == HIDDEN
    assert four["overall"]["questions"] == []
    assert four["overall"]["respondents"] is None

    with org_session(f, org_a) as db:  # reopen for the fifth answer
        db.execute(update(PulseRound).values(closes_at=utcnow() + timedelta(days=1)))
    answer(f, org_a, pulse.id, blue[4][0], [5] + [3] * 11)
    close_round(f, org_a, pulse.id)
    five = client.get(url, headers=org_a.headers).json()["overall"]
    assert five["hidden"] is False
    assert five["respondents"] == 5
    q1, q2 = five["questions"][0], five["questions"][1]
    assert (q1["mean"], q1["favourable_share"]) == (3.4, 0.6)
    assert (q2["mean"], q2["favourable_share"]) == (3.0, 0.0)
    assert five["engagement"] == round((3.4 + 3.0 * 11) / 12, 2)


def test_min_group_size_is_configurable_upward_only(client: TestClient, org_a: OrgContext) -> None:
    low = client.post(f"{API}/pulse/rounds", json={"min_group_size": 3}, headers=org_a.headers)
    assert low.status_code == 422
    high = client.post(f"{API}/pulse/rounds", json={"min_group_size": 8}, headers=org_a.headers)
    assert high.status_code == 201
    assert high.json()["min_group_size"] == 8


def test_results_are_never_shown_while_answers_arrive(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """Differencing in time: results at n=5 and n=6 would give the sixth answer away."""
    f = session_factory
    blue = _members(f, org_a, "Blue", 6)
    pulse = make_round(f, org_a, team=team_id(f, org_a, "Blue"))
    url = f"{API}/pulse/rounds/{pulse.id}/results"
    for member_id, _ in blue[:5]:
        answer(f, org_a, pulse.id, member_id, [4] * 12)
    at_five = client.get(url, headers=org_a.headers).json()
    answer(f, org_a, pulse.id, blue[5][0], [1] * 12)
    at_six = client.get(url, headers=org_a.headers).json()
    for result in (at_five, at_six):
        assert result["closed"] is False
        assert result["overall"] is None
        assert result["teams"] == []
    trends = client.get(f"{API}/pulse/trends", headers=org_a.headers).json()
    (line,) = trends["series"]
    assert [p["status"] for p in line["points"]] == ["open"]
    assert line["points"][0]["questions"] == {}


def test_total_minus_teams_cannot_isolate_one_person(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """An organisation-wide round: Blue 5 answers, Red 1, and the admin (team Support) none.
    Total (6) minus Blue (5) would be Red's one person: Blue is hidden as well."""
    f = session_factory
    blue = _members(f, org_a, "Blue", 5)
    red = _members(f, org_a, "Red", 1)
    pulse = make_round(f, org_a)
    for member_id, _ in blue:
        answer(f, org_a, pulse.id, member_id, [4] * 12)
    answer(f, org_a, pulse.id, red[0][0], [1] * 12)
    close_round(f, org_a, pulse.id)
    result = client.get(f"{API}/pulse/rounds/{pulse.id}/results", headers=org_a.headers).json()
    assert result["overall"]["respondents"] == 6
    assert result["overall"]["hidden"] is False
    teams = {t["team_name"]: t for t in result["teams"]}
    assert teams["Red"]["reason"] == HIDDEN
    assert teams["Blue"]["hidden"]
    assert "worked out" in teams["Blue"]["reason"]
    shown = [t for t in result["teams"] if not t["hidden"]]
    assert shown == []


def test_suppression_rule_keeps_every_remainder_at_k_or_empty() -> None:
    shown, protected = disclosure.shown_groups({"a": 5, "b": 7, "c": 2}, k=5)
    assert (shown, protected) == ({"b"}, {"a"})  # remainder a + c = 7
    shown, protected = disclosure.shown_groups({"a": 5, "b": 6}, k=5)
    assert (shown, protected) == ({"a", "b"}, set())
    shown, _ = disclosure.shown_groups({"a": 9, "b": 1}, k=2)  # k is never below 5
    assert shown == set()


def test_agents_answer_but_cannot_see_results(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, token = team_member(session_factory, org_a, "agent@acme.example", "Blue")
    pulse = make_round(session_factory, org_a)
    agent = _auth(token)
    for path in (f"/pulse/rounds/{pulse.id}/results", "/pulse/trends", "/pulse/engagement"):
        assert client.get(f"{API}{path}", headers=agent).status_code == 403, path
    assert client.post(f"{API}/pulse/rounds", json={}, headers=agent).status_code == 403
    ok = client.post(
        f"{API}/pulse/rounds/{pulse.id}/answers", json={"answers": [2] * 12}, headers=agent
    )
    assert ok.status_code == 201


def test_another_organisations_round_does_not_exist(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    pulse = make_round(session_factory, org_b)
    url = f"{API}/pulse/rounds/{pulse.id}"
    assert (
        client.post(f"{url}/answers", json={"answers": [3] * 12}, headers=org_a.headers).status_code
        == 404
    )
    assert client.get(f"{url}/results", headers=org_a.headers).status_code == 404
    assert client.get(f"{API}/pulse/rounds", headers=org_a.headers).json()["items"] == []


def test_trends_per_question_across_rounds(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    f = session_factory
    blue = _members(f, org_a, "Blue", 5)
    blue_id = team_id(f, org_a, "Blue")
    for level in (2, 4):
        pulse = make_round(f, org_a, team=blue_id)
        for member_id, _ in blue:
            answer(f, org_a, pulse.id, member_id, [level] * 11 + [5])
        close_round(f, org_a, pulse.id)
        with org_session(f, org_a) as db:  # the second round starts a day later
            db.execute(
                update(PulseRound)
                .where(PulseRound.id == pulse.id)
                .values(opens_at=utcnow() - timedelta(days=10 - level))
            )
    (line,) = client.get(f"{API}/pulse/trends", headers=org_a.headers).json()["series"]
    assert line["team_name"] == "Blue"
    assert [p["questions"]["1"] for p in line["points"]] == [2.0, 4.0]
    assert [p["questions"]["12"] for p in line["points"]] == [5.0, 5.0]


def test_engagement_beside_health_side_by_side_under_five_teams(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    f = session_factory
    blue = _members(f, org_a, "Blue", 5)
    pulse = make_round(f, org_a, team=team_id(f, org_a, "Blue"))
    for member_id, _ in blue:
        answer(f, org_a, pulse.id, member_id, [4] * 12)
    close_round(f, org_a, pulse.id)
    for health, (owner, _) in zip((60.0, 80.0), blue, strict=False):
        customer = make_customer(f, org_a, owner_member_id=owner)
        rel = relationship_of(f, org_a, customer.id)
        with org_session(f, org_a) as db:
            db.execute(update(Relationship).where(Relationship.id == rel.id).values(health=health))
    result = client.get(f"{API}/pulse/engagement", headers=org_a.headers).json()
    teams = {t["team_name"]: t for t in result["teams"]}
    assert (teams["Blue"]["engagement"], teams["Blue"]["mean_health"]) == (4.0, 70.0)
    assert teams["Blue"]["relationships"] == 2
    assert teams["Support"]["engagement"] is None
    assert result["n_teams"] == 1
    assert result["correlation"] is None
    assert "fewer than 5 teams" in result["caveat"]
    assert "side by side" in result["caveat"]


def test_correlation_with_its_fisher_interval() -> None:
    corr = disclosure.correlate([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    assert corr is not None
    assert corr.r == pytest.approx(0.775, abs=1e-3)  # 6 / sqrt(10 * 6)
    assert (corr.ci_low, corr.ci_high) == pytest.approx((-0.340, 0.984), abs=2e-3)
    assert disclosure.correlate([1, 2, 3, 4], [1, 2, 3, 4]) is None  # n < 5
    assert disclosure.correlate([1, 2, 3, 4, 5], [3, 3, 3, 3, 3]) is None  # no spread


def test_schedule_opens_due_rounds_once(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    first = make_round(session_factory, org_a, repeat_every_weeks=2)
    assert first.schedule_id is not None
    with org_session(session_factory, org_a) as db:
        assert pulse_service.open_due(db=db) == []  # not due yet
        later = utcnow() + timedelta(weeks=5)
        opened = pulse_service.open_due(db=db, now=later)
        assert len(opened) == 1
        assert opened[0].schedule_id == first.schedule_id
        assert pulse_service.open_due(db=db, now=later) == []
        schedule = db.scalar(select(PulseSchedule))
        assert schedule is not None
        assert schedule.next_open_at == first.opens_at + timedelta(weeks=6)


runner = CliRunner()


def test_cli_open_due_and_questions(cli_env: Path) -> None:
    questions = runner.invoke(cli_app, ["pulse", "questions"])
    assert questions.exit_code == 0
    assert "best friend at work" in questions.output
    assert questions.output.count("\n") == 12
    init = runner.invoke(
        cli_app,
        [
            "init",
            "--org-name",
            "Pulse Co",
            "--admin-email",
            "ada@pulse.example",
            "--admin-password",
            "a long demo password 42",
        ],
    )
    assert init.exit_code == 0, init.output
    none_due = runner.invoke(cli_app, ["pulse", "open-due"])
    assert none_due.exit_code == 0
    assert "0 round(s) opened" in none_due.output
    with organisation_session(cli_session_factory(), None) as db:
        pulse_service.create_round(
            db=db,
            round_in=RoundCreate(
                opens_at=utcnow() - timedelta(weeks=3), repeat_every_weeks=2, open_days=3
            ),
            member_id=None,
        )
    due = runner.invoke(cli_app, ["pulse", "open-due"])
    assert due.exit_code == 0, due.output
    assert "1 round(s) opened" in due.output
    again = runner.invoke(cli_app, ["pulse", "open-due"])
    assert "0 round(s) opened" in again.output
    listed = runner.invoke(cli_app, ["pulse", "schedules"])
    assert "every 2 week(s)" in listed.output
    assert "active" in listed.output
    schedule_id = listed.output.split()[0]
    stopped = runner.invoke(cli_app, ["pulse", "stop", schedule_id])
    assert stopped.exit_code == 0, stopped.output
    assert "stopped" in runner.invoke(cli_app, ["pulse", "schedules"]).output


def test_no_pulse_route_takes_a_filter_and_no_export_holds_pulse_data(
    client: TestClient,
) -> None:
    """A filter (member, role, tenure, date) could cut a team down to a few people: there is
    none, only paging of the list of rounds; and the export kinds do not include the pulse."""
    from fastapi.routing import APIRoute, iter_route_contexts

    from goodwill.imports.rows import Kind

    pulse_routes = [
        (c.path, c.route)
        for c in iter_route_contexts(client.app.routes)
        if isinstance(c.route, APIRoute) and "/pulse" in (c.path or "")
    ]
    assert len(pulse_routes) == 6
    for path, route in pulse_routes:
        names = {p.name for p in route.dependant.query_params}
        assert names <= {"cursor", "limit"}, path
    assert not [k for k in Kind if "pulse" in k.value or "q12" in k.value]
