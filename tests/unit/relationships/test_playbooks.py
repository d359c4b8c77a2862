"""Playbook rules on hand-made facts: which conversation each relationship needs next, why, by
when, and how the owner might open it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from goodwill.relationships.playbooks import (
    DEFAULT_CADENCE,
    Facts,
    Playbook,
    Promise,
    Task,
    evaluate,
)

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
DEFAULT = Playbook()


def _facts(**values: Any) -> Facts:
    """An established relationship contacted yesterday: no task unless the test adds a fact."""
    base: dict[str, Any] = {
        "relationship_id": uuid.uuid4(),
        "customer_id": uuid.uuid4(),
        "customer_name": "Margareth Okafor",
        "phase": "established",
        "stage": "integrating",
        "started_at": NOW - 200 * DAY,
        "has_bill": True,
        "last_contact_at": NOW - DAY,
    }
    return Facts(**{**base, **values})


def _only(tasks: list[Task], kind: str) -> Task:
    assert [t.kind for t in tasks] == [kind]
    return tasks[0]


def test_a_quiet_healthy_relationship_needs_nothing() -> None:
    assert evaluate(_facts(), DEFAULT, NOW) == []


def test_a_promise_due_tomorrow_is_a_reminder_quoting_the_promise() -> None:
    promise = Promise(
        uuid.uuid4(), "I'll call you back about the refund.", NOW + timedelta(hours=20)
    )
    task = _only(evaluate(_facts(promises=[promise]), DEFAULT, NOW), "promise_due")

    assert task.priority == 1
    assert "I'll call you back about the refund" in task.suggested_opening
    assert task.suggested_opening.startswith("Margareth,")
    assert task.evidence == [{"commitment_id": str(promise.id)}]
    assert task.due_at <= promise.due_at


def test_an_overdue_promise_says_so_and_a_later_one_waits() -> None:
    overdue = Promise(uuid.uuid4(), "The refund will arrive by Friday", NOW - 2 * DAY)
    later = Promise(uuid.uuid4(), "We'll visit next month", NOW + 20 * DAY)

    task = _only(evaluate(_facts(promises=[overdue, later]), DEFAULT, NOW), "promise_due")

    assert "overdue" in task.reason
    assert "The refund will arrive by Friday" in task.reason


def test_first_disagreement_asks_for_a_human_call_until_a_promise_is_kept() -> None:
    complaint = uuid.uuid4()
    facts = _facts(phase="first_disagreement", complaint_id=complaint, complaint_at=NOW - 3 * DAY)

    task = _only(evaluate(facts, DEFAULT, NOW), "first_disagreement")
    facts.kept_since_complaint = True

    assert task.priority == 1
    assert task.evidence == [{"interaction_id": str(complaint)}]
    assert "12 June" in task.suggested_opening
    assert evaluate(facts, DEFAULT, NOW) == []


def test_a_new_customer_hears_about_the_first_bill_before_it_arrives() -> None:
    facts = _facts(phase="early_days", started_at=NOW - 10 * DAY, has_bill=False)

    task = _only(evaluate(facts, DEFAULT, NOW), "explain_first_bill")
    facts.has_bill = True

    assert task.due_at == NOW - 10 * DAY + 23 * DAY  # a week before the bill, 30 days in
    assert "bill" in task.suggested_opening
    assert evaluate(facts, DEFAULT, NOW) == []


def test_a_long_tenured_customer_not_thanked_lately_is_recognised() -> None:
    facts = _facts(phase="long_term", started_at=NOW - 3 * 365 * DAY - DAY)

    task = _only(evaluate(facts, DEFAULT, NOW), "recognise_long_tenure")
    facts.last_recognition_at = NOW - 30 * DAY

    assert "3 years" in task.suggested_opening
    assert "never thanked" in task.reason
    assert evaluate(facts, DEFAULT, NOW) == []


def test_a_recent_move_into_circumscribing_is_flagged_but_not_an_old_one() -> None:
    recent = _facts(stage="circumscribing", drift=("integrating", "circumscribing", NOW - 5 * DAY))
    old = _facts(stage="stagnating", drift=("integrating", "stagnating", NOW - 200 * DAY))
    healthy = _facts(stage="bonding", drift=("integrating", "bonding", NOW - 5 * DAY))

    task = _only(evaluate(recent, DEFAULT, NOW), "relationship_drifting")

    assert "from integrating to circumscribing" in task.reason
    assert evaluate(old, DEFAULT, NOW) == []
    assert evaluate(healthy, DEFAULT, NOW) == []


def test_cadence_cooling_and_cold_depend_on_the_segment() -> None:
    premium_cooling = _facts(segment="premium", last_contact_at=NOW - 30 * DAY)
    premium_cold = _facts(segment="premium", last_contact_at=NOW - 50 * DAY)
    personal = _facts(segment="personal", last_contact_at=NOW - 50 * DAY)
    unknown_segment = _facts(segment="nonprofit", last_contact_at=NOW - 70 * DAY)

    cooling = _only(evaluate(premium_cooling, DEFAULT, NOW), "stay_in_touch")
    cold = _only(evaluate(premium_cold, DEFAULT, NOW), "stay_in_touch")

    assert cooling.reason.startswith("cooling")
    assert cooling.priority == 4
    assert cold.reason.startswith("cold")
    assert cold.priority == 3
    assert cooling.due_at == NOW - 30 * DAY + 21 * DAY  # when the ideal gap ran out
    assert "30 days" in cooling.suggested_opening
    assert evaluate(personal, DEFAULT, NOW) == []
    assert _only(evaluate(unknown_segment, DEFAULT, NOW), "stay_in_touch").reason.startswith(
        "cooling"
    )


def test_an_organisation_replaces_rules_and_edits_the_cadence() -> None:
    own = Playbook.from_settings(
        {
            "rules": [
                {"kind": "stay_in_touch", "priority": 2, "opening": "Hi {first_name}! {typo}"},
                {"kind": "no_such_trigger", "priority": 1, "opening": "x"},
            ],
            "cadence": {
                "personal": {"ideal_days": 10, "max_days": 20},
                "premium": {"ideal_days": "soon"},
            },
        }
    )
    facts = _facts(segment="personal", last_contact_at=NOW - 15 * DAY)

    task = _only(evaluate(facts, own, NOW), "stay_in_touch")

    assert [r["kind"] for r in own.rules] == ["stay_in_touch"]
    assert own.cadence["premium"] == DEFAULT_CADENCE["premium"]
    assert task.priority == 2
    assert task.suggested_opening == "Hi Margareth! {typo}"


def test_tasks_come_most_urgent_first() -> None:
    facts = _facts(
        phase="first_disagreement",
        segment="premium",
        last_contact_at=NOW - 60 * DAY,
        promises=[Promise(uuid.uuid4(), "I'll send the contract", NOW + timedelta(hours=2))],
    )

    kinds = [t.kind for t in evaluate(facts, DEFAULT, NOW)]

    assert kinds == ["promise_due", "first_disagreement", "stay_in_touch"]
