"""Which stored rows are about one customer, found from the schema itself.

Starting at the customer, every table with a foreign key to a table already reached is searched
for the rows pointing at the rows already found (conversations, interactions, their analyses,
raw e-mails and embeddings, the relationship and its promises, stages, scores and tasks, the
customer's suggestions and close-the-loop drafts, labelled examples cut from their messages,
framework uses and script runs about them...). A table added later is covered without anyone
remembering to, as long as it links to these rows by a foreign key. Staff and organisation
tables are never entered: they are not about the customer.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, inspect, select
from sqlalchemy.orm import Session

from goodwill.database import Base, in_lists

ROOT = "customer"
CHUNK = 500  # ids per IN list (SQLite's parameter limit is far above)
NOT_ABOUT_THE_CUSTOMER = frozenset(
    {"organisation", "member", "user_account", "team", "api_token", "web_session", "audit_event"}
)


@dataclass
class Found:
    """The rows about one customer: table name → ORM objects, in the order they were reached."""

    objects: dict[str, list[Any]] = field(default_factory=dict)
    ids: dict[str, set[Any]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.objects.items() if rows}


def table_classes() -> dict[str, type[Any]]:
    """Table name → its ORM class (so reads and deletes go through the tenancy rules)."""
    return {str(getattr(m.local_table, "name", "")): m.class_ for m in Base.registry.mappers}


def _children(parent: str) -> Iterator[tuple[Table, str]]:
    """(table, column) pairs whose column references ``parent.id``."""
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_ABOUT_THE_CUSTOMER:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == parent and fk.column.name == "id":
                yield table, fk.parent.name


def about_customer(*, db: Session, customer_id: uuid.UUID) -> Found:
    """Every row about the customer (their own row first); the session must be scoped."""
    classes = table_classes()
    found = Found()
    customer = db.get(classes[ROOT], customer_id)
    if customer is None:
        return found
    found.objects[ROOT] = [customer]
    found.ids[ROOT] = {customer_id}
    waiting = [ROOT]
    while waiting:
        parent = waiting.pop(0)
        parent_ids = sorted(found.ids.get(parent, ()), key=str)
        for table, column in _children(parent):
            cls = classes[table.name]
            new = _fetch(db, cls, column, parent_ids, found.objects.setdefault(table.name, []))
            if new and "id" in table.c:
                found.ids.setdefault(table.name, set()).update(obj.id for obj in new)
                waiting.append(table.name)
    return found


def _fetch(
    db: Session, cls: type[Any], column: str, parent_ids: list[Any], have: list[Any]
) -> list[Any]:
    known = {inspect(obj).identity for obj in have}
    new = []
    for chunk in in_lists(parent_ids, CHUNK):
        for obj in db.scalars(select(cls).where(getattr(cls, column).in_(chunk))):
            identity = inspect(obj).identity
            if identity not in known:
                known.add(identity)
                new.append(obj)
    have.extend(new)
    return new


def deletion_order(found: Found) -> list[str]:
    """The tables reached, children before parents (so no foreign key is left dangling)."""
    order = [t.name for t in reversed(Base.metadata.sorted_tables)]
    return [name for name in order if found.objects.get(name)]
