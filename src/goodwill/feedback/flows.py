"""Closing the loop: when an idea's outcome is decided, prepare one personal message per customer
who asked (reviewed by the reply coach), let people edit it, and send it on approval.

Sending is idempotent: a draft is claimed with a conditional UPDATE (``draft``/``failed`` →
``sending``) inside the request's transaction, so a draft that was sent once is never sent again,
even by two requests at the same moment.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from goodwill import security
from goodwill.coach import service as coach_service
from goodwill.coach.api import get_coach
from goodwill.config import Settings
from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.errors import Conflict, InvalidInput, NotFound
from goodwill.feedback import delivery, drafting
from goodwill.feedback import service as feedback_service
from goodwill.feedback.models import Idea, LoopDelivery, LoopDraft, Suggestion
from goodwill.feedback.schemas import OUTCOMES, DraftUpdate, http_url
from goodwill.organisations.models import Member
from goodwill.organisations.service import get_organisation, get_setting, set_setting
from goodwill.relationships.models import Relationship

SENDABLE = ("draft", "failed")


def feedback_settings(db: Session) -> dict[str, Any]:
    """The organisation's ``feedback`` settings (webhook URL, sender, segment weights)."""
    return get_setting(db=db, key="feedback") or {}


def set_webhook_url(*, db: Session, url: str | None) -> None:
    """Where loop messages for customers outside e-mail go (None: e-mail only)."""
    try:
        url = http_url(url)
    except ValueError:
        raise InvalidInput(f"webhook url: an http or https URL, not {url!r}") from None
    set_setting(db=db, key="feedback", value={**feedback_settings(db), "webhook_url": url})
    db.flush()


def webhook_secret(*, organisation_id: uuid.UUID, server_key: bytes) -> str:
    """The secret outbound loop webhooks are signed with (derived, never stored)."""
    message = f"feedback-webhook:{organisation_id}".encode()
    return "whsec_" + security.hmac_sha256(server_key, message)


def _channel(
    suggestion: Suggestion, customer: Customer, config: dict[str, Any]
) -> tuple[str, str | None]:
    """Where the customer hears back: e-mail if they wrote by e-mail, else the helpdesk's
    webhook (it posts into the chat, app or social thread); e-mail as the fallback."""
    url = config.get("webhook_url")
    if suggestion.channel == "email" and customer.email:
        return "email", customer.email
    if url:
        return "webhook", str(url)
    if customer.email:
        return "email", customer.email
    return "webhook", None


def _sender_name(db: Session, *member_ids: uuid.UUID | None) -> str | None:
    for member_id in member_ids:
        member = db.get(Member, member_id) if member_id is not None else None
        if member is not None and member.is_active:
            return member.user.display_name
    return None


def _first_per_customer(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    first: dict[uuid.UUID, Suggestion] = {}
    for s in suggestions:  # oldest first
        first.setdefault(s.customer_id, s)
    return list(first.values())


def prepare_drafts(*, db: Session, idea: Idea, member_id: uuid.UUID | None) -> list[LoopDraft]:
    """One draft per customer who asked, for the idea's current outcome (none exists yet)."""
    if idea.status not in OUTCOMES:
        return []
    existing = set(
        db.scalars(
            select(LoopDraft.customer_id).where(
                LoopDraft.idea_id == idea.id, LoopDraft.outcome == idea.status
            )
        )
    )
    todo = [
        s
        for s in _first_per_customer(feedback_service.suggestions_of(db=db, idea_id=idea.id))
        if s.customer_id not in existing
    ]
    if not todo:
        return []
    config = feedback_settings(db)
    org_name = str(config.get("sender_organisation") or get_organisation(db=db).name)
    drafts = [_compose(db, idea, s, config, org_name, member_id) for s in todo]
    for draft, suggestion in zip(drafts, todo, strict=True):
        _review(db, draft, suggestion)
        db.add(draft)
    db.flush()
    return drafts


def _compose(
    db: Session,
    idea: Idea,
    suggestion: Suggestion,
    config: dict[str, Any],
    org_name: str,
    member_id: uuid.UUID | None,
) -> LoopDraft:
    customer = db.get(Customer, suggestion.customer_id)
    assert customer is not None  # the suggestion's foreign key
    relationship = db.scalar(select(Relationship).where(Relationship.customer_id == customer.id))
    owner = relationship.owner_member_id if relationship is not None else None
    facts = drafting.LetterFacts(
        customer_name=customer.name,
        suggestion=suggestion.text,
        suggested_at=suggestion.suggested_at,
        outcome=idea.status,
        idea_title=idea.title,
        public_note=idea.public_note,
        tracker_url=idea.tracker_url,
        sender_name=_sender_name(db, idea.owner_member_id, owner, member_id),
        organisation_name=org_name,
    )
    channel, recipient = _channel(suggestion, customer, config)
    return LoopDraft(
        idea_id=idea.id,
        suggestion_id=suggestion.id,
        customer_id=customer.id,
        outcome=idea.status,
        channel=channel,
        recipient=recipient,
        subject=drafting.subject(facts),
        body=drafting.body(facts),
        coach_score=0,
        coach_findings=[],
        state="draft",
    )


def _review(db: Session, draft: LoopDraft, suggestion: Suggestion) -> None:
    """The reply coach's verdict on the draft, stored beside it; high severity blocks sending."""
    coach = get_coach()
    relationship_id = db.scalar(
        select(Relationship.id).where(Relationship.customer_id == draft.customer_id)
    )
    situation = coach_service.build_draft(
        db=db,
        customer_message=suggestion.text,
        reply=draft.body,
        context=(),
        relationship_id=relationship_id,
        reader=coach.reader,
    )
    verdict = coach.review(situation)
    draft.coach_score = verdict.score
    draft.coach_findings = [f.to_json() for f in verdict.findings]
    draft.blocked = any(f.kind == "irritant" and f.severity == "high" for f in verdict.findings)


def get_draft(*, db: Session, draft_id: uuid.UUID) -> LoopDraft:
    draft = db.get(LoopDraft, draft_id)
    if draft is None:
        raise NotFound(f"loop draft {draft_id} not found")
    return draft


def drafts_of(*, db: Session, idea_id: uuid.UUID) -> list[LoopDraft]:
    stmt = select(LoopDraft).where(LoopDraft.idea_id == idea_id)
    return list(db.scalars(stmt.order_by(LoopDraft.created_at, LoopDraft.id)))


def deliveries_of(*, db: Session, draft_id: uuid.UUID) -> list[LoopDelivery]:
    stmt = select(LoopDelivery).where(LoopDelivery.draft_id == draft_id)
    return list(db.scalars(stmt.order_by(LoopDelivery.attempt)))


def edit_draft(
    *, db: Session, draft: LoopDraft, draft_in: DraftUpdate, member_id: uuid.UUID
) -> LoopDraft:
    """New words, reviewed again by the coach (an edit clears or sets the block afresh)."""
    if draft.state not in SENDABLE:
        raise Conflict(f"loop draft {draft.id} was already {draft.state}: it cannot change")
    for name, value in draft_in.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(draft, name, value)
    suggestion = db.get(Suggestion, draft.suggestion_id)
    assert suggestion is not None
    _review(db, draft, suggestion)
    draft.edited_by_member_id = member_id
    draft.overridden = False
    db.flush()
    return draft


@dataclass(frozen=True)
class Transport:
    """What sending needs from the outside world (tests pass a mock HTTP transport)."""

    settings: Settings
    http_client: httpx.Client | None = None
    sleep: Callable[[float], None] = time.sleep


def send_draft(
    *, db: Session, draft: LoopDraft, member_id: uuid.UUID, override: bool, transport: Transport
) -> LoopDraft:
    """Send once: a sent draft is returned unchanged (no second delivery)."""
    if draft.state == "sent":
        return draft
    if draft.blocked and not override:
        raise Conflict(
            f"loop draft {draft.id} has high-severity coach findings: edit it, "
            "or send it with override (managers)"
        )
    if draft.recipient is None:
        raise Conflict(
            f"loop draft {draft.id}: the customer has no e-mail address and no outbound "
            "webhook is configured (organisation settings feedback.webhook_url)"
        )
    claimed = db.execute(
        update(LoopDraft)
        .where(LoopDraft.id == draft.id, LoopDraft.state.in_(SENDABLE))
        .values(state="sending")
        .execution_options(synchronize_session=False)
    )
    db.refresh(draft)
    if getattr(claimed, "rowcount", 0) != 1:
        return draft  # sent (or being sent) by someone else meanwhile
    attempts = _deliver(db, draft, transport)
    _record(db, draft, attempts, member_id=member_id, override=override)
    return draft


def _deliver(db: Session, draft: LoopDraft, transport: Transport) -> list[delivery.Attempt]:
    settings = transport.settings
    config = feedback_settings(db)
    assert draft.recipient is not None
    if draft.channel == "email":
        smtp = delivery.SmtpConfig.of(settings, config.get("smtp_from"))
        email = delivery.Email(draft.recipient, draft.subject, draft.body, str(draft.id))
        return [delivery.send_email(smtp, email)]
    secret = webhook_secret(
        organisation_id=draft.organisation_id, server_key=settings.secret_key_bytes()
    )
    policy = delivery.RetryPolicy(
        attempts=settings.outbound_webhook_attempts,
        backoff_seconds=settings.outbound_webhook_backoff_seconds,
        timeout_seconds=settings.outbound_webhook_timeout_seconds,
    )
    client = transport.http_client or httpx.Client()
    try:
        return delivery.post_webhook(
            client=client,
            url=draft.recipient,
            secret=secret,
            payload=_webhook_payload(db, draft),
            delivery_key=str(draft.id),
            policy=policy,
            sleep=transport.sleep,
        )
    finally:
        if transport.http_client is None:
            client.close()


def _webhook_payload(db: Session, draft: LoopDraft) -> dict[str, Any]:
    customer = db.get(Customer, draft.customer_id)
    suggestion = db.get(Suggestion, draft.suggestion_id)
    assert customer is not None
    assert suggestion is not None
    return {
        "type": "feedback.loop_message",
        "draft_id": str(draft.id),
        "idea_id": str(draft.idea_id),
        "outcome": draft.outcome,
        "customer": {
            "id": str(customer.id),
            "external_id": customer.external_id,
            "email": customer.email,
            "name": customer.name,
        },
        "suggestion": {
            "id": str(suggestion.id),
            "interaction_id": str(suggestion.interaction_id) if suggestion.interaction_id else None,
            "channel": suggestion.channel,
        },
        "subject": draft.subject,
        "body": draft.body,
    }


def _record(
    db: Session,
    draft: LoopDraft,
    attempts: Sequence[delivery.Attempt],
    *,
    member_id: uuid.UUID,
    override: bool,
) -> None:
    now = utcnow()
    for number, a in enumerate(attempts, start=1):
        db.add(
            LoopDelivery(
                draft_id=draft.id,
                attempt=number,
                channel=draft.channel,
                ok=a.ok,
                status_code=a.status_code,
                duration_ms=a.duration_ms,
                error=a.error,
                attempted_at=now,
            )
        )
    sent = any(a.ok for a in attempts)
    draft.state = "sent" if sent else "failed"
    draft.sent_at = now if sent else None
    draft.sent_by_member_id = member_id if sent else None
    draft.overridden = bool(override and draft.blocked and sent)
    draft.last_error = None if sent else (attempts[-1].error if attempts else "not attempted")
    db.flush()
