"""Feedback-loop shapes at the HTTP boundary: suggestions, ideas, drafts, deliveries, metrics."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    AnyUrl,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from goodwill.coach.schemas import FindingRead
from goodwill.pagination import PageInfo

MAX_TEXT = 20_000


class IdeaStatus(StrEnum):
    NEW = "new"
    UNDER_REVIEW = "under_review"
    PLANNED = "planned"
    SHIPPED = "shipped"
    DECLINED = "declined"


# a change to one of these tells every customer who asked
OUTCOMES = (IdeaStatus.PLANNED, IdeaStatus.SHIPPED, IdeaStatus.DECLINED)


def http_url(value: str | None) -> str | None:
    """``value`` if it is an absolute http or https URL (ValueError otherwise)."""
    if value is None:
        return None
    try:
        url = AnyUrl(value)
    except ValidationError:
        raise ValueError("an http or https URL") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("an http or https URL")
    return str(value)


class SuggestionCreate(BaseModel):
    """A suggestion entered by hand (a call note, a meeting, a form)."""

    customer_id: uuid.UUID
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    interaction_id: uuid.UUID | None = None
    suggested_at: AwareDatetime | None = None
    idea_id: uuid.UUID | None = Field(
        default=None, description="join this idea instead of grouping by meaning"
    )


class SuggestionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    idea_id: uuid.UUID
    customer_id: uuid.UUID
    interaction_id: uuid.UUID | None
    text: str
    channel: str
    source: str
    suggested_at: datetime
    created_at: datetime


class IdeaCreate(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    public_note: str | None = Field(default=None, max_length=MAX_TEXT)
    owner_member_id: uuid.UUID | None = None
    tracker_url: str | None = Field(default=None, max_length=2000)

    _url = field_validator("tracker_url")(http_url)


class IdeaUpdate(BaseModel):
    """Fields left out are unchanged; a status change is recorded and may prepare drafts."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    status: IdeaStatus | None = None
    public_note: str | None = Field(default=None, max_length=MAX_TEXT)
    owner_member_id: uuid.UUID | None = None
    tracker_url: str | None = Field(default=None, max_length=2000)

    _url = field_validator("tracker_url")(http_url)


class Weight(BaseModel):
    """Who asked, not only how many times: customers, their segments and revenue."""

    suggestions: int
    customers: int
    segments: dict[str, int]
    revenue: float
    score: float


class StatusChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: str | None
    to_status: str
    public_note: str | None
    member_id: uuid.UUID | None
    changed_at: datetime


class IdeaRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    status: IdeaStatus
    public_note: str | None
    owner_member_id: uuid.UUID | None
    tracker_url: str | None
    merged_into_id: uuid.UUID | None
    status_changed_at: datetime
    created_at: datetime
    updated_at: datetime
    weight: Weight


class IdeaDetail(IdeaRead):
    suggestions: list[SuggestionRead]
    history: list[StatusChangeRead]
    drafts_prepared: int = Field(description="drafts prepared by this request's status change")


class IdeaPage(PageInfo):
    items: list[IdeaRead]


class IdeaMerge(BaseModel):
    """Merge these ideas into the one in the path; their suggestions and customers move over."""

    idea_ids: list[uuid.UUID] = Field(min_length=1, max_length=100)


class IdeaSplit(BaseModel):
    """Move these suggestions out of the idea in the path into a new idea (or ``into_idea_id``)."""

    suggestion_ids: list[uuid.UUID] = Field(min_length=1, max_length=1000)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    into_idea_id: uuid.UUID | None = None


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempt: int
    channel: str
    ok: bool
    status_code: int | None
    duration_ms: float
    error: str | None
    attempted_at: datetime


class DraftRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    idea_id: uuid.UUID
    suggestion_id: uuid.UUID
    customer_id: uuid.UUID
    outcome: str
    channel: Literal["email", "webhook"]
    recipient: str | None
    subject: str
    body: str
    coach_score: int
    coach_findings: list[FindingRead]
    blocked: bool
    state: Literal["draft", "sending", "sent", "failed"]
    overridden: bool
    sent_at: datetime | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime


class DraftDetail(DraftRead):
    deliveries: list[DeliveryRead]


class DraftList(BaseModel):
    items: list[DraftRead]


class DraftUpdate(BaseModel):
    subject: str | None = Field(default=None, min_length=1, max_length=300)
    body: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)


class DraftSend(BaseModel):
    override: bool = Field(
        default=False, description="send despite high-severity coach findings (managers)"
    )


class LoopMetricsRead(BaseModel):
    organisation_id: uuid.UUID
    period_from: datetime | None
    period_to: datetime | None
    overall: dict[str, Any]
    by_period: list[dict[str, Any]]
    by_team: list[dict[str, Any]]


class CollectResult(BaseModel):
    collected: int
    new_ideas: int
