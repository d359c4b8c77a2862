"""What follows ingest: analyse the new messages, give them a contact reason, collect suggestions,
then recompute the relationships they touch.

Called by every way data comes in (the API, webhooks, imports, the demo), after the data's own
transaction has committed. With a job queue configured (``GOODWILL_REDIS_URL``) the work is sent
to it as one ``follow_up`` job per organisation and run by ``goodwill worker``; without one it runs
in-process, each step in a transaction of its own, logging its failures instead of raising them.
On PostgreSQL analysis claims batches of messages (row locks, ``SKIP LOCKED``), and a follow-up
job that finds more than one batch waiting sends ``analyse_backlog`` helper jobs, so that one
organisation's backlog is analysed by every free worker rather than one. Either way the stored
interactions are never at risk: every step selects what is not yet done, so a job run twice, or
``goodwill analyse --new`` and ``goodwill recompute``, catch up safely.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import BackgroundTasks, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from goodwill import sqlite_statistics, tenancy
from goodwill.config import Settings, get_settings
from goodwill.database import unit_of_work
from goodwill.feedback import collect as feedback_collect
from goodwill.jobs import queue
from goodwill.jobs.after_request import defer
from goodwill.messages import flows as message_flows
from goodwill.messages import service as message_service
from goodwill.reasons import flows as reason_flows
from goodwill.relationships import engine as relationship_engine

FOLLOW_UP = "follow_up"
ANALYSE_BACKLOG = "analyse_backlog"


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
    _refresh_statistics(factory)
    return FollowUp(analysed, recomputed)


def _refresh_statistics(factory: sessionmaker[Session]) -> None:
    """After new interactions, SQLite's planner statistics if they are outgrown (cheap check)."""
    bind = factory.kw.get("bind")
    if isinstance(bind, Engine):
        sqlite_statistics.refresh(bind)


def follow_up(
    factory: sessionmaker[Session],
    organisation_id: uuid.UUID,
    *,
    settings: Settings | None = None,
) -> FollowUp:
    """The same steps as a job: each in its own unit of work, raising so the queue retries.

    On PostgreSQL the analysis claims batches; a backlog of more than one batch is shared with
    :data:`ANALYSE_BACKLOG` helper jobs that other workers run (:func:`send_helpers`)."""
    settings = settings or get_settings()

    def share(after: uuid.UUID) -> None:
        send_helpers(factory, organisation_id, settings=settings, after=after)

    analysed = _analyse_new(factory, organisation_id, settings, on_full=share)
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        reason_flows.classify_new(db=db)
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        feedback_collect.collect_suggestions(db=db)
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        recomputed = relationship_engine.recompute(db=db).relationships
    _refresh_statistics(factory)
    return FollowUp(analysed, recomputed)


def _analyse_new(
    factory: sessionmaker[Session],
    organisation_id: uuid.UUID,
    settings: Settings,
    on_full: Callable[[uuid.UUID], object] | None = None,
) -> int:
    """The organisation's unanalysed messages: in claimed batches on PostgreSQL, else in one
    unit of work (SQLite's writers serialise anyway). Raises."""
    if message_flows.claims_batches(factory):
        return message_flows.analyse_claimed(
            factory, organisation_id, batch_size=settings.analysis_batch_size, on_full=on_full
        )
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        pipeline = message_flows.shared_pipeline()
        return message_flows.analyse_stored(db=db, pipeline=pipeline, mode="new")


def send_helpers(
    factory: sessionmaker[Session],
    organisation_id: uuid.UUID,
    *,
    settings: Settings,
    after: uuid.UUID,
) -> int:
    """Send helper jobs for the backlog after a full first batch (which ends at ``after``): one
    per further batch, at most ``analysis_fan_out_jobs`` waiting at once. Returns how many were
    sent.

    Only unclaimed messages count (batches being analysed are someone's already), so a follow-up
    sent by a helper near the end does not send helpers that would find nothing. Counting from
    ``after`` reads the index from there, not the organisation's analysed history."""
    jobs, batch = settings.analysis_fan_out_jobs, settings.analysis_batch_size
    if jobs == 0 or not queue.is_configured(settings):
        return 0
    with unit_of_work(factory) as db:  # short: counting locks what it counts
        tenancy.scope(db, organisation_id)
        rest = message_service.count_claimable(db=db, limit=jobs * batch, after=after)
    helpers = min(jobs, -(-rest // batch))
    if helpers == 0:
        return 0
    return queue.send_counted(
        settings=settings,
        actor_name=ANALYSE_BACKLOG,
        organisation_id=organisation_id,
        count=helpers,
    )


@dataclass(frozen=True)
class Backlog:
    """What a helper job did (its log line): messages it analysed, whether it sent a follow-up."""

    analysed: int
    follow_up_sent: bool


def analyse_backlog(
    factory: sessionmaker[Session],
    organisation_id: uuid.UUID,
    *,
    settings: Settings | None = None,
) -> Backlog:
    """A helper job: claim and analyse batches of the organisation's backlog beside its
    follow-up job, until none is left to claim.

    Having stored analyses, it sends a follow-up (one waits at most per organisation), so that
    the steps after analysis (contact reasons, suggestions, recompute) also see its last batches,
    which may have committed after its follow-up job had done those steps."""
    settings = settings or get_settings()
    analysed = _analyse_new(factory, organisation_id, settings)
    sent = analysed > 0 and queue.is_configured(settings)
    if sent:
        queue.send(
            settings=settings,
            factory=factory,
            actor_name=FOLLOW_UP,
            organisation_id=organisation_id,
        )
    return Backlog(analysed, sent)


def after_response(
    request: Request, background: BackgroundTasks, organisation_id: uuid.UUID
) -> None:
    """Run :func:`after_ingest` once the request has committed, unless switched off."""
    settings: Settings = request.app.state.settings
    if settings.analyse_on_ingest:
        factory = request.app.state.session_factory
        defer(request, background, after_ingest, factory, organisation_id, settings=settings)
