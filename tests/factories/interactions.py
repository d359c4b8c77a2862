"""Conversations, interactions (optionally with a raw original), webhook endpoints, signatures."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from goodwill.config import Settings
from goodwill.interactions import service
from goodwill.interactions.models import Conversation, Interaction, InteractionRaw
from goodwill.interactions.schemas import ConversationCreate, InteractionCreate
from goodwill.organisations import service as organisation_service
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext

WHEN = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)


def make_conversation(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    customer_id: uuid.UUID,
    external_id: str | None = None,
    subject: str | None = "Card declined abroad",
    channel: str = "email",
    status: str = "open",
) -> Conversation:
    conversation_in = ConversationCreate.model_validate(
        {
            "customer_id": customer_id,
            "external_id": external_id,
            "subject": subject,
            "channel": channel,
            "status": status,
            "opened_at": WHEN,
        }
    )
    with org_session(factory, org) as db:
        return service.create_conversation(db=db, conversation_in=conversation_in)


def interaction_payload(
    customer_id: uuid.UUID | str | None = None, **fields: Any
) -> dict[str, Any]:
    """The JSON of one inbound e-mail message (POST /interactions, webhooks); override any field."""
    payload: dict[str, Any] = {
        "kind": "message",
        "channel": "email",
        "direction": "inbound",
        "occurred_at": WHEN.isoformat(),
        "subject": "Card declined abroad",
        "body": "My card was declined in Lisbon. Please help, I am stuck at the hotel.",
    }
    if customer_id is not None:
        payload["customer_id"] = str(customer_id)
    payload.update(fields)
    return {k: v for k, v in payload.items() if v is not None}


def make_interaction(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    customer_id: uuid.UUID,
    raw: bytes | None = None,
    raw_content_type: str = "message/rfc822",
    **fields: Any,
) -> Interaction:
    """An interaction stored through the service (so the relationship counts it)."""
    interaction_in = InteractionCreate.model_validate(interaction_payload(customer_id, **fields))
    with org_session(factory, org) as db:
        interaction = service.create(db=db, interaction_in=interaction_in).interaction
        if raw is not None:
            db.add(
                InteractionRaw(
                    interaction_id=interaction.id, content_type=raw_content_type, content=raw
                )
            )
        return interaction


def make_webhook_endpoint(
    factory: sessionmaker[Session], org: OrgContext, settings: Settings, name: str = "helpdesk"
) -> tuple[uuid.UUID, str]:
    """A webhook endpoint of ``org``: (endpoint id, signing secret)."""
    with org_session(factory, org) as db:
        endpoint, secret = organisation_service.create_webhook_endpoint(
            db=db, name=name, server_key=settings.secret_key_bytes()
        )
        return endpoint.id, secret


def signature(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The ``Goodwill-Signature`` header value for ``body``, as a sender computes it."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"
