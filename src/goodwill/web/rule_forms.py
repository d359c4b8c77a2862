"""The playbook and the health weights as forms on the settings page, for managers who would
rather not write JSON: what each form shows (from the rules in force, or from what was sent
back when it was refused), and the rule set a sent form asks for.

A form never stores what the API would refuse: it is turned into the same shapes the API's PUT
takes (``rule_settings.PlaybookIn``, ``rule_settings.HealthWeightsIn``) and checked by them;
each refusal is reported against the field it concerns (``errors``: field id → message). A few
checks are the form's own because what they refuse would silently mean something else: a
playbook with every rule switched off (an empty list restores the default rules), a segment row
named twice, every weight at 0 (every relationship's health would be 50), a weight that is not a
finite number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from goodwill.relationships import playbooks, rule_settings, scores
from goodwill.types import KNAPP_STAGES

MAX_ROWS = 100  # rule and segment rows a form may send
SEGMENT_MAX = 100
EVERY_SEGMENT = "*"
Errors = dict[str, str]
Model = TypeVar("Model", bound=BaseModel)

# what each rule does, in a sentence a manager reads next to its switch
TRIGGERS: dict[str, str] = {
    "promise_due": "Remind the owner of a promise due soon (or already overdue).",
    "first_disagreement": "Suggest a call after a customer's first complaint.",
    "explain_first_bill": "Explain the first bill before it arrives.",
    "relationship_drifting": "Reach out when a relationship moved to a drifting stage.",
    "recognise_long_tenure": "Thank long-standing customers who have not been thanked lately.",
    "stay_in_touch": "Get in touch when the gap since the last contact passes the cadence.",
}
# what a rule's opening may say besides {first_name} (the customer's first name)
OPENING_FIELDS: dict[str, str] = {
    "promise_due": "{promise}: what was promised",
    "first_disagreement": "{complaint_date}: the day of the complaint",
    "relationship_drifting": "{since}: the day it started to drift",
    "recognise_long_tenure": "{years}: how long they have been a customer",
    "stay_in_touch": "{gap}: the time since the last contact",
}
# each parameter's label and what it means; "number" unless named in LIST_PARAMS
PARAMS: dict[str, tuple[str, str]] = {
    "lead_days": ("Days ahead", "how many days before the date the task appears"),
    "bill_after_days": ("First bill after (days)", "days from the start of the relationship"),
    "within_days": ("Within (days)", "how recent the move to a drifting stage must be"),
    "min_years": ("Customer for at least (years)", "tenure before a thank-you is due"),
    "quiet_months": ("Not thanked for (months)", "months since the last recognition"),
    "cold_priority": ("Priority when cold", "1 to 9, used past the maximum gap"),
    "stages": ("Drifting stages", "the Knapp stages that count as drifting"),
    "phrases": ("Recognition phrases", "one per line: a contact using one counts as a thank-you"),
}
LIST_PARAMS = ("stages", "phrases")
# the health score's components: what each measures (0–100, higher is better)
COMPONENTS: dict[str, str] = {
    "reliability": "promises kept, against kept late and broken",
    "predictability": "steady reply times and delivery on the promised date",
    "accountability": "complaints owned, apologised for and followed through",
    "dependability": "months without complaints and with non-negative sentiment",
    "connection": "emotional range carried, recovery after setbacks, ideas exchanged",
    "sentiment_trend": "the customer's recent sentiment against the months before",
    "open_complaints": "complaints not yet resolved (fewer is better)",
    "overdue_promises": "promises past their due date (fewer is better)",
}


@dataclass
class Param:
    name: str
    value: str | list[str]

    @property
    def label(self) -> str:
        return PARAMS.get(self.name, (self.name.replace("_", " ").capitalize(), ""))[0]

    @property
    def hint(self) -> str:
        return PARAMS.get(self.name, ("", ""))[1]

    @property
    def kind(self) -> str:
        return self.name if self.name in LIST_PARAMS else "number"


@dataclass
class RuleRow:
    kind: str
    enabled: bool
    priority: str
    opening: str
    params: list[Param] = field(default_factory=list)

    @property
    def help(self) -> str:
        return TRIGGERS.get(self.kind, "")

    @property
    def opening_help(self) -> str:
        extra = OPENING_FIELDS.get(self.kind)
        return "{first_name}: the customer's first name" + (f"; {extra}" if extra else "") + "."


@dataclass
class GapRow:
    """A segment's gaps; ``fixed``: every other segment's and the built-in ones, whose rows can
    be changed but not renamed or removed (the defaults would come back)."""

    segment: str
    ideal_days: str
    max_days: str
    remove: bool = False
    fixed: bool = False


@dataclass
class PlaybookForm:
    rules: list[RuleRow]
    cadence: list[GapRow]
    elsewhere: list[str]  # segments whose gaps their own playbook sets


@dataclass
class WeightsForm:
    values: dict[str, str]

    def rows(self) -> list[tuple[str, str, str]]:
        """(component, value as sent or stored, what it measures), in the engine's order."""
        return [(n, self.values.get(n, ""), COMPONENTS.get(n, "")) for n in scores.DEFAULT_WEIGHTS]

    def shares(self) -> dict[str, str]:
        """Each component's share of the score ('20 %'), when every weight is a number."""
        try:
            weights = {n: float(v) for n, v in self.values.items()}
        except ValueError:
            return {}
        total = sum(weights.values())
        if total <= 0 or not math.isfinite(total):
            return {}
        return {n: f"{100 * w / total:.0f} %" for n, w in weights.items()}


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _param_names(rule: Mapping[str, Any]) -> list[str]:
    """The parameters a rule's kind takes (its default rule's) and any the rule sets."""
    default = next((r for r in playbooks.DEFAULT_RULES if r["kind"] == rule["kind"]), {})
    skip = ("kind", "priority", "opening")
    return list(dict.fromkeys(k for k in [*default, *rule] if k not in skip))


def _rule_row(rule: Mapping[str, Any], enabled: bool) -> RuleRow:
    params = []
    for name in _param_names(rule):
        value = rule.get(name)
        if name == "stages":
            params.append(Param(name, [str(s) for s in value or ()]))
        elif name == "phrases":
            params.append(Param(name, "\n".join(str(p) for p in value or ())))
        else:
            params.append(Param(name, _text(value)))
    opening = str(rule.get("opening", ""))
    return RuleRow(str(rule["kind"]), enabled, _text(rule.get("priority")), opening, params)


def playbook_form(
    rules: Sequence[Mapping[str, Any]], stored: Mapping[str, Any] | None
) -> PlaybookForm:
    """The form for the rules in force (switched on), each kind they lack switched off with its
    defaults, and the cadence in force (less the gaps segments' own playbooks set)."""
    rows = [_rule_row(r, True) for r in rules]
    present = {r.kind for r in rows}
    rows += [_rule_row(r, False) for r in playbooks.DEFAULT_RULES if r["kind"] not in present]
    elsewhere = _own_gaps(stored)
    cadence = dict(playbooks.DEFAULT_CADENCE) | dict((stored or {}).get("cadence") or {})
    gaps = [
        GapRow(name, _text(gap.get("ideal_days")), _text(gap.get("max_days")), fixed=fixed)
        for name, gap in cadence.items()
        if name not in elsewhere and isinstance(gap, Mapping)
        for fixed in [name == EVERY_SEGMENT or name in playbooks.DEFAULT_CADENCE]
    ]
    gaps.sort(key=lambda g: (g.segment != EVERY_SEGMENT, g.segment))
    return PlaybookForm(rows, [*gaps, GapRow("", "", "")], sorted(elsewhere))


def _own_gaps(stored: Mapping[str, Any] | None) -> set[str]:
    segments = (stored or {}).get("segments") or {}
    return {str(k) for k, v in segments.items() if isinstance(v, Mapping) and v.get("cadence")}


def _count(form: FormData, name: str) -> int:
    try:
        return max(0, min(int(str(form.get(name, "0"))), MAX_ROWS))
    except ValueError:
        return 0


def submitted_playbook(form: FormData, stored: Mapping[str, Any] | None) -> PlaybookForm:
    """The playbook form as it was sent (to show it again with what to correct)."""
    rules = []
    for i in range(_count(form, "rule_count")):
        kind = str(form.get(f"rule-{i}-kind", ""))
        if kind not in playbooks.TRIGGERS:
            continue
        names = _param_names({"kind": kind})
        params = [
            Param(n, [str(s) for s in form.getlist(f"rule-{i}-{n}")])
            if n == "stages"
            else Param(n, str(form.get(f"rule-{i}-{n}", "")))
            for n in names
        ]
        enabled = form.get(f"rule-{i}-enabled") is not None
        priority, opening = str(form.get(f"rule-{i}-priority", "")), form.get(f"rule-{i}-opening")
        rules.append(RuleRow(kind, enabled, priority, str(opening or ""), params))
    gaps = [
        GapRow(
            str(form.get(f"cadence-{j}-segment", "")).strip(),
            str(form.get(f"cadence-{j}-ideal_days", "")).strip(),
            str(form.get(f"cadence-{j}-max_days", "")).strip(),
            form.get(f"cadence-{j}-remove") is not None,
            form.get(f"cadence-{j}-fixed") is not None,
        )
        for j in range(_count(form, "cadence_count"))
    ]
    return PlaybookForm(rules, gaps, sorted(_own_gaps(stored)))


def _number(raw: str, where: str, errors: Errors) -> float | int | None:
    """A number as typed ('7', '0.5'); an error against ``where`` if it is not one."""
    text = raw.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        errors[where] = f"{text!r} is not a number."
        return None
    if not math.isfinite(value):
        errors[where] = "Give a finite number."
        return None
    return int(value) if value.is_integer() and "." not in text else value


def _rule_value(row: RuleRow, i: int, errors: Errors) -> dict[str, Any]:
    rule: dict[str, Any] = {"kind": row.kind, "opening": row.opening.strip()}
    rule["priority"] = _number(row.priority, f"rule-{i}-priority", errors)
    if rule["priority"] is None:
        errors.setdefault(f"rule-{i}-priority", "Give a priority from 1 (most urgent) to 9.")
    for p in row.params:
        if p.name == "stages":
            rule["stages"] = [s for s in p.value if s in KNAPP_STAGES]
        elif p.name == "phrases":
            lines = [line.strip() for line in str(p.value).splitlines()]
            rule["phrases"] = [line for line in lines if line]
        else:
            value = _number(str(p.value), f"rule-{i}-{p.name}", errors)
            if value is not None:
                rule[p.name] = value
    return rule


def _cadence_value(rows: Sequence[GapRow], errors: Errors) -> dict[str, Any]:
    """The gaps per segment; a removed row and the empty row for a new segment are left out
    (the row for every other segment, ``*``, cannot be removed)."""
    cadence: dict[str, Any] = {}
    for j, row in enumerate(rows):
        at = f"cadence-{j}"
        if not row.segment:
            if row.ideal_days or row.max_days:
                errors[f"{at}-segment"] = "Name the segment these gaps are for."
            continue
        if row.remove and not row.fixed:
            continue
        if len(row.segment) > SEGMENT_MAX:
            errors[f"{at}-segment"] = f"At most {SEGMENT_MAX} characters."
        elif row.segment in cadence:
            errors[f"{at}-segment"] = f"Segment {row.segment!r} is listed twice."
        gap = {}
        for name, raw, what in (
            ("ideal_days", row.ideal_days, "ideal"),
            ("max_days", row.max_days, "maximum"),
        ):
            gap[name] = _number(raw, f"{at}-{name}", errors)
            if gap[name] is None:
                errors.setdefault(f"{at}-{name}", f"Give the {what} gap in days.")
        cadence[row.segment] = gap
    return cadence


def playbook_value(
    sent: PlaybookForm, stored: Mapping[str, Any] | None
) -> tuple[rule_settings.PlaybookIn | None, Errors]:
    """The playbook the form asks for (the stored one's other parts, such as segments' own
    playbooks, kept), checked by the API's model; ``None`` and the errors when refused."""
    errors: Errors = {}
    on = [(i, r) for i, r in enumerate(sent.rules) if r.enabled]
    if not on:
        errors["playbook"] = (
            "Keep at least one rule switched on: a playbook without rules falls back to the "
            "default rules."
        )
    value = dict(stored or {})
    value["rules"] = [_rule_value(row, i, errors) for i, row in on]
    kept = {k: v for k, v in (value.get("cadence") or {}).items() if k in sent.elsewhere}
    value["cadence"] = kept | _cadence_value(sent.cadence, errors)
    places: dict[tuple[Any, ...], str] = {("rules", k): f"rule-{i}" for k, (i, _) in enumerate(on)}
    segments = {r.segment: j for j, r in enumerate(sent.cadence) if r.segment}
    places |= {("cadence", s): f"cadence-{j}" for s, j in segments.items()}
    return _checked(rule_settings.PlaybookIn, value, errors, places)


def _checked(
    model: type[Model],
    value: dict[str, Any],
    errors: Errors,
    places: Mapping[tuple[Any, ...], str],
) -> tuple[Model | None, Errors]:
    """``value`` checked by ``model``; each refusal put against the field it names (``places``:
    a path prefix → the form's field id prefix), else against the whole form."""
    if errors:
        return None, errors
    try:
        return model.model_validate(value), {}
    except ValidationError as exc:
        for e in exc.errors():
            loc, message = tuple(e["loc"]), str(e["msg"]).removeprefix("Value error, ")
            where = next((p for prefix, p in places.items() if loc[:2] == prefix), None)
            rest = [str(x) for x in loc[2:] if not isinstance(x, int)]
            if where is not None:  # a row's field, or the row (ideal above maximum)
                errors.setdefault(f"{where}-{rest[0]}" if rest else where, f"{message}.")
            else:
                errors.setdefault("form", f"{'.'.join(map(str, loc))}: {message}.")
        return None, errors


def weights_form(weights: Mapping[str, float]) -> WeightsForm:
    return WeightsForm({n: _text(weights.get(n)) for n in scores.DEFAULT_WEIGHTS})


def submitted_weights(form: FormData) -> WeightsForm:
    return WeightsForm(
        {n: str(form.get(f"weight-{n}", "")).strip() for n in scores.DEFAULT_WEIGHTS}
    )


def weights_value(sent: WeightsForm) -> tuple[rule_settings.HealthWeightsIn | None, Errors]:
    """The weights the form asks for, checked by the API's model (and the form's own rules)."""
    errors: Errors = {}
    weights: dict[str, float] = {}
    for name, raw in sent.values.items():
        value = _number(raw, f"weight-{name}", errors)
        if value is None:
            errors.setdefault(f"weight-{name}", "Give a weight: 0 or more (0 leaves it out).")
        elif value < 0:
            errors[f"weight-{name}"] = "A weight cannot be negative."
        else:
            weights[name] = float(value)
    if not errors and not any(weights.values()):
        errors["weights"] = (
            "Give at least one component a weight above 0: with every weight at 0 every "
            "relationship's health is 50."
        )
    return _checked(rule_settings.HealthWeightsIn, {"weights": weights}, errors, {})
