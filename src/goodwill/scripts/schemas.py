"""Request and answer shapes of the decision-tree API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from goodwill.pagination import PageInfo


class TreeSave(BaseModel):
    """A tree as authored: the YAML or JSON text. ``publish`` makes it the version runs use;
    a tree with errors is refused (422, every error listed) unless saved as a draft."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, max_length=200_000)
    format: Literal["yaml", "json"] = "yaml"
    publish: bool = True


class TreeErrorRead(BaseModel):
    kind: str
    message: str
    nodes: list[str]
    line: int | None


class TreeVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: int
    source_format: str
    errors: list[TreeErrorRead]
    created_by_member_id: uuid.UUID | None
    created_at: datetime


class TreeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: str
    latest_version: int
    published_version: int | None
    created_at: datetime
    updated_at: datetime


class TreeDetail(TreeRead):
    """A tree with every version (newest first) and the published source and definition."""

    versions: list[TreeVersionRead]
    source: str | None
    definition: dict[str, object] | None


class TreePage(PageInfo):
    items: list[TreeRead]


class RunStart(BaseModel):
    """Start a run, optionally for a relationship (or the customer's relationship)."""

    model_config = ConfigDict(extra="forbid")

    relationship_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None


class StepCreate(BaseModel):
    """Choose one of the current node's options, by its label."""

    model_config = ConfigDict(extra="forbid")

    option: str = Field(min_length=1, max_length=500)


class NodeRead(BaseModel):
    id: str
    text: str
    options: list[str]
    outcome: str | None


class StepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    position: int
    from_node: str
    option: str
    to_node: str
    created_at: datetime


class RunRead(BaseModel):
    id: uuid.UUID
    tree_id: uuid.UUID
    version: int
    relationship_id: uuid.UUID | None
    status: str
    outcome: str | None
    node: NodeRead
    path: list[str]
    steps: list[StepRead]
    started_at: datetime
    completed_at: datetime | None


class NodeDropOff(BaseModel):
    node: str
    reached: int
    dropped: int
    drop_off_rate: float | None


class PathFate(BaseModel):
    """How the relationships whose runs took one path fared: health and stage then and now."""

    path: list[str]
    runs: int
    completed: int
    outcome: str | None
    relationships: int
    health_at_start: float | None
    health_now: float | None
    health_change: float | None
    stage_moves: dict[str, int]
    coming_apart_now: int


class TreeAnalytics(BaseModel):
    tree_id: uuid.UUID
    runs_started: int
    runs_completed: int
    runs_in_progress: int
    runs_dropped: int
    completion_rate: float | None
    abandoned_after_hours: float
    drop_off: list[NodeDropOff]
    outcomes: dict[str, int]
    paths: list[PathFate]
    note: str
