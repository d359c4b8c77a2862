"""JSON routes for conversations and interactions. Interactions have no update or delete route:
they are immutable, and a POST under a known external id answers the stored one."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, BackgroundTasks, Request, Response, status
from pydantic import AwareDatetime

from goodwill import ingest
from goodwill.dependencies import CurrentMember, DbSession
from goodwill.interactions import service
from goodwill.interactions.models import Conversation, Interaction
from goodwill.interactions.schemas import (
    ConversationCreate,
    ConversationPage,
    ConversationRead,
    ConversationUpdate,
    InteractionCreate,
    InteractionPage,
    InteractionRead,
)
from goodwill.pagination import paginate
from goodwill.types import Channel, ConversationStatus, Direction, InteractionKind

router = APIRouter(tags=["interactions"])


@router.get("/conversations", response_model=ConversationPage)
def list_conversations(
    db: DbSession,
    _: CurrentMember,
    cursor: str | None = None,
    limit: int = 50,
    customer_id: uuid.UUID | None = None,
    status: ConversationStatus | None = None,
    channel: Channel | None = None,
    updated_since: AwareDatetime | None = None,
) -> ConversationPage:
    stmt = service.query_conversations(
        customer_id=customer_id, status=status, channel=channel, updated_since=updated_since
    )
    rows, next_cursor = paginate(db, stmt, keys=[Conversation.id], cursor=cursor, limit=limit)
    return ConversationPage(
        items=[ConversationRead.model_validate(c) for c in rows], next_cursor=next_cursor
    )


@router.post("/conversations", response_model=ConversationRead, status_code=status.HTTP_201_CREATED)
def create_conversation(
    db: DbSession, _: CurrentMember, conversation_in: ConversationCreate
) -> Conversation:
    return service.create_conversation(db=db, conversation_in=conversation_in)


@router.get("/conversations/{conversation_id}", response_model=ConversationRead)
def get_conversation(db: DbSession, _: CurrentMember, conversation_id: uuid.UUID) -> Conversation:
    return service.get_conversation(db=db, conversation_id=conversation_id)


@router.patch("/conversations/{conversation_id}", response_model=ConversationRead)
def update_conversation(
    db: DbSession,
    _: CurrentMember,
    conversation_id: uuid.UUID,
    conversation_in: ConversationUpdate,
) -> Conversation:
    conversation = service.get_conversation(db=db, conversation_id=conversation_id)
    return service.update_conversation(
        db=db, conversation=conversation, conversation_in=conversation_in
    )


@router.get("/interactions", response_model=InteractionPage)
def list_interactions(
    db: DbSession,
    _: CurrentMember,
    cursor: str | None = None,
    limit: int = 50,
    customer_id: uuid.UUID | None = None,
    conversation_id: uuid.UUID | None = None,
    channel: Channel | None = None,
    kind: InteractionKind | None = None,
    direction: Direction | None = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    created_since: AwareDatetime | None = None,
) -> InteractionPage:
    """Newest first (by occurred_at, then id); ``since`` is inclusive, ``until`` exclusive."""
    stmt = service.query_all(
        customer_id=customer_id,
        conversation_id=conversation_id,
        channel=channel,
        kind=kind,
        direction=direction,
        since=since,
        until=until,
        created_since=created_since,
    )
    rows, next_cursor = paginate(
        db,
        stmt,
        keys=[Interaction.occurred_at, Interaction.id],
        cursor=cursor,
        limit=limit,
        descending=True,
    )
    return InteractionPage(
        items=[InteractionRead.model_validate(i) for i in rows], next_cursor=next_cursor
    )


@router.post(
    "/interactions",
    response_model=InteractionRead,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "stored before under the same external id: unchanged"}},
)
def create_interaction(
    db: DbSession,
    member: CurrentMember,
    interaction_in: InteractionCreate,
    request: Request,
    response: Response,
    background: BackgroundTasks,
) -> Interaction:
    stored = service.create(db=db, interaction_in=interaction_in)
    if not stored.created:
        response.status_code = status.HTTP_200_OK
    else:
        ingest.after_response(request, background, member.organisation_id)
    return stored.interaction


@router.get("/interactions/{interaction_id}", response_model=InteractionRead)
def get_interaction(db: DbSession, _: CurrentMember, interaction_id: uuid.UUID) -> Interaction:
    return service.get(db=db, interaction_id=interaction_id)


@router.get(
    "/interactions/{interaction_id}/raw",
    response_class=Response,
    responses={200: {"description": "the original bytes, as a download"}},
)
def get_interaction_raw(db: DbSession, _: CurrentMember, interaction_id: uuid.UUID) -> Response:
    raw = service.get_raw(db=db, interaction_id=interaction_id)
    extension = "eml" if raw.content_type == "message/rfc822" else "bin"
    return Response(
        content=raw.content,
        media_type=raw.content_type,
        headers={"Content-Disposition": f'attachment; filename="{interaction_id}.{extension}"'},
    )
