"""What follows ingest: analyse the new messages, then recompute the relationships they touch.

Called by every way data comes in (the API, webhooks, imports, the demo), after the data's own
transaction has committed. Each step runs in a transaction of its own and logs its failures
instead of raising them: the stored interactions are never at risk, and `goodwill analyse --new`
and `goodwill recompute` catch up. In-process by default; a job queue takes this over later.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import BackgroundTasks, Request
from sqlalchemy.orm import Session, sessionmaker

from goodwill.messages import flows as message_flows
from goodwill.relationships import engine as relationship_engine


@dataclass(frozen=True)
class FollowUp:
    analysed: int
    recomputed: int


def after_ingest(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> FollowUp:
    """Analyse the organisation's unanalysed messages, then recompute what changed."""
    analysed = message_flows.analyse_new(factory, organisation_id)
    recomputed = relationship_engine.recompute_new(factory, organisation_id)
    return FollowUp(analysed, recomputed)


def after_response(
    request: Request, background: BackgroundTasks, organisation_id: uuid.UUID
) -> None:
    """Run :func:`after_ingest` once the response has been sent, unless switched off."""
    if request.app.state.settings.analyse_on_ingest:
        background.add_task(after_ingest, request.app.state.session_factory, organisation_id)
