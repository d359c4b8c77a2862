"""Sending closing-the-loop drafts: by SMTP to a real local server (aiosmtpd), by outbound webhook
through httpx.MockTransport (signed like the inbound webhooks, retried, every attempt logged), and
never twice."""

from __future__ import annotations

import email
import email.policy
import json
import logging
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from goodwill.config import Settings
from goodwill.feedback import api as feedback_api
from goodwill.feedback import flows
from goodwill.feedback.models import Suggestion
from goodwill.interactions.webhooks import verify_signature
from goodwill.main import API_PREFIX
from goodwill.organisations.models import Organisation
from tests.factories.customers import make_customer, org_session
from tests.factories.feedback import DARK_MODE, make_suggestion, set_status
from tests.factories.organisations import OrgContext

HOOK_URL = "https://helpdesk.example/hooks/goodwill"


@dataclass
class Inbox:
    """What the local SMTP server received."""

    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        self.messages.append(
            (
                envelope.mail_from,
                list(envelope.rcpt_tos),
                email.message_from_bytes(raw, policy=email.policy.default),
            )
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    # aiosmtpd logs each closed connection at INFO from its own thread, after the test's output
    # stream may have been closed (pytest-xdist workers): only its warnings are wanted
    mail_log = logging.getLogger("mail.log")
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
        mail_log.setLevel(level)


@dataclass
class Hook:
    """An outbound-webhook receiver: answers from ``script`` in turn, records every request."""

    script: list[int | type[Exception]]
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(answer, type):
            raise answer("simulated", request=request)  # type: ignore[call-arg]
        return httpx.Response(answer, json={"ok": answer < 300})


def _use(client: TestClient, settings: Settings, hook: Hook | None = None) -> list[float]:
    """Send through ``hook``; the backoff sleeps are recorded instead of slept."""
    sleeps: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(hook)) if hook else None
    client.app.dependency_overrides[feedback_api.get_transport] = lambda: flows.Transport(  # type: ignore[attr-defined]
        settings=settings, http_client=http, sleep=sleeps.append
    )
    return sleeps


def _draft(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    channel: str = "email",
    webhook: bool = False,
) -> uuid.UUID:
    customer = make_customer(factory, org, name="Margareth Smith", email="margareth@example.com")
    suggestion = make_suggestion(factory, org, customer_id=customer.id, text=DARK_MODE)
    if channel != "email":
        with org_session(factory, org) as db:
            db.execute(
                update(Suggestion).where(Suggestion.id == suggestion.id).values(channel=channel)
            )
    if webhook:
        with org_session(factory, org) as db:
            organisation = db.get(Organisation, org.organisation_id)
            assert organisation is not None
            organisation.settings = {"feedback": {"webhook_url": HOOK_URL}}
    (draft,) = set_status(factory, org, suggestion.idea_id, "shipped", "Live in version 4.2.")
    return draft.id


def test_email_reaches_the_local_smtp_server_once(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    settings: Settings,
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    smtp_settings = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": "ana@acme.example"}
    )
    _use(client, smtp_settings)
    draft_id = _draft(session_factory, org_a)
    url = f"{API_PREFIX}/loop-drafts/{draft_id}/send"
    r = client.post(url, json={}, headers=org_a.headers)
    assert r.status_code == 200, r.text
    sent = r.json()
    assert sent["state"] == "sent"
    assert sent["sent_at"] is not None
    assert [(d["ok"], d["channel"], d["status_code"]) for d in sent["deliveries"]] == [
        (True, "email", 250)
    ]
    assert len(inbox.messages) == 1
    sender, recipients, message = inbox.messages[0]
    assert (sender, recipients) == ("ana@acme.example", ["margareth@example.com"])
    assert message["Subject"] == sent["subject"]
    assert str(draft_id) in message["Message-ID"]
    text = message.get_content()
    assert "Hello Margareth," in text
    assert "Live in version 4.2." in text
    # the second send is a no-op: nothing more reaches the server, nothing more is logged
    again = client.post(url, json={}, headers=org_a.headers)
    assert again.status_code == 200
    assert again.json()["deliveries"] == sent["deliveries"]
    assert len(inbox.messages) == 1


def test_unreachable_smtp_server_fails_and_is_logged_then_retried(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    settings: Settings,
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    _use(client, settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": _free_port()}))
    draft_id = _draft(session_factory, org_a)
    url = f"{API_PREFIX}/loop-drafts/{draft_id}/send"
    r = client.post(url, json={}, headers=org_a.headers)
    assert r.status_code == 502, r.text
    assert r.json()["state"] == "failed"
    assert r.json()["deliveries"][0]["error"]
    # a failed draft can be sent again once the server is back
    _use(client, settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
    r = client.post(url, json={}, headers=org_a.headers)
    assert r.json()["state"] == "sent"
    assert [d["ok"] for d in r.json()["deliveries"]] == [False, True]
    assert len(inbox.messages) == 1


def test_webhook_is_signed_like_inbound_webhooks_and_retried_on_5xx_and_timeouts(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    settings: Settings,
) -> None:
    hook = Hook([503, httpx.ReadTimeout, 200])
    sleeps = _use(client, settings, hook)
    draft_id = _draft(session_factory, org_a, channel="chat", webhook=True)
    url = f"{API_PREFIX}/loop-drafts/{draft_id}/send"
    r = client.post(url, json={}, headers=org_a.headers)
    assert r.status_code == 200, r.text
    assert r.json()["channel"] == "webhook"
    deliveries = r.json()["deliveries"]
    assert [(d["attempt"], d["ok"], d["status_code"]) for d in deliveries] == [
        (1, False, 503),
        (2, False, None),
        (3, True, 200),
    ]
    assert "timeout" in deliveries[1]["error"]
    assert all(d["duration_ms"] >= 0 for d in deliveries)
    assert sleeps == [
        settings.outbound_webhook_backoff_seconds,
        2 * settings.outbound_webhook_backoff_seconds,
    ]
    secret = flows.webhook_secret(
        organisation_id=org_a.organisation_id, server_key=settings.secret_key_bytes()
    )
    for request in hook.requests:
        assert str(request.url) == HOOK_URL
        assert request.headers["Goodwill-Delivery"] == str(draft_id)
        verify_signature(
            header=request.headers["Goodwill-Signature"],
            body=request.content,
            secret=secret,
            settings=settings,
            now=time.time(),
        )
    payload = json.loads(hook.requests[-1].content)
    assert payload["customer"]["email"] == "margareth@example.com"
    assert payload["suggestion"]["channel"] == "chat"
    assert "Hello Margareth," in payload["body"]
    assert client.post(url, json={}, headers=org_a.headers).json()["deliveries"] == deliveries
    assert len(hook.requests) == 3


def test_webhook_4xx_is_final_and_exhausted_retries_fail(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    settings: Settings,
) -> None:
    hook = Hook([400])
    _use(client, settings, hook)
    draft_id = _draft(session_factory, org_a, channel="chat", webhook=True)
    r = client.post(f"{API_PREFIX}/loop-drafts/{draft_id}/send", json={}, headers=org_a.headers)
    assert r.status_code == 502
    assert [d["status_code"] for d in r.json()["deliveries"]] == [400]
    hook = Hook([500])
    _use(client, settings, hook)
    r = client.post(f"{API_PREFIX}/loop-drafts/{draft_id}/send", json={}, headers=org_a.headers)
    assert r.json()["state"] == "failed"
    assert len(hook.requests) == settings.outbound_webhook_attempts


def test_override_sends_a_blocked_draft_and_is_recorded(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    settings: Settings,
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    _use(client, settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
    draft_id = _draft(session_factory, org_a)
    url = f"{API_PREFIX}/loop-drafts/{draft_id}"
    bad = "Dear customer, that is how the system works. You can always check it from your app."
    assert client.patch(url, json={"body": bad}, headers=org_a.headers).json()["blocked"]
    assert client.post(f"{url}/send", json={}, headers=org_a.headers).status_code == 409
    assert inbox.messages == []
    r = client.post(f"{url}/send", json={"override": True}, headers=org_a.headers)
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["overridden"]) == ("sent", True)
    assert len(inbox.messages) == 1
    # a sent draft can no longer be edited
    assert client.patch(url, json={"body": "new words"}, headers=org_a.headers).status_code == 409
