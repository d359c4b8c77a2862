"""Segments and hand-built relationships to put in them, for tests."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from goodwill.interactions.models import Interaction
from goodwill.relationships import service as relationship_service
from goodwill.segments import service
from goodwill.segments.schemas import SegmentSave
from tests.factories.customers import make_customer, org_session
from tests.factories.organisations import OrgContext


def make_segment(
    factory: sessionmaker[Session],
    org: OrgContext,
    name: str,
    *conditions: dict[str, Any],
    priority: int = 100,
    **fields: Any,
) -> uuid.UUID:
    """A segment whose rule is ``conditions``, all of them (memberships recomputed)."""
    body = {"name": name, "priority": priority, "rule": {"conditions": list(conditions)}}
    with org_session(factory, org) as db:
        return service.create(db=db, segment_in=SegmentSave.model_validate(body | fields)).id


def make_relationship(
    factory: sessionmaker[Session], org: OrgContext, name: str, **state: Any
) -> tuple[uuid.UUID, uuid.UUID]:
    """A customer named ``name`` whose relationship has the stored state given (stage, health,
    started_at, segment label...): (relationship id, customer id)."""
    customer = make_customer(factory, org, name=name, segment=state.pop("segment", None))
    with org_session(factory, org) as db:
        rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
        for field, value in state.items():
            setattr(rel, field, value)
        return rel.id, customer.id


def add_interaction(
    factory: sessionmaker[Session],
    org: OrgContext,
    customer_id: uuid.UUID,
    at: datetime,
    kind: str = "purchase",
    amount: str | None = None,
) -> uuid.UUID:
    """A purchase (with ``amount``) or a message, call... at ``at``, stored as it happened."""
    with org_session(factory, org) as db:
        interaction = Interaction(
            external_id=f"X-{uuid.uuid4()}",
            customer_id=customer_id,
            kind=kind,
            channel="web" if kind == "purchase" else "email",
            direction=None if kind == "purchase" else "inbound",
            occurred_at=at,
            amount=Decimal(amount) if amount is not None else None,
        )
        db.add(interaction)
        db.flush()
        return interaction.id


def segment_records(factory: sessionmaker[Session], org: OrgContext) -> dict[str, uuid.UUID]:
    """A segment every relationship is in (for the cross-tenant tests)."""
    everyone = {"field": "tenure_days", "op": "gte", "value": 0}
    return {"segment": make_segment(factory, org, "Everyone", everyone)}
