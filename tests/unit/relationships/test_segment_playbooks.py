"""A relationship's rule-defined segment chooses its playbook: the segment's own rules and
stay-in-touch gaps first, then those of the relationship's label, then the organisation's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from goodwill.relationships.playbooks import Facts, Playbook, Task, evaluate

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
PLAYBOOK = Playbook.from_settings(
    {
        "cadence": {"premium": {"ideal_days": 21, "max_days": 45}},
        "segments": {
            "Champions": {
                "cadence": {"ideal_days": 7, "max_days": 14},
                "rules": [
                    {"kind": "stay_in_touch", "priority": 1, "opening": "{first_name}, thanks!"}
                ],
            },
            "Quiet ones": {"rules": [{"kind": "promise_due", "priority": 2, "opening": "x"}]},
        },
    }
)


def _facts(**values: Any) -> Facts:
    base: dict[str, Any] = {
        "relationship_id": uuid.uuid4(),
        "customer_id": uuid.uuid4(),
        "customer_name": "Margareth Okafor",
        "phase": "established",
        "stage": "integrating",
        "started_at": NOW - 200 * DAY,
        "has_bill": True,
    }
    return Facts(**{**base, **values})


def _stay_in_touch(facts: Facts) -> Task | None:
    return next((t for t in evaluate(facts, PLAYBOOK, NOW) if t.kind == "stay_in_touch"), None)


def test_the_rule_defined_segments_gaps_win_over_the_labels() -> None:
    facts = _facts(rule_segment="Champions", segment="premium", last_contact_at=NOW - 10 * DAY)

    task = _stay_in_touch(facts)

    assert task is not None
    assert task.reason.startswith("cooling: last contact 10 days ago")
    assert task.reason.endswith("ideal gap of 7 days for segment Champions")
    assert task.priority == 1  # the segment's own stay-in-touch rule
    assert task.suggested_opening == "Margareth, thanks!"
    assert task.due_at == NOW - 10 * DAY + 7 * DAY


def test_a_segment_without_gaps_falls_back_to_the_label_then_to_the_default() -> None:
    labelled = _facts(rule_segment="Loyal", segment="premium", last_contact_at=NOW - 30 * DAY)
    plain = _facts(rule_segment="Loyal", last_contact_at=NOW - 30 * DAY)

    task = _stay_in_touch(labelled)

    assert task is not None
    assert task.reason.endswith("gap of 21 days for segment premium")
    assert _stay_in_touch(plain) is None  # the default: ideally every 60 days
    late = _stay_in_touch(_facts(rule_segment="Loyal", last_contact_at=NOW - 70 * DAY))
    assert late is not None
    assert late.reason.endswith("gap of 60 days for segment *")


def test_a_segments_own_rules_replace_the_organisations_for_its_members_only() -> None:
    quiet = _facts(rule_segment="Quiet ones", last_contact_at=NOW - 300 * DAY)
    other = _facts(rule_segment="Loyal", last_contact_at=NOW - 300 * DAY)

    assert evaluate(quiet, PLAYBOOK, NOW) == []  # its rules raise no stay-in-touch task
    assert [t.kind for t in evaluate(other, PLAYBOOK, NOW)] == ["stay_in_touch"]
    kinds = [r["kind"] for r in PLAYBOOK.rules_of_kind("stay_in_touch")]
    assert kinds == ["stay_in_touch", "stay_in_touch"]  # the organisation's and Champions'
