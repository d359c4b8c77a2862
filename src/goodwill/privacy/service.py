"""Right of access (everything about one customer, as JSON) and erasure (the customer and every
record derived from them), each leaving an audit entry that holds counts, not personal data."""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, inspect
from sqlalchemy.orm import Session

from goodwill.audit import service as audit_service
from goodwill.customers.models import Account
from goodwill.database import in_lists, utcnow
from goodwill.errors import NotFound
from goodwill.privacy import records
from goodwill.relationships import task_snapshots

OMITTED_COLUMNS = frozenset({"vector"})  # derived numbers (embeddings), meaningless to a person
FORMAT = "goodwill-personal-data/1"


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode()}
    return value


def _row(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in OMITTED_COLUMNS
    }


def personal_data(
    *, db: Session, customer_id: uuid.UUID, actor: str, actor_member_id: uuid.UUID | None
) -> dict[str, Any]:
    """Every stored row about the customer, by table (right of access); audited as an export."""
    found = records.about_customer(db=db, customer_id=customer_id)
    if not found.objects:
        raise NotFound(f"customer {customer_id} not found")
    customer = found.objects[records.ROOT][0]
    tables = {table: [_row(o) for o in rows] for table, rows in found.objects.items() if rows}
    if customer.account_id is not None:
        account = db.get(Account, customer.account_id)
        tables["account"] = [_row(account)] if account is not None else []
    audit_service.record(
        db=db,
        action="export",
        target_type="customers",
        target_id=customer_id,
        actor=actor,
        actor_member_id=actor_member_id,
        detail={"personal_data": found.counts()},
    )
    return {
        "format": FORMAT,
        "customer_id": str(customer_id),
        "exported_at": utcnow().isoformat(),
        "omitted": sorted(OMITTED_COLUMNS),
        "tables": tables,
    }


def erase(
    *, db: Session, customer_id: uuid.UUID, actor: str, actor_member_id: uuid.UUID | None
) -> dict[str, int]:
    """Delete the customer and every row about them in the caller's unit of work (all or
    nothing); the counts per table are returned and kept in an ``erase`` audit entry."""
    found = records.about_customer(db=db, customer_id=customer_id)
    if not found.objects:
        raise NotFound(f"customer {customer_id} not found")
    counts = found.counts()
    classes = records.table_classes()
    for table in records.deletion_order(found):
        cls = classes[table]
        key = inspect(cls).primary_key[0]
        values = [inspect(obj).identity[0] for obj in found.objects[table]]
        for chunk in in_lists(values, records.CHUNK):
            db.execute(
                delete(cls).where(key.in_(chunk)).execution_options(synchronize_session=False)
            )
        for obj in found.objects[table]:
            db.expunge(obj)
    task_snapshots.forget_all(db=db)  # Today's stored lists may name the customer
    audit_service.record(
        db=db,
        action="erase",
        target_type="customers",
        target_id=customer_id,
        actor=actor,
        actor_member_id=actor_member_id,
        detail={"erased": counts},
    )
    return counts
