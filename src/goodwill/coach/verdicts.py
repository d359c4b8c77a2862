"""The operators' verdicts on findings: recorded, summed per category, muting, exported.

A finding an operator marks "wrong" is kept with its draft (``CoachVerdict``). When the same
flagged sentence (normalised: case, spacing, digits) has been marked wrong :data:`MUTE_AFTER`
times in an organisation and more often wrong than right, the coach stops reporting that
category on that sentence for the organisation: a team's standard line that the rules misread
stops costing everyone a false alarm, and nobody else's coach changes. Whole-reply findings are
recorded but never muted (there is no sentence to recognise). The session is the caller's, scoped
to its organisation, so every read here is the organisation's own.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from goodwill.coach.engine import score
from goodwill.coach.model import IRRITANTS, STRENGTHS, Verdict
from goodwill.coach.models import CoachVerdict
from goodwill.errors import InvalidInput
from goodwill.organisations.models import Member
from goodwill.relationships import service as relationship_service

MUTE_AFTER = 2  # "wrong" verdicts on one sentence before the organisation's coach mutes it
RECENT_WRONG = 5  # the latest sentences judged wrong, shown per category
VERDICTS = ("right", "wrong")
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_EDGES = " .,;:!?\"'“”‘’()[]-–—"


def sentence_key(text: str) -> str:
    """The flagged words, normalised so the same line in another draft has the same key."""
    normal = _DIGITS.sub("0", _SPACE.sub(" ", text.replace("’", "'")).strip(_EDGES).lower())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class VerdictIn:
    """One verdict as the operator gave it: the draft, the finding's category and span."""

    customer_message: str
    reply: str
    category: str
    verdict: str
    start: int | None
    end: int | None
    relationship_id: uuid.UUID | None = None


def record(*, db: Session, member: Member, given: VerdictIn, reader: str) -> CoachVerdict:
    """Store one verdict; :class:`InvalidInput` names the field that is wrong."""
    kind = "irritant" if given.category in IRRITANTS else "strength"
    if given.category not in IRRITANTS and given.category not in STRENGTHS:
        raise InvalidInput(f"category: {given.category!r} is not one of the coach's categories")
    if given.verdict not in VERDICTS:
        raise InvalidInput(f"verdict: {given.verdict!r} must be one of {', '.join(VERDICTS)}")
    if (given.start is None) != (given.end is None):
        raise InvalidInput("start and end: give both (a span) or neither (a whole-reply finding)")
    text = None
    if given.start is not None and given.end is not None:
        if not 0 <= given.start < given.end <= len(given.reply):
            raise InvalidInput(
                f"start and end: {given.start}–{given.end} is not a span of the reply "
                f"({len(given.reply)} characters)"
            )
        text = given.reply[given.start : given.end]
    if given.relationship_id is not None:  # another organisation's relationship is a 404
        relationship_service.get(db=db, relationship_id=given.relationship_id)
    row = CoachVerdict(
        member_id=member.id,
        relationship_id=given.relationship_id,
        category=given.category,
        kind=kind,
        verdict=given.verdict,
        start=given.start,
        end=given.end,
        text=text,
        sentence_key=sentence_key(text) if text else None,
        customer_message=given.customer_message,
        reply=given.reply,
        reader=reader,
    )
    db.add(row)
    db.flush()
    return row


def muted(*, db: Session, keys: Collection[str] | None = None) -> set[tuple[str, str]]:
    """(category, sentence key) pairs this organisation's coach no longer reports; only among
    ``keys`` when given (one draft's sentences: the typing-time path reads no more than that)."""
    if keys is not None and not keys:
        return set()
    wrong = func.sum(case((CoachVerdict.verdict == "wrong", 1), else_=0))
    right = func.sum(case((CoachVerdict.verdict == "right", 1), else_=0))
    stmt = (
        select(CoachVerdict.category, CoachVerdict.sentence_key)
        .where(CoachVerdict.sentence_key.is_not(None))
        .group_by(CoachVerdict.category, CoachVerdict.sentence_key)
        .having(wrong >= MUTE_AFTER, wrong > right)
    )
    if keys is not None:
        stmt = stmt.where(CoachVerdict.sentence_key.in_(list(keys)))
    return {(category, key) for category, key in db.execute(stmt) if key is not None}


def is_muted(*, db: Session, category: str, key: str | None) -> bool:
    return key is not None and (category, key) in muted(db=db, keys=[key])


def for_organisation(*, db: Session, verdict: Verdict, reply: str) -> Verdict:
    """One draft's verdict less what this organisation muted (reading only its sentences)."""
    keys = {
        sentence_key(reply[f.start : f.end])
        for f in verdict.findings
        if f.start is not None and f.end is not None
    }
    return without_muted(verdict, reply, muted(db=db, keys=keys))


def without_muted(verdict: Verdict, reply: str, mutes: set[tuple[str, str]]) -> Verdict:
    """The coach's verdict less the findings this organisation muted, scored again."""
    if not mutes:
        return verdict
    kept = tuple(
        f
        for f in verdict.findings
        if f.start is None
        or f.end is None
        or (f.category, sentence_key(reply[f.start : f.end])) not in mutes
    )
    if len(kept) == len(verdict.findings):
        return verdict
    return replace(verdict, score=score(kept), findings=kept)


@dataclass(frozen=True)
class CategoryTally:
    category: str
    kind: str
    right: int
    wrong: int
    muted_sentences: int
    recent_wrong: list[str]


def summary(*, db: Session) -> list[CategoryTally]:
    """Per category: how often operators found its findings right and wrong, and how many
    sentences are muted (the coach's precision as this organisation's operators see it)."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    stmt = select(
        CoachVerdict.category, CoachVerdict.kind, CoachVerdict.verdict, func.count()
    ).group_by(CoachVerdict.category, CoachVerdict.kind, CoachVerdict.verdict)
    for category, kind, given, n in db.execute(stmt):
        counts.setdefault((category, kind), {"right": 0, "wrong": 0})[given] = n
    quiet: dict[str, int] = {}
    for category, _ in muted(db=db):
        quiet[category] = quiet.get(category, 0) + 1
    return [
        CategoryTally(
            category, kind, c["right"], c["wrong"], quiet.get(category, 0), _recent(db, category)
        )
        for (category, kind), c in sorted(counts.items())
    ]


def _recent(db: Session, category: str) -> list[str]:
    """The latest distinct sentences of a category judged wrong: what operators disagree with."""
    stmt = (
        select(CoachVerdict.text)
        .where(
            CoachVerdict.category == category,
            CoachVerdict.verdict == "wrong",
            CoachVerdict.text.is_not(None),
        )
        .order_by(CoachVerdict.created_at.desc())
        .limit(RECENT_WRONG * 4)
    )
    seen: dict[str, None] = {}
    for text in db.scalars(stmt):
        if text is not None and len(seen) < RECENT_WRONG:
            seen.setdefault(text, None)
    return list(seen)


def export(*, db: Session) -> Iterator[dict[str, Any]]:
    """Every verdict, oldest first, as JSON-able rows (material for a labelled set)."""
    stmt = select(CoachVerdict).order_by(CoachVerdict.created_at, CoachVerdict.id)
    for row in db.scalars(stmt):
        yield {
            "id": str(row.id),
            "created_at": row.created_at.isoformat(),
            "category": row.category,
            "kind": row.kind,
            "verdict": row.verdict,
            "start": row.start,
            "end": row.end,
            "text": row.text,
            "customer_message": row.customer_message,
            "reply": row.reply,
            "reader": row.reader,
            "relationship_id": str(row.relationship_id) if row.relationship_id else None,
        }
