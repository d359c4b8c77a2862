"""Dead letters of the job queue, for tests."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session, sessionmaker

from goodwill.jobs.models import JobDeadLetter
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext


def make_dead_letter(factory: sessionmaker[Session], org: OrgContext) -> uuid.UUID:
    """A follow-up job of ``org`` that failed every retry."""
    with org_session(factory, org) as db:
        dead = JobDeadLetter(
            message_id=str(uuid.uuid4()),
            actor_name="follow_up",
            error="RuntimeError: test",
            attempts=3,
        )
        db.add(dead)
        db.flush()
        return dead.id
