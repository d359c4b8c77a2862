"""JSON routes of decision trees: author (each save a version), run step by step (a
self-service widget can drive a run through these), and the analytics of a tree's runs."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi import status as http_status
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.dependencies import CurrentMember, DbSession, ManagerMember
from goodwill.pagination import paginate
from goodwill.scripts import analytics, service, validation
from goodwill.scripts.models import DecisionTree, TreeRun
from goodwill.scripts.schemas import (
    NodeRead,
    RunRead,
    RunStart,
    StepCreate,
    StepRead,
    TreeAnalytics,
    TreeDetail,
    TreePage,
    TreeRead,
    TreeSave,
    TreeVersionRead,
)

router = APIRouter(tags=["decision trees"])


def _detail(db: Session, tree: DecisionTree) -> TreeDetail:
    versions = service.versions_of(db=db, tree_id=tree.id)
    published = next((v for v in versions if v.number == tree.published_version), None)
    return TreeDetail.model_validate(
        {
            **TreeRead.model_validate(tree).model_dump(),
            "versions": [TreeVersionRead.model_validate(v) for v in versions],
            "source": published.source if published else None,
            "definition": published.definition if published else None,
        }
    )


def _run(db: Session, run: TreeRun) -> RunRead:
    version = service.get_version_by_id(db=db, version_id=run.version_id)
    node = service.node_of(version, run.current_node)
    return RunRead(
        id=run.id,
        tree_id=run.tree_id,
        version=version.number,
        relationship_id=run.relationship_id,
        status=run.status,
        outcome=run.outcome,
        node=NodeRead(
            id=node["id"],
            text=node["text"],
            options=list(validation.options_of(node)),
            outcome=node.get("outcome"),
        ),
        path=list(run.path),
        steps=[StepRead.model_validate(s) for s in service.steps_of(db=db, run_id=run.id)],
        started_at=run.started_at,
        completed_at=run.completed_at,
    )


@router.get("/decision-trees", response_model=TreePage)
def list_trees(
    db: DbSession, _: CurrentMember, cursor: str | None = None, limit: int = 50
) -> TreePage:
    rows, next_cursor = paginate(
        db, service.query_trees(), keys=[DecisionTree.id], cursor=cursor, limit=limit
    )
    return TreePage(items=[TreeRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("/decision-trees", response_model=TreeDetail, status_code=http_status.HTTP_201_CREATED)
def create_tree(db: DbSession, member: ManagerMember, tree_in: TreeSave) -> TreeDetail:
    """A new tree from YAML or JSON; with errors: 422 naming every node (or a draft)."""
    tree = service.create(
        db=db,
        source=tree_in.source,
        fmt=tree_in.format,
        publish=tree_in.publish,
        member_id=member.id,
    )
    return _detail(db, tree)


@router.get("/decision-trees/{tree_id}", response_model=TreeDetail)
def get_tree(db: DbSession, _: CurrentMember, tree_id: uuid.UUID) -> TreeDetail:
    return _detail(db, service.get(db=db, tree_id=tree_id))


@router.put("/decision-trees/{tree_id}", response_model=TreeDetail)
def save_tree(
    db: DbSession, member: ManagerMember, tree_id: uuid.UUID, tree_in: TreeSave
) -> TreeDetail:
    """A new version; runs already started keep the version they began with."""
    tree = service.get(db=db, tree_id=tree_id)
    service.save(
        db=db,
        tree=tree,
        source=tree_in.source,
        fmt=tree_in.format,
        publish=tree_in.publish,
        member_id=member.id,
    )
    return _detail(db, tree)


@router.post(
    "/decision-trees/{tree_id}/runs",
    response_model=RunRead,
    status_code=http_status.HTTP_201_CREATED,
)
def start_run(
    db: DbSession, member: CurrentMember, tree_id: uuid.UUID, run_in: RunStart
) -> RunRead:
    tree = service.get(db=db, tree_id=tree_id)
    run = service.start_run(
        db=db,
        tree=tree,
        member_id=member.id,
        relationship_id=run_in.relationship_id,
        customer_id=run_in.customer_id,
    )
    return _run(db, run)


@router.post("/tree-runs/{run_id}/steps", response_model=RunRead)
def take_step(
    db: DbSession, member: CurrentMember, run_id: uuid.UUID, step_in: StepCreate
) -> RunRead:
    """Choose an option of the current node (by its label); an unknown one is a 422."""
    run = service.get_run(db=db, run_id=run_id)
    return _run(db, service.step(db=db, run=run, option=step_in.option, member_id=member.id))


@router.get("/tree-runs/{run_id}", response_model=RunRead)
def get_run(db: DbSession, _: CurrentMember, run_id: uuid.UUID) -> RunRead:
    return _run(db, service.get_run(db=db, run_id=run_id))


@router.get("/decision-trees/{tree_id}/analytics", response_model=TreeAnalytics)
def tree_analytics(
    db: DbSession,
    _: ManagerMember,
    tree_id: uuid.UUID,
    abandoned_after_hours: Annotated[float, Query(gt=0, le=24 * 365)] = 24.0,
) -> TreeAnalytics:
    tree = service.get(db=db, tree_id=tree_id)
    return analytics.summarise(
        tree_id=tree.id,
        runs=analytics.load(db=db, tree_id=tree.id),
        now=utcnow(),
        abandoned_after_hours=abandoned_after_hours,
    )
