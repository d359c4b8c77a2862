"""JSON routes for contact reasons (why customers contact us) and the Value Irritant Grid.

Any member reads; managers and admins change reasons, examples, labels and the model."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    HTTPException,
    Query,
    Request,
    Response,
    status,
)
from pydantic import AwareDatetime
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from goodwill.database import utcnow
from goodwill.dependencies import AppSettings, CurrentMember, DbSession, ManagerMember
from goodwill.errors import InvalidInput, NotFound, PermissionDenied
from goodwill.jobs import tasks as job_tasks
from goodwill.jobs.after_request import defer
from goodwill.reasons import chart, flows, grid_flows, service, training
from goodwill.reasons.grid import Grid, Thresholds
from goodwill.reasons.models import ContactReason, ReasonModel, ReasonTraining
from goodwill.reasons.schemas import (
    ClassifyRead,
    ClassifyRequest,
    DiscoverRead,
    DiscoverRequest,
    DiscoveryAccept,
    ExampleImportRead,
    ExampleIn,
    GridRead,
    MessageReasonRead,
    MessageReasonUpdate,
    ModelRead,
    PredictionRead,
    ReasonCreate,
    ReasonList,
    ReasonMerge,
    ReasonRead,
    ReasonSplit,
    ReasonUpdate,
    TrainingRead,
)
from goodwill.types import Role

router = APIRouter(tags=["reasons"])

MAX_EXAMPLES_BYTES = 20 * 1024**2
_EXAMPLES_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "array", "items": ExampleIn.model_json_schema()}
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


def _one(db: Session, reason: ContactReason) -> ReasonRead:
    return service.read(db=db, reasons=[reason])[0]


@router.get("/reasons", response_model=ReasonList)
def list_reasons(db: DbSession, _: CurrentMember) -> ReasonList:
    """The organisation's reasons in use, with how many examples and messages each has."""
    return ReasonList(items=service.read(db=db, reasons=service.get_all(db=db)))


@router.post("/reasons", response_model=ReasonRead, status_code=status.HTTP_201_CREATED)
def create_reason(db: DbSession, _: ManagerMember, reason_in: ReasonCreate) -> ReasonRead:
    return _one(db, service.create(db=db, reason_in=reason_in))


def _grid(
    db: DbSession,
    _: CurrentMember,
    period_from: Annotated[
        AwareDatetime | None, Query(alias="from", description="default: 30 days before to")
    ] = None,
    period_to: Annotated[
        AwareDatetime | None, Query(alias="to", description="end (excluded); default: now")
    ] = None,
    repeat_days: Annotated[int, Query(ge=1, le=365)] = 14,
    outcome_days: Annotated[int, Query(ge=1, le=730)] = 90,
) -> Grid:
    start, end = grid_flows.period(period_from, period_to, now=utcnow())
    thresholds = Thresholds(repeat_days=repeat_days, outcome_days=outcome_days)
    return grid_flows.compute(db=db, period_from=start, period_to=end, thresholds=thresholds)


GridOfPeriod = Annotated[Grid, Depends(_grid)]


@router.get("/reasons/grid", response_model=GridRead)
def get_grid(grid: GridOfPeriod) -> GridRead:
    """The Value Irritant Grid (seed 001) over [from, to): per reason its volume and trend, value
    to the customer and to the company, quadrant (eliminate, simplify, automate, leverage), the
    evidence (numbers and sample message ids) and a recommended action; thresholds included."""
    return GridRead.model_validate(grid)


@router.get(
    "/reasons/grid.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "the grid as a chart"}},
)
def get_grid_svg(grid: GridOfPeriod) -> Response:
    """The same grid as an SVG chart (no script) for a slide."""
    return Response(chart.render(grid), media_type="image/svg+xml")


async def _example_rows(request: Request) -> list[ExampleIn]:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_EXAMPLES_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail="examples over 20 MB")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=5)
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise InvalidInput("file: send the CSV in the multipart field 'file'")
            content = await upload.read(MAX_EXAMPLES_BYTES + 1)
            name = upload.filename or "examples.csv"
        finally:
            await form.close()
        return service.examples_from_csv(content[:MAX_EXAMPLES_BYTES], source=name)
    body = await request.body()
    if kind in ("text/csv", "application/csv"):
        return service.examples_from_csv(body)
    try:
        data = json.loads(body)
    except ValueError:
        raise InvalidInput("body: send JSON, a CSV (text/csv) or a multipart file") from None
    return service.examples_from_json(data)


@router.post(
    "/reasons/examples",
    response_model=ExampleImportRead,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=_EXAMPLES_BODY,
)
async def add_examples(request: Request, db: DbSession, _: ManagerMember) -> ExampleImportRead:
    """Labelled examples: a JSON list of ``{"text", "reason"}``, or a CSV with ``text`` and
    ``reason`` columns (uploaded as ``file`` or sent as text/csv). All or nothing: a bad row is
    reported with its line and field. A reason named for the first time is created."""
    rows = await _example_rows(request)
    return await run_in_threadpool(service.add_examples, db=db, examples=rows)


@router.post("/reasons/train", response_model=TrainingRead, status_code=status.HTTP_202_ACCEPTED)
def train_model(
    db: DbSession,
    member: ManagerMember,
    request: Request,
    settings: AppSettings,
    background: BackgroundTasks,
) -> TrainingRead:
    """Queue a training of the organisation's classifier on all its examples (the next model
    version); follow it at ``GET /reasons/training/{id}``. A training already waiting is
    returned instead of a second one."""
    queued = training.request(db=db, member_id=member.id)
    defer(
        request,
        background,
        job_tasks.dispatch,
        settings=settings,
        factory=request.app.state.session_factory,
        actor_name=training.TRAIN_REASONS,
        organisation_id=member.organisation_id,
    )
    return _training_read(db, queued)


@router.get("/reasons/training", response_model=TrainingRead)
def latest_training(db: DbSession, _: CurrentMember) -> TrainingRead:
    """The organisation's most recent training request (404 when there was none)."""
    found = training.latest(db=db)
    if found is None:
        raise NotFound("no training requested yet: POST /reasons/train")
    return _training_read(db, found)


@router.get("/reasons/training/{training_id}", response_model=TrainingRead)
def get_training(db: DbSession, _: CurrentMember, training_id: uuid.UUID) -> TrainingRead:
    return _training_read(db, training.get(db=db, training_id=training_id))


def _training_read(db: Session, found: ReasonTraining) -> TrainingRead:
    model = None
    if found.model_version is not None:
        model = db.scalar(select(ReasonModel).where(ReasonModel.version == found.model_version))
    return TrainingRead(
        id=found.id,
        state=found.state,
        requested_at=found.requested_at,
        started_at=found.started_at,
        finished_at=found.finished_at,
        error=found.error,
        model=ModelRead.model_validate(model) if model is not None else None,
    )


@router.post("/reasons/classify", response_model=ClassifyRead)
def classify(db: DbSession, member: CurrentMember, request_in: ClassifyRequest) -> ClassifyRead:
    """``texts``: each text's reason and confidence ("unknown" below the model's threshold).
    ``stored: true`` (managers): classify the organisation's inbound messages and store the
    reasons; a manager's label is kept."""
    if request_in.stored:
        if not Role(member.role).allows(Role.MANAGER):
            raise PermissionDenied("classifying stored messages needs the manager role")
        model, classified, kept = flows.classify_stored(db=db, only_new=request_in.only_new)
        return ClassifyRead(model_version=model.version, classified=classified, kept_manual=kept)
    if not request_in.texts:
        raise InvalidInput("texts: give at least one text, or stored: true")
    model, found = flows.classify_texts(db=db, texts=request_in.texts)
    predictions = [
        PredictionRead(
            row=row, reason=a.reason.name if a.reason else "unknown", confidence=a.confidence
        )
        for row, a in enumerate(found, start=1)
    ]
    return ClassifyRead(model_version=model.version, predictions=predictions)


@router.post("/reasons/discover", response_model=DiscoverRead)
def discover(db: DbSession, _: ManagerMember, request_in: DiscoverRequest) -> DiscoverRead:
    """Group the inbound messages that have no reason yet into candidate reasons, each with a
    readable label, its most typical messages and every member, for a manager to accept."""
    return flows.discover_unlabelled(db=db, k=request_in.k, limit=request_in.limit)


@router.post(
    "/reasons/discover/accept", response_model=ReasonRead, status_code=status.HTTP_201_CREATED
)
def accept_discovery(db: DbSession, _: ManagerMember, accept_in: DiscoveryAccept) -> ReasonRead:
    """Keep a discovered group as a reason under the manager's name (an existing name adds to
    that reason: a merge; a subset of a group: a split); its messages become examples."""
    reason, _added = flows.accept_discovery(
        db=db, name=accept_in.name, interaction_ids=accept_in.interaction_ids
    )
    return _one(db, reason)


@router.get("/reasons/{reason_id}", response_model=ReasonRead)
def get_reason(db: DbSession, _: CurrentMember, reason_id: uuid.UUID) -> ReasonRead:
    return _one(db, service.get(db=db, reason_id=reason_id))


@router.patch("/reasons/{reason_id}", response_model=ReasonRead)
def update_reason(
    db: DbSession, _: ManagerMember, reason_id: uuid.UUID, reason_in: ReasonUpdate
) -> ReasonRead:
    """Rename, describe, or set the value to the company (null: derive it from outcomes)."""
    reason = service.get_active(db=db, reason_id=reason_id)
    return _one(db, service.update_reason(db=db, reason=reason, reason_in=reason_in))


@router.post("/reasons/{reason_id}/merge", response_model=ReasonRead)
def merge_reason(
    db: DbSession, _: ManagerMember, reason_id: uuid.UUID, merge_in: ReasonMerge
) -> ReasonRead:
    """Move every example and message of this reason into another; answers the other."""
    reason = service.get_active(db=db, reason_id=reason_id)
    into = service.get(db=db, reason_id=merge_in.into_reason_id)
    return _one(db, service.merge(db=db, reason=reason, into=into))


@router.post(
    "/reasons/{reason_id}/split", response_model=ReasonRead, status_code=status.HTTP_201_CREATED
)
def split_reason(
    db: DbSession, member: ManagerMember, reason_id: uuid.UUID, split_in: ReasonSplit
) -> ReasonRead:
    """A new reason taking the chosen examples and messages of this one."""
    reason = service.get_active(db=db, reason_id=reason_id)
    return _one(db, service.split(db=db, reason=reason, split_in=split_in, member_id=member.id))


def _label_read(db: Session, interaction_id: uuid.UUID) -> MessageReasonRead:
    label = service.label_of(db=db, interaction_id=interaction_id)
    if label is None or label.reason_id is None:
        name = "unknown" if label is not None else "not classified"
        reason_id = None
    else:
        name, reason_id = service.get(db=db, reason_id=label.reason_id).name, label.reason_id
    return MessageReasonRead(
        interaction_id=interaction_id,
        reason_id=reason_id,
        reason=name,
        confidence=label.confidence if label else None,
        manual=label.manual if label else False,
        model_id=label.model_id if label else None,
        assigned_at=label.assigned_at if label else None,
    )


@router.get("/interactions/{interaction_id}/reason", response_model=MessageReasonRead)
def get_message_reason(
    db: DbSession, _: CurrentMember, interaction_id: uuid.UUID
) -> MessageReasonRead:
    """An inbound message's reason: the manager's label, the model's, or none yet."""
    service.inbound_message(db=db, interaction_id=interaction_id)
    return _label_read(db, interaction_id)


@router.put("/interactions/{interaction_id}/reason", response_model=MessageReasonRead)
def label_message(
    db: DbSession, member: ManagerMember, interaction_id: uuid.UUID, label_in: MessageReasonUpdate
) -> MessageReasonRead:
    """A manager's label: it wins over the model, survives re-classification, and the message
    becomes an example of its reason. ``reason_id: null`` removes the label."""
    interaction = service.inbound_message(db=db, interaction_id=interaction_id)
    reason = None
    if label_in.reason_id is not None:
        reason = service.get_active(db=db, reason_id=label_in.reason_id)
    service.label_message(db=db, interaction=interaction, reason=reason, member_id=member.id)
    return _label_read(db, interaction_id)
