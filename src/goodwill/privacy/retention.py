"""The organisation's retention policy: interactions older than ``interaction_days`` are deleted
with what the schema derives from them (analyses, raw e-mails, embeddings, reasons, promises
extracted from them: their foreign keys cascade), and the conversations they leave empty go
too. Labelled reason examples the organisation chose to keep lose their link to the message but
stay (they are its training data; erasing a customer removes theirs).

Run by ``goodwill retention apply`` (schedule it daily, e.g. from cron or a systemd timer), each
organisation in a unit of work of its own, leaving an audit entry with the counts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.audit import service as audit_service
from goodwill.coach.models import CoachVerdict
from goodwill.database import in_lists, unit_of_work, utcnow
from goodwill.errors import InvalidInput
from goodwill.interactions.models import Conversation, Interaction
from goodwill.organisations import service as organisation_service
from goodwill.organisations.models import Organisation

SETTING = "retention"
MIN_DAYS = 30  # a typo should not wipe last week's conversations
BATCH = 1000


@dataclass(frozen=True)
class Outcome:
    organisation_id: uuid.UUID
    cutoff: datetime | None
    interactions: int
    conversations: int


def interaction_days(*, db: Session) -> int | None:
    entry = organisation_service.get_setting(db=db, key=SETTING) or {}
    days = entry.get("interaction_days")
    return int(days) if isinstance(days, int) else None


def set_interaction_days(*, db: Session, days: int | None) -> None:
    """Keep interactions ``days`` days (``None``: for ever)."""
    if days is not None and days < MIN_DAYS:
        raise InvalidInput(f"interaction_days: at least {MIN_DAYS}, or null to keep everything")
    organisation_service.set_setting(db=db, key=SETTING, value={"interaction_days": days})


def cutoff(*, db: Session, now: datetime | None = None) -> datetime | None:
    days = interaction_days(db=db)
    return None if days is None else (now or utcnow()) - timedelta(days=days)


def due(*, db: Session, now: datetime | None = None) -> int:
    """How many interactions the policy would delete now."""
    before = cutoff(db=db, now=now)
    if before is None:
        return 0
    return int(db.scalar(select(func.count()).where(Interaction.occurred_at < before)) or 0)


def apply(*, db: Session, now: datetime | None = None) -> Outcome:
    """Delete what the policy says is too old, in the caller's unit of work."""
    organisation_id = organisation_service.get_organisation(db=db).id
    before = cutoff(db=db, now=now)
    if before is None:
        return Outcome(organisation_id, None, 0, 0)
    removed, touched = 0, set[uuid.UUID]()
    while rows := db.execute(
        select(Interaction.id, Interaction.conversation_id)
        .where(Interaction.occurred_at < before)
        .limit(BATCH)
    ).all():
        ids = [interaction_id for interaction_id, _ in rows]
        touched.update(conversation_id for _, conversation_id in rows if conversation_id)
        db.execute(
            delete(Interaction)
            .where(Interaction.id.in_(ids))
            .execution_options(synchronize_session=False)
        )
        removed += len(ids)
    conversations = _delete_emptied(db, sorted(touched, key=str))
    # the operators' verdicts on the coach keep drafts and customers' words: they age alike
    verdicts = db.execute(delete(CoachVerdict).where(CoachVerdict.created_at < before))
    audit_service.record(
        db=db,
        action="retention",
        target_type="interactions",
        actor="system",
        detail={
            "before": before.isoformat(),
            "interactions": removed,
            "conversations": conversations,
            "coach_verdicts": getattr(verdicts, "rowcount", 0) or 0,
        },
    )
    return Outcome(organisation_id, before, removed, conversations)


def _delete_emptied(db: Session, conversation_ids: list[uuid.UUID]) -> int:
    """Delete the conversations among ``conversation_ids`` that no interaction is left in."""
    empty = ~exists().where(Interaction.conversation_id == Conversation.id)
    deleted = 0
    for chunk in in_lists(conversation_ids, BATCH):
        gone = db.execute(
            delete(Conversation)
            .where(Conversation.id.in_(chunk), empty)
            .execution_options(synchronize_session=False)
        )
        deleted += int(getattr(gone, "rowcount", 0) or 0)
    return deleted


def apply_everywhere(
    factory: sessionmaker[Session], *, now: datetime | None = None
) -> list[Outcome]:
    """Apply every organisation's policy, one unit of work each."""
    with factory() as db, tenancy.system_scope(db):
        organisation_ids = list(db.scalars(select(Organisation.id).order_by(Organisation.id)))
    outcomes = []
    for organisation_id in organisation_ids:
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            outcomes.append(apply(db=db, now=now))
    return outcomes
