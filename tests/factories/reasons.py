"""Contact reasons, examples, message reasons and stored analyses, for tests."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from goodwill.messages.models import MessageAnalysis
from goodwill.reasons import service
from goodwill.reasons import training as reason_training
from goodwill.reasons.models import MessageReason, ReasonExample
from goodwill.reasons.schemas import ReasonCreate
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext


def make_reason(
    factory: sessionmaker[Session],
    org: OrgContext,
    name: str,
    *,
    company_value: float | None = None,
) -> uuid.UUID:
    with org_session(factory, org) as db:
        reason_in = ReasonCreate(name=name, company_value=company_value)
        return service.create(db=db, reason_in=reason_in).id


def add_example(
    factory: sessionmaker[Session],
    org: OrgContext,
    reason_id: uuid.UUID,
    text: str,
    *,
    source: str = "import",
) -> uuid.UUID:
    with org_session(factory, org) as db:
        example = ReasonExample(reason_id=reason_id, text=text, source=source)
        db.add(example)
        db.flush()
        return example.id


def assign(
    factory: sessionmaker[Session],
    org: OrgContext,
    interaction_id: uuid.UUID,
    reason_id: uuid.UUID | None,
    *,
    manual: bool = False,
    confidence: float | None = 0.9,
) -> uuid.UUID:
    """A message's reason as if the model (or, with ``manual``, a manager) had given it."""
    with org_session(factory, org) as db:
        label = MessageReason(
            interaction_id=interaction_id, reason_id=reason_id, manual=manual, confidence=confidence
        )
        db.add(label)
        db.flush()
        return label.id


def analyse(
    factory: sessionmaker[Session], org: OrgContext, interaction_id: uuid.UUID, **values: Any
) -> None:
    """Stored analyses of a message, e.g. ``sentiment={"label": "negative", "score": -0.8}``."""
    with org_session(factory, org) as db:
        for analyser, value in values.items():
            db.add(
                MessageAnalysis(
                    interaction_id=interaction_id,
                    analyser=analyser,
                    version="test",
                    result={"value": value},
                )
            )


def reason_records(
    factory: sessionmaker[Session], org: OrgContext, label: str, interaction_id: uuid.UUID
) -> dict[str, uuid.UUID]:
    """Two reasons (``{label}-reason`` and ``{label}-reason-2``), an example of the first, and
    a manager's label putting ``interaction_id`` in the first (for cross-tenant tests)."""
    reason = make_reason(factory, org, f"{label}-reason")
    second = make_reason(factory, org, f"{label}-reason-2")
    example = add_example(factory, org, reason, "Where is my new card?")
    assign(factory, org, interaction_id, reason, manual=True, confidence=None)
    with org_session(factory, org) as db:
        training = reason_training.request(db=db, member_id=None)
        training_id = training.id
    return {
        "reason": reason,
        "reason_2": second,
        "example": example,
        "reason_training": training_id,
    }
