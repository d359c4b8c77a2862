"""Stage and phase rules on hand-built signals: every stage is reachable and explained."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from goodwill.demo.personas import STAGES
from goodwill.relationships.rules import DEFAULT_STAGE_RULES, Signals, infer, infer_stage

LONG = 800.0  # days: a long-tenured customer

CASES: dict[str, dict[str, Any]] = {
    "initiating": {"tenure_days": 5, "contacts_recent": 1, "days_since_inbound": 2},
    "experimenting": {"tenure_days": 40, "contacts_recent": 3, "days_since_inbound": 5},
    "intensifying": {
        "tenure_days": 120,
        "contacts_recent": 5,
        "contacts_previous": 1,
        "days_since_inbound": 3,
    },
    "integrating": {
        "tenure_days": LONG,
        "contacts_recent": 2,
        "contacts_previous": 2,
        "purchases_total": 30,
        "purchases_recent": 3,
        "days_since_inbound": 20,
    },
    "bonding": {
        "tenure_days": LONG,
        "contacts_recent": 2,
        "contacts_previous": 2,
        "referrals": 1,
        "purchases_recent": 2,
        "days_since_inbound": 20,
    },
    "differentiating": {
        "tenure_days": 300,
        "contacts_recent": 2,
        "competitor_mentions": 1,
        "days_since_inbound": 10,
    },
    "circumscribing": {
        "tenure_days": LONG,
        "contacts_recent": 1,
        "contacts_previous": 4,
        "complaints": 2,
        "days_since_inbound": 10,
    },
    "stagnating": {"tenure_days": LONG, "contacts_previous": 1, "days_since_inbound": 150},
    "avoiding": {"tenure_days": LONG, "unanswered_outreach": 3, "days_since_inbound": 200},
    "terminating": {"tenure_days": 400, "cancellations": 1, "days_since_inbound": 1},
}


def test_the_cases_cover_every_knapp_stage() -> None:
    assert set(CASES) == set(STAGES)
    assert {rule["stage"] for rule in DEFAULT_STAGE_RULES} == set(STAGES)


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_is_reachable_with_evidence(stage: str) -> None:
    found, evidence = infer_stage(Signals(**CASES[stage]))

    assert found == stage
    assert evidence
    assert all(item["reason"] for item in evidence)


def test_evidence_points_at_the_interaction_behind_the_signal() -> None:
    message = uuid.uuid4()
    signals = Signals(tenure_days=400, cancellations=1, examples={"cancellations": message})

    _, evidence = infer_stage(signals)

    assert evidence[0]["signal"] == "cancellations"
    assert evidence[0]["interaction_id"] == str(message)


def test_coming_apart_outranks_coming_together() -> None:
    """A customer who praised us but now asks to cancel is terminating, not bonding."""
    signals = Signals(tenure_days=LONG, praise=5, referrals=2, cancellations=1)

    assert infer(signals).stage == "terminating"


@pytest.mark.parametrize(
    ("fields", "phase"),
    [
        ({"tenure_days": 10}, "early_days"),
        ({"tenure_days": 200}, "established"),
        ({"tenure_days": 365}, "long_term"),
        ({"tenure_days": 900, "unresolved_complaints": 1}, "first_disagreement"),
        ({"tenure_days": 10, "unresolved_complaints": 1}, "first_disagreement"),
    ],
)
def test_phase_follows_tenure_and_unresolved_complaints(fields: dict[str, Any], phase: str) -> None:
    found = infer(Signals(**fields))

    assert found.phase == phase
    assert found.evidence[-1]["reason"].startswith(f"phase {phase}")


def test_phase_thresholds_are_configurable() -> None:
    phases = {
        "early_days_days": 30,
        "long_term_days": 100,
        "order": ["early_days", "long_term"],
        "otherwise": "established",
    }

    assert infer(Signals(tenure_days=45), phases=phases).phase == "established"
    assert infer(Signals(tenure_days=150), phases=phases).phase == "long_term"


def test_an_organisation_rule_table_replaces_the_defaults() -> None:
    rules: list[dict[str, Any]] = [
        {"stage": "bonding", "match": "all", "when": [["praise", ">=", 1]], "reason": "praise"},
        {"stage": "integrating", "match": "all", "when": [], "reason": "otherwise"},
    ]

    assert infer(Signals(praise=1), rules=rules).stage == "bonding"
    assert infer(Signals(), rules=rules).stage == "integrating"


def test_a_rule_naming_an_unknown_signal_is_refused() -> None:
    rules = [{"stage": "bonding", "match": "all", "when": [["hugs", ">=", 1]], "reason": "?"}]

    with pytest.raises(KeyError, match="hugs"):
        infer_stage(Signals(), rules)
