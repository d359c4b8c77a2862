"""Collecting suggestions from analysed messages: inbound messages whose stored intent includes
``suggestion`` become suggestions, grouped into ideas. Safe to run any number of times: a message
becomes a suggestion once (a unique key on the interaction)."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Sequence

from sqlalchemy import String, cast, exists, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.analysis.intent import INTENTS
from goodwill.database import unit_of_work
from goodwill.feedback import flows, grouping
from goodwill.feedback import service as feedback_service
from goodwill.feedback.models import Suggestion
from goodwill.feedback.schemas import CollectResult
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis

log = logging.getLogger(__name__)

INTENT_ANALYSER = "intent"
BATCH = 256
_SUGGESTING = re.compile("|".join(f"(?:{p})" for p in INTENTS["suggestion"]), re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def suggestion_words(body: str) -> str:
    """The sentences of a message that make the suggestion (the whole message if none does)."""
    sentences = [s.strip() for s in _SENTENCE.split(body) if s.strip()]
    picked = [s for s in sentences if _SUGGESTING.search(s)]
    return " ".join(picked) if picked else body.strip()


def _pending(db: Session) -> list[Interaction]:
    """Inbound messages analysed as suggestions that are not suggestions yet, oldest first."""
    stmt = (
        select(Interaction, MessageAnalysis.result)
        .join(MessageAnalysis, MessageAnalysis.interaction_id == Interaction.id)
        .where(
            MessageAnalysis.analyser == INTENT_ANALYSER,
            cast(MessageAnalysis.result, String).like('%"suggestion"%'),
            Interaction.direction == "inbound",
            Interaction.body.is_not(None),
            ~exists().where(Suggestion.interaction_id == Interaction.id),
        )
        .order_by(Interaction.occurred_at, Interaction.id)
    )
    rows = db.execute(stmt).all()
    return [row for row, result in rows if "suggestion" in (result or {}).get("value", [])]


def collect_suggestions(*, db: Session) -> CollectResult:
    """Turn every new analysed suggestion of the organisation into a suggestion in an idea."""
    pending = _pending(db)
    if not pending:
        return CollectResult(collected=0, new_ideas=0)
    grouper = feedback_service.Grouper(db)
    touched: set[uuid.UUID] = set()
    new_ideas = 0
    for start in range(0, len(pending), BATCH):
        new_ideas += _place(db, pending[start : start + BATCH], grouper, touched)
    for idea_id in sorted(touched):  # an idea with an outcome tells late askers at once
        idea = feedback_service.get_idea(db=db, idea_id=idea_id)
        flows.prepare_drafts(db=db, idea=idea, member_id=None)
    return CollectResult(collected=len(pending), new_ideas=new_ideas)


def _place(
    db: Session,
    batch: Sequence[Interaction],
    grouper: feedback_service.Grouper,
    touched: set[uuid.UUID],
) -> int:
    """Place a batch of messages' suggestions; returns how many ideas they started."""
    texts = [suggestion_words(m.body or "") for m in batch]
    vectors = grouping.encode(texts)
    created = 0
    for message, text, vector in zip(batch, texts, vectors, strict=True):
        new = feedback_service.NewSuggestion(
            customer_id=message.customer_id,
            text=text,
            channel=message.channel,
            source="message",
            suggested_at=message.occurred_at,
            interaction_id=message.id,
        )
        suggestion, is_new = feedback_service.add_suggestion(
            db=db, new=new, vector=vector, grouper=grouper
        )
        created += is_new
        touched.add(suggestion.idea_id)
    return created


def collect_new(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> int:
    """Run after analysis (``ingest.after_ingest``), in its own transaction; failures are
    logged, never raised: ``goodwill feedback collect`` catches up."""
    try:
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            return collect_suggestions(db=db).collected
    except Exception:
        log.exception("collecting suggestions of organisation %s failed", organisation_id)
        return 0
