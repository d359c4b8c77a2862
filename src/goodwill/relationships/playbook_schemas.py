"""The shapes a playbook is checked against before it is stored: its rules, the stay-in-touch
gaps, and a segment's own rules and cadence. A leaf module (pydantic and the pure playbook rules
only), so the segments domain can check a segment's playbook without importing the engine."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from goodwill.relationships import playbooks
from goodwill.types import KNAPP_STAGES

Number = float | int


class PlaybookRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal[tuple(playbooks.TRIGGERS)]  # type: ignore[valid-type]
    priority: int = Field(ge=1, le=9)
    opening: str = Field(min_length=1, max_length=500)
    lead_days: Number | None = Field(default=None, ge=0, le=365)
    bill_after_days: Number | None = Field(default=None, ge=0, le=365)
    within_days: Number | None = Field(default=None, ge=1, le=3650)
    min_years: Number | None = Field(default=None, ge=0, le=100)
    quiet_months: Number | None = Field(default=None, ge=0, le=120)
    cold_priority: int | None = Field(default=None, ge=1, le=9)
    stages: list[Literal[KNAPP_STAGES]] | None = None  # type: ignore[valid-type]
    phrases: list[str] | None = Field(default=None, max_length=100)


class GapIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ideal_days: int = Field(ge=1, le=3650)
    max_days: int = Field(ge=1, le=3650)

    @model_validator(mode="after")
    def _ordered(self) -> GapIn:
        if self.ideal_days > self.max_days:
            raise ValueError("ideal_days must not exceed max_days")
        return self


class SegmentPlaybookIn(BaseModel):
    """A segment's own playbook: its rules (replacing the organisation's for its members) and
    its stay-in-touch gaps; either may be left out (``null``: the organisation's)."""

    model_config = ConfigDict(extra="forbid")

    rules: list[PlaybookRuleIn] | None = Field(default=None, max_length=50)
    cadence: GapIn | None = None
