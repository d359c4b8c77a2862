"""Fixtures for the HTTP API tests: cheap password hashes, a customer of organisation A, and a
world of two organisations with one of every kind of record each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import security
from goodwill.audit import service as audit_service
from goodwill.coach import verdicts as coach_verdicts
from goodwill.config import Settings
from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.organisations.models import ApiToken, Member
from goodwill.relationships import commitments, nextconv
from goodwill.relationships import service as relationship_service
from goodwill.relationships.schemas import CommitmentCreate
from goodwill.types import Role
from tests.factories.customers import make_account, make_customer, org_session, relationship_of
from tests.factories.feedback import feedback_records
from tests.factories.frameworks import framework_records
from tests.factories.interactions import make_conversation, make_interaction, make_webhook_endpoint
from tests.factories.jobs import make_dead_letter
from tests.factories.organisations import OrgContext, add_member
from tests.factories.perception import perception_records
from tests.factories.pulse import pulse_records
from tests.factories.quality import quality_records
from tests.factories.reasons import reason_records
from tests.factories.scripts import tree_records
from tests.factories.segments import segment_records


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with minimal cost: every organisation a test makes hashes passwords, and the
    production cost (~0.15 s a hash here) would dominate the run. tests/unit/test_security.py
    checks the real hasher."""
    monkeypatch.setattr(
        security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def customer(session_factory: sessionmaker[Session], org_a: OrgContext) -> Customer:
    """Margareth, a customer of organisation A (external id C-1)."""
    return make_customer(
        session_factory, org_a, email="margareth@example.com", external_id="C-1", name="Margareth"
    )


@dataclass
class Org:
    """One of every kind of record in an organisation, by kind, for cross-tenant tests."""

    label: str
    ctx: OrgContext
    ids: dict[str, uuid.UUID] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # e-mails and external ids
    webhook_secret: str = ""

    def markers(self) -> list[str]:
        """Strings that appear in an answer only if it shows this organisation's data."""
        return [str(v) for v in self.ids.values()] + list(self.values.values())


def build_org(
    factory: sessionmaker[Session], ctx: OrgContext, label: str, settings: Settings
) -> Org:
    org = Org(label, ctx)
    member_id, _ = add_member(factory, ctx, f"agent@{label}.example", Role.AGENT)
    account = make_account(factory, ctx, external_id=f"{label}-ACC-1")
    customer = make_customer(
        factory,
        ctx,
        email=f"customer@{label}.example",
        external_id=f"{label}-C-1",
        account_id=account.id,
        owner_member_id=member_id,
    )
    conversation = make_conversation(
        factory, ctx, customer_id=customer.id, external_id=f"{label}-T-1"
    )
    interaction = make_interaction(
        factory, ctx, customer_id=customer.id, conversation_id=str(conversation.id), raw=b"raw"
    )
    endpoint_id, org.webhook_secret = make_webhook_endpoint(factory, ctx, settings)
    relationship = relationship_of(factory, ctx, customer.id)
    org.ids = {
        "organisation": ctx.organisation_id,
        "admin": ctx.admin_member_id,
        "member": member_id,
        "account": account.id,
        "customer": customer.id,
        "relationship": relationship.id,
        "commitment": _commitment(factory, ctx, relationship.id),
        "conversation": conversation.id,
        "interaction": interaction.id,
        "endpoint": endpoint_id,
        **_token_ids(factory, ctx, admin=ctx.admin_member_id, member=member_id),
        **reason_records(factory, ctx, label, interaction.id),
        **feedback_records(factory, ctx, label, customer.id),
        "dead_letter": make_dead_letter(factory, ctx),
        **tree_records(factory, ctx, relationship.id),
        **pulse_records(factory, ctx),
        **framework_records(factory, ctx),
        **quality_records(factory, ctx, customer.id, ctx.admin_member_id),
        **segment_records(factory, ctx),
        **perception_records(factory, ctx, relationship.id, member_id),
        "audit_event": _audit_event(factory, ctx, customer.id),
    }
    org.values = {
        "customer_email": f"customer@{label}.example",
        "customer_external_id": f"{label}-C-1",
        "conversation_external_id": f"{label}-T-1",
        "account_external_id": f"{label}-ACC-1",
        "member_email": f"agent@{label}.example",
        "reason_name": f"{label}-reason",
        "task_id": _task_id(factory, ctx, relationship.id),
        "coach_verdict_text": _coach_verdict(factory, ctx, label, relationship.id),
    }
    return org


def _coach_verdict(
    factory: sessionmaker[Session], ctx: OrgContext, label: str, relationship_id: uuid.UUID
) -> str:
    """An operator's verdict on a finding whose flagged words name the organisation."""
    line = f"Orders are handled by the {label} depot."
    reply = f"Hi Ana,\n\n{line} I have refunded the fee.\n\nOwen"
    start = reply.index(line)
    with org_session(factory, ctx) as db:
        member = db.get(Member, ctx.admin_member_id)
        assert member is not None
        given = coach_verdicts.VerdictIn(
            "Where is my order?",
            reply,
            "blame_shifting",
            "wrong",
            start,
            start + len(line),
            relationship_id,
        )
        coach_verdicts.record(db=db, member=member, given=given, reader="interim-lexicon")
    return line


def _audit_event(
    factory: sessionmaker[Session], ctx: OrgContext, customer_id: uuid.UUID
) -> uuid.UUID:
    """An admin's view of the customer, in the audit log."""
    with org_session(factory, ctx) as db:
        event = audit_service.record(
            db=db,
            action="view",
            target_type="customers",
            target_id=customer_id,
            actor="api_token",
            actor_member_id=ctx.admin_member_id,
        )
        db.flush()
        return event.id


def _commitment(
    factory: sessionmaker[Session], ctx: OrgContext, relationship_id: uuid.UUID
) -> uuid.UUID:
    with org_session(factory, ctx) as db:
        relationship = relationship_service.get(db=db, relationship_id=relationship_id)
        commitment_in = CommitmentCreate(
            text="I'll send the new card by tomorrow", due_at=utcnow() + timedelta(hours=12)
        )
        return commitments.create(db=db, relationship=relationship, commitment_in=commitment_in).id


def _task_id(factory: sessionmaker[Session], ctx: OrgContext, relationship_id: uuid.UUID) -> str:
    """The next-conversation task the promise due soon raises (for the task-action route)."""
    with org_session(factory, ctx) as db:
        found = nextconv.tasks(db=db, relationship_id=relationship_id, kind="promise_due")
        return found[0].task_id


def _token_ids(
    factory: sessionmaker[Session], ctx: OrgContext, *, admin: uuid.UUID, member: uuid.UUID
) -> dict[str, uuid.UUID]:
    with org_session(factory, ctx) as db:
        by_member = dict(db.execute(select(ApiToken.member_id, ApiToken.id)).all())
    return {"admin_token": by_member[admin], "token": by_member[member]}


@dataclass
class World:
    """Organisations A and B, each with one of everything."""

    a: Org
    b: Org


@pytest.fixture
def world(
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    org_b: OrgContext,
    settings: Settings,
) -> World:
    return World(
        build_org(session_factory, org_a, "acme", settings),
        build_org(session_factory, org_b, "beta", settings),
    )
