"""Training the organisation's reason classifier as background work.

Encoding every example with MiniLM takes about a second per 150 examples on a small machine, so
a request only records a :class:`ReasonTraining` (``queued``) and the ``train_reasons`` job does
the work: with a job queue configured a worker runs it, without one it runs in this process once
the request has committed. The job trains once for every request queued so far (asking twice
while a training waits costs one training) and records the outcome on each request: ``done``
with the new model's version, or ``failed`` with the reason a manager can act on ("no examples
yet"). An unexpected error puts the requests back in the queue and raises, so the queue retries
the job with backoff and finally keeps it as a dead letter for an admin.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import unit_of_work, utcnow
from goodwill.errors import InvalidInput, NotFound
from goodwill.reasons import flows
from goodwill.reasons.models import ReasonExample, ReasonTraining

log = logging.getLogger(__name__)

TRAIN_REASONS = "train_reasons"
WAITING = ("queued", "training")  # "training" again after a worker died mid-way


def request(*, db: Session, member_id: uuid.UUID | None) -> ReasonTraining:
    """Queue a training of the organisation's classifier (the one already waiting, if any).
    :class:`InvalidInput` at once when there is nothing to train on."""
    if db.scalar(select(ReasonExample.id).limit(1)) is None:
        raise InvalidInput("no examples yet: add some (POST /reasons/examples) or label messages")
    waiting = db.scalar(
        select(ReasonTraining)
        .where(ReasonTraining.state == "queued")
        .order_by(ReasonTraining.requested_at)
        .limit(1)
    )
    if waiting is not None:
        return waiting
    training = ReasonTraining(requested_at=utcnow(), requested_by_id=member_id, state="queued")
    db.add(training)
    db.flush()
    return training


def get(*, db: Session, training_id: uuid.UUID) -> ReasonTraining:
    training = db.get(ReasonTraining, training_id)
    if training is None:
        raise NotFound(f"training {training_id} not found")
    return training


def latest(*, db: Session) -> ReasonTraining | None:
    return db.scalar(select(ReasonTraining).order_by(ReasonTraining.requested_at.desc()).limit(1))


def train_waiting(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> int | None:
    """The job: train once for every waiting request; the new model's version, or ``None``
    when nothing was waiting or the examples could not train a model."""
    with unit_of_work(factory, immediate=True) as db:  # reads then marks: the lock first
        tenancy.scope(db, organisation_id)
        ids = list(db.scalars(select(ReasonTraining.id).where(ReasonTraining.state.in_(WAITING))))
        if not ids:
            return None
        _mark(db, ids, state="training", started_at=utcnow(), error=None)
    try:
        # read, fit and store apart: no transaction stays open while the model trains, and the
        # write (on SQLite) waits for the write lock instead of failing on a stale read
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            data = flows.training_data(db=db)
        model = flows.fit(data)
        with unit_of_work(factory, immediate=True) as db:
            tenancy.scope(db, organisation_id)
            version = flows.store(db=db, model=model, example_count=len(data.texts)).version
    except InvalidInput as exc:  # the examples' fault: retrying cannot help
        _finish(factory, organisation_id, ids, state="failed", error=str(exc))
        return None
    except Exception:
        _finish(factory, organisation_id, ids, state="queued", error="failed once; retrying")
        raise
    _finish(factory, organisation_id, ids, state="done", version=version)
    log.info("reason model v%d trained for %d request(s)", version, len(ids))
    return version


def _finish(
    factory: sessionmaker[Session],
    organisation_id: uuid.UUID,
    ids: list[uuid.UUID],
    *,
    state: str,
    error: str | None = None,
    version: int | None = None,
) -> None:
    with unit_of_work(factory, immediate=True) as db:
        tenancy.scope(db, organisation_id)
        finished = utcnow() if state in ("done", "failed") else None
        _mark(db, ids, state=state, error=error, finished_at=finished, model_version=version)


def _mark(db: Session, ids: list[uuid.UUID], **values: object) -> None:
    db.execute(
        update(ReasonTraining)
        .where(ReasonTraining.id.in_(ids))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
