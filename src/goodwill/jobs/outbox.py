"""Jobs kept in the database while Redis is unavailable, and sending them once it is back.

Every job is "catch up this organisation" (its handlers select what is not yet done), so one row
per organisation and job is enough, and sending a row twice is harmless.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import unit_of_work
from goodwill.jobs.models import JobOutbox

log = logging.getLogger(__name__)

BATCH = 500


def keep(*, factory: sessionmaker[Session], actor_name: str, organisation_id: uuid.UUID) -> None:
    """Store a job for later, in a transaction of its own."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        db.add(JobOutbox(actor_name=actor_name))


def pending(*, db: Session) -> int:
    """How many jobs wait in the outbox (all organisations)."""
    with tenancy.system_scope(db):
        return db.scalar(select(func.count()).select_from(JobOutbox)) or 0


def drain(*, factory: sessionmaker[Session], send: Callable[[str, uuid.UUID], None]) -> int:
    """Send the stored jobs (once per organisation and job) and delete their rows.

    A row is deleted only after its job was sent; if ``send`` raises (Redis down again) the rest
    stays for the next drain. Returns how many jobs were sent."""
    sent = 0
    while True:
        with unit_of_work(factory) as db, tenancy.system_scope(db):
            rows = db.execute(
                select(JobOutbox.id, JobOutbox.actor_name, JobOutbox.organisation_id)
                .order_by(JobOutbox.created_at)
                .limit(BATCH)
            ).all()
            if not rows:
                return sent
            for actor_name, organisation_id in {(r[1], r[2]) for r in rows}:
                send(actor_name, organisation_id)
                sent += 1
            db.execute(delete(JobOutbox).where(JobOutbox.id.in_([r[0] for r in rows])))
        log.info("sent %d job(s) kept while Redis was unavailable", sent)
