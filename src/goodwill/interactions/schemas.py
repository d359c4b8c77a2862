"""Conversation and interaction shapes at the HTTP boundary (API and webhooks)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from goodwill.database import INTEGER_MAX
from goodwill.pagination import PageInfo
from goodwill.types import Channel, ConversationStatus, Direction, InteractionKind

MAX_BATCH = 1000
MAX_BODY_CHARS = 10 * 1024 * 1024

# Where a conversation can take place (docs/import.md); billing, store and survey are
# channels of single interactions only.
CONVERSATION_CHANNELS = frozenset(
    {
        Channel.EMAIL,
        Channel.CHAT,
        Channel.PHONE,
        Channel.SMS,
        Channel.WEB,
        Channel.SOCIAL,
        Channel.IN_PERSON,
        Channel.APP,
        Channel.OTHER,
    }
)
_NEEDS_DIRECTION = {InteractionKind.MESSAGE, InteractionKind.CALL}


class ConversationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_id: str | None = Field(default=None, min_length=1, max_length=255)
    customer_id: uuid.UUID
    subject: str | None = Field(default=None, max_length=500)
    channel: Channel = Channel.EMAIL
    status: ConversationStatus = ConversationStatus.OPEN
    opened_at: AwareDatetime | None = Field(default=None, description="default: now")
    closed_at: AwareDatetime | None = None

    @field_validator("channel")
    @classmethod
    def _conversation_channel(cls, channel: Channel) -> Channel:
        if channel not in CONVERSATION_CHANNELS:
            allowed = ", ".join(sorted(CONVERSATION_CHANNELS))
            raise ValueError(f"a conversation's channel is one of {allowed}")
        return channel


class ConversationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: ConversationStatus | None = None
    subject: str | None = Field(default=None, max_length=500)
    closed_at: AwareDatetime | None = None


class ConversationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    external_id: str
    customer_id: uuid.UUID
    subject: str | None
    channel: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ConversationPage(PageInfo):
    items: list[ConversationRead]


class InteractionCreate(BaseModel):
    """One interaction; the customer is named by exactly one of its three references."""

    model_config = ConfigDict(extra="forbid")

    external_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="your id; when absent, 'sha256:' + a hash of the content (docs/import.md)",
    )
    customer_id: uuid.UUID | None = None
    customer_external_id: str | None = Field(default=None, min_length=1, max_length=255)
    customer_email: str | None = Field(default=None, min_length=3, max_length=320)
    conversation_id: uuid.UUID | None = None
    conversation_external_id: str | None = Field(default=None, min_length=1, max_length=255)
    kind: InteractionKind
    channel: Channel
    direction: Direction | None = Field(default=None, validate_default=True)
    occurred_at: AwareDatetime
    subject: str | None = Field(default=None, max_length=500)
    body: str | None = Field(default=None, max_length=MAX_BODY_CHARS, validate_default=True)
    author_name: str | None = Field(default=None, max_length=300)
    author_email: str | None = Field(
        default=None, max_length=320, description="links the interaction to a member it matches"
    )
    amount: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    quantity: int | None = Field(default=None, ge=-INTEGER_MAX, le=INTEGER_MAX)
    score: float | None = Field(default=None, allow_inf_nan=False)
    attributes: dict[str, Any] | None = None

    @field_validator("direction")
    @classmethod
    def _direction_for_messages_and_calls(
        cls, direction: Direction | None, info: ValidationInfo
    ) -> Direction | None:
        if direction is None and info.data.get("kind") in _NEEDS_DIRECTION:
            raise ValueError("required for a message or a call (inbound, outbound or internal)")
        return direction

    @field_validator("body")
    @classmethod
    def _body_for_messages(cls, body: str | None, info: ValidationInfo) -> str | None:
        if not body and info.data.get("kind") == InteractionKind.MESSAGE:
            raise ValueError("required for a message")
        return body

    @field_validator("currency")
    @classmethod
    def _upper_currency(cls, currency: str | None) -> str | None:
        return currency.upper() if currency else currency

    @model_validator(mode="after")
    def _one_customer_reference(self) -> Self:
        given = [self.customer_id, self.customer_external_id, self.customer_email]
        if sum(v is not None for v in given) != 1:
            raise ValueError(
                "customer_id, customer_external_id, customer_email: give exactly one of them"
            )
        if self.conversation_id is not None and self.conversation_external_id is not None:
            raise ValueError("conversation_id, conversation_external_id: give at most one of them")
        return self


class InteractionBatch(BaseModel):
    """Many interactions stored all or nothing."""

    model_config = ConfigDict(extra="forbid")

    interactions: list[InteractionCreate] = Field(min_length=1, max_length=MAX_BATCH)


class InteractionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    external_id: str
    customer_id: uuid.UUID
    conversation_id: uuid.UUID | None
    kind: str
    channel: str
    direction: str | None
    occurred_at: datetime
    subject: str | None
    body: str | None
    author_member_id: uuid.UUID | None
    author_name: str | None
    amount: Decimal | None
    currency: str | None
    quantity: int | None
    score: float | None
    attributes: dict[str, Any] | None
    import_batch_id: uuid.UUID | None
    created_at: datetime


class InteractionPage(PageInfo):
    items: list[InteractionRead]


class InteractionBatchResult(BaseModel):
    created: int = Field(description="interactions stored by this request")
    existing: int = Field(description="interactions already stored under the same external id")
    items: list[InteractionRead]
