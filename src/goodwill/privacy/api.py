"""Privacy routes for admins: a customer's personal data, erasure, the retention policy."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request

from goodwill.audit.trail import actor_of
from goodwill.dependencies import AdminMember, DbSession
from goodwill.privacy import retention, service
from goodwill.privacy.schemas import ErasureRead, RetentionRead, RetentionUpdate

router = APIRouter(tags=["privacy"])


@router.get("/customers/{customer_id}/personal-data")
def get_personal_data(
    db: DbSession, member: AdminMember, customer_id: uuid.UUID, request: Request
) -> dict[str, Any]:
    """Everything stored about the customer, table by table (right of access)."""
    return service.personal_data(
        db=db, customer_id=customer_id, actor=actor_of(request), actor_member_id=member.id
    )


@router.delete("/customers/{customer_id}", response_model=ErasureRead)
def erase_customer(
    db: DbSession, member: AdminMember, customer_id: uuid.UUID, request: Request
) -> ErasureRead:
    """Erase the customer and every record about them; the audit log keeps only the counts."""
    counts = service.erase(
        db=db, customer_id=customer_id, actor=actor_of(request), actor_member_id=member.id
    )
    return ErasureRead(customer_id=customer_id, erased=counts)


@router.get("/retention", response_model=RetentionRead)
def get_retention(db: DbSession, member: AdminMember) -> RetentionRead:
    return RetentionRead(
        organisation_id=member.organisation_id,
        interaction_days=retention.interaction_days(db=db),
        due_now=retention.due(db=db),
    )


@router.put("/retention", response_model=RetentionRead)
def set_retention(db: DbSession, member: AdminMember, policy: RetentionUpdate) -> RetentionRead:
    """Set the policy; ``goodwill retention apply`` (scheduled daily) carries it out."""
    retention.set_interaction_days(db=db, days=policy.interaction_days)
    return get_retention(db, member)
