"""The organisation's own relationship rules, read and replaced as data: Knapp stage rules,
lifecycle thresholds and signal phrases (``relationship_rules``), the health weights
(``health_weights``) and the playbook of next conversations (``playbook_rules``).

Every rule is checked before it is stored (a stage that is not one of Knapp's ten, an unknown
signal or operator, a last stage rule with conditions, a cadence whose ideal gap exceeds its
maximum...), with the path of the faulty field in the error, so a stored rule set always runs.
``null`` for a part restores its defaults. New rules apply from the next recompute
(``goodwill recompute --all`` recomputes every relationship now).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy.orm import Session

from goodwill.organisations import service as organisation_service
from goodwill.relationships import engine, nextconv, rules, scores
from goodwill.relationships.playbook_schemas import GapIn as GapIn  # re-exported
from goodwill.relationships.playbook_schemas import PlaybookRuleIn as PlaybookRuleIn
from goodwill.relationships.playbook_schemas import SegmentPlaybookIn
from goodwill.types import KNAPP_STAGES

Number = float | int
SegmentName = Annotated[str, Field(min_length=1, max_length=100)]


class StageRuleIn(BaseModel):
    """A Knapp stage rule: the stage, its conditions ``[signal, operator, value]`` and whether
    ``all`` or ``any`` must hold, and the reason shown as evidence."""

    model_config = ConfigDict(extra="forbid")

    stage: Literal[KNAPP_STAGES]  # type: ignore[valid-type]
    match: Literal["all", "any"] = "all"
    when: list[tuple[str, str, Number]] = Field(default_factory=list, max_length=20)
    reason: str = Field(min_length=1, max_length=300)

    @field_validator("when")
    @classmethod
    def _known(cls, when: list[tuple[str, str, Number]]) -> list[tuple[str, str, Number]]:
        for signal, op, _ in when:
            if signal not in rules.SIGNAL_NAMES:
                known = ", ".join(sorted(rules.SIGNAL_NAMES))
                raise ValueError(f"unknown signal {signal!r} (known: {known})")
            if op not in rules.OPERATORS:
                raise ValueError(f"unknown operator {op!r} (one of {', '.join(rules.OPERATORS)})")
        return when


class PhasesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    early_days_days: int = Field(ge=1, le=3650)
    long_term_days: int = Field(ge=1, le=36500)

    @model_validator(mode="after")
    def _ordered(self) -> PhasesIn:
        if self.early_days_days >= self.long_term_days:
            raise ValueError("early_days_days must be below long_term_days")
        return self


class RelationshipRulesIn(BaseModel):
    """``null`` (or missing) for a part: the defaults."""

    model_config = ConfigDict(extra="forbid")

    stages: list[StageRuleIn] | None = Field(default=None, min_length=1, max_length=50)
    phases: PhasesIn | None = None
    phrases: dict[Literal["competitor", "referral"], list[str]] | None = None

    @field_validator("stages")
    @classmethod
    def _catch_all(cls, stages: list[StageRuleIn] | None) -> list[StageRuleIn] | None:
        if stages and stages[-1].when:
            raise ValueError(
                "the last stage rule must have no conditions (every relationship needs a stage)"
            )
        return stages

    @field_validator("phrases")
    @classmethod
    def _phrases(cls, phrases: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
        for name, found in (phrases or {}).items():
            if not found or any(not p.strip() or len(p) > 100 for p in found) or len(found) > 100:
                raise ValueError(f"{name}: 1 to 100 phrases of 1 to 100 characters")
        return phrases


class PlaybookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[PlaybookRuleIn] | None = Field(default=None, max_length=50)
    cadence: dict[str, GapIn] | None = Field(default=None, max_length=100)
    # per segment (a rule-defined segment's name, or a relationship's own label): its own rules
    # and cadence, which win over the organisation's for its members
    segments: dict[SegmentName, SegmentPlaybookIn] | None = Field(default=None, max_length=100)


class HealthWeightsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weights: dict[str, float] | None

    @field_validator("weights")
    @classmethod
    def _known(cls, weights: dict[str, float] | None) -> dict[str, float] | None:
        for name, value in (weights or {}).items():
            if name not in scores.DEFAULT_WEIGHTS:
                known = ", ".join(scores.DEFAULT_WEIGHTS)
                raise ValueError(f"unknown component {name!r} (known: {known})")
            if value < 0:
                raise ValueError(f"{name}: a weight cannot be negative")
        return weights


def current(*, db: Session) -> dict[str, Any]:
    """The rules in force (the organisation's or the defaults) and which parts are its own."""
    org = organisation_service.get_organisation(db=db)
    settings = org.settings or {}
    ruleset = engine.RuleSet.of(db)
    playbook = nextconv.playbook_of(db)
    # a segment's own gaps are shown (and replaced) under "segments" only
    own = (settings.get(nextconv.SETTINGS_KEY) or {}).get("segments") or {}
    gaps = {k: dict(v) for k, v in playbook.cadence.items() if not own.get(k, {}).get("cadence")}
    return {
        "organisation_id": str(org.id),
        "stages": [dict(r) for r in ruleset.stages],
        "phases": dict(ruleset.phases),
        "phrases": {k: list(v) for k, v in ruleset.phrases.items()},
        "health_weights": ruleset.health_weights,
        "playbook": {
            "rules": [dict(r) for r in playbook.rules],
            "cadence": gaps,
            "segments": own,
        },
        "customised": {
            key: settings.get(key) is not None
            for key in (engine.SETTINGS_KEY, engine.WEIGHTS_KEY, nextconv.SETTINGS_KEY)
        },
    }


def _store(db: Session, key: str, value: dict[str, Any] | None) -> None:
    org = organisation_service.get_organisation(db=db)
    settings = dict(org.settings or {})
    if value:
        settings[key] = value
    else:
        settings.pop(key, None)
    org.settings = settings


def set_relationship_rules(*, db: Session, rules_in: RelationshipRulesIn) -> None:
    _store(db, engine.SETTINGS_KEY, rules_in.model_dump(mode="json", exclude_none=True))


def set_playbook(*, db: Session, playbook_in: PlaybookIn) -> None:
    _store(db, nextconv.SETTINGS_KEY, playbook_in.model_dump(mode="json", exclude_none=True))


def set_health_weights(*, db: Session, weights_in: HealthWeightsIn) -> None:
    _store(db, engine.WEIGHTS_KEY, weights_in.weights)
