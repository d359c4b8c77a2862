"""The relationship engine's rules, as data: Knapp stages (seed 002) and lifecycle phases (003).

A stage rule names a stage, the conditions on a relationship's signals (``[signal, operator,
value]``), whether ``all`` or ``any`` of them must hold, and the reason shown as evidence. Rules
are tried in order and the first that holds gives the stage, so the "coming apart" stages, which
need attention, come first. The last rule has no conditions: every relationship gets a stage.

Organisations may replace these defaults with their own (organisation settings key
``relationship_rules``: ``{"stages": [...], "phases": {...}, "phrases": {...}}``).
"""

from __future__ import annotations

import operator
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

Rule = Mapping[str, Any]

DEFAULT_STAGE_RULES: tuple[Rule, ...] = (
    {
        "stage": "terminating",
        "match": "all",
        "when": [["cancellations", ">=", 1]],
        "reason": "the customer asked to cancel, close the account or leave",
    },
    {
        "stage": "terminating",
        "match": "all",
        "when": [
            ["complaints_recent", ">=", 1],
            ["purchases_total", ">=", 1],
            ["purchases_recent", "==", 0],
            ["usage_recent", "==", 0],
        ],
        "reason": "complaining, and no longer buying or using the service",
    },
    {
        "stage": "avoiding",
        "match": "all",
        "when": [
            ["unanswered_outreach", ">=", 1],
            ["days_since_inbound", ">=", 180],
            ["usage_recent", "==", 0],
        ],
        "reason": "silent for half a year, not using the service, our messages unanswered",
    },
    {
        "stage": "differentiating",
        "match": "any",
        "when": [["competitor_mentions", ">=", 1], ["unresolved_complaints", ">=", 1]],
        "reason": "a competitor is mentioned or a complaint is still unresolved",
    },
    {
        "stage": "circumscribing",
        "match": "all",
        "when": [
            ["complaints", ">=", 1],
            ["contact_trend", "<=", -2],
            ["purchases_recent", "==", 0],
        ],
        "reason": "after complaints, contact falling (two or more fewer than the 90 days before) "
        "and no purchases",
    },
    {
        "stage": "stagnating",
        "match": "all",
        "when": [
            ["tenure_days", ">=", 180],
            ["purchases_recent", "==", 0],
            ["purchases_previous", "==", 0],
            ["usage_recent", "==", 0],
            ["usage_previous", "==", 0],
            ["contacts_recent", "==", 0],
        ],
        "reason": "no purchase and no use of the service in six months, no contact in three",
    },
    {
        "stage": "bonding",
        "match": "all",
        "when": [["referrals", ">=", 1]],
        "reason": "the customer recommends us to others",
    },
    {
        "stage": "bonding",
        "match": "all",
        "when": [["tenure_days", ">=", 365], ["praise", ">=", 3]],
        "reason": "a customer of more than a year who praises us again and again",
    },
    {
        "stage": "intensifying",
        "match": "all",
        "when": [["tenure_days", "<", 365], ["tenure_days", ">=", 60], ["contact_trend", ">", 0]],
        "reason": "a young relationship with contact rising over the previous 90 days",
    },
    {
        "stage": "integrating",
        "match": "any",
        "when": [["tenure_days", ">=", 180], ["purchases_total", ">=", 3]],
        "reason": "an established relationship with repeat business",
    },
    {
        "stage": "experimenting",
        "match": "all",
        "when": [["tenure_days", ">=", 21]],
        "reason": "past the first weeks: trying the service out",
    },
    {
        "stage": "initiating",
        "match": "all",
        "when": [],
        "reason": "a new relationship: first contacts",
    },
)

# lifecycle phases: the thresholds in days, and the order in which phases are checked
DEFAULT_PHASES: Mapping[str, Any] = MappingProxyType(
    {
        "early_days_days": 60,
        "long_term_days": 365,
        "order": ["first_disagreement", "early_days", "long_term"],
        "otherwise": "established",
    }
)

# words in inbound messages, matched case-insensitively as substrings
DEFAULT_PHRASES: Mapping[str, Sequence[str]] = MappingProxyType(
    {
        "competitor": (
            "competitor",
            "moving to ",
            "moved to ",
            "switch to ",
            "switching to ",
            "thinking of moving",
            "offered me a better",
            "opened an account with",
            "doesn't charge",
            "better deal elsewhere",
        ),
        "referral": (
            "recommended you",
            "recommend you",
            "my recommendation",
            "your way",
            "told my",
            "referred",
            "referral",
        ),
    }
)

OPERATORS: Mapping[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
}


@dataclass
class Signals:
    """What the engine knows of one relationship, computed from its interactions and analyses.

    ``examples`` keeps, per signal, the interaction that shows it best (the latest), so evidence
    can point at it."""

    tenure_days: float = 0.0
    contacts_recent: int = 0  # messages, calls and meetings in the last 90 days
    contacts_previous: int = 0  # the 90 days before those
    purchases_recent: int = 0
    purchases_previous: int = 0
    purchases_total: int = 0
    usage_recent: int = 0  # product usage events (app sessions...) in the last 90 days
    usage_previous: int = 0
    complaints: int = 0
    complaints_recent: int = 0
    unresolved_complaints: int = 0
    praise: int = 0
    referrals: int = 0
    cancellations: int = 0
    competitor_mentions: int = 0
    unanswered_outreach: int = 0  # outbound messages since the customer last wrote
    days_since_inbound: float | None = None
    examples: dict[str, uuid.UUID] = field(default_factory=dict)

    @property
    def contact_trend(self) -> int:
        return self.contacts_recent - self.contacts_previous

    @property
    def purchase_trend(self) -> int:
        return self.purchases_recent - self.purchases_previous

    @property
    def usage_trend(self) -> int:
        return self.usage_recent - self.usage_previous

    def value(self, name: str) -> Any:
        if name not in SIGNAL_NAMES:
            raise KeyError(f"unknown signal {name!r}")
        return getattr(self, name)


SIGNAL_NAMES = frozenset(
    {f for f in Signals.__dataclass_fields__ if f != "examples"}
    | {"contact_trend", "purchase_trend", "usage_trend"}
)


@dataclass(frozen=True)
class Inference:
    stage: str
    phase: str
    evidence: list[dict[str, Any]]


def _holds(signals: Signals, condition: Sequence[Any]) -> bool:
    name, op, threshold = condition
    value = signals.value(name)
    return value is not None and OPERATORS[op](value, threshold)


def _evidence(signals: Signals, rule: Rule) -> list[dict[str, Any]]:
    """One item per condition that holds, pointing at the interaction behind it when known."""
    items: list[dict[str, Any]] = []
    for condition in rule["when"]:
        if not _holds(signals, condition):
            continue
        name, op, threshold = condition
        value = signals.value(name)
        shown = f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else value
        item: dict[str, Any] = {
            "signal": name,
            "value": round(value, 2) if isinstance(value, float) else value,
            "reason": f"{rule['reason']} ({name} {shown} {op} {threshold})",
        }
        if name in signals.examples:
            item["interaction_id"] = str(signals.examples[name])
        items.append(item)
    return items or [{"signal": None, "value": None, "reason": rule["reason"]}]


def infer_stage(
    signals: Signals, rules: Sequence[Rule] = DEFAULT_STAGE_RULES
) -> tuple[str, list[dict[str, Any]]]:
    """The stage of the first rule that holds, and its evidence."""
    for rule in rules:
        results = [_holds(signals, c) for c in rule["when"]]
        holds = any(results) if rule.get("match") == "any" else all(results)
        if holds:
            return str(rule["stage"]), _evidence(signals, rule)
    raise ValueError("no stage rule holds: the last rule must have no conditions")


def infer_phase(
    signals: Signals, phases: Mapping[str, Any] = DEFAULT_PHASES
) -> tuple[str, dict[str, Any]]:
    """The lifecycle phase and the reason for it."""
    tests: dict[str, tuple[bool, str, str | None]] = {
        "first_disagreement": (
            signals.unresolved_complaints > 0,
            "a complaint not yet resolved (no later calm message, conversation still open)",
            "unresolved_complaints",
        ),
        "early_days": (
            signals.tenure_days < phases["early_days_days"],
            f"customer for {signals.tenure_days:.0f} days (< {phases['early_days_days']})",
            None,
        ),
        "long_term": (
            signals.tenure_days >= phases["long_term_days"],
            f"customer for {signals.tenure_days:.0f} days (>= {phases['long_term_days']})",
            None,
        ),
    }
    for phase in phases["order"]:
        holds, reason, signal = tests[phase]
        if holds:
            item: dict[str, Any] = {"signal": signal, "reason": f"phase {phase}: {reason}"}
            if signal is not None and signal in signals.examples:
                item["interaction_id"] = str(signals.examples[signal])
            return phase, item
    return str(phases["otherwise"]), {
        "signal": None,
        "reason": "phase established: none of the others",
    }


def infer(
    signals: Signals,
    rules: Sequence[Rule] = DEFAULT_STAGE_RULES,
    phases: Mapping[str, Any] = DEFAULT_PHASES,
) -> Inference:
    stage, evidence = infer_stage(signals, rules)
    phase, phase_evidence = infer_phase(signals, phases)
    return Inference(stage, phase, [*evidence, phase_evidence])
