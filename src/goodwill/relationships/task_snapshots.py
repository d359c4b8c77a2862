"""Today's next conversations, read from a stored snapshot instead of computed per request.

``nextconv.tasks`` reads every relationship a member owns (their last contacts, promises,
phases, stages) and runs the playbook on each: about two seconds for the 20,800 relationships of
one member of a 100,000-customer organisation, and tens of seconds at a million. Today shows
them twenty at a time, so it reads the member's :class:`TaskSnapshot` instead:

- a snapshot younger than :data:`FRESH` is shown as it is;
- an older one is shown too, and computed again once the request is over (in its own unit of
  work), so the next visit sees at most a few minutes' change; ``?fresh=1`` computes it now;
- with no snapshot yet (a member's first visit) the tasks are computed during the request.

Tasks marked done, dismissed or snoozed are hidden on every read, so an action shows at once.
What a snapshot can miss for up to :data:`FRESH` (plus one visit) is a task raised or resolved by
new interactions since; the page says when its list was computed.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import try_write, unit_of_work, utcnow
from goodwill.relationships import nextconv
from goodwill.relationships import tasks as task_actions
from goodwill.relationships.models import Relationship, TaskSnapshot
from goodwill.relationships.playbooks import Task

FRESH = timedelta(minutes=5)


def _dump(task: Task) -> dict[str, Any]:
    row = asdict(task)
    for key in ("relationship_id", "customer_id", "owner_member_id"):
        row[key] = str(row[key]) if row[key] is not None else None
    row["due_at"] = task.due_at.isoformat()
    return row


def load(row: dict[str, Any]) -> Task:
    """A stored task back as a :class:`Task`."""
    owner = row.get("owner_member_id")
    return Task(
        relationship_id=uuid.UUID(row["relationship_id"]),
        customer_id=uuid.UUID(row["customer_id"]),
        customer_name=row.get("customer_name"),
        owner_member_id=uuid.UUID(owner) if owner else None,
        kind=row["kind"],
        priority=int(row["priority"]),
        due_at=datetime.fromisoformat(row["due_at"]),
        reason=row["reason"],
        suggested_opening=row["suggested_opening"],
        evidence=list(row.get("evidence") or []),
        occasion=row.get("occasion", ""),
    )


def _store(db: Session, member_id: uuid.UUID, as_of: datetime, rows: list[dict[str, Any]]) -> None:
    snapshot = TaskSnapshot(
        organisation_id=tenancy.current_organisation_id(db),
        member_id=member_id,
        computed_at=as_of,
        tasks=rows,
    )
    older = (TaskSnapshot.member_id == member_id) & (TaskSnapshot.computed_at < as_of)

    def replace() -> None:
        db.execute(delete(TaskSnapshot).where(older))
        db.add(snapshot)  # a newer list stored meanwhile stays: this insert then conflicts

    # SQLite busy (another writer holds the lock) or a newer list: the next visit stores
    try_write(db, replace, conflicts=True)


def _computed(db: Session, member_id: uuid.UUID, as_of: datetime) -> list[dict[str, Any]]:
    found = nextconv.tasks(db=db, owner_member_id=member_id, limit=nextconv.MAX_LIMIT, as_of=as_of)
    return [_dump(t) for t in found]


def compute(*, db: Session, member_id: uuid.UUID, as_of: datetime) -> list[dict[str, Any]]:
    """Compute the member's tasks now and store them as the member's snapshot."""
    rows = _computed(db, member_id, as_of)
    _store(db, member_id, as_of, rows)
    return rows


def store_apart(
    factory: sessionmaker[Session],
    organisation_id: uuid.UUID,
    member_id: uuid.UUID,
    as_of: datetime,
    rows: list[dict[str, Any]],
) -> None:
    """Store tasks computed during a request, in a unit of work of its own after it (a page's
    read transaction never takes SQLite's write lock for it)."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        _store(db, member_id, as_of, rows)


def refresh_apart(
    factory: sessionmaker[Session], organisation_id: uuid.UUID, member_id: uuid.UUID
) -> None:
    """Compute a member's snapshot in a unit of work of its own (after a request)."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        current = db.get(TaskSnapshot, (organisation_id, member_id))
        now = utcnow()
        if current is not None and now - current.computed_at < FRESH:
            return  # another request refreshed it meanwhile
        compute(db=db, member_id=member_id, as_of=now)


@dataclass(frozen=True)
class Listed:
    """A member's tasks for Today: actions applied, when they were computed, and what to do
    once the request is over (``unsaved``: rows computed now, to store; ``stale``: compute
    them again)."""

    tasks: list[Task]
    computed_at: datetime
    stale: bool
    unsaved: list[dict[str, Any]] | None


def read(*, db: Session, member_id: uuid.UUID, as_of: datetime, fresh: bool = False) -> Listed:
    """The member's tasks from the stored snapshot, or computed now when there is none yet or
    ``fresh`` (then ``unsaved`` holds them for :func:`store_apart`)."""
    organisation_id = tenancy.current_organisation_id(db)
    snapshot = None if fresh else db.get(TaskSnapshot, (organisation_id, member_id))
    unsaved = None
    if snapshot is None:
        rows = unsaved = _computed(db, member_id, as_of)
        computed_at = as_of
    else:
        rows, computed_at = snapshot.tasks, snapshot.computed_at
    owned = select(Relationship.id).where(Relationship.owner_member_id == member_id)
    hidden = task_actions.hidden(db=db, relationships=owned, as_of=as_of)
    found = task_actions.visible([load(row) for row in rows], hidden)
    return Listed(found, computed_at, as_of - computed_at >= FRESH, unsaved)


def forget_all(*, db: Session) -> None:
    """Drop the organisation's snapshots (after erasing a customer, whose name they hold)."""
    db.execute(delete(TaskSnapshot))
