"""Across the whole HTTP surface, another organisation's data does not exist.

The routes are enumerated from the application itself, so a route added later is tested without
anyone remembering to. A route this file cannot exercise FAILS (it is never skipped): give its
path parameter a record kind in PATH_PARAMS, its request body a sample in BODIES, its reference
fields a value in REFERENCES, and build the record in ``build_org`` (conftest.py).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Mount, Route

from goodwill import tenancy
from goodwill.config import Settings
from goodwill.database import Base
from goodwill.dependencies import get_current_member
from goodwill.feedback import api as feedback_api
from goodwill.feedback import flows
from goodwill.interactions.schemas import InteractionCreate
from goodwill.main import API_PREFIX, create_app
from tests.factories.frameworks import GOOD_BODY
from tests.factories.interactions import interaction_payload, signature
from tests.factories.organisations import PASSWORD
from tests.factories.scripts import REFUND_TREE

if TYPE_CHECKING:
    from tests.integration.conftest import Org, World


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    route: APIRoute

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)(?::\w+)?}", self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _routes(app: FastAPI) -> list[Endpoint]:
    """Every method of every route the app serves (included routers flattened, prefixes on)."""
    endpoints = []
    for context in iter_route_contexts(app.routes):
        route, path = context.route, context.path
        if isinstance(route, Mount):
            assert path == "/static", f"unknown mount {path}: test it here"
            continue
        if isinstance(route, Route) and not isinstance(route, APIRoute):
            assert not route.param_convertors, f"{path}: a plain route with a path parameter"
            continue
        assert isinstance(route, APIRoute), f"unknown kind of route {route!r}"
        assert path is not None
        endpoints += [Endpoint(m, path, route) for m in sorted(context.methods or [])]
    return endpoints


ROUTES = _routes(
    create_app(Settings(home=Path("/nonexistent"), secret_key="enumeration"), sessionmaker())
)
# public pages whose only path parameter is a one-time link's token: the token is the credential
# (whoever holds it, signed in or not), so they are checked by test_token_routes_* below and in
# tests/integration/test_perception_survey.py instead
TOKEN_ROUTES = {"/p/{token}"}
PATH_ROUTES = [e for e in ROUTES if e.params and e.path not in TOKEN_ROUTES]
LIST_ROUTES = [
    e for e in ROUTES if e.method == "GET" and not e.params and e.path.startswith(API_PREFIX)
]
# authenticated by a signature over the body instead of a member's credentials
SIGNED_ROUTES = {f"{API_PREFIX}/webhooks/{{endpoint_id}}/interactions": InteractionCreate}

# path parameter → the kind of record it names (a key of Org.ids)
PATH_PARAMS = {
    "account_id": "account",
    "customer_id": "customer",
    "relationship_id": "relationship",
    "conversation_id": "conversation",
    "interaction_id": "interaction",
    "member_id": "member",
    "token_id": "token",
    "endpoint_id": "endpoint",
    "commitment_id": "commitment",
    "reason_id": "reason",
    "training_id": "reason_training",
    "idea_id": "idea",
    "draft_id": "loop_draft",
    "job_id": "dead_letter",
    "tree_id": "decision_tree",
    "run_id": "tree_run",
    "round_id": "pulse_round",
    "framework_id": "framework",
    "segment_id": "segment",
}


Body = Callable[["Org"], dict[str, Any]]

# (method, path under /api/v1) → a valid request body naming the organisation's own records;
# needed for routes with a path parameter or a field that names a record
BODIES: dict[tuple[str, str], Body] = {
    ("PATCH", "/members/{member_id}"): lambda o: {"role": "agent"},
    ("PATCH", "/accounts/{account_id}"): lambda o: {"name": "Renamed"},
    ("POST", "/customers"): lambda o: {
        "email": f"new@{o.label}.example",
        "account_id": str(o.ids["account"]),
        "owner_member_id": str(o.ids["member"]),
    },
    ("PATCH", "/customers/{customer_id}"): lambda o: {
        "name": "Renamed",
        "account_id": str(o.ids["account"]),
    },
    ("PATCH", "/relationships/{relationship_id}"): lambda o: {
        "segment": "vip",
        "owner_member_id": str(o.ids["member"]),
    },
    ("POST", "/relationships/{relationship_id}/commitments"): lambda o: {
        "text": "I'll call you back tomorrow",
        "owner_member_id": str(o.ids["member"]),
    },
    ("PATCH", "/commitments/{commitment_id}"): lambda o: {"status": "kept"},
    ("POST", "/relationships/{relationship_id}/next-conversations/actions"): lambda o: {
        "task_id": o.values["task_id"],
        "action": "done",
    },
    ("POST", "/conversations"): lambda o: {"customer_id": str(o.ids["customer"])},
    ("PATCH", "/conversations/{conversation_id}"): lambda o: {"subject": "Renamed"},
    ("POST", "/interactions"): lambda o: interaction_payload(
        o.ids["customer"], conversation_id=str(o.ids["conversation"]), body="a new message"
    ),
    ("POST", "/webhooks/{endpoint_id}/interactions"): lambda o: interaction_payload(
        o.ids["customer"], conversation_id=str(o.ids["conversation"]), body="from a helpdesk"
    ),
    ("PATCH", "/reasons/{reason_id}"): lambda o: {"name": "Renamed", "company_value": 0.5},
    ("POST", "/reasons/{reason_id}/merge"): lambda o: {"into_reason_id": str(o.ids["reason_2"])},
    ("POST", "/reasons/{reason_id}/split"): lambda o: {
        "name": "Split off",
        "example_ids": [str(o.ids["example"])],
        "interaction_ids": [str(o.ids["interaction"])],
    },
    ("POST", "/reasons/discover/accept"): lambda o: {
        "name": "Accepted",
        "interaction_ids": [str(o.ids["interaction"])],
    },
    ("PUT", "/interactions/{interaction_id}/reason"): lambda o: {
        "reason_id": str(o.ids["reason_2"])
    },
    ("POST", "/ideas"): lambda o: {"title": "Dark mode", "owner_member_id": str(o.ids["member"])},
    ("PATCH", "/ideas/{idea_id}"): lambda o: {
        "status": "under_review",
        "owner_member_id": str(o.ids["member"]),
    },
    ("POST", "/ideas/{idea_id}/merge"): lambda o: {"idea_ids": [str(o.ids["idea_2"])]},
    ("POST", "/ideas/{idea_id}/split"): lambda o: {"suggestion_ids": [str(o.ids["suggestion_2"])]},
    ("PATCH", "/loop-drafts/{draft_id}"): lambda o: {
        "body": "Hello, it is planned for the April release; I will email you when it ships. Ana"
    },
    ("POST", "/loop-drafts/{draft_id}/send"): lambda o: {"override": False},
    ("POST", "/suggestions"): lambda o: {
        "customer_id": str(o.ids["customer"]),
        "text": "Please add a dark mode to the app.",
        "interaction_id": str(o.ids["interaction"]),
        "idea_id": str(o.ids["idea"]),
    },
    ("POST", "/decision-trees"): lambda o: {"source": REFUND_TREE},
    ("PUT", "/decision-trees/{tree_id}"): lambda o: {"source": REFUND_TREE},
    ("POST", "/decision-trees/{tree_id}/runs"): lambda o: {
        "relationship_id": str(o.ids["relationship"])
    },
    ("POST", "/tree-runs/{run_id}/steps"): lambda o: {"option": "Yes"},
    ("POST", "/pulse/rounds"): lambda o: {"team_id": str(o.ids["team"])},
    ("POST", "/pulse/rounds/{round_id}/answers"): lambda o: {"answers": [4] * 12},
    ("POST", "/frameworks"): lambda o: {
        "name": "Answer a complaint",
        "body": GOOD_BODY,
        "owner_member_id": str(o.ids["member"]),
    },
    ("PUT", "/frameworks/{framework_id}"): lambda o: {"name": "Renamed", "body": GOOD_BODY},
    ("POST", "/frameworks/{framework_id}/publish"): lambda o: {},
    ("POST", "/frameworks/suggest"): lambda o: {
        "interaction_id": str(o.ids["interaction"]),
        "relationship_id": str(o.ids["relationship"]),
    },
    ("POST", "/frameworks/{framework_id}/fill"): lambda o: {
        "interaction_id": str(o.ids["interaction"]),
        "relationship_id": str(o.ids["relationship"]),
    },
    ("POST", "/frameworks/{framework_id}/usages"): lambda o: {
        "event": "used",
        "interaction_id": str(o.ids["interaction"]),
        "relationship_id": str(o.ids["relationship"]),
    },
    ("POST", "/perception/requests"): lambda o: {"relationship_ids": [str(o.ids["relationship"])]},
    ("PUT", "/relationships/{relationship_id}/perception/owner"): lambda o: {
        "value_received": 4,
        "value_given": 2,
        "trust": 5,
        "ease": 4,
    },
    ("PUT", "/segments/{segment_id}"): lambda o: {
        "name": "Everyone",
        "rule": {"conditions": [{"field": "tenure_days", "op": "gte", "value": 0}]},
    },
    ("POST", "/coach"): lambda o: {
        "customer_message": "My card was charged twice.",
        "reply": "Hi, I have refunded the second charge; it will show by Friday. Ana",
        "relationship_id": str(o.ids["relationship"]),
    },
    ("POST", "/coach/verdicts"): lambda o: {
        "customer_message": "My card was charged twice.",
        "reply": "Hi, I have refunded the second charge; it will show by Friday. Ana",
        "category": "ownership",
        "start": 4,
        "end": 40,
        "verdict": "right",
        "relationship_id": str(o.ids["relationship"]),
    },
}

# a body field or query parameter naming a record → that record's value in an organisation
REFERENCES: dict[str, Callable[[Org], str | list[str]]] = {
    "customer_id": lambda o: str(o.ids["customer"]),
    "account_id": lambda o: str(o.ids["account"]),
    "conversation_id": lambda o: str(o.ids["conversation"]),
    "owner_member_id": lambda o: str(o.ids["member"]),
    "relationship_id": lambda o: str(o.ids["relationship"]),
    "customer_external_id": lambda o: o.values["customer_external_id"],
    "customer_email": lambda o: o.values["customer_email"],
    "conversation_external_id": lambda o: o.values["conversation_external_id"],
    "into_reason_id": lambda o: str(o.ids["reason_2"]),
    "reason_id": lambda o: str(o.ids["reason_2"]),
    "example_ids": lambda o: [str(o.ids["example"])],
    "interaction_ids": lambda o: [str(o.ids["interaction"])],
    "interaction_id": lambda o: str(o.ids["interaction"]),
    "idea_id": lambda o: str(o.ids["idea"]),
    "into_idea_id": lambda o: str(o.ids["idea_2"]),
    "idea_ids": lambda o: [str(o.ids["idea_2"])],
    "suggestion_ids": lambda o: [str(o.ids["suggestion_2"])],
    "team_id": lambda o: str(o.ids["team"]),
    "relationship_ids": lambda o: [str(o.ids["relationship"])],
}
# fields naming the same thing in different ways: a request gives one of each group
ALTERNATIVES = [
    {"customer_id", "customer_external_id", "customer_email"},
    {"conversation_id", "conversation_external_id"},
]


# (method, page path) → the fields of a valid form naming the organisation's own records (the
# CSRF token is added by the session caller); pages read their forms themselves
PAGE_FORMS: dict[tuple[str, str], Body] = {
    ("POST", "/relationships/{relationship_id}/notes"): lambda o: {"note": "Called her back"},
    ("POST", "/relationships/{relationship_id}/promises"): lambda o: {
        "promise": "I'll call you on Friday",
        "due_at": "",
    },
    ("POST", "/relationships/{relationship_id}/frameworks/{framework_id}/use"): lambda o: {},
    ("POST", "/relationships/{relationship_id}/owner"): lambda o: {
        "owner_member_id": str(o.ids["member"])
    },
    ("POST", "/reasons/{reason_id}/update"): lambda o: {"name": "Renamed reason"},
    ("POST", "/reasons/{reason_id}/merge"): lambda o: {"into_reason_id": str(o.ids["reason_2"])},
    ("POST", "/reasons/{reason_id}/split"): lambda o: {
        "name": "Split off",
        "interaction_ids": str(o.ids["interaction"]),
    },
    ("POST", "/feedback/ideas/{idea_id}/status"): lambda o: {"status": "under_review"},
    ("POST", "/feedback/drafts/{draft_id}/edit"): lambda o: {
        "subject": "Your idea",
        "body": "Hello, your idea is planned for the April release.",
    },
    ("POST", "/feedback/drafts/{draft_id}/send"): lambda o: {"override": "yes"},
    ("POST", "/settings/members/{member_id}/role"): lambda o: {"role": "manager"},
    ("POST", "/settings/tokens/{token_id}/revoke"): lambda o: {},
    ("POST", "/frameworks/{framework_id}"): lambda o: {
        "name": "Answer a complaint",
        "body": "Hello {{customer_first_name}}, [[what_you_did: say what you did about it]]",
    },
    ("POST", "/frameworks/{framework_id}/publish"): lambda o: {},
    ("POST", "/frameworks/{framework_id}/retire"): lambda o: {},
    ("POST", "/segments/{segment_id}"): lambda o: {
        "action": "save",
        "name": "Everyone",
        "rows": "1",
        "field-1": "tenure_days",
        "op-1": "gte",
        "value-1": "0",
    },
    ("POST", "/segments/{segment_id}/delete"): lambda o: {},
    ("POST", "/relationships/{relationship_id}/perception/owner"): lambda o: {
        "value_received": "4",
        "value_given": "2",
        "trust": "5",
        "ease": "4",
        "comment": "",
    },
    ("POST", "/relationships/{relationship_id}/perception/link"): lambda o: {},
}


def _body(endpoint: Endpoint, org: Org) -> dict[str, Any] | None:
    if not endpoint.path.startswith(API_PREFIX) and endpoint.method != "GET" and endpoint.params:
        form = PAGE_FORMS.get((endpoint.method, endpoint.path))
        if form is None:
            pytest.fail(f"{endpoint}: no sample form; add one to PAGE_FORMS in {__file__}")
        return form(org)
    if not _body_fields(endpoint):
        return None
    sample = BODIES.get((endpoint.method, endpoint.path.removeprefix(API_PREFIX)))
    if sample is None:
        pytest.fail(f"{endpoint}: no sample body; add one to BODIES in {__file__}")
    return sample(org)


def _body_fields(endpoint: Endpoint) -> dict[str, Any]:
    """The request's body fields by name, with their types."""
    model = SIGNED_ROUTES.get(endpoint.path)
    if model is not None:
        return dict(model.model_fields)
    fields: dict[str, Any] = {}
    for param in endpoint.route.dependant.body_params:
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields.update(annotation.model_fields)
        else:
            fields[param.name] = param.field_info
    return fields


def _names_a_record(name: str, info: Any) -> bool:
    annotation = info.annotation
    is_uuid = annotation is uuid.UUID or uuid.UUID in get_args(annotation)
    return name in REFERENCES or (name.endswith("_id") and is_uuid)


Call = Callable[[str, str, dict[str, Any] | None], Response]


def _needs_member(dependant: Dependant) -> bool:
    return any(d.call is get_current_member or _needs_member(d) for d in dependant.dependencies)


def _caller(client: TestClient, endpoint: Endpoint, org: Org) -> Call:
    """Requests to ``endpoint`` with ``org``'s credentials, of the kind the route takes."""
    if endpoint.path in SIGNED_ROUTES:

        def signed(method: str, url: str, body: dict[str, Any] | None) -> Response:
            raw = json.dumps(body).encode()
            headers = {"Goodwill-Signature": signature(org.webhook_secret, raw)}
            return client.request(method, url, content=raw, headers=headers)

        return signed
    if not endpoint.path.startswith(API_PREFIX):
        return _session_caller(client, org)
    if not _needs_member(endpoint.route.dependant):
        pytest.fail(f"{endpoint}: takes a path parameter but no credentials: say how in {__file__}")

    def bearer(method: str, url: str, body: dict[str, Any] | None) -> Response:
        return client.request(method, url, json=body, headers=org.ctx.headers)

    return bearer


def _session_caller(client: TestClient, org: Org) -> Call:
    """Requests from a browser signed in as ``org``'s admin (cookie + CSRF token)."""
    browser = TestClient(client.app, base_url="https://testserver")
    signed_in = browser.post(
        f"{API_PREFIX}/auth/login", json={"email": org.ctx.admin_email, "password": PASSWORD}
    )
    assert signed_in.status_code == 200, signed_in.text
    csrf = {"X-CSRF-Token": signed_in.json()["csrf_token"]}

    def call(method: str, url: str, body: dict[str, Any] | None) -> Response:
        if url.startswith(API_PREFIX) or method == "GET":
            return browser.request(method, url, json=body, headers=csrf)
        # a page's form: the token travels as a field, like the browser sends it
        form = {**(body or {}), "csrf_token": signed_in.json()["csrf_token"]}
        return browser.request(method, url, data=form)

    return call


def _url(endpoint: Endpoint, ids: dict[str, str]) -> str:
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: ids[m[1]], endpoint.path)


def _row_counts(factory: sessionmaker[Session]) -> dict[str, int]:
    session = factory()
    with tenancy.system_scope(session):
        counts = {
            t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }
    session.close()
    return counts


@pytest.fixture(autouse=True)
def _loop_webhooks_answered_locally(request: pytest.FixtureRequest) -> None:
    """Closing-the-loop drafts go by outbound webhook (build_org): answered here, not sent out."""
    if "client" in request.fixturenames:
        app = request.getfixturevalue("client").app
        http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
        app.dependency_overrides[feedback_api.get_transport] = lambda: flows.Transport(
            settings=app.state.settings, http_client=http
        )


def test_the_enumeration_sees_the_routers() -> None:
    """Guards the guard: an enumeration that found nothing would make every test below vacuous."""
    found = {str(e) for e in ROUTES}
    assert "PATCH /api/v1/relationships/{relationship_id}" in found
    assert "GET /api/v1/interactions/{interaction_id}/raw" in found
    assert "POST /api/v1/webhooks/{endpoint_id}/interactions" in found
    assert "GET /api/v1/conversations" in found


@pytest.mark.parametrize("endpoint", PATH_ROUTES, ids=str)
def test_another_organisations_record_is_indistinguishable_from_a_missing_one(
    client: TestClient, world: World, endpoint: Endpoint
) -> None:
    missing = [p for p in endpoint.params if p not in PATH_PARAMS]
    if missing:
        pytest.fail(f"{endpoint}: no record kind for {missing}; add it to PATH_PARAMS")
    theirs = {p: str(world.b.ids[PATH_PARAMS[p]]) for p in endpoint.params}
    random = {p: str(uuid.uuid4()) for p in endpoint.params}
    as_a = _caller(client, endpoint, world.a)
    body = _body(endpoint, world.a)
    answer = as_a(endpoint.method, _url(endpoint, theirs), body)
    control = as_a(endpoint.method, _url(endpoint, random), body)
    # a signed route cannot tell a foreign endpoint from a wrong signature either: 401
    expected = 401 if endpoint.path in SIGNED_ROUTES else 404
    assert answer.status_code == expected, answer.text
    assert control.status_code == expected, control.text
    assert _normalised(answer.text, theirs) == _normalised(control.text, random)
    # the record is real: its own organisation reaches it with the same request
    as_b = _caller(client, endpoint, world.b)
    own = as_b(endpoint.method, _url(endpoint, theirs), _body(endpoint, world.b))
    assert own.status_code < 300, f"{endpoint} as its own organisation: {own.text}"


@pytest.mark.parametrize("endpoint", [e for e in ROUTES if e.path in TOKEN_ROUTES], ids=str)
def test_token_routes_need_no_member_and_answer_a_made_up_token_with_not_found(
    client: TestClient, endpoint: Endpoint
) -> None:
    assert endpoint.params == ["token"]
    assert not _needs_member(endpoint.route.dependant), f"{endpoint} asks for a member"
    made_up = _url(endpoint, {"token": "gw_" + uuid.uuid4().hex})
    answer = client.request(endpoint.method, made_up, data={"nonce": "1.x"})
    assert answer.status_code == 404, answer.text


def _normalised(text: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        text = text.replace(value, f"<{name}>")
    return text


@pytest.mark.parametrize("endpoint", LIST_ROUTES, ids=str)
def test_lists_never_show_another_organisations_rows(
    client: TestClient, world: World, endpoint: Endpoint
) -> None:
    r = client.get(endpoint.path, headers=world.a.ctx.headers)
    assert r.status_code == 200, r.text
    leaked = [m for m in world.b.markers() if m in r.text]
    assert leaked == [], f"{endpoint} shows organisation B's {leaked}"
    own = [m for m in world.a.markers() if m in r.text]
    assert own, f"{endpoint} shows none of A's records either: build one in build_org"


def _filter_cases() -> Iterator[Any]:
    for endpoint in LIST_ROUTES:
        for param in endpoint.route.dependant.query_params:
            if param.name in REFERENCES:
                yield pytest.param(endpoint, param.name, id=f"{endpoint}?{param.name}")


@pytest.mark.parametrize(("endpoint", "name"), list(_filter_cases()))
def test_list_filters_on_another_organisations_records_find_nothing(
    client: TestClient, world: World, endpoint: Endpoint, name: str
) -> None:
    theirs = client.get(
        endpoint.path, params={name: REFERENCES[name](world.b)}, headers=world.a.ctx.headers
    )
    assert theirs.status_code == 200, theirs.text
    assert theirs.json()["items"] == []
    mine = client.get(
        endpoint.path, params={name: REFERENCES[name](world.a)}, headers=world.a.ctx.headers
    )
    assert mine.json()["items"] != []


def _reference_cases() -> Iterator[Any]:
    for endpoint in ROUTES:
        if endpoint.method not in {"POST", "PUT", "PATCH"}:
            continue
        for name, info in _body_fields(endpoint).items():
            if _names_a_record(name, info):
                yield pytest.param(endpoint, name, id=f"{endpoint} {name}")


@pytest.mark.parametrize(("endpoint", "name"), list(_reference_cases()))
def test_writes_naming_another_organisations_records_store_nothing(
    client: TestClient,
    session_factory: sessionmaker[Session],
    world: World,
    endpoint: Endpoint,
    name: str,
) -> None:
    if name not in REFERENCES:
        pytest.fail(f"{endpoint}: body field {name} names a record; add it to REFERENCES")
    as_a = _caller(client, endpoint, world.a)
    url = _url(endpoint, {p: str(world.a.ids[PATH_PARAMS[p]]) for p in endpoint.params})
    body = _body(endpoint, world.a) or {}
    for group in ALTERNATIVES:
        if name in group:
            body = {k: v for k, v in body.items() if k not in group}
    before = client.get(url, headers=world.a.ctx.headers).text if endpoint.params else None
    before_counts = _row_counts(session_factory)  # after the GET: a view is audited
    refused = as_a(endpoint.method, url, body | {name: REFERENCES[name](world.b)})
    assert refused.status_code in (404, 422), refused.text
    assert _row_counts(session_factory) == before_counts
    if before is not None and endpoint.path not in SIGNED_ROUTES:
        assert client.get(url, headers=world.a.ctx.headers).text == before
    # the same request naming A's own record is accepted
    accepted = as_a(endpoint.method, url, body | {name: REFERENCES[name](world.a)})
    assert accepted.status_code < 300, accepted.text


def test_author_email_of_another_organisations_member_links_nobody(
    client: TestClient, world: World
) -> None:
    body = interaction_payload(
        world.a.ids["customer"], author_email=world.b.values["member_email"], body="hello"
    )
    r = client.post(f"{API_PREFIX}/interactions", json=body, headers=world.a.ctx.headers)
    assert r.status_code == 201, r.text
    assert r.json()["author_member_id"] is None
    own = body | {"author_email": world.a.values["member_email"], "body": "again"}
    r = client.post(f"{API_PREFIX}/interactions", json=own, headers=world.a.ctx.headers)
    assert r.json()["author_member_id"] == str(world.a.ids["member"])


def test_browser_session_reaches_only_its_own_organisation(
    client: TestClient, world: World
) -> None:
    """The cookie credential used for page routes above, checked on the API it shares."""
    as_a = _session_caller(client, world.a)
    mine = as_a("GET", f"{API_PREFIX}/customers/{world.a.ids['customer']}", None)
    theirs = as_a("GET", f"{API_PREFIX}/customers/{world.b.ids['customer']}", None)
    assert (mine.status_code, theirs.status_code) == (200, 404)


IMPORTS = f"{API_PREFIX}/imports"


def test_import_naming_another_organisations_records_stores_nothing(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    """docs/import.md: an unknown customer or conversation is a bad row; nothing is stored."""
    assert any(str(e) == f"POST {IMPORTS}" for e in ROUTES)
    a, b = world.a, world.b
    base = {"kind": "message", "channel": "email", "direction": "inbound", "body": "hi"}
    lines = [
        base | {"customer_external_id": b.values["customer_external_id"]},
        base | {"customer_email": b.values["customer_email"]},
        base
        | {
            "customer_external_id": a.values["customer_external_id"],
            "conversation_external_id": b.values["conversation_external_id"],
        },
    ]
    content = "".join(
        json.dumps(line | {"occurred_at": "2026-03-01T10:00:00Z"}) + "\n" for line in lines
    )
    before = _row_counts(session_factory)
    r = client.post(
        IMPORTS,
        files={"file": ("interactions.jsonl", content.encode(), "application/x-ndjson")},
        headers=a.ctx.headers,
    )
    assert r.status_code == 422, r.text
    assert r.json()["total_errors"] == 3
    assert _row_counts(session_factory) == before
