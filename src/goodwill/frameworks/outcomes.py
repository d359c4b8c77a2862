"""How frameworks are used and what follows them.

Usage events (``suggested``, ``used``, ``edited``, ``sent``) are recorded per framework; a sent
reply is refused while a personal slot is empty, still its placeholder or trivially short.
What followed a sent reply, within ``days`` of it (seed 000, "metrics recalibration"):

- *repeat contact*: the customer wrote again on the same contact reason as the answered message;
- *sentiment recovery*: after a negative message, the customer's next message is not negative;
- *reopen*: the answered conversation was closed after the reply and the customer wrote in it again;
- *promise kept*: promises to the customer recorded around the reply were kept (of those closed).

Sentences of a framework that operators delete in at least half of at least
:data:`FLAG_MIN_DELETIONS` sent replies are flagged.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goodwill.errors import InvalidInput
from goodwill.frameworks import blocks, context, service
from goodwill.frameworks.models import FrameworkUsage, ResponseFramework
from goodwill.frameworks.schemas import UsageCreate
from goodwill.interactions.models import Conversation, Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations.models import Member
from goodwill.reasons.models import MessageReason
from goodwill.relationships.models import Commitment

NEGATIVE = -0.05
EDITED = 0.02  # a sent reply changed by more than this (beyond its slots) counts as edited
FLAG_MIN_DELETIONS = 3
FLAG_SHARE = 0.5
PROMISE_WINDOW = timedelta(days=1)
MAX_SENT_READ = 20_000
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    """The sentences of at least three words (short greetings and sign-offs are not judged)."""
    parts = (p.strip() for p in _SENTENCE.split(text))
    return [p for p in parts if len(p.split()) >= 3]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def slot_errors(rendered: blocks.Rendered, written: dict[str, str], final: str) -> list[str]:
    """Why a reply cannot be sent: every slot must be written and be in the final text."""
    errors: list[str] = []
    in_final = _normal(final)
    if "[[" in final or "]]" in final:
        errors.append("final_text: still holds a slot mark [[…]]: write it in your own words")
    for span in {s.name: s for s in rendered.slots}.values():
        value = written.get(span.name)
        problem = blocks.check_slot(span.name, span.placeholder, value)
        if problem is None and _normal(value or "") not in in_final:
            problem = f"slot {span.name!r}: its text is not in final_text"
        if problem is not None:
            errors.append(f"slots.{span.name}: {problem}")
    return errors


def _expected(rendered: blocks.Rendered, written: dict[str, str]) -> str:
    out, pos = [], 0
    for span in rendered.slots:
        out += [rendered.text[pos : span.start], written.get(span.name, "")]
        pos = span.end
    return blocks.tidy("".join([*out, rendered.text[pos:]]))


def _measure_edits(
    usage: FrameworkUsage, rendered: blocks.Rendered, written: dict[str, str], final: str
) -> None:
    """How much of the filled framework (slots as written) the operator changed, and which of
    its fixed sentences they deleted."""
    expected = _expected(rendered, written)
    ratio = SequenceMatcher(None, expected, final, autojunk=False).ratio()
    usage.final_text, usage.edit_ratio = final, round(1.0 - ratio, 4)
    kept = _normal(final)
    usage.deleted_sentences = [
        s for s in sentences(rendered.without_slots()) if _normal(s) not in kept
    ]


def record(
    *, db: Session, framework: ResponseFramework, member: Member | None, usage_in: UsageCreate
) -> FrameworkUsage:
    """Record a use; the framework is filled again here, so slots are checked on the server."""
    version = service.version_for_use(db=db, framework=framework, number=usage_in.version)
    if usage_in.event != "used" and usage_in.final_text is None:
        raise InvalidInput(f"final_text: required for {usage_in.event}")
    ctx = context.build(
        db=db,
        reader=service.coach().reader,
        relationship_id=usage_in.relationship_id,
        interaction_id=usage_in.interaction_id,
        member=member,
    )
    rendered = blocks.render(
        service.parse_or_raise(version.body), values=ctx.values, facts=ctx.facts
    )
    usage = FrameworkUsage(
        framework_id=framework.id,
        version_id=version.id,
        event=usage_in.event,
        member_id=member.id if member else None,
        relationship_id=ctx.relationship_id,
        interaction_id=usage_in.interaction_id,
        deleted_sentences=[],
    )
    if usage_in.final_text is not None:
        if usage_in.event == "sent":
            errors = slot_errors(rendered, usage_in.slots, usage_in.final_text)
            if errors:
                raise InvalidInput("not sent: " + "; ".join(errors))
        _measure_edits(usage, rendered, usage_in.slots, usage_in.final_text)
    db.add(usage)
    db.flush()
    return usage


@dataclass(slots=True)
class Outcome:
    framework_id: uuid.UUID
    name: str
    status: str
    counts: Counter[str] = field(default_factory=Counter)
    edit_ratios: list[float] = field(default_factory=list)
    followed: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    deleted: Counter[str] = field(default_factory=Counter)

    def rate(self, name: str) -> tuple[float | None, int]:
        values = self.followed.get(name, [])
        return (round(sum(values) / len(values), 4) if values else None), len(values)

    def flagged_sentences(self) -> list[tuple[str, int]]:
        sent = max(self.counts["sent"], 1)
        return [
            (s, n)
            for s, n in self.deleted.most_common()
            if n >= FLAG_MIN_DELETIONS and n / sent >= FLAG_SHARE
        ]


@dataclass(frozen=True, slots=True)
class _Sent:
    framework_id: uuid.UUID
    at: datetime
    interaction_id: uuid.UUID | None
    relationship_id: uuid.UUID | None


def summarise(*, db: Session, days: int = 7) -> list[Outcome]:
    """Per framework: uses, edits, deleted sentences and what followed its sent replies."""
    result = {
        f.id: Outcome(f.id, f.name, f.status)
        for f in db.scalars(select(ResponseFramework).order_by(ResponseFramework.name))
    }
    counts = select(FrameworkUsage.framework_id, FrameworkUsage.event, func.count()).group_by(
        FrameworkUsage.framework_id, FrameworkUsage.event
    )
    for framework_id, event, n in db.execute(counts):
        # "edited" below counts sent replies changed beyond their slots; saved edits apart
        result[framework_id].counts["edit_saves" if event == "edited" else event] = n
    stmt = (
        select(FrameworkUsage)
        .where(FrameworkUsage.event == "sent")
        .order_by(FrameworkUsage.created_at.desc())
        .limit(MAX_SENT_READ)
    )
    sent: list[_Sent] = []
    for usage in db.scalars(stmt):
        outcome = result[usage.framework_id]
        if usage.edit_ratio is not None:
            outcome.edit_ratios.append(usage.edit_ratio)
            outcome.counts["edited"] += usage.edit_ratio > EDITED
        outcome.deleted.update(usage.deleted_sentences)
        sent.append(
            _Sent(usage.framework_id, usage.created_at, usage.interaction_id, usage.relationship_id)
        )
    _follow(db, sent, result, timedelta(days=days))
    return list(result.values())


@dataclass(frozen=True, slots=True)
class _Followed:
    """What happened after the replies, loaded at once for every sent reply."""

    answered: dict[uuid.UUID, Interaction]
    by_customer: dict[uuid.UUID, list[Interaction]]
    reasons: dict[uuid.UUID, uuid.UUID | None]
    mood: dict[uuid.UUID, float]
    conversations: dict[uuid.UUID, Conversation]
    promises: dict[uuid.UUID, list[Commitment]]


def _load(db: Session, sent: list[_Sent]) -> _Followed | None:
    answered_ids = {s.interaction_id for s in sent if s.interaction_id is not None}
    if not answered_ids:
        return None
    answered = {
        i.id: i for i in db.scalars(select(Interaction).where(Interaction.id.in_(answered_ids)))
    }
    later = db.scalars(
        select(Interaction)
        .where(
            Interaction.customer_id.in_({i.customer_id for i in answered.values()}),
            Interaction.direction == "inbound",
            Interaction.occurred_at >= min(s.at for s in sent),
        )
        .order_by(Interaction.occurred_at)
    ).all()
    by_customer: dict[uuid.UUID, list[Interaction]] = defaultdict(list)
    for row in later:
        by_customer[row.customer_id].append(row)
    ids = list(answered_ids | {i.id for i in later})
    reason_rows = select(MessageReason.interaction_id, MessageReason.reason_id).where(
        MessageReason.interaction_id.in_(ids)
    )
    return _Followed(
        answered,
        by_customer,
        {row[0]: row[1] for row in db.execute(reason_rows)},
        _sentiments(db, ids),
        _conversations(db, {i.conversation_id for i in answered.values()}),
        _promises(db, {s.relationship_id for s in sent}),
    )


def _follow(
    db: Session, sent: list[_Sent], result: dict[uuid.UUID, Outcome], window: timedelta
) -> None:
    found = _load(db, sent)
    if found is None:
        return
    for s in sent:
        answered = found.answered.get(s.interaction_id) if s.interaction_id else None
        if answered is None:
            continue
        after = [
            m
            for m in found.by_customer[answered.customer_id]
            if s.at < m.occurred_at <= s.at + window and m.id != answered.id
        ]
        followed = result[s.framework_id].followed
        reason = found.reasons.get(answered.id)
        if reason is not None:
            followed["repeat_contact"].append(any(found.reasons.get(m.id) == reason for m in after))
        before = found.mood.get(answered.id)
        nxt = next((found.mood[m.id] for m in after if m.id in found.mood), None)
        if before is not None and before < NEGATIVE and nxt is not None:
            followed["sentiment_recovery"].append(nxt >= NEGATIVE)
        _reopen(followed, s, answered, after, found.conversations, window)
        promises = found.promises.get(s.relationship_id) if s.relationship_id else None
        followed["promise_kept"] += _kept_around(promises or [], s.at)


def _reopen(
    followed: dict[str, list[bool]],
    s: _Sent,
    message: Interaction,
    after: list[Interaction],
    conversations: dict[uuid.UUID, Conversation],
    window: timedelta,
) -> None:
    conversation = conversations.get(message.conversation_id) if message.conversation_id else None
    closed = conversation.closed_at if conversation else None
    if closed is None or not (s.at <= closed <= s.at + window):
        return
    followed["reopen"].append(
        any(m.conversation_id == message.conversation_id and m.occurred_at > closed for m in after)
    )


def _sentiments(db: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, float]:
    rows = db.execute(
        select(MessageAnalysis.interaction_id, MessageAnalysis.result).where(
            MessageAnalysis.interaction_id.in_(ids), MessageAnalysis.analyser == "sentiment"
        )
    )
    return {i: float((r or {}).get("score", 0.0)) for i, r in rows}


def _conversations(db: Session, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, Conversation]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {c.id: c for c in db.scalars(select(Conversation).where(Conversation.id.in_(wanted)))}


def _promises(
    db: Session, relationship_ids: set[uuid.UUID | None]
) -> dict[uuid.UUID, list[Commitment]]:
    wanted = [i for i in relationship_ids if i is not None]
    found: dict[uuid.UUID, list[Commitment]] = defaultdict(list)
    if wanted:
        stmt = select(Commitment).where(
            Commitment.relationship_id.in_(wanted), Commitment.status != "open"
        )
        for c in db.scalars(stmt):
            found[c.relationship_id].append(c)
    return found


def _kept_around(promises: list[Commitment], at: datetime) -> list[bool]:
    return [
        p.status in ("kept", "kept_late")
        for p in promises
        if at - PROMISE_WINDOW <= p.created_at <= at + PROMISE_WINDOW
    ]
