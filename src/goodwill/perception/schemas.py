"""Request and answer shapes of the perception API (docs/api.md, "Two-sided perception")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from goodwill.pagination import PageInfo
from goodwill.perception.questions import COMMENT_MAX, SCALE
from goodwill.types import KNAPP_STAGES

Score = Annotated[int, Field(ge=SCALE[0], le=SCALE[1])]
Side = Literal["customer", "owner"]
MAX_REQUESTS = 1000  # relationships one request may select


class Scores(BaseModel):
    """The four answers, each 1–5 (goodwill/perception/questions.py says what 1 and 5 mean)."""

    model_config = ConfigDict(extra="forbid")

    value_received: Score
    value_given: Score
    trust: Score
    ease: Score


class Answer(Scores):
    """One side's answers with an optional comment in their own words."""

    comment: str | None = Field(default=None, max_length=COMMENT_MAX)

    @field_validator("comment")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class SurveyRequestCreate(BaseModel):
    """Which relationships to ask: the selectors that are given all apply (ids, stage, segment
    label, owner); at least one is needed."""

    model_config = ConfigDict(extra="forbid")

    relationship_ids: list[uuid.UUID] | None = Field(default=None, max_length=MAX_REQUESTS)
    stage: str | None = None
    segment: str | None = Field(default=None, max_length=100)
    owner_member_id: uuid.UUID | None = None
    expires_in_days: int = Field(default=30, ge=1, le=90)
    send_email: bool = False
    link_base_url: str | None = Field(default=None, max_length=500)

    @field_validator("stage")
    @classmethod
    def _known_stage(cls, value: str | None) -> str | None:
        if value is not None and value not in KNAPP_STAGES:
            raise ValueError(f"one of {', '.join(KNAPP_STAGES)}")
        return value

    @field_validator("link_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        return None if value is None else base_url(value)

    @model_validator(mode="after")
    def _some_selector(self) -> SurveyRequestCreate:
        chosen = (self.relationship_ids, self.stage, self.segment, self.owner_member_id)
        if all(s is None for s in chosen):
            raise ValueError("choose relationships: relationship_ids, stage, segment or owner")
        return self


def base_url(value: str) -> str:
    """An http(s) address without a query or fragment, with no trailing slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            f"an http or https address such as https://goodwill.example, not {value!r}"
        )
    return value.strip().rstrip("/")


class SurveyLink(BaseModel):
    """A new link: the only time its token is ever shown."""

    request_id: uuid.UUID
    relationship_id: uuid.UUID
    url: str
    expires_at: datetime
    emailing: bool = False  # goes out by e-mail once stored (outcome: the relationship's link)
    delivery_error: str | None = None


class Skipped(BaseModel):
    relationship_id: uuid.UUID
    reason: str


class SurveyRequestResult(BaseModel):
    created: list[SurveyLink]
    skipped: list[Skipped]


class SideRead(BaseModel):
    side: Side
    scores: dict[str, int]
    comment: str | None
    answered_at: datetime
    member_id: uuid.UUID | None  # who gave the owner's estimate


class GapRead(BaseModel):
    by_question: dict[str, int]  # customer − owner
    shortfall: dict[str, int]
    largest_shortfall: int
    blind_spot: bool
    customer_balance: int
    owner_balance: int
    older_side: Side | None
    days_apart: float


class OpenRequest(BaseModel):
    request_id: uuid.UUID
    created_at: datetime
    expires_at: datetime
    emailed_at: datetime | None
    delivery_error: str | None


class RelationshipPerception(BaseModel):
    relationship_id: uuid.UUID
    owner_member_id: uuid.UUID | None
    window_days: int
    threshold: int
    customer: SideRead | None
    owner: SideRead | None
    comparable: bool
    reason: str | None  # why not, when not comparable
    gap: GapRead | None
    open_request: OpenRequest | None


class QuestionSummaryRead(BaseModel):
    key: str
    mean_gap: float | None
    distribution: dict[str, int]  # "-4" … "4" → relationships


class OwnerBook(BaseModel):
    owner_member_id: uuid.UUID | None
    owner_name: str | None
    relationships: int
    blind_spots: int
    mean_gap: dict[str, float | None]


class GapItem(BaseModel):
    relationship_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str | None
    owner_member_id: uuid.UUID | None
    owner_name: str | None
    customer_answered_at: datetime
    owner_answered_at: datetime
    gap: GapRead


class GapBook(PageInfo):
    as_of: datetime
    window_days: int
    threshold: int
    relationships: int
    blind_spots: int
    questions: list[QuestionSummaryRead]
    owners: list[OwnerBook]
    items: list[GapItem]
