"""What owners do with their next-conversation tasks: mark one done, dismiss it, or snooze it.

Tasks are computed on read (:mod:`goodwill.relationships.nextconv`), so an action is kept
against the task's ``task_id``, which stays the same while the task's occasion lasts (the same
promise, complaint, contact gap or stage move). The latest action on a task decides: ``done``
and ``dismissed`` hide it, ``snoozed`` hides it until its ``until`` time. When the occasion
changes (a new promise, a later gap, the gap turning from cooling to cold) the task has a new id
and shows again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.errors import InvalidInput, NotFound
from goodwill.organisations.models import Member
from goodwill.relationships.models import Relationship, TaskAction
from goodwill.relationships.playbooks import Task
from goodwill.relationships.schemas import TaskActionCreate


def hidden(*, db: Session, relationships: Select[Any], as_of: datetime) -> set[str]:
    """Ids of the tasks of these relationships that their latest action hides at ``as_of``."""
    stmt = (
        select(TaskAction.task_id, TaskAction.action, TaskAction.until)
        .where(TaskAction.relationship_id.in_(relationships))
        .order_by(TaskAction.created_at, TaskAction.id)
    )
    latest = {row.task_id: row for row in db.execute(stmt)}
    return {
        task_id
        for task_id, row in latest.items()
        if row.action != "snoozed" or (row.until is not None and row.until > as_of)
    }


def visible(tasks: Iterable[Task], hidden_ids: set[str]) -> list[Task]:
    return [task for task in tasks if task.task_id not in hidden_ids]


def act(
    *,
    db: Session,
    relationship: Relationship,
    current: Iterable[Task],
    action_in: TaskActionCreate,
    member: Member,
) -> TaskAction:
    """Record ``action_in`` on one of the relationship's current tasks (``current``)."""
    task = next((t for t in current if t.task_id == action_in.task_id), None)
    if task is None:
        raise NotFound(
            f"task {action_in.task_id} is not among this relationship's next conversations "
            "(it may be done already, or its occasion has passed)"
        )
    if action_in.action == "snoozed" and (action_in.until is None or action_in.until <= utcnow()):
        raise InvalidInput("until: snoozing needs a time in the future")
    if action_in.action != "snoozed" and action_in.until is not None:
        raise InvalidInput("until: only a snoozed task has an until time")
    action = TaskAction(
        relationship_id=relationship.id,
        task_id=task.task_id,
        kind=task.kind,
        action=action_in.action,
        until=action_in.until,
        note=action_in.note,
        member_id=member.id,
    )
    db.add(action)
    db.flush()
    return action


def history(*, relationship_id: uuid.UUID) -> Select[TaskAction]:
    return select(TaskAction).where(TaskAction.relationship_id == relationship_id)
