"""Decision trees and runs through them, stored in one organisation."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session, sessionmaker

from goodwill.scripts import service
from goodwill.scripts.models import DecisionTree, TreeRun
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext

REFUND_TREE = """\
name: Charged twice
kind: service
nodes:
  - id: start
    text: Was the customer charged twice for the same payment?
    options:
      "Yes": refund
      "No": explain
  - id: explain
    text: Show the one charge and its date. Is it clear now?
    options:
      "Clear": resolved
      "Still unclear": escalate
  - id: refund
    text: Refund the second charge and say by which day it arrives.
    outcome: refunded
  - id: resolved
    text: Thank them by name and close.
    outcome: explained
  - id: escalate
    text: Hand over to billing with a note, and tell the customer who will call and when.
    outcome: escalated
"""


def make_tree(
    factory: sessionmaker[Session], org: OrgContext, source: str = REFUND_TREE
) -> DecisionTree:
    with org_session(factory, org) as db:
        return service.create(
            db=db, source=source, fmt="yaml", publish=True, member_id=org.admin_member_id
        )


def start_run(
    factory: sessionmaker[Session],
    org: OrgContext,
    tree_id: uuid.UUID,
    relationship_id: uuid.UUID | None = None,
) -> TreeRun:
    with org_session(factory, org) as db:
        tree = service.get(db=db, tree_id=tree_id)
        return service.start_run(
            db=db, tree=tree, member_id=org.admin_member_id, relationship_id=relationship_id
        )


def walk(
    factory: sessionmaker[Session], org: OrgContext, run_id: uuid.UUID, *options: str
) -> TreeRun:
    with org_session(factory, org) as db:
        run = service.get_run(db=db, run_id=run_id)
        for option in options:
            service.step(db=db, run=run, option=option, member_id=org.admin_member_id)
        return run


def tree_records(
    factory: sessionmaker[Session], org: OrgContext, relationship_id: uuid.UUID
) -> dict[str, uuid.UUID]:
    """For cross-tenant tests: a published tree and a run at its start node."""
    tree = make_tree(factory, org)
    run = start_run(factory, org, tree.id, relationship_id)
    return {"decision_tree": tree.id, "tree_run": run.id}
