"""Every operation of the HTTP API fuzzed against its own OpenAPI document (schemathesis), on
SQLite and PostgreSQL: no answer is a server error, every status code is one the document
declares, and every body matches the declared content type and schema.

The document is read from the ASGI app; requests go to the app in process, signed in with
organisation A's admin token, on a world of two organisations with one of every record
(tests/integration/conftest.py). Each operation gets valid requests, invalid ones, and valid ones
whose path names A's real records (so the route gets past its 404) or B's (which must stay 404).
Schemathesis' strategies are driven by Hypothesis directly: its pytest plugin's ``parametrize``
needs a pytest internal (``Function._nodeid``) that pytest 9 no longer has. Runs are
reproducible (``derandomize``); ``GOODWILL_FUZZ_EXAMPLES`` (default 5 per operation and
database) asks for a deeper run, e.g. 100 before a release.

Every bug fuzzing found is fixed, and pinned in ``test_what_fuzzing_found_stays_fixed``.
No operation is excluded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import APIOperation, BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from goodwill import security, tenancy
from goodwill.config import Settings
from goodwill.feedback import api as feedback_api
from goodwill.feedback import flows
from goodwill.main import API_PREFIX, create_app
from tests.factories.organisations import make_organisation
from tests.integration.conftest import Org, World, build_org
from tests.integration.test_tenancy_api import PATH_PARAMS

SPEC = create_app(
    Settings(home=Path("/nonexistent"), secret_key="enumeration"), sessionmaker()
).openapi()
# deletions last: a deleted customer or revoked token would leave later operations only 404s
OPERATIONS = sorted(
    ((method.upper(), path) for path, item in SPEC["paths"].items() for method in item),
    key=lambda op: op[0] == "DELETE",
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("GOODWILL_FUZZ_EXAMPLES", "5"))


@dataclass(frozen=True)
class Fuzzed:
    app: FastAPI
    schema: BaseSchema
    world: World

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="https://testserver")


@pytest.fixture(scope="module")
def fuzzed(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    """The app over two organisations, for every operation of one database in turn; all of it
    in one transaction rolled back at the end (the module's operations share the records)."""
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    tenancy.install(factory)
    app_settings = Settings(home=tmp_path_factory.mktemp("home"), secret_key="fuzz-secret")
    with pytest.MonkeyPatch.context() as patch:  # cheap hashes, as conftest.py does per test
        patch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))
        a = make_organisation(factory, "Acme Money")
        b = make_organisation(factory, "Beta Bank")
        world = World(
            build_org(factory, a, "acme", app_settings), build_org(factory, b, "beta", app_settings)
        )
    app = create_app(settings=app_settings, session_factory=factory)
    # the customers' helpdesks are outside the machine: closing-the-loop drafts reach a mock
    helpdesk = httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(200)))
    app.dependency_overrides[feedback_api.get_transport] = lambda: flows.Transport(
        settings=app_settings, http_client=helpdesk, sleep=lambda _: None
    )
    try:
        schema = schemathesis.openapi.from_asgi(f"{API_PREFIX}/openapi.json", app)
        yield Fuzzed(app, schema, world)
    finally:
        helpdesk.close()
        outer.rollback()
        connection.close()


def _records_of(org: Org, operation: APIOperation) -> dict[str, str]:
    return {p.name: str(org.ids[PATH_PARAMS[p.name]]) for p in operation.path_parameters}


def _requests(operation: APIOperation, world: World) -> st.SearchStrategy[Any]:
    strategies = [operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE)]
    if operation.path_parameters:
        strategies += [
            operation.as_strategy(path_parameters=_records_of(world.a, operation)),
            operation.as_strategy(path_parameters=_records_of(world.b, operation)),
        ]
    return st.one_of(strategies)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_answers_as_its_schema_says(fuzzed: Fuzzed, method: str, path: str) -> None:
    operation = fuzzed.schema[path][method]
    headers = fuzzed.world.a.ctx.headers

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=_requests(operation, fuzzed.world))
    def answers_as_declared(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    answers_as_declared()


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        # a retention longer than the calendar: OverflowError (500)
        ("PUT", "/retention", {"interaction_days": 739_953}, "body.interaction_days"),
        # null attributes were stored, then every read of the customer failed (500)
        ("PATCH", "/customers/{customer}", {"attributes": None}, "body.attributes"),
        # a report period from the year 1: OverflowError (500)
        ("GET", "/quality/coaching/{admin}?period_end=0001-01-01T00:00:00Z", None, "query"),
        # NUL in text: PostgreSQL refused it (500), SQLite stored it
        ("POST", "/accounts", {"name": "\u0000"}, "body.name"),
        ("GET", "/customers?email=%00", None, "query.email"),
    ],
)
def test_what_fuzzing_found_stays_fixed(
    fuzzed: Fuzzed, method: str, path: str, body: dict[str, Any] | None, field: str
) -> None:
    # on the module's app and records: a second connection making its own organisations would
    # wait on the module's open transaction
    a = fuzzed.world.a
    with fuzzed.client() as client:
        answer = client.request(
            method, API_PREFIX + path.format(**a.ids), json=body, headers=a.ctx.headers
        )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].startswith(field), answer.text


def test_a_body_that_is_not_utf8_is_a_declared_400(fuzzed: Fuzzed) -> None:
    headers = fuzzed.world.a.ctx.headers | {"Content-Type": "application/json"}
    with fuzzed.client() as client:
        answer = client.post(f"{API_PREFIX}/accounts", content=b'{"name": "\xff"}', headers=headers)
    assert answer.status_code == 400, answer.text
    assert "400" in SPEC["paths"][f"{API_PREFIX}/accounts"]["post"]["responses"]
