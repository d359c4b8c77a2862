"""Request and answer shapes of the Q12 pulse API. No shape carries a member next to an answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from goodwill.pagination import PageInfo
from goodwill.pulse.disclosure import MIN_GROUP_SIZE

Score = Annotated[int, Field(ge=1, le=5)]


class RoundCreate(BaseModel):
    """A round for one team (``team_id``) or everyone (null), open from ``opens_at`` (default
    now) for ``open_days``; ``repeat_every_weeks`` stores a schedule for `pulse open-due`."""

    model_config = ConfigDict(extra="forbid")

    team_id: uuid.UUID | None = None
    opens_at: AwareDatetime | None = None
    open_days: int = Field(default=7, ge=1, le=60)
    min_group_size: int = Field(default=MIN_GROUP_SIZE, ge=MIN_GROUP_SIZE, le=10_000)
    repeat_every_weeks: int | None = Field(default=None, ge=1, le=52)


class RoundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    team_id: uuid.UUID | None
    schedule_id: uuid.UUID | None
    opens_at: datetime
    closes_at: datetime
    min_group_size: int
    is_open: bool = False
    answered: bool = False  # by the caller
    can_answer: bool = False  # the caller may answer now


class RoundPage(PageInfo):
    items: list[RoundRead]


class AnswerCreate(BaseModel):
    """The twelve answers in question order, each 1 (strongly disagree) … 5 (strongly agree)."""

    model_config = ConfigDict(extra="forbid")

    answers: list[Score] = Field(min_length=12, max_length=12)


class AnswerAccepted(BaseModel):
    round_id: uuid.UUID
    detail: str


class QuestionRead(BaseModel):
    number: int
    key: str
    text: str


class QuestionResult(QuestionRead):
    mean: float
    favourable_share: float  # share of 4 and 5


class GroupResult(BaseModel):
    """One team of a round (or everyone: ``team_id`` null with ``scope`` "organisation")."""

    scope: str  # organisation | team | no_team
    team_id: uuid.UUID | None
    team_name: str | None
    hidden: bool
    reason: str | None
    respondents: int | None
    engagement: float | None  # mean of the twelve question means
    questions: list[QuestionResult]


class RoundResults(BaseModel):
    round_id: uuid.UUID
    team_id: uuid.UUID | None
    closed: bool
    closes_at: datetime
    min_group_size: int
    detail: str
    overall: GroupResult | None
    teams: list[GroupResult]


class TrendPoint(BaseModel):
    round_id: uuid.UUID
    opens_at: datetime
    closes_at: datetime
    status: str  # shown | hidden | open
    respondents: int | None
    engagement: float | None
    questions: dict[int, float]  # question number → mean


class TrendSeries(BaseModel):
    scope: str
    team_id: uuid.UUID | None
    team_name: str | None
    points: list[TrendPoint]


class TrendsRead(BaseModel):
    questions: list[QuestionRead]
    series: list[TrendSeries]


class TeamEngagement(BaseModel):
    team_id: uuid.UUID | None
    team_name: str | None
    round_id: uuid.UUID | None
    engagement: float | None
    respondents: int | None
    relationships: int
    mean_health: float | None


class CorrelationRead(BaseModel):
    method: str
    n: int
    r: float
    ci_low: float
    ci_high: float
    confidence: float


class EngagementRead(BaseModel):
    teams: list[TeamEngagement]
    n_teams: int
    correlation: CorrelationRead | None
    caveat: str
