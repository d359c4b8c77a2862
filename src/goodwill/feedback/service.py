"""Suggestions and ideas: the feedback loop's verbs (create, group by meaning, merge, split,
change status, weigh). Services flush, never commit; the boundary owns the transaction."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.errors import Conflict, InvalidInput, NotFound
from goodwill.feedback import grouping
from goodwill.feedback.models import Idea, IdeaStatusChange, LoopDraft, Suggestion
from goodwill.feedback.schemas import IdeaCreate, IdeaUpdate, SuggestionCreate, Weight
from goodwill.interactions.models import Interaction
from goodwill.organisations.models import Member
from goodwill.organisations.service import get_organisation
from goodwill.relationships.models import Relationship


def get_idea(*, db: Session, idea_id: uuid.UUID) -> Idea:
    idea = db.get(Idea, idea_id)
    if idea is None:
        raise NotFound(f"idea {idea_id} not found")
    return idea


def query_ideas(*, status: str | None = None, include_merged: bool = False) -> Any:
    """Ideas, newest first by id (UUIDv7: creation order); merged ones hidden unless asked."""
    stmt = select(Idea)
    if status is not None:
        stmt = stmt.where(Idea.status == status)
    if not include_merged:
        stmt = stmt.where(Idea.merged_into_id.is_(None))
    return stmt


def _check_member(db: Session, member_id: uuid.UUID | None) -> None:
    if member_id is not None and db.get(Member, member_id) is None:
        raise NotFound(f"member {member_id} not found")


def _record_status(
    db: Session, idea: Idea, previous: str | None, member_id: uuid.UUID | None
) -> None:
    db.add(
        IdeaStatusChange(
            idea_id=idea.id,
            from_status=previous,
            to_status=idea.status,
            public_note=idea.public_note,
            member_id=member_id,
            changed_at=idea.status_changed_at,
        )
    )


def create_idea(*, db: Session, idea_in: IdeaCreate, member_id: uuid.UUID | None) -> Idea:
    _check_member(db, idea_in.owner_member_id)
    idea = Idea(
        title=idea_in.title,
        status="new",
        public_note=idea_in.public_note,
        owner_member_id=idea_in.owner_member_id,
        tracker_url=idea_in.tracker_url,
        status_changed_at=utcnow(),
    )
    db.add(idea)
    db.flush()
    _record_status(db, idea, None, member_id)
    db.flush()
    return idea


def update_idea(
    *, db: Session, idea: Idea, idea_in: IdeaUpdate, member_id: uuid.UUID | None
) -> str | None:
    """Apply the update; returns the new status when it changed (else None)."""
    if idea.merged_into_id is not None:
        raise Conflict(f"idea {idea.id} was merged into {idea.merged_into_id}: update that one")
    fields = idea_in.model_dump(exclude_unset=True)
    if "owner_member_id" in fields:
        _check_member(db, fields["owner_member_id"])
    if fields.get("title", "") is None:
        raise InvalidInput("title: cannot be empty")
    status = fields.pop("status", None)
    for name, value in fields.items():
        setattr(idea, name, value)
    changed = status is not None and status != idea.status
    if changed:
        previous = idea.status
        idea.status = str(status)
        idea.status_changed_at = utcnow()
        _record_status(db, idea, previous, member_id)
    db.flush()
    return idea.status if changed else None


def suggestions_of(*, db: Session, idea_id: uuid.UUID) -> list[Suggestion]:
    stmt = select(Suggestion).where(Suggestion.idea_id == idea_id)
    return list(db.scalars(stmt.order_by(Suggestion.suggested_at, Suggestion.id)))


def history_of(*, db: Session, idea_id: uuid.UUID) -> list[IdeaStatusChange]:
    stmt = select(IdeaStatusChange).where(IdeaStatusChange.idea_id == idea_id)
    return list(db.scalars(stmt.order_by(IdeaStatusChange.changed_at, IdeaStatusChange.id)))


class Grouper:
    """Open ideas' vector sums, kept in memory while a batch of suggestions is placed."""

    def __init__(self, db: Session) -> None:
        self.sums: dict[uuid.UUID, grouping.Vector] = {}
        for idea_id, raw in db.execute(select(Suggestion.idea_id, Suggestion.vector)):
            self.add(idea_id, grouping.from_bytes(raw))

    def add(self, idea_id: uuid.UUID, vector: grouping.Vector) -> None:
        previous = self.sums.get(idea_id)
        self.sums[idea_id] = vector.copy() if previous is None else previous + vector

    def place(self, vector: grouping.Vector) -> uuid.UUID | None:
        centroids = {i: grouping.centroid([v]) for i, v in self.sums.items()}
        return grouping.nearest(vector, centroids)[0]


@dataclass(frozen=True)
class NewSuggestion:
    customer_id: uuid.UUID
    text: str
    channel: str
    source: str
    suggested_at: datetime
    interaction_id: uuid.UUID | None = None
    member_id: uuid.UUID | None = None
    idea_id: uuid.UUID | None = None


def add_suggestion(
    *,
    db: Session,
    new: NewSuggestion,
    vector: grouping.Vector | None = None,
    grouper: Grouper | None = None,
) -> tuple[Suggestion, bool]:
    """Store a suggestion in the most similar idea, or a new idea: (suggestion, idea is new)."""
    if vector is None:
        vector = grouping.encode([new.text])[0]
    idea_id = new.idea_id
    grouper = grouper or Grouper(db)
    if idea_id is not None:
        target = get_idea(db=db, idea_id=idea_id)
        idea_id = target.merged_into_id or target.id
    else:
        idea_id = grouper.place(vector)
    created = idea_id is None
    if idea_id is None:
        title = grouping.title_for(new.text)
        idea_id = create_idea(db=db, idea_in=IdeaCreate(title=title), member_id=new.member_id).id
    suggestion = Suggestion(
        idea_id=idea_id,
        customer_id=new.customer_id,
        interaction_id=new.interaction_id,
        text=new.text,
        channel=new.channel,
        source=new.source,
        vector=grouping.to_bytes(vector),
        suggested_at=new.suggested_at,
        created_by_member_id=new.member_id,
    )
    db.add(suggestion)
    db.flush()
    grouper.add(idea_id, vector)
    return suggestion, created


def create_suggestion(
    *, db: Session, suggestion_in: SuggestionCreate, member_id: uuid.UUID | None
) -> Suggestion:
    """A suggestion entered by hand; with ``interaction_id``, tied to that customer's message."""
    if db.get(Customer, suggestion_in.customer_id) is None:
        raise NotFound(f"customer {suggestion_in.customer_id} not found")
    channel = "email"
    if suggestion_in.interaction_id is not None:
        interaction = db.get(Interaction, suggestion_in.interaction_id)
        if interaction is None:
            raise NotFound(f"interaction {suggestion_in.interaction_id} not found")
        if interaction.customer_id != suggestion_in.customer_id:
            raise InvalidInput("interaction_id: a message of another customer")
        existing = db.scalar(select(Suggestion).where(Suggestion.interaction_id == interaction.id))
        if existing is not None:
            raise Conflict(f"interaction {interaction.id} is already suggestion {existing.id}")
        channel = interaction.channel
    new = NewSuggestion(
        customer_id=suggestion_in.customer_id,
        text=suggestion_in.text,
        channel=channel,
        source="manual",
        suggested_at=suggestion_in.suggested_at or utcnow(),
        interaction_id=suggestion_in.interaction_id,
        member_id=member_id,
        idea_id=suggestion_in.idea_id,
    )
    return add_suggestion(db=db, new=new)[0]


def merge_ideas(
    *, db: Session, target: Idea, source_ids: Sequence[uuid.UUID], member_id: uuid.UUID | None
) -> Idea:
    """Move every suggestion of the sources into ``target``; the sources point at it."""
    if target.merged_into_id is not None:
        raise Conflict(f"idea {target.id} was itself merged into {target.merged_into_id}")
    sources = [get_idea(db=db, idea_id=i) for i in dict.fromkeys(source_ids)]
    if any(s.id == target.id for s in sources):
        raise InvalidInput("idea_ids: an idea cannot be merged into itself")
    for source in sources:
        if source.merged_into_id is not None:
            raise Conflict(f"idea {source.id} was already merged into {source.merged_into_id}")
        for suggestion in suggestions_of(db=db, idea_id=source.id):
            suggestion.idea_id = target.id
        _move_drafts(db, source.id, target.id)
        source.merged_into_id = target.id
    target.updated_at = utcnow()
    db.flush()
    return target


def _move_drafts(db: Session, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    """Drafts follow their customers into the merged idea (unless it has one for that outcome)."""
    stmt = select(LoopDraft.customer_id, LoopDraft.outcome).where(LoopDraft.idea_id == target_id)
    have = {(customer_id, outcome) for customer_id, outcome in db.execute(stmt)}
    for draft in db.scalars(select(LoopDraft).where(LoopDraft.idea_id == source_id)):
        if (draft.customer_id, draft.outcome) not in have:
            draft.idea_id = target_id
            have.add((draft.customer_id, draft.outcome))


def split_idea(
    *,
    db: Session,
    idea: Idea,
    suggestion_ids: Sequence[uuid.UUID],
    title: str | None,
    into_idea_id: uuid.UUID | None,
    member_id: uuid.UUID | None,
) -> Idea:
    """Move some suggestions out of ``idea`` into another idea (a new one unless named)."""
    own = {s.id: s for s in suggestions_of(db=db, idea_id=idea.id)}
    missing = [i for i in suggestion_ids if i not in own]
    if missing:
        raise NotFound(f"suggestion {missing[0]} not found in idea {idea.id}")
    if len(set(suggestion_ids)) == len(own):
        raise InvalidInput("suggestion_ids: leave at least one suggestion in the idea")
    if into_idea_id is not None:
        target = get_idea(db=db, idea_id=into_idea_id)
        if target.id == idea.id or target.merged_into_id is not None:
            raise InvalidInput("into_idea_id: another idea that was not merged away")
    else:
        first = own[suggestion_ids[0]]
        idea_in = IdeaCreate(title=title or grouping.title_for(first.text))
        target = create_idea(db=db, idea_in=idea_in, member_id=member_id)
    for suggestion_id in suggestion_ids:
        own[suggestion_id].idea_id = target.id
    db.flush()
    return target


def segment_weights(*, db: Session) -> dict[str, float]:
    """Per-segment multipliers from the organisation's settings (``feedback.segment_weights``)."""
    org = get_organisation(db=db)
    raw = (org.settings or {}).get("feedback", {}).get("segment_weights", {})
    return {str(k): float(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def weigh(*, db: Session, idea_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Weight]:
    """Each idea's weight: per distinct customer, segment multiplier × (1 + log10(1 + revenue))."""
    rows = db.execute(
        select(Suggestion.idea_id, Suggestion.customer_id, Relationship.segment)
        .outerjoin(Relationship, Relationship.customer_id == Suggestion.customer_id)
        .where(Suggestion.idea_id.in_(idea_ids))
    ).all()
    customers = {r.customer_id for r in rows}
    revenue: dict[uuid.UUID, float] = dict.fromkeys(customers, 0.0)
    if customers:
        stmt = (
            select(Interaction.customer_id, func.sum(Interaction.amount))
            .where(Interaction.customer_id.in_(customers), Interaction.kind == "purchase")
            .group_by(Interaction.customer_id)
        )
        revenue |= {c: float(total or 0) for c, total in db.execute(stmt)}
    multipliers = segment_weights(db=db) if rows else {}
    return {i: _weight(i, rows, revenue, multipliers) for i in idea_ids}


def _weight(
    idea_id: uuid.UUID,
    rows: Sequence[Any],
    revenue: dict[uuid.UUID, float],
    multipliers: dict[str, float],
) -> Weight:
    mine = [r for r in rows if r.idea_id == idea_id]
    segment_of = {r.customer_id: r.segment for r in mine}
    segments: dict[str, int] = defaultdict(int)
    score = 0.0
    for customer_id, segment in segment_of.items():
        segments[segment or "none"] += 1
        value = max(revenue.get(customer_id, 0.0), 0.0)
        score += multipliers.get(segment or "", 1.0) * (1.0 + math.log10(1.0 + value))
    return Weight(
        suggestions=len(mine),
        customers=len(segment_of),
        segments=dict(segments),
        revenue=round(sum(revenue.get(c, 0.0) for c in segment_of), 2),
        score=round(score, 3),
    )
