"""What follows ingest: analyse the new messages, give them a contact reason, collect suggestions,
then recompute the relationships they touch.

Called by every way data comes in (the API, webhooks, imports, the demo), after the data's own
transaction has committed. With a job queue configured (``GOODWILL_REDIS_URL``) the work is sent
to it as one ``follow_up`` job per organisation and run by ``goodwill worker``; without one it runs
in-process, each step in a transaction of its own, logging its failures instead of raising them.
Either way the stored interactions are never at risk: every step selects what is not yet done, so
a job run twice, or ``goodwill analyse --new`` and ``goodwill recompute``, catch up safely.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import BackgroundTasks, Request
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.config import Settings, get_settings
from goodwill.database import unit_of_work
from goodwill.feedback import collect as feedback_collect
from goodwill.jobs import queue
from goodwill.jobs.after_request import defer
from goodwill.messages import flows as message_flows
from goodwill.reasons import flows as reason_flows
from goodwill.relationships import engine as relationship_engine

FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class FollowUp:
    analysed: int
    recomputed: int
    queued: bool = False


def after_ingest(
    factory: sessionmaker[Session],
    organisation_id: uuid.UUID,
    *,
    settings: Settings | None = None,
) -> FollowUp:
    """Queue the follow-up when a broker is configured (never raising), else run it now."""
    settings = settings or get_settings()
    if queue.is_configured(settings):
        queue.send(
            settings=settings,
            factory=factory,
            actor_name=FOLLOW_UP,
            organisation_id=organisation_id,
        )
        return FollowUp(0, 0, queued=True)
    return in_process(factory, organisation_id)


def in_process(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> FollowUp:
    """Analyse the organisation's unanalysed messages, then recompute what changed (failures
    logged, never raised)."""
    analysed = message_flows.analyse_new(factory, organisation_id)
    reason_flows.classify_new_after_ingest(factory, organisation_id)  # contact reasons
    feedback_collect.collect_new(factory, organisation_id)  # suggestions → ideas
    recomputed = relationship_engine.recompute_new(factory, organisation_id)
    return FollowUp(analysed, recomputed)


def follow_up(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> FollowUp:
    """The same steps as a job: each in its own unit of work, raising so the queue retries."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        pipeline = message_flows.shared_pipeline()
        analysed = message_flows.analyse_stored(db=db, pipeline=pipeline, mode="new")
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        reason_flows.classify_new(db=db)
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        feedback_collect.collect_suggestions(db=db)
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        recomputed = relationship_engine.recompute(db=db).relationships
    return FollowUp(analysed, recomputed)


def after_response(
    request: Request, background: BackgroundTasks, organisation_id: uuid.UUID
) -> None:
    """Run :func:`after_ingest` once the request has committed, unless switched off."""
    settings: Settings = request.app.state.settings
    if settings.analyse_on_ingest:
        factory = request.app.state.session_factory
        defer(request, background, after_ingest, factory, organisation_id, settings=settings)
