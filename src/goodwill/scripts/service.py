"""Decision trees: save (each save a new version), publish, and run step by step."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any, Literal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.errors import Conflict, InvalidInput, NotFound
from goodwill.relationships import service as relationship_service
from goodwill.relationships.models import Relationship
from goodwill.scripts import validation
from goodwill.scripts.models import DecisionTree, DecisionTreeVersion, TreeRun, TreeRunStep

Format = Literal["yaml", "json"]


def _refuse(errors: list[validation.TreeError]) -> InvalidInput:
    shown = "; ".join(str(e) for e in errors)
    return InvalidInput(f"source: the tree has {len(errors)} error(s), not published: {shown}")


def create(
    *, db: Session, source: str, fmt: Format, publish: bool, member_id: uuid.UUID | None
) -> DecisionTree:
    """A new tree from its source; its first version (published when valid and asked)."""
    tree = DecisionTree(name="untitled", kind="service", created_by_member_id=member_id)
    db.add(tree)
    db.flush()
    save(db=db, tree=tree, source=source, fmt=fmt, publish=publish, member_id=member_id)
    return tree


def save(
    *,
    db: Session,
    tree: DecisionTree,
    source: str,
    fmt: Format,
    publish: bool,
    member_id: uuid.UUID | None,
) -> DecisionTreeVersion:
    """A new version of ``tree``. With errors it is refused if ``publish``, else kept as a draft
    with its errors; runs keep using the published version until a valid one is published."""
    parsed, errors = validation.parse(source, fmt=fmt)
    if errors and publish:
        raise _refuse(errors)
    tree.latest_version += 1
    version = DecisionTreeVersion(
        tree_id=tree.id,
        number=tree.latest_version,
        source=source,
        source_format=fmt,
        definition=parsed.definition() if parsed is not None else None,
        errors=[{**asdict(e), "nodes": list(e.nodes)} for e in errors],
        created_by_member_id=member_id,
    )
    db.add(version)
    if parsed is not None and parsed.name:
        tree.name, tree.kind = parsed.name, parsed.kind
    if publish:
        tree.published_version = version.number
    tree.updated_at = utcnow()
    db.flush()
    return version


def get(*, db: Session, tree_id: uuid.UUID) -> DecisionTree:
    tree = db.get(DecisionTree, tree_id)
    if tree is None:
        raise NotFound(f"decision tree {tree_id} not found")
    return tree


def query_trees() -> Select[Any]:
    """All of them (tenancy scopes the organisation); pages are cut by the caller."""
    return select(DecisionTree)


def versions_of(*, db: Session, tree_id: uuid.UUID) -> list[DecisionTreeVersion]:
    stmt = select(DecisionTreeVersion).where(DecisionTreeVersion.tree_id == tree_id)
    return list(db.scalars(stmt.order_by(DecisionTreeVersion.number.desc())))


def get_version(*, db: Session, tree_id: uuid.UUID, number: int) -> DecisionTreeVersion:
    stmt = select(DecisionTreeVersion).where(
        DecisionTreeVersion.tree_id == tree_id, DecisionTreeVersion.number == number
    )
    version = db.scalar(stmt)
    if version is None:
        raise NotFound(f"decision tree {tree_id}: no version {number}")
    return version


def get_version_by_id(*, db: Session, version_id: uuid.UUID) -> DecisionTreeVersion:
    version = db.get(DecisionTreeVersion, version_id)
    if version is None:
        raise NotFound(f"decision tree version {version_id} not found")
    return version


def node_of(version: DecisionTreeVersion, node_id: str) -> dict[str, Any]:
    """A node of a stored (valid) version's definition."""
    for node in (version.definition or {}).get("nodes", []):
        if node["id"] == node_id:
            return node  # type: ignore[no-any-return]
    raise NotFound(f"version {version.number} has no node {node_id!r}")


def _relationship_for(
    db: Session, relationship_id: uuid.UUID | None, customer_id: uuid.UUID | None
) -> Relationship | None:
    if relationship_id is not None:
        rel = relationship_service.get(db=db, relationship_id=relationship_id)
        if customer_id is not None and rel.customer_id != customer_id:
            raise InvalidInput("customer_id: not the customer of relationship_id")
        return rel
    if customer_id is None:
        return None
    found = db.scalar(select(Relationship).where(Relationship.customer_id == customer_id))
    if found is None:
        raise NotFound(f"customer {customer_id} not found")
    return found


def start_run(
    *,
    db: Session,
    tree: DecisionTree,
    member_id: uuid.UUID | None,
    relationship_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
) -> TreeRun:
    """A run of the published version at its start node, with the relationship's state now."""
    if tree.published_version is None:
        raise Conflict(f"decision tree {tree.id} has no published version yet")
    version = get_version(db=db, tree_id=tree.id, number=tree.published_version)
    rel = _relationship_for(db, relationship_id, customer_id)
    start = str((version.definition or {})["start"])
    node = node_of(version, start)
    now = utcnow()
    run = TreeRun(
        tree_id=tree.id,
        version_id=version.id,
        relationship_id=rel.id if rel else None,
        member_id=member_id,
        current_node=start,
        path=[start],
        health_at_start=rel.health if rel else None,
        stage_at_start=rel.stage if rel else None,
        started_at=now,
        last_step_at=now,
    )
    _finish_if_end(run, node, now)
    db.add(run)
    db.flush()
    return run


def _finish_if_end(run: TreeRun, node: dict[str, Any], now: Any) -> None:
    if node.get("outcome") is not None:
        run.status, run.outcome, run.completed_at = "completed", node["outcome"], now


def get_run(*, db: Session, run_id: uuid.UUID) -> TreeRun:
    run = db.get(TreeRun, run_id)
    if run is None:
        raise NotFound(f"tree run {run_id} not found")
    return run


def steps_of(*, db: Session, run_id: uuid.UUID) -> list[TreeRunStep]:
    stmt = select(TreeRunStep).where(TreeRunStep.run_id == run_id)
    return list(db.scalars(stmt.order_by(TreeRunStep.position)))


def step(*, db: Session, run: TreeRun, option: str, member_id: uuid.UUID | None) -> TreeRun:
    """Choose ``option`` at the run's current node; every step is recorded."""
    if run.status != "active":
        raise Conflict(f"tree run {run.id} is already {run.status} ({run.outcome})")
    version = get_version_by_id(db=db, version_id=run.version_id)
    node = node_of(version, run.current_node)
    options = validation.options_of(node)
    if option not in options:
        offered = ", ".join(repr(label) for label in options)
        raise InvalidInput(
            f"option: {option!r} is not an option of node {run.current_node!r} (offered: {offered})"
        )
    target = options[option]
    now = utcnow()
    db.add(
        TreeRunStep(
            run_id=run.id,
            position=len(run.path),
            from_node=run.current_node,
            option=option,
            to_node=target,
            member_id=member_id,
            created_at=now,
        )
    )
    run.current_node, run.path, run.last_step_at = target, [*run.path, target], now
    _finish_if_end(run, node_of(version, target), now)
    db.flush()
    return run
