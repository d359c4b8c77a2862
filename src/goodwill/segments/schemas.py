"""What the segments API takes and returns."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from goodwill.pagination import PageInfo
from goodwill.relationships.playbook_schemas import SegmentPlaybookIn
from goodwill.segments import rules

RULE_HELP = (
    'groups of conditions, e.g. {"conditions": [{"field": "tenure_days", "op": "gte", '
    '"value": 730}, {"field": "rfm_monetary", "op": "gte", "value": 4}]} (all must hold) or '
    '{"groups": [[...], [...]]} (any group); fields and operators: docs/api.md'
)


def checked_rule(value: dict[str, Any]) -> dict[str, Any]:
    """The rule in its stored form (``groups``), or a 422 naming the condition and field."""
    return rules.parse(value).to_json()


class SegmentSave(BaseModel):
    """A segment as a manager writes it. ``playbook``: the segment's own next-conversation rules
    and stay-in-touch gaps (stored with the organisation's playbook); left out: unchanged,
    ``null``: the organisation's."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)
    priority: int = Field(default=100, ge=0, le=10_000, description="lower is tried first")
    rule: dict[str, Any] = Field(description=RULE_HELP)
    playbook: SegmentPlaybookIn | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        name = name.strip()
        if not name:
            raise ValueError("a segment needs a name")
        if name in ("*", "unsegmented"):
            raise ValueError(f"{name!r} is reserved")
        return name

    @field_validator("rule")
    @classmethod
    def _rule(cls, rule: dict[str, Any]) -> dict[str, Any]:
        return checked_rule(rule)


class GapRead(BaseModel):
    ideal_days: int
    max_days: int
    source: str = Field(description="whose gaps these are: a segment's name or *")


class SegmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    priority: int
    rule: dict[str, Any]
    members: int = 0
    cadence: GapRead | None = None
    playbook: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime


class SegmentPage(PageInfo):
    items: list[SegmentRead]
    unsegmented: int = Field(description="relationships in no segment")


class MemberRead(BaseModel):
    relationship_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str | None
    stage: str | None
    phase: str | None
    health: float | None
    entered_at: datetime


class MemberPage(PageInfo):
    items: list[MemberRead]


class MovementRead(BaseModel):
    relationship_id: uuid.UUID
    customer_name: str | None
    entered_at: datetime
    left_at: datetime | None


class MovementPage(PageInfo):
    items: list[MovementRead]


class PreviewRequest(BaseModel):
    """A rule tried on the organisation's relationships, nothing stored. With ``priority``
    (and the ``name`` of the segment being edited, left out of the comparison): how many would
    be members, after the segments tried before it took theirs."""

    model_config = ConfigDict(extra="forbid")

    rule: dict[str, Any] = Field(description=RULE_HELP)
    priority: int | None = Field(default=None, ge=0, le=10_000)
    name: str | None = Field(default=None, max_length=100)
    sample: int = Field(default=10, ge=0, le=50)

    @field_validator("rule")
    @classmethod
    def _rule(cls, rule: dict[str, Any]) -> dict[str, Any]:
        return checked_rule(rule)


class SampleRead(BaseModel):
    relationship_id: uuid.UUID
    customer_name: str | None


class PreviewRead(BaseModel):
    relationships: int = Field(description="relationships of the organisation")
    matching: int = Field(description="relationships the rule matches")
    members: int | None = Field(description="members with the given priority (null: not asked)")
    sample: list[SampleRead]


class AssignRead(BaseModel):
    relationships: int
    segments: dict[str, int]
    unsegmented: int
    entered: int
    left: int
    seconds: float
