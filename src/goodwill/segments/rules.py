"""Segment rules as data, checked and evaluated without a database.

A rule is one or more *groups* of *conditions*: the conditions of a group must all hold (AND),
and the rule holds when any group does (OR). A condition compares one field of the allow-list
:data:`FIELDS` with an operator of :data:`OPERATORS`::

    {"groups": [[{"field": "tenure_days", "op": "gte", "value": 730},
                 {"field": "rfm_monetary", "op": "gte", "value": 4}],
                [{"field": "reasons", "op": "in", "value": ["Card lost"], "days": 30}]]}

``{"conditions": [...]}`` is the one-group shorthand. Nothing is ever evaluated as code: each
operator is a vectorised comparison over the columns the service read
(:class:`Columns`, one array per field, a row per relationship).

Missing values (no health yet, no risk model, no purchase for the RFM scores) satisfy only
``ne`` and ``not_in``: a missing value equals nothing. ``reasons`` is the set of contact reasons
of the customer's messages in the last ``days`` days (default 90): ``eq`` / ``in`` hold when the
reason (one of them) was seen, ``ne`` / ``not_in`` when it (none of them) was.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from goodwill.types import KNAPP_STAGES, LIFECYCLE_PHASES

Mask = npt.NDArray[np.bool_]
NUMBER, TEXT, REASONS = "number", "text", "reasons"
OPERATORS: tuple[str, ...] = ("eq", "ne", "in", "not_in", "lt", "lte", "gt", "gte", "between")
ORDERED = frozenset({"lt", "lte", "gt", "gte", "between"})
LISTS = frozenset({"in", "not_in"})
DEFAULT_REASON_DAYS = 90
MAX_REASON_DAYS = 3650
MAX_GROUPS = 10
MAX_CONDITIONS = 20
MAX_LIST = 200
RFM_CODES = frozenset(f"{r}{f}{m}" for r in range(1, 6) for f in range(1, 6) for m in range(1, 6))


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # NUMBER, TEXT or REASONS
    help: str
    choices: frozenset[str] | None = None  # the only values a text field takes
    bounds: tuple[float, float] | None = None  # the range of a number field


FIELDS: Mapping[str, FieldSpec] = {
    "tenure_days": FieldSpec(NUMBER, "days since the relationship started", bounds=(0, 1e6)),
    "stage": FieldSpec(TEXT, "Knapp stage", choices=frozenset(KNAPP_STAGES)),
    "phase": FieldSpec(
        TEXT, "lifecycle phase", choices=frozenset((*LIFECYCLE_PHASES, "established"))
    ),
    "health": FieldSpec(NUMBER, "relationship health, 0 to 100", bounds=(0, 100)),
    "risk": FieldSpec(NUMBER, "probability the relationship ends, 0 to 1", bounds=(0, 1)),
    "last_contact_days": FieldSpec(
        NUMBER, "days since the last message, call or meeting (or the start)", bounds=(0, 1e6)
    ),
    "purchases_count": FieldSpec(NUMBER, "number of purchases", bounds=(0, 1e9)),
    "purchases_value": FieldSpec(NUMBER, "sum of the purchases' amounts", bounds=(-1e15, 1e15)),
    "rfm_recency": FieldSpec(NUMBER, "RFM recency quintile, 5 = most recent", bounds=(1, 5)),
    "rfm_frequency": FieldSpec(NUMBER, "RFM frequency quintile, 5 = most", bounds=(1, 5)),
    "rfm_monetary": FieldSpec(NUMBER, "RFM monetary quintile, 5 = most", bounds=(1, 5)),
    "rfm": FieldSpec(TEXT, 'the three RFM scores as a code, e.g. "545"', choices=RFM_CODES),
    "reasons": FieldSpec(REASONS, "contact reasons of the messages in the last `days` days"),
    "label": FieldSpec(TEXT, "the relationship's own segment label"),
}
RFM_FIELDS = frozenset({"rfm_recency", "rfm_frequency", "rfm_monetary", "rfm"})
PURCHASE_FIELDS = RFM_FIELDS | {"purchases_count", "purchases_value"}


class RuleError(ValueError):
    """A rule that cannot be used; the message names the condition and the field."""


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any
    days: int | None = None  # reasons only

    def to_json(self) -> dict[str, Any]:
        out = {"field": self.field, "op": self.op, "value": self.value}
        return out | ({"days": self.days} if self.days is not None else {})


@dataclass(frozen=True)
class Rule:
    groups: tuple[tuple[Condition, ...], ...]

    def to_json(self) -> dict[str, Any]:
        return {"groups": [[c.to_json() for c in group] for group in self.groups]}

    @property
    def conditions(self) -> list[Condition]:
        return [c for group in self.groups for c in group]


def parse(raw: Any) -> Rule:
    """The rule in ``raw`` (``{"groups": [[...]]}`` or ``{"conditions": [...]}``), checked;
    :class:`RuleError` names the first faulty condition (1-based) and its field."""
    if not isinstance(raw, Mapping) or set(raw) - {"groups", "conditions"} or len(raw) != 1:
        raise RuleError('rule: give either "conditions" (a list) or "groups" (a list of lists)')
    groups = [raw["conditions"]] if "conditions" in raw else raw["groups"]
    if not isinstance(groups, list) or not groups or len(groups) > MAX_GROUPS:
        raise RuleError(f"rule: 1 to {MAX_GROUPS} groups of conditions")
    parsed = []
    for g, group in enumerate(groups, start=1):
        where = f"group {g}, " if len(groups) > 1 else ""
        if not isinstance(group, list) or not 1 <= len(group) <= MAX_CONDITIONS:
            raise RuleError(f"rule: {where}1 to {MAX_CONDITIONS} conditions")
        parsed.append(
            tuple(_condition(c, f"{where}condition {i}") for i, c in enumerate(group, start=1))
        )
    return Rule(tuple(parsed))


def _condition(raw: Any, where: str) -> Condition:
    if not isinstance(raw, Mapping):
        raise RuleError(f"rule: {where}: an object with field, op and value")
    name = str(raw.get("field"))
    if name not in FIELDS:
        raise RuleError(
            f"rule: {where}: unknown field {raw.get('field')!r} (one of {', '.join(FIELDS)})"
        )
    where = f"{where} ({name})"
    extra = set(raw) - {"field", "op", "value", "days"}
    if extra:
        raise RuleError(f"rule: {where}: unknown key(s) {', '.join(sorted(map(str, extra)))}")
    spec, op = FIELDS[name], raw.get("op")
    if op not in OPERATORS:
        raise RuleError(f"rule: {where}: unknown operator {op!r} (one of {', '.join(OPERATORS)})")
    if spec.kind != NUMBER and op in ORDERED:
        raise RuleError(f"rule: {where}: {op} compares numbers; use eq, ne, in or not_in")
    days = _days(raw.get("days"), spec, where)
    return Condition(str(name), str(op), _value(raw.get("value"), spec, op, where), days)


def _days(days: Any, spec: FieldSpec, where: str) -> int | None:
    if spec.kind != REASONS:
        if days is not None:
            raise RuleError(f"rule: {where}: only the reasons field takes days")
        return None
    if days is None:
        return DEFAULT_REASON_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_REASON_DAYS:
        raise RuleError(f"rule: {where}: days must be a whole number from 1 to {MAX_REASON_DAYS}")
    return days


def _value(value: Any, spec: FieldSpec, op: str, where: str) -> Any:
    if op in LISTS:
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_LIST:
            raise RuleError(f"rule: {where}: {op} needs a list of 1 to {MAX_LIST} values")
        return [_scalar(v, spec, where) for v in value]
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise RuleError(f"rule: {where}: between needs two numbers [low, high]")
        low, high = (_scalar(v, spec, where) for v in value)
        if low > high:
            raise RuleError(f"rule: {where}: between needs low <= high, got [{low}, {high}]")
        return [low, high]
    return _scalar(value, spec, where)


def _scalar(value: Any, spec: FieldSpec, where: str) -> Any:
    if spec.kind == NUMBER:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value):
            raise RuleError(f"rule: {where}: {value!r} is not a number")
        low, high = spec.bounds or (-math.inf, math.inf)
        if not low <= value <= high:
            raise RuleError(f"rule: {where}: {value} is outside {low:g} to {high:g}")
        return value
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise RuleError(f"rule: {where}: {value!r} is not a text of 1 to 200 characters")
    if spec.choices is not None and value not in spec.choices:
        shown = ", ".join(sorted(spec.choices)) if len(spec.choices) < 20 else "e.g. 555, 345"
        raise RuleError(f"rule: {where}: {value!r} is not one of {shown}")
    return value


@dataclass
class Columns:
    """The fields of ``size`` relationships, row for row: numbers as floats (NaN: missing),
    texts as strings ("": missing), and per reasons window (days) a mask per reason name."""

    size: int
    numbers: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)
    texts: dict[str, npt.NDArray[np.str_]] = field(default_factory=dict)
    reasons: dict[int, dict[str, Mask]] = field(default_factory=dict)


def fields_used(rules: Sequence[Rule]) -> set[str]:
    return {c.field for rule in rules for c in rule.conditions}


def reason_windows(rules: Sequence[Rule]) -> set[int]:
    return {c.days for rule in rules for c in rule.conditions if c.days is not None}


def _compare(column: npt.NDArray[Any], op: str, value: Any) -> Mask:
    if op == "eq":
        return np.asarray(column == value)
    if op == "ne":
        return np.asarray(column != value)
    if op in LISTS:
        wanted = np.asarray(value, dtype=np.float64 if column.dtype.kind == "f" else None)
        found = np.isin(column, wanted)
        return found if op == "in" else ~found
    if op == "between":
        return np.asarray((column >= value[0]) & (column <= value[1]))
    compare = {"lt": np.less, "lte": np.less_equal, "gt": np.greater, "gte": np.greater_equal}
    return np.asarray(compare[op](column, value))


def holds(condition: Condition, columns: Columns) -> Mask:
    """Where ``condition`` holds, one boolean per relationship."""
    spec = FIELDS[condition.field]
    if spec.kind == REASONS:
        seen = columns.reasons.get(condition.days or DEFAULT_REASON_DAYS, {})
        nothing = np.zeros(columns.size, dtype=bool)
        names = condition.value if condition.op in LISTS else [condition.value]
        found = np.logical_or.reduce([seen.get(n, nothing) for n in names] + [nothing])
        return np.asarray(found if condition.op in ("eq", "in") else ~found)
    with np.errstate(invalid="ignore"):  # NaN (missing) compares false, as documented
        if spec.kind == NUMBER:
            return _compare(columns.numbers[condition.field], condition.op, condition.value)
        return _compare(columns.texts[condition.field], condition.op, condition.value)


def matches(rule: Rule, columns: Columns) -> Mask:
    """Where any group of ``rule`` has all its conditions holding."""
    found = np.zeros(columns.size, dtype=bool)
    for group in rule.groups:
        every = np.ones(columns.size, dtype=bool)
        for condition in group:
            every &= holds(condition, columns)
        found |= every
    return found


def first_match(rules: Sequence[Rule], columns: Columns) -> npt.NDArray[np.int64]:
    """Per relationship, the index of the first rule it matches (rules in priority order), or
    -1 when none does: each relationship belongs to exactly one segment, or to none."""
    chosen = np.full(columns.size, -1, dtype=np.int64)
    for index, rule in enumerate(rules):
        chosen[(chosen < 0) & matches(rule, columns)] = index
    return chosen
