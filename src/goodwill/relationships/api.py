"""JSON routes for relationships: list, read, reassign the owner, change the segment; their stage
history, their trust, connection and health, their commitments ledger, and the next best
conversations (playbook tasks) for their owners."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi import status as http_status
from pydantic import AwareDatetime

from goodwill import tenancy
from goodwill.database import utcnow
from goodwill.dependencies import CurrentMember, DbSession
from goodwill.pagination import paginate
from goodwill.relationships import alive, commitments, engine, nextconv, risk, service
from goodwill.relationships import tasks as task_actions
from goodwill.relationships.models import (
    Commitment,
    Relationship,
    ScoreHistory,
    StageHistory,
    TaskAction,
)
from goodwill.relationships.playbooks import Task
from goodwill.relationships.schemas import (
    AliveFitRead,
    CommitmentCreate,
    CommitmentPage,
    CommitmentRead,
    CommitmentUpdate,
    NextConversationList,
    NextConversationRead,
    RelationshipPage,
    RelationshipRead,
    RelationshipRiskRead,
    RelationshipUpdate,
    RiskModelRead,
    ScoreHistoryPage,
    ScoreHistoryRead,
    StageHistoryPage,
    StageRead,
    TaskActionCreate,
    TaskActionPage,
    TaskActionRead,
    TrustRead,
)

router = APIRouter(tags=["relationships"])


@router.get("/relationships", response_model=RelationshipPage)
def list_relationships(
    db: DbSession,
    _: CurrentMember,
    cursor: str | None = None,
    limit: int = 50,
    owner_member_id: uuid.UUID | None = None,
    updated_since: AwareDatetime | None = None,
    stage: str | None = None,
    segment: str | None = None,
    customer_id: uuid.UUID | None = None,
) -> RelationshipPage:
    stmt = service.query_all(
        owner_member_id=owner_member_id,
        updated_since=updated_since,
        stage=stage,
        segment=segment,
        customer_id=customer_id,
    )
    rows, next_cursor = paginate(db, stmt, keys=[Relationship.id], cursor=cursor, limit=limit)
    return RelationshipPage(
        items=[RelationshipRead.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get("/relationships/{relationship_id}", response_model=RelationshipRead)
def get_relationship(db: DbSession, _: CurrentMember, relationship_id: uuid.UUID) -> Relationship:
    return service.get(db=db, relationship_id=relationship_id)


@router.patch("/relationships/{relationship_id}", response_model=RelationshipRead)
def update_relationship(
    db: DbSession,
    _: CurrentMember,
    relationship_id: uuid.UUID,
    relationship_in: RelationshipUpdate,
) -> Relationship:
    relationship = service.get(db=db, relationship_id=relationship_id)
    return service.update(db=db, relationship=relationship, relationship_in=relationship_in)


@router.get("/relationships/{relationship_id}/stage-history", response_model=StageHistoryPage)
def list_stage_history(
    db: DbSession,
    _: CurrentMember,
    relationship_id: uuid.UUID,
    cursor: str | None = None,
    limit: int = 50,
) -> StageHistoryPage:
    """The relationship's stage and phase transitions, newest first, each with its evidence."""
    service.get(db=db, relationship_id=relationship_id)
    stmt = engine.stage_history(relationship_id=relationship_id)
    keys = [StageHistory.valid_from, StageHistory.id]
    rows, next_cursor = paginate(db, stmt, keys=keys, cursor=cursor, limit=limit, descending=True)
    return StageHistoryPage(
        items=[StageRead.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get("/relationships/{relationship_id}/score-history", response_model=ScoreHistoryPage)
def list_score_history(
    db: DbSession,
    _: CurrentMember,
    relationship_id: uuid.UUID,
    cursor: str | None = None,
    limit: int = 50,
) -> ScoreHistoryPage:
    """How the trust pillars, connection and health moved, newest first (a row each time one
    moved by a point or more)."""
    service.get(db=db, relationship_id=relationship_id)
    stmt = engine.score_history(relationship_id=relationship_id)
    keys = [ScoreHistory.computed_at, ScoreHistory.id]
    rows, next_cursor = paginate(db, stmt, keys=keys, cursor=cursor, limit=limit, descending=True)
    return ScoreHistoryPage(
        items=[ScoreHistoryRead.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get("/relationships/{relationship_id}/trust", response_model=TrustRead)
def get_trust(db: DbSession, _: CurrentMember, relationship_id: uuid.UUID) -> TrustRead:
    """Trust pillars, high-quality connection and health, each score with its evidence and the
    health score with each component's weight and contribution."""
    relationship = service.get(db=db, relationship_id=relationship_id)
    return TrustRead.model_validate(engine.current_trust(db=db, relationship=relationship))


@router.get("/alive", response_model=AliveFitRead)
def get_alive_fit(db: DbSession, _: CurrentMember) -> AliveFitRead:
    """The organisation's BG/NBD "still alive" fit (parameters, standard errors, log-likelihood,
    customers), refreshed by ``goodwill recompute``; or the reason it is missing."""
    organisation_id = tenancy.current_organisation_id(db)
    fit = alive.stored_fit(db=db)
    if fit is None:
        reason = "not fitted yet: run goodwill recompute --all"
        return AliveFitRead(organisation_id=organisation_id, status="missing", reason=reason)
    return AliveFitRead.model_validate({**fit, "organisation_id": organisation_id})


@router.get("/relationships/{relationship_id}/commitments", response_model=CommitmentPage)
def list_commitments(
    db: DbSession,
    _: CurrentMember,
    relationship_id: uuid.UUID,
    cursor: str | None = None,
    limit: int = 50,
    status: Literal["open", "kept", "kept_late", "broken"] | None = None,
) -> CommitmentPage:
    service.get(db=db, relationship_id=relationship_id)
    stmt = commitments.query_for_relationship(relationship_id=relationship_id, status=status)
    rows, next_cursor = paginate(db, stmt, keys=[Commitment.id], cursor=cursor, limit=limit)
    return CommitmentPage(
        items=[CommitmentRead.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.post(
    "/relationships/{relationship_id}/commitments",
    response_model=CommitmentRead,
    status_code=http_status.HTTP_201_CREATED,
)
def create_commitment(
    db: DbSession, _: CurrentMember, relationship_id: uuid.UUID, commitment_in: CommitmentCreate
) -> Commitment:
    relationship = service.get(db=db, relationship_id=relationship_id)
    return commitments.create(db=db, relationship=relationship, commitment_in=commitment_in)


@router.patch("/commitments/{commitment_id}", response_model=CommitmentRead)
def close_commitment(
    db: DbSession, _: CurrentMember, commitment_id: uuid.UUID, commitment_in: CommitmentUpdate
) -> Commitment:
    commitment = commitments.get(db=db, commitment_id=commitment_id)
    return commitments.close(db=db, commitment=commitment, commitment_in=commitment_in)


def _task_list(found: list[Task]) -> NextConversationList:
    return NextConversationList(items=[NextConversationRead.model_validate(t) for t in found])


@router.get("/next-conversations", response_model=NextConversationList)
def list_next_conversations(
    db: DbSession,
    _: CurrentMember,
    owner_member_id: uuid.UUID | None = None,
    kind: str | None = None,
    limit: Annotated[int, Query(ge=1, le=nextconv.MAX_LIMIT)] = 100,
) -> NextConversationList:
    """Today's list: the playbook tasks of the organisation's relationships, most urgent first
    (priority, then due time)."""
    found = nextconv.tasks(db=db, owner_member_id=owner_member_id, kind=kind, limit=limit)
    return _task_list(found)


@router.get(
    "/relationships/{relationship_id}/next-conversations", response_model=NextConversationList
)
def list_relationship_next_conversations(
    db: DbSession, _: CurrentMember, relationship_id: uuid.UUID, kind: str | None = None
) -> NextConversationList:
    """The playbook tasks for one relationship, most urgent first."""
    service.get(db=db, relationship_id=relationship_id)
    return _task_list(nextconv.tasks(db=db, relationship_id=relationship_id, kind=kind))


@router.post(
    "/relationships/{relationship_id}/next-conversations/actions",
    response_model=TaskActionRead,
    status_code=http_status.HTTP_201_CREATED,
)
def act_on_next_conversation(
    db: DbSession, member: CurrentMember, relationship_id: uuid.UUID, action_in: TaskActionCreate
) -> TaskAction:
    """Mark one of the relationship's next conversations done, dismiss it, or snooze it."""
    relationship = service.get(db=db, relationship_id=relationship_id)
    current = nextconv.tasks(db=db, relationship_id=relationship_id, limit=None)
    return task_actions.act(
        db=db, relationship=relationship, current=current, action_in=action_in, member=member
    )


@router.get(
    "/relationships/{relationship_id}/next-conversations/actions",
    response_model=TaskActionPage,
)
def list_next_conversation_actions(
    db: DbSession,
    _: CurrentMember,
    relationship_id: uuid.UUID,
    cursor: str | None = None,
    limit: int = 50,
) -> TaskActionPage:
    """What was done with the relationship's tasks, newest first."""
    service.get(db=db, relationship_id=relationship_id)
    stmt = task_actions.history(relationship_id=relationship_id)
    keys = [TaskAction.created_at, TaskAction.id]
    rows, next_cursor = paginate(db, stmt, keys=keys, cursor=cursor, limit=limit, descending=True)
    return TaskActionPage(
        items=[TaskActionRead.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get("/risk", response_model=RiskModelRead)
def get_risk_model(db: DbSession, _: CurrentMember) -> RiskModelRead:
    """The termination-risk model, with its AUC on a time-based holdout beside it."""
    organisation_id = tenancy.current_organisation_id(db)
    stored = risk.stored_model(db=db)
    if stored is None:
        reason = "not trained yet: run goodwill recompute --all"
        return RiskModelRead(organisation_id=organisation_id, status="missing", reason=reason)
    weights = dict(zip(stored.get("features", []), stored.get("coef", []), strict=False))
    return RiskModelRead.model_validate(
        {**stored, "organisation_id": organisation_id, "weights": weights}
    )


@router.get("/relationships/{relationship_id}/risk", response_model=RelationshipRiskRead)
def get_relationship_risk(
    db: DbSession, _: CurrentMember, relationship_id: uuid.UUID
) -> RelationshipRiskRead:
    """The relationship's termination risk now, and what pushes it up or down."""
    service.get(db=db, relationship_id=relationship_id)
    found = risk.explain(db=db, relationship_id=relationship_id, as_of=utcnow())
    return RelationshipRiskRead.model_validate(found)
