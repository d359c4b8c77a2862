"""The organisation's relationship rules as data: any member reads them, managers replace them.

``GET /settings/relationship-rules`` gives what is in force (stage rules, lifecycle thresholds,
signal phrases, health weights, the playbook and its cadence) and which parts are the
organisation's own; the ``PUT`` routes replace one part each (``null`` restores its defaults)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from goodwill.dependencies import CurrentMember, DbSession, ManagerMember
from goodwill.relationships import rule_settings
from goodwill.relationships.rule_settings import HealthWeightsIn, PlaybookIn, RelationshipRulesIn

router = APIRouter(tags=["relationships"])


@router.get("/settings/relationship-rules")
def get_rules(db: DbSession, _: CurrentMember) -> dict[str, Any]:
    return rule_settings.current(db=db)


@router.put("/settings/relationship-rules")
def put_rules(db: DbSession, _: ManagerMember, rules_in: RelationshipRulesIn) -> dict[str, Any]:
    """Knapp stage rules, lifecycle thresholds, signal phrases (from the next recompute)."""
    rule_settings.set_relationship_rules(db=db, rules_in=rules_in)
    return rule_settings.current(db=db)


@router.put("/settings/playbook")
def put_playbook(db: DbSession, _: ManagerMember, playbook_in: PlaybookIn) -> dict[str, Any]:
    """The next-conversation rules and the stay-in-touch cadence per segment."""
    rule_settings.set_playbook(db=db, playbook_in=playbook_in)
    return rule_settings.current(db=db)


@router.put("/settings/health-weights")
def put_health_weights(
    db: DbSession, _: ManagerMember, weights_in: HealthWeightsIn
) -> dict[str, Any]:
    """The health score's weights (from the next recompute)."""
    rule_settings.set_health_weights(db=db, weights_in=weights_in)
    return rule_settings.current(db=db)
