"""Segment rules: checked on entry with the faulty condition named, then evaluated on columns of
hand-built relationships, operator by operator."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from goodwill.segments import rules
from goodwill.segments.rules import Columns

NAN = float("nan")


def _rule(*conditions: dict[str, Any]) -> rules.Rule:
    return rules.parse({"conditions": list(conditions)})


def _cond(field: str, op: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value, **extra}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"conditions": []}, "1 to 20 conditions"),
        ({"conditions": [_cond("tenure", "gt", 1)]}, "condition 1: unknown field 'tenure'"),
        (
            {"conditions": [_cond("risk", "gt", 0.5), _cond("risk", "like", 1)]},
            "condition 2 (risk): unknown operator 'like'",
        ),
        ({"conditions": [_cond("stage", "gt", "bonding")]}, "condition 1 (stage): gt compares"),
        ({"conditions": [_cond("stage", "eq", "friends")]}, "'friends' is not one of"),
        ({"conditions": [_cond("health", "between", [80, 20])]}, "low <= high, got [80, 20]"),
        ({"conditions": [_cond("health", "between", 5)]}, "between needs two numbers"),
        ({"conditions": [_cond("health", "in", 5)]}, "in needs a list"),
        ({"conditions": [_cond("risk", "lt", 2)]}, "(risk): 2 is outside 0 to 1"),
        ({"conditions": [_cond("health", "gt", "high")]}, "'high' is not a number"),
        ({"conditions": [_cond("health", "gt", True)]}, "True is not a number"),
        ({"conditions": [_cond("rfm", "eq", "565")]}, "(rfm): '565' is not one of"),
        ({"conditions": [_cond("health", "gt", 1, days=3)]}, "only the reasons field takes days"),
        ({"conditions": [_cond("reasons", "eq", "Card", days=0)]}, "days must be a whole number"),
        ({"conditions": [_cond("label", "eq", "vip", note="x")]}, "unknown key(s) note"),
        (
            {
                "groups": [
                    [_cond("health", "gt", 1)],
                    [_cond("phase", "eq", "long_term"), "health > 1"],
                ]
            },
            "group 2, condition 2: an object with field, op and value",
        ),
        ({"conditions": [], "groups": []}, 'either "conditions"'),
        ({"groups": "all"}, "1 to 10 groups"),
        ("health > 3", 'either "conditions"'),
    ],
)
def test_a_bad_rule_is_refused_naming_the_condition_and_field(raw: Any, message: str) -> None:
    with pytest.raises(rules.RuleError) as found:
        rules.parse(raw)
    assert message in str(found.value)


def test_a_rule_is_stored_in_one_form_and_reads_back_the_same() -> None:
    rule = _rule(_cond("reasons", "in", ["Card lost"]), _cond("tenure_days", "gte", 365))

    stored = rule.to_json()

    assert stored["groups"][0][0] == {
        "field": "reasons",
        "op": "in",
        "value": ["Card lost"],
        "days": rules.DEFAULT_REASON_DAYS,
    }
    assert rules.parse(stored) == rule


# five hand-built relationships, one column per field
HEALTH = [90.0, 55.0, NAN, 20.0, 70.0]
COLUMNS = Columns(
    size=5,
    numbers={
        "health": np.array(HEALTH),
        "tenure_days": np.array([800.0, 30.0, 400.0, 1200.0, 365.0]),
        "risk": np.array([0.05, 0.4, NAN, 0.9, 0.2]),
    },
    texts={
        "stage": np.array(["bonding", "initiating", "integrating", "avoiding", "bonding"]),
        "label": np.array(["premium", "", "personal", "premium", ""]),
        "rfm": np.array(["555", "", "123", "511", "345"]),
    },
    reasons={
        90: {"Card lost": np.array([False, True, False, True, False])},
        30: {"Card lost": np.array([False, True, False, False, False])},
    },
)


def _where(*conditions: dict[str, Any]) -> list[int]:
    return np.flatnonzero(rules.matches(_rule(*conditions), COLUMNS)).tolist()


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (_cond("health", "eq", 55), [1]),
        (_cond("health", "ne", 55), [0, 2, 3, 4]),  # missing health equals nothing
        (_cond("health", "lt", 55), [3]),
        (_cond("health", "lte", 55), [1, 3]),
        (_cond("health", "gt", 70), [0]),
        (_cond("health", "gte", 70), [0, 4]),
        (_cond("health", "between", [55, 90]), [0, 1, 4]),
        (_cond("health", "in", [20, 90]), [0, 3]),
        (_cond("health", "not_in", [20, 90]), [1, 2, 4]),
        (_cond("risk", "gte", 0.4), [1, 3]),
        (_cond("stage", "eq", "bonding"), [0, 4]),
        (_cond("stage", "ne", "bonding"), [1, 2, 3]),
        (_cond("stage", "in", ["initiating", "differentiating", "avoiding"]), [1, 3]),
        (_cond("stage", "not_in", ["bonding", "avoiding"]), [1, 2]),
        (_cond("label", "eq", "premium"), [0, 3]),
        (_cond("label", "ne", "premium"), [1, 2, 4]),  # no label is not premium
        (_cond("rfm", "in", ["555", "554", "545"]), [0]),
        (_cond("reasons", "eq", "Card lost"), [1, 3]),
        (_cond("reasons", "eq", "Card lost", days=30), [1]),
        (_cond("reasons", "ne", "Card lost"), [0, 2, 4]),
        (_cond("reasons", "in", ["Card lost", "Refund"]), [1, 3]),
        (_cond("reasons", "not_in", ["Refund"]), [0, 1, 2, 3, 4]),  # never seen: nobody has it
        (_cond("reasons", "in", ["Refund"], days=7), []),  # a window nobody read: nobody
    ],
)
def test_each_operator_on_hand_built_relationships(
    condition: dict[str, Any], expected: list[int]
) -> None:
    assert _where(condition) == expected


def test_conditions_of_a_group_all_hold_and_any_group_will_do() -> None:
    assert _where(_cond("stage", "eq", "bonding"), _cond("tenure_days", "gte", 400)) == [0]
    either = rules.parse(
        {
            "groups": [
                [_cond("stage", "eq", "bonding"), _cond("tenure_days", "gte", 400)],
                [_cond("reasons", "eq", "Card lost", days=30)],
            ]
        }
    )
    assert np.flatnonzero(rules.matches(either, COLUMNS)).tolist() == [0, 1]


def test_each_relationship_goes_to_the_first_segment_it_matches() -> None:
    loyal = _rule(_cond("tenure_days", "gte", 365))
    premium = _rule(_cond("label", "eq", "premium"))
    at_risk = _rule(_cond("risk", "gte", 0.4))

    chosen = rules.first_match([loyal, premium, at_risk], COLUMNS)
    reordered = rules.first_match([at_risk, premium, loyal], COLUMNS)

    assert chosen.tolist() == [0, 2, 0, 0, 0]
    assert reordered.tolist() == [1, 0, 2, 0, 2]
    assert rules.first_match([premium], COLUMNS).tolist() == [0, -1, -1, 0, -1]


def test_the_fields_and_reason_windows_a_set_of_rules_needs() -> None:
    found = [
        _rule(_cond("reasons", "eq", "Card lost", days=30), _cond("rfm_recency", "gte", 4)),
        _rule(_cond("reasons", "eq", "Card lost")),
    ]

    assert rules.fields_used(found) == {"reasons", "rfm_recency"}
    assert rules.reason_windows(found) == {30, rules.DEFAULT_REASON_DAYS}
