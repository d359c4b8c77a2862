"""Request and answer shapes of the response-framework API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from goodwill.coach.schemas import FindingRead
from goodwill.database import INTEGER_MAX
from goodwill.pagination import PageInfo
from goodwill.types import KNAPP_STAGES, LIFECYCLE_PHASES

INTENTS = ("question", "complaint", "suggestion", "praise", "cancellation", "billing", "other")
PHASES = LIFECYCLE_PHASES
EMOTIONS = ("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral")
STAGES = KNAPP_STAGES
VOCABULARY: dict[str, tuple[str, ...]] = {
    "intents": INTENTS,
    "phases": PHASES,
    "emotions": EMOTIONS,
    "stages": STAGES,
}
MAX_BODY = 20_000


def check_vocabulary(name: str, values: list[str]) -> list[str]:
    allowed = VOCABULARY[name]
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValueError(f"unknown {name} {bad} (allowed: {', '.join(allowed)})")
    return list(dict.fromkeys(values))


class PurposeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, max_length=2000)
    intents: list[str] = Field(default_factory=list, max_length=len(INTENTS))
    phases: list[str] = Field(default_factory=list, max_length=len(PHASES))
    emotions: list[str] = Field(default_factory=list, max_length=len(EMOTIONS))
    stages: list[str] = Field(default_factory=list, max_length=len(STAGES))
    examples: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("intents", "phases", "emotions", "stages")
    @classmethod
    def _known(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return check_vocabulary(str(info.field_name), value)

    @field_validator("examples")
    @classmethod
    def _examples(cls, value: list[str]) -> list[str]:
        if any(len(e) > 2000 or not e.strip() for e in value):
            raise ValueError("each example: 1 to 2000 characters")
        return value


class FrameworkSave(PurposeIn):
    """A framework as authored: its name, body (blocks) and purpose."""

    name: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=MAX_BODY)


class FrameworkCreate(FrameworkSave):
    owner_member_id: uuid.UUID | None = None  # default: the caller


class FrameworkCheck(PurposeIn):
    """An unsaved body, for the editor's live review."""

    body: str = Field(min_length=1, max_length=MAX_BODY)


class PublishRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    override_reason: str | None = Field(default=None, min_length=10, max_length=2000)


class ReviewRead(BaseModel):
    passed: bool
    samples: int
    score_min: int
    score_mean: float
    blocking: list[FindingRead]
    findings: list[FindingRead]


class BlockErrorRead(BaseModel):
    line: int
    message: str


class CheckRead(BaseModel):
    """A body's mistakes (then no review), or its review and slots."""

    errors: list[BlockErrorRead]
    slots: list[str]
    review: ReviewRead | None


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: int
    name: str
    body: str
    description: str | None
    intents: list[str]
    phases: list[str]
    emotions: list[str]
    stages: list[str]
    examples: list[str]
    review: dict[str, Any]
    review_passed: bool
    override_reason: str | None
    override_member_id: uuid.UUID | None
    published_at: datetime | None
    created_by_member_id: uuid.UUID | None
    created_at: datetime


class FrameworkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    status: Literal["draft", "published", "retired"]
    owner_member_id: uuid.UUID | None
    latest_version: int
    published_version: int | None
    created_at: datetime
    updated_at: datetime


class FrameworkDetail(FrameworkRead):
    """A framework with its latest version (what the editor shows) and the published one."""

    latest: VersionRead
    published: VersionRead | None


class FrameworkPage(PageInfo):
    items: list[FrameworkRead]


class VersionList(BaseModel):
    items: list[VersionRead]


class SuggestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interaction_id: uuid.UUID | None = None
    customer_message: str | None = Field(default=None, min_length=1, max_length=MAX_BODY)
    relationship_id: uuid.UUID | None = None
    limit: int = Field(default=5, ge=1, le=50)

    @model_validator(mode="after")
    def _one_message(self) -> SuggestRequest:
        if self.interaction_id is None and self.customer_message is None:
            raise ValueError("give interaction_id or customer_message")
        return self


class SuggestionRead(BaseModel):
    framework_id: uuid.UUID
    version: int
    name: str
    score: float
    why: list[str]


class SuggestRead(BaseModel):
    intent: str | None
    emotion: str | None
    phase: str | None
    stage: str | None
    items: list[SuggestionRead]


class FillRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    relationship_id: uuid.UUID | None = None
    interaction_id: uuid.UUID | None = None
    customer_message: str | None = Field(default=None, min_length=1, max_length=MAX_BODY)
    # default: published, else latest; past an int4 PostgreSQL failed the query (fuzzing)
    version: int | None = Field(default=None, ge=1, le=INTEGER_MAX)


class SlotRead(BaseModel):
    name: str
    placeholder: str
    start: int
    end: int


class ConditionRead(BaseModel):
    condition: str
    result: bool


class FillRead(BaseModel):
    """The filled text: each slot is the mark ``text[start:end]`` for the operator to replace."""

    framework_id: uuid.UUID
    version: int
    text: str
    slots: list[SlotRead]
    variables: dict[str, str]
    missing_variables: list[str]
    conditions: list[ConditionRead]
    reviewed_text: str  # the text without slot marks: the findings' start/end index this
    score: int | None
    findings: list[FindingRead]


class UsageCreate(BaseModel):
    """``used``: the operator opened the filled framework; ``edited``: a saved edit; ``sent``:
    the final reply — every slot must be written (``slots``) and appear in ``final_text``."""

    model_config = ConfigDict(extra="forbid")

    event: Literal["used", "edited", "sent"]
    relationship_id: uuid.UUID | None = None
    interaction_id: uuid.UUID | None = None
    version: int | None = Field(default=None, ge=1, le=INTEGER_MAX)
    final_text: str | None = Field(default=None, min_length=1, max_length=MAX_BODY)
    slots: dict[str, str] = Field(default_factory=dict, max_length=50)


class UsageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    framework_id: uuid.UUID
    version_id: uuid.UUID
    event: str
    relationship_id: uuid.UUID | None
    interaction_id: uuid.UUID | None
    edit_ratio: float | None
    deleted_sentences: list[str]
    created_at: datetime


class SentenceRead(BaseModel):
    sentence: str
    deleted: int
    sent: int


class OutcomeRead(BaseModel):
    framework_id: uuid.UUID
    name: str
    status: str
    suggested: int
    used: int
    sent: int
    edited: int
    mean_edit_ratio: float | None
    repeat_contact_rate: float | None
    repeat_contact_known: int
    sentiment_recovery_rate: float | None
    sentiment_recovery_known: int
    reopen_rate: float | None
    reopen_known: int
    promise_kept_rate: float | None
    promise_kept_known: int
    deleted_sentences: list[SentenceRead]
    flagged: bool


class OutcomeList(BaseModel):
    days: int
    items: list[OutcomeRead]


class ImportedRead(BaseModel):
    framework_id: uuid.UUID
    name: str
    line: int
    review: ReviewRead


class ImportRead(BaseModel):
    imported: int
    passed: int
    items: list[ImportedRead]
