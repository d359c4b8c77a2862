"""The reply coach over stored replies: its findings kept per reply for the quality metrics.

The coach reviews a reply against the customer message before it and the turns before that
(``Coach.review_batch``, so its reader runs once per batch). The relationship's state at the
time is not reconstructed: the review judges the words in their thread. A review names the coach
version (a digest of the coach's code) that made it, so ``--outdated`` redoes the stale ones.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session

from goodwill.coach import verdicts as coach_verdicts
from goodwill.coach.engine import Coach
from goodwill.coach.model import Draft, Turn, Verdict
from goodwill.database import utcnow
from goodwill.interactions.models import Interaction
from goodwill.quality.models import ReplyReview
from goodwill.tenancy import current_organisation_id
from goodwill.types import InteractionKind

THREAD_TURNS = 6
WORD = re.compile(r"\w+(?:['’]\w+)?")


@cache
def coach_version() -> str:
    """A digest of the coach's source (engine, situation, catalogue): changes with its rules."""
    digest = hashlib.sha256()
    root = resources.files("goodwill.coach")
    for folder in (root, root / "catalogue"):
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if item.name.endswith(".py"):
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()[:16]


def word_count(text: str) -> int:
    return len(WORD.findall(text))


@dataclass(frozen=True)
class ReviewSummary:
    reviewed: int
    coach_version: str


def replies_to_review(
    *, db: Session, since: datetime | None, until: datetime | None, outdated: bool
) -> list[uuid.UUID]:
    """Outbound messages with a body in the time range, never reviewed (or, with ``outdated``,
    also those reviewed by another coach version)."""
    mine = ReplyReview.interaction_id == Interaction.id
    done = exists().where(mine, ReplyReview.coach_version == coach_version())
    stmt = select(Interaction.id).where(
        Interaction.kind == InteractionKind.MESSAGE.value,
        Interaction.direction == "outbound",
        Interaction.body.is_not(None),
        ~done if outdated else ~exists().where(mine),
    )
    if since is not None:
        stmt = stmt.where(Interaction.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(Interaction.occurred_at < until)
    return list(db.scalars(stmt.order_by(Interaction.id)))


def _threads(
    db: Session, replies: Sequence[Interaction]
) -> dict[uuid.UUID | None, list[Interaction]]:
    ids = {r.conversation_id for r in replies if r.conversation_id is not None}
    stmt = select(Interaction).where(
        Interaction.conversation_id.in_(ids),
        Interaction.kind == InteractionKind.MESSAGE.value,
        Interaction.body.is_not(None),
    )
    threads: dict[uuid.UUID | None, list[Interaction]] = defaultdict(list)
    for m in db.scalars(stmt):
        threads[m.conversation_id].append(m)
    for thread in threads.values():
        thread.sort(key=lambda m: (m.occurred_at, m.id))
    return threads


def draft_of(reply: Interaction, thread: Sequence[Interaction]) -> Draft:
    """The reply in its thread: the customer message before it and up to six turns before."""
    before = [m for m in thread if (m.occurred_at, m.id) < (reply.occurred_at, reply.id)]
    inbound = [i for i, m in enumerate(before) if m.direction == "inbound"]
    customer = (before[inbound[-1]].body or "") if inbound else ""
    earlier = before[: inbound[-1]] if inbound else before
    turns = tuple(
        Turn("inbound" if m.direction == "inbound" else "outbound", m.body or "")
        for m in earlier[-THREAD_TURNS:]
        if m.direction in ("inbound", "outbound")
    )
    return Draft(customer, reply.body or "", turns)


def _row(reply: Interaction, verdict: Verdict, reader: str) -> dict[str, Any]:
    findings = [
        {
            "category": f.category,
            "kind": f.kind,
            "severity": f.severity,
            "start": f.start,
            "end": f.end,
            "explanation": f.explanation,
        }
        for f in verdict.findings
    ]
    return {
        "interaction_id": reply.id,
        "coach_version": coach_version(),
        "reader": reader,
        "word_count": word_count(reply.body or ""),
        "irritant_count": len(verdict.irritants),
        "empathy": any(f.category == "empathy" for f in verdict.strengths),
        "findings": findings,
        "reviewed_at": utcnow(),
    }


def review_batch(*, db: Session, ids: Sequence[uuid.UUID], coach: Coach) -> int:
    """Review these replies and store (or replace) their reviews; returns how many."""
    replies = list(db.scalars(select(Interaction).where(Interaction.id.in_(ids))))
    threads = _threads(db, replies)
    drafts = [draft_of(r, threads.get(r.conversation_id, [])) for r in replies]
    mutes = coach_verdicts.muted(db=db)  # lines the organisation's operators judged wrong
    verdicts = [
        coach_verdicts.without_muted(v, d.reply, mutes)
        for v, d in zip(coach.review_batch(drafts) if drafts else [], drafts, strict=True)
    ]
    organisation_id = current_organisation_id(db)
    rows = [
        _row(r, v, coach.reader.name) | {"organisation_id": organisation_id}
        for r, v in zip(replies, verdicts, strict=True)
    ]
    db.execute(delete(ReplyReview).where(ReplyReview.interaction_id.in_([r.id for r in replies])))
    if rows:
        db.execute(insert(ReplyReview), rows)
    db.flush()
    return len(rows)


def review_replies(
    *,
    db: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    outdated: bool = True,
    coach: Coach | None = None,
    batch_size: int = 256,
) -> ReviewSummary:
    """Review every reply in the range that has no current review."""
    coach = coach or Coach()
    ids = replies_to_review(db=db, since=since, until=until, outdated=outdated)
    done = 0
    for start in range(0, len(ids), batch_size):
        done += review_batch(db=db, ids=ids[start : start + batch_size], coach=coach)
    return ReviewSummary(done, coach_version())
