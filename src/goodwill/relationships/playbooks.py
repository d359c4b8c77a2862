"""Next best conversation (seeds 003 and 004): playbook rules, as data, that turn a relationship's
stored state into concrete tasks for its owner, each with a reason, a priority, a due time and a
suggested first sentence the owner can adapt.

A rule names a ``kind`` (the trigger it uses, one of :data:`TRIGGERS`), a ``priority`` (1 is most
urgent), its parameters and the ``opening``: a sentence with ``{fields}`` filled with the
customer's name and the fact behind the task. The stay-in-touch cadence gives, per segment, an
ideal and a maximum gap between contacts (``"*"`` for segments not named): past the ideal gap the
relationship is cooling, past the maximum it is cold.

Fields an opening may use: ``first_name`` always; ``promise`` (promise_due), ``complaint_date``
(first_disagreement), ``since`` (relationship_drifting), ``years`` (recognise_long_tenure) and
``gap`` (stay_in_touch). An unknown field is left as written.

Organisations may replace the rules and edit the cadence (organisation settings key
``playbook_rules``: ``{"rules": [...], "cadence": {segment: {"ideal_days", "max_days"}},
"segments": {segment: {"rules": [...], "cadence": {...}}}}``). A relationship's segment is its
rule-defined one (:mod:`goodwill.segments`) first, then its own label, then ``"*"``: the first
of these with its own rules (or gaps) gives them. Pure functions, no database:
:mod:`goodwill.relationships.nextconv` reads the facts.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from goodwill.relationships.openings import fill, first_name, gap_words, years

Rule = Mapping[str, Any]
DAY = timedelta(days=1)

DEFAULT_RULES: tuple[Rule, ...] = (
    {
        "kind": "promise_due",
        "priority": 1,
        "lead_days": 1,
        "opening": '{first_name}, I told you "{promise}", and I wanted to come back to you on '
        "it myself.",
    },
    {
        "kind": "first_disagreement",
        "priority": 1,
        "opening": "{first_name}, I read your message from {complaint_date} and I'm sorry it "
        "came to that; could we talk it through on the phone?",
    },
    {
        "kind": "explain_first_bill",
        "priority": 2,
        "bill_after_days": 30,
        "lead_days": 7,
        "opening": "{first_name}, your first bill is on its way, and I'd like to walk you "
        "through it before it arrives so nothing on it comes as a surprise.",
    },
    {
        "kind": "relationship_drifting",
        "priority": 2,
        "stages": ["circumscribing", "stagnating"],
        "within_days": 60,
        "opening": "{first_name}, we've heard less from you since {since}; is there something "
        "we should be doing differently?",
    },
    {
        "kind": "recognise_long_tenure",
        "priority": 3,
        "min_years": 1,
        "quiet_months": 6,
        "phrases": ["thank you for being", "years with us", "loyal", "anniversary"],
        "opening": "{first_name}, you've been with us for {years} now, and I wanted to thank "
        "you for that personally.",
    },
    {
        "kind": "stay_in_touch",
        "priority": 4,
        "cold_priority": 3,
        "opening": "{first_name}, it's been {gap} since we last spoke; how are things "
        "going on your side?",
    },
)

DEFAULT_CADENCE: Mapping[str, Mapping[str, int]] = {
    "*": {"ideal_days": 60, "max_days": 120},
    "premium": {"ideal_days": 21, "max_days": 45},
    "business": {"ideal_days": 30, "max_days": 75},
    "personal": {"ideal_days": 90, "max_days": 180},
}


@dataclass(frozen=True)
class Promise:
    id: uuid.UUID
    text: str
    due_at: datetime
    interaction_id: uuid.UUID | None = None


@dataclass
class Facts:
    """What the playbooks know of one relationship, read from stored state."""

    relationship_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str | None = None
    owner_member_id: uuid.UUID | None = None
    segment: str | None = None  # the relationship's own label
    rule_segment: str | None = None  # its rule-defined segment (goodwill.segments), if any
    stage: str | None = None
    phase: str | None = None
    started_at: datetime | None = None
    has_bill: bool = False
    last_contact_at: datetime | None = None
    last_recognition_at: datetime | None = None
    complaint_id: uuid.UUID | None = None  # the unresolved complaint behind first_disagreement
    complaint_at: datetime | None = None
    kept_since_complaint: bool = False
    promises: list[Promise] = field(default_factory=list)
    drift: tuple[str | None, str, datetime] | None = None  # (from stage, to stage, when)


@dataclass(frozen=True)
class Task:
    relationship_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str | None
    owner_member_id: uuid.UUID | None
    kind: str
    priority: int
    due_at: datetime
    reason: str
    suggested_opening: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    occasion: str = ""  # what this task is about; a new occasion is a new task

    def sort_key(self) -> tuple[int, datetime, str]:
        return (self.priority, self.due_at, str(self.relationship_id))

    @property
    def task_id(self) -> str:
        """Stable while the occasion lasts, so a task marked done or dismissed stays hidden
        until something new (another promise, a later gap, a new complaint) raises it again."""
        key = f"{self.relationship_id}|{self.kind}|{self.occasion}"
        return hashlib.sha256(key.encode()).hexdigest()[:32]


def _task(
    facts: Facts, rule: Rule, due: datetime, reason: str, occasion: str, **values: Any
) -> Task:
    evidence = values.pop("evidence", [])
    priority = int(values.pop("priority", rule.get("priority", 3)))
    opening = fill(str(rule["opening"]), {"first_name": first_name(facts.customer_name), **values})
    return Task(
        relationship_id=facts.relationship_id,
        customer_id=facts.customer_id,
        customer_name=facts.customer_name,
        owner_member_id=facts.owner_member_id,
        kind=str(rule["kind"]),
        priority=priority,
        due_at=due,
        reason=reason,
        suggested_opening=opening,
        evidence=evidence,
        occasion=occasion,
    )


def promise_due(facts: Facts, rule: Rule, as_of: datetime, _: Mapping[str, Any]) -> list[Task]:
    """An open promise due within ``lead_days`` (or already overdue): a reminder before it falls
    due, one task per promise."""
    horizon = as_of + rule.get("lead_days", 1) * DAY
    tasks = []
    for promise in facts.promises:
        if promise.due_at > horizon:
            continue
        when = "overdue since" if promise.due_at < as_of else "due"
        item: dict[str, Any] = {"commitment_id": str(promise.id)}
        if promise.interaction_id is not None:
            item["interaction_id"] = str(promise.interaction_id)
        reason = f'promise {when} {promise.due_at:%Y-%m-%d %H:%M} UTC: "{promise.text}"'
        tasks.append(
            _task(
                facts,
                rule,
                min(promise.due_at, max(as_of, promise.due_at - DAY)),
                reason,
                str(promise.id),
                promise=promise.text.rstrip("."),
                evidence=[item],
            )
        )
    return tasks


def first_disagreement(
    facts: Facts, rule: Rule, as_of: datetime, _: Mapping[str, Any]
) -> list[Task]:
    """A first disagreement not yet followed by a kept promise: a human call, today."""
    if facts.phase != "first_disagreement" or facts.kept_since_complaint:
        return []
    at = facts.complaint_at or as_of
    evidence = [{"interaction_id": str(facts.complaint_id)}] if facts.complaint_id else []
    reason = (
        f"a complaint on {at:%Y-%m-%d} is unresolved and no promise has been kept since: "
        "answer it with a human call, not another template"
    )
    occasion = str(facts.complaint_id) if facts.complaint_id else f"{at:%Y-%m-%d}"
    return [
        _task(facts, rule, as_of, reason, occasion, complaint_date=f"{at:%d %B}", evidence=evidence)
    ]


def explain_first_bill(
    facts: Facts, rule: Rule, as_of: datetime, _: Mapping[str, Any]
) -> list[Task]:
    """Early days and no bill yet: explain the first bill before it arrives."""
    if facts.phase != "early_days" or facts.has_bill:
        return []
    started = facts.started_at or as_of
    bill_at = started + rule.get("bill_after_days", 30) * DAY
    due = max(as_of, bill_at - rule.get("lead_days", 7) * DAY)
    reason = (
        f"a new customer since {started:%Y-%m-%d} with no bill yet; the first is expected "
        f"around {bill_at:%Y-%m-%d}"
    )
    return [_task(facts, rule, due, reason, f"{started:%Y-%m-%d}")]


def relationship_drifting(
    facts: Facts, rule: Rule, as_of: datetime, _: Mapping[str, Any]
) -> list[Task]:
    """A recent move into a stage of coming apart (circumscribing, stagnating by default)."""
    if facts.drift is None:
        return []
    before, stage, at = facts.drift
    if stage not in rule.get("stages", ()) or at < as_of - rule.get("within_days", 60) * DAY:
        return []
    moved = f"from {before} " if before else ""
    reason = f"moved {moved}to {stage} on {at:%Y-%m-%d}"
    return [_task(facts, rule, as_of, reason, f"{stage}@{at.isoformat()}", since=f"{at:%d %B}")]


def recognise_long_tenure(
    facts: Facts, rule: Rule, as_of: datetime, _: Mapping[str, Any]
) -> list[Task]:
    """A long-tenured customer with no recognition contact in the last ``quiet_months``."""
    if facts.started_at is None or facts.phase in ("first_disagreement", "early_days"):
        return []
    days = (as_of - facts.started_at).total_seconds() / 86400
    if days < 365 * rule.get("min_years", 1):
        return []
    quiet_since = as_of - 30.4 * rule.get("quiet_months", 6) * DAY
    if facts.last_recognition_at is not None and facts.last_recognition_at > quiet_since:
        return []
    last = facts.last_recognition_at
    heard = f"last thanked on {last:%Y-%m-%d}" if last else "never thanked for it"
    reason = f"a customer for {years(days)} (since {facts.started_at:%Y-%m-%d}), {heard}"
    occasion = f"{last.isoformat() if last else 'never'}|{years(days)}"
    return [_task(facts, rule, as_of, reason, occasion, years=years(days))]


def cadence_of(
    cadence: Mapping[str, Mapping[str, int]], *segments: str | None
) -> tuple[str, Mapping[str, int]]:
    """The first of ``segments`` with gaps of its own, and its gaps; else ``"*"``'s."""
    name = next((s for s in segments if s and s in cadence), "*")
    return name, cadence.get(name) or DEFAULT_CADENCE["*"]


def stay_in_touch(
    facts: Facts, rule: Rule, as_of: datetime, cadence: Mapping[str, Any]
) -> list[Task]:
    """Past the segment's ideal gap between contacts the relationship is cooling (due when the
    gap passed); past the maximum it is cold (more urgent)."""
    last = facts.last_contact_at or facts.started_at
    if last is None:
        return []
    segment, gaps = cadence_of(cadence, facts.rule_segment, facts.segment)
    gap = (as_of - last).total_seconds() / 86400
    if gap <= gaps["ideal_days"]:
        return []
    cold = gap > gaps["max_days"]
    state = "cold" if cold else "cooling"
    limit = gaps["max_days"] if cold else gaps["ideal_days"]
    reason = (
        f"{state}: last contact {gap:.0f} days ago on {last:%Y-%m-%d}, past the "
        f"{'maximum' if cold else 'ideal'} gap of {limit} days for segment {segment}"
    )
    priority = rule.get("cold_priority", rule.get("priority", 3)) if cold else rule["priority"]
    due = last + gaps["ideal_days"] * DAY
    evidence = [{"state": state, "gap_days": round(gap), **gaps}]
    return [
        _task(
            facts,
            rule,
            due,
            reason,
            f"{last.isoformat()}|{state}",
            gap=gap_words(gap),
            priority=priority,
            evidence=evidence,
        )
    ]


Trigger = Callable[[Facts, Rule, datetime, Mapping[str, Any]], list[Task]]
TRIGGERS: Mapping[str, Trigger] = {
    "promise_due": promise_due,
    "first_disagreement": first_disagreement,
    "explain_first_bill": explain_first_bill,
    "relationship_drifting": relationship_drifting,
    "recognise_long_tenure": recognise_long_tenure,
    "stay_in_touch": stay_in_touch,
}


def _completed(given: Any) -> list[Rule]:
    """Each rule completed by the default rule of its kind; rules of an unknown kind dropped."""
    defaults = {str(r["kind"]): r for r in DEFAULT_RULES}
    return [
        {**defaults[r["kind"]], **r}
        for r in given
        if isinstance(r, Mapping) and r.get("kind") in TRIGGERS
    ]


def _gaps(gaps: Any) -> dict[str, int] | None:
    keys = ("ideal_days", "max_days")
    if isinstance(gaps, Mapping) and all(isinstance(gaps.get(k), int | float) for k in keys):
        return {k: gaps[k] for k in keys}
    return None


@dataclass(frozen=True)
class Playbook:
    """The rules and cadence an organisation uses: its own from its settings, else defaults;
    ``segment_rules``: the rules of the segments that have their own."""

    rules: Sequence[Rule] = DEFAULT_RULES
    cadence: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: DEFAULT_CADENCE)
    segment_rules: Mapping[str, Sequence[Rule]] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, custom: Mapping[str, Any] | None) -> Playbook:
        """An organisation's rules, the default cadence with its segments' gaps, and each
        segment's own rules and gaps (which win over the cadence's for the same name)."""
        custom = custom or {}
        cadence = dict(DEFAULT_CADENCE)
        own: dict[str, Any] = dict(custom.get("cadence") or {})
        segment_rules: dict[str, Sequence[Rule]] = {}
        for name, part in (custom.get("segments") or {}).items():
            if isinstance(part, Mapping) and part.get("rules"):
                segment_rules[str(name)] = _completed(part["rules"])
            if isinstance(part, Mapping) and part.get("cadence"):
                own[str(name)] = part["cadence"]
        for segment, gaps in own.items():
            if (checked := _gaps(gaps)) is not None:
                cadence[str(segment)] = checked
        rules = _completed(custom.get("rules") or DEFAULT_RULES)
        return cls(rules=rules, cadence=cadence, segment_rules=segment_rules)

    def rule(self, kind: str) -> Rule | None:
        return next((r for r in self.rules if r["kind"] == kind), None)

    def rules_of_kind(self, kind: str) -> list[Rule]:
        """The rules of ``kind`` of the organisation and of every segment (what to read)."""
        every = [self.rules, *self.segment_rules.values()]
        return [r for rules in every for r in rules if r["kind"] == kind]

    def rules_for(self, facts: Facts) -> Sequence[Rule]:
        """The rules of the relationship's segment (rule-defined, then label), else the
        organisation's."""
        for name in (facts.rule_segment, facts.segment):
            if name and name in self.segment_rules:
                return self.segment_rules[name]
        return self.rules


def evaluate(facts: Facts, playbook: Playbook, as_of: datetime) -> list[Task]:
    """The tasks for one relationship, most urgent first."""
    tasks = [
        task
        for rule in playbook.rules_for(facts)
        for task in TRIGGERS[str(rule["kind"])](facts, rule, as_of, playbook.cadence)
    ]
    return sorted(tasks, key=Task.sort_key)
