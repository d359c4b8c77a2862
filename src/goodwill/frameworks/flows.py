"""Frameworks in a conversation: suggest the ones that fit, and fill one for the operator.

Both read the reply's context (:mod:`goodwill.frameworks.context`): the customer's message (a
stored interaction or a text) and the relationship's state.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from goodwill import tenancy
from goodwill.coach.model import Draft, RelationshipContext, Verdict
from goodwill.feedback import grouping
from goodwill.frameworks import blocks, context, service, suggest
from goodwill.frameworks.models import FrameworkUsage, ResponseFramework, ResponseFrameworkVersion
from goodwill.organisations.models import Member

_LIBRARIES: OrderedDict[uuid.UUID, tuple[tuple[Any, ...], suggest.Library]] = OrderedDict()
LIBRARIES_KEPT = 64


def library(*, db: Session) -> suggest.Library:
    """The organisation's published frameworks, ready to rank. Kept per process and organisation
    while the library is unchanged (same count and latest change of its published frameworks:
    publishing, retiring and saving all touch ``updated_at``), so a suggestion reads one row
    instead of every framework's purpose and vector."""
    org = tenancy.current_organisation_id(db)
    key = tuple(
        db.execute(
            select(func.count(), func.max(ResponseFramework.updated_at)).where(
                ResponseFramework.status == "published"
            )
        ).one()
    )
    kept = _LIBRARIES.get(org)
    if kept is not None and kept[0] == key:
        _LIBRARIES.move_to_end(org)
        return kept[1]
    loaded = load_library(db=db)
    _LIBRARIES[org] = (key, loaded)
    if len(_LIBRARIES) > LIBRARIES_KEPT:
        _LIBRARIES.popitem(last=False)
    return loaded


def load_library(*, db: Session) -> suggest.Library:
    """The organisation's published frameworks (their published versions), from the database."""
    stmt = select(
        ResponseFrameworkVersion.framework_id,
        ResponseFrameworkVersion.id,
        ResponseFrameworkVersion.number,
        ResponseFrameworkVersion.name,
        ResponseFrameworkVersion.intents,
        ResponseFrameworkVersion.phases,
        ResponseFrameworkVersion.emotions,
        ResponseFrameworkVersion.stages,
        ResponseFrameworkVersion.vector,
    ).join(
        ResponseFramework,
        and_(
            ResponseFramework.id == ResponseFrameworkVersion.framework_id,
            ResponseFramework.published_version == ResponseFrameworkVersion.number,
        ),
    )
    rows = db.execute(stmt.where(ResponseFramework.status == "published")).all()
    candidates = [
        suggest.Candidate(
            r[0],
            r[1],
            r[2],
            r[3],
            frozenset(r[4]),
            frozenset(r[5]),
            frozenset(r[6]),
            frozenset(r[7]),
        )
        for r in rows
    ]
    raw = b"".join(r[8] for r in rows)
    vectors = np.frombuffer(raw, dtype=np.float16).astype(np.float32)
    return suggest.Library(candidates, vectors.reshape(len(rows), -1) if rows else vectors)


@dataclass(frozen=True, slots=True)
class Suggested:
    ctx: context.Context
    items: list[suggest.Suggestion]


def suggest_for(
    *,
    db: Session,
    interaction_id: uuid.UUID | None = None,
    customer_message: str | None = None,
    relationship_id: uuid.UUID | None = None,
    member: Member | None = None,
    limit: int = 5,
    record: bool = True,
) -> Suggested:
    """The frameworks that fit, best first; to a stored message, the top ones are recorded as
    suggested (the outcomes count how often a suggestion was taken)."""
    ctx = context.build(
        db=db,
        reader=service.coach().reader,
        relationship_id=relationship_id,
        interaction_id=interaction_id,
        customer_message=customer_message,
    )
    vector = grouping.encoder("static").encode([ctx.message or ""])[0]
    situation = suggest.Situation(
        intents=ctx.intents,
        emotion=text_fact(ctx.facts.get("emotion")),
        phase=text_fact(ctx.facts.get("phase")),
        stage=text_fact(ctx.facts.get("stage")),
        vector=vector,
    )
    ranked = library(db=db).rank(situation, limit=limit)
    if record and interaction_id is not None:
        _record_suggested(db, ranked, ctx, interaction_id, member)
    return Suggested(ctx, ranked)


def _record_suggested(
    db: Session,
    ranked: list[suggest.Suggestion],
    ctx: context.Context,
    interaction_id: uuid.UUID,
    member: Member | None,
) -> None:
    db.add_all(
        FrameworkUsage(
            framework_id=s.candidate.framework_id,
            version_id=s.candidate.version_id,
            event="suggested",
            member_id=member.id if member else None,
            relationship_id=ctx.relationship_id,
            interaction_id=interaction_id,
            rank=rank,
            score=s.score,
        )
        for rank, s in enumerate(ranked, start=1)
    )
    db.flush()


def text_fact(value: object) -> str | None:
    return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class Filled:
    version: ResponseFrameworkVersion
    rendered: blocks.Rendered
    verdict: Verdict | None
    ctx: context.Context


def fill(
    *,
    db: Session,
    framework: ResponseFramework,
    member: Member | None,
    relationship_id: uuid.UUID | None = None,
    interaction_id: uuid.UUID | None = None,
    customer_message: str | None = None,
    number: int | None = None,
) -> Filled:
    """The framework filled for this reply, and the coach's findings on its fixed text (the
    slots are the operator's to write)."""
    version = service.version_for_use(db=db, framework=framework, number=number)
    ctx = context.build(
        db=db,
        reader=service.coach().reader,
        relationship_id=relationship_id,
        interaction_id=interaction_id,
        customer_message=customer_message,
        member=member,
    )
    parsed = service.parse_or_raise(version.body)
    rendered = blocks.render(parsed, values=ctx.values, facts=ctx.facts)
    verdict = None
    reply = rendered.without_slots()
    if ctx.message and reply:
        known = RelationshipContext(
            stage=text_fact(ctx.facts.get("stage")),
            phase=text_fact(ctx.facts.get("phase")),
            broken_promises=int(bool(ctx.facts.get("promise_broken"))),
        )
        verdict = service.coach().review(Draft(ctx.message, reply, (), known))
    return Filled(version, rendered, verdict, ctx)
