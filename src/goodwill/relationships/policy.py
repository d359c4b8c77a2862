"""The long-term customer policy check (seed 003): are long-term customers treated worse than new
ones? Treating them "the same or even worse than new customers causes disproportionate irritation".

Two groups of relationships are compared over a period: by their current lifecycle phase
(``Relationship.phase``; by default ``long_term`` against ``early_days``), or, with ``group_by:
tenure``, by how long they have been customers at the end of the period (the phase thresholds, by
default at least 365 days against fewer than 60, so a long-term customer in a first disagreement
still counts as long-term). Four measures:

* **waiting**: for each customer turn (the first inbound message or call after the company last
  spoke, opened in the period), the time to the first later outbound message or call to that
  customer, if within 14 days; median and 90th percentile per group, Mann–Whitney U test; turns
  not answered within 14 days are counted apart;
* **politeness** and **trust_signals** of those first replies, from their stored analyses: the
  ``politeness`` score in [-1, 1], and a trust balance in {-1, 0, 1} (+1 with ownership, empathy or
  apology, -1 with blame or hedging); mean per group, Mann–Whitney U test;
* **offers**: the share of each group's customers sent an outbound message in the period that
  mentions an offer (phrases: discount, % off, free month, ...), Fisher's exact test.

A measure is ``flagged`` when long-term customers are worse off by more than its margin and the
test's two-sided p-value is below ``alpha``. Every setting lives in the organisation's settings
under ``"policy_check"`` (:class:`PolicyConfig`). The data is read here in three set-based
queries; the measures are pure functions (:mod:`goodwill.relationships.policy_measures`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from goodwill.database import utcnow
from goodwill.errors import InvalidInput
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations import service as organisation_service
from goodwill.relationships import engine, rules
from goodwill.relationships import policy_measures as measures
from goodwill.relationships.models import Relationship
from goodwill.relationships.policy_measures import LONG, NEW, REPLY_WINDOW, Message, Metric

SETTINGS_KEY = "policy_check"
# Whole words or phrases; a bare "offer" would count "not something we offer".
DEFAULT_OFFER_PHRASES = (
    "discount", "special offer", "exclusive offer", "an offer", "offer for you", "our offer",
    "% off", "promotion", "promo code", "free month", "months free", "upgrade at no cost",
    "free upgrade", "loyalty bonus", "loyalty reward", "special price", "voucher", "cashback",
)  # fmt: skip
DEFAULT_MARGINS = {"waiting": 0.25, "politeness": 0.1, "trust_signals": 0.1, "offers": 0.05}
MESSAGE_KINDS = ("message", "call")
DEFAULT_PERIOD = timedelta(days=90)

Offer = tuple[uuid.UUID, uuid.UUID, datetime]


def _names(raw: Any, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    if raw is None:
        return default
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p for p in raw):
        raise InvalidInput(f"{SETTINGS_KEY}.{key}: must be a non-empty list of names")
    return tuple(raw)


def _margins(raw: Any) -> dict[str, float]:
    if raw is not None and not isinstance(raw, Mapping):
        raise InvalidInput(f"{SETTINGS_KEY}.margins: must be an object")
    margins = {**DEFAULT_MARGINS, **(raw or {})}
    if set(margins) != set(DEFAULT_MARGINS) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in margins.values()
    ):
        raise InvalidInput(f"{SETTINGS_KEY}.margins: non-negative numbers for {DEFAULT_MARGINS}")
    return {k: float(v) for k, v in margins.items()}


def _group_by(raw: Any) -> str:
    if raw not in ("phase", "tenure"):
        raise InvalidInput(f"{SETTINGS_KEY}.group_by: must be 'phase' or 'tenure', got {raw!r}")
    return str(raw)


def _days(raw: Any, key: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw <= 0:
        raise InvalidInput(f"{SETTINGS_KEY}.{key}: must be a positive number of days")
    return float(raw)


@dataclass(frozen=True)
class PolicyConfig:
    """The organisation's ``policy_check`` settings, all optional: ``group_by`` (``phase``: the
    relationships' current phase, in ``long_term_phases`` or ``new_phases``; ``tenure``: customer
    for at least ``long_term_days`` or fewer than ``new_days`` at the end of the period, by
    default the lifecycle thresholds), ``offer_phrases``, ``margins`` (waiting: relative, 0.25 = a
    quarter longer; politeness, trust_signals and offers: absolute), ``alpha``,
    ``min_group_size``."""

    group_by: str = "phase"
    long_term_phases: tuple[str, ...] = ("long_term",)
    new_phases: tuple[str, ...] = ("early_days",)
    long_term_days: float | None = None
    new_days: float | None = None
    offer_phrases: tuple[str, ...] = DEFAULT_OFFER_PHRASES
    margins: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_MARGINS))
    alpha: float = 0.05
    min_group_size: int = 5

    @classmethod
    def of(cls, settings: Mapping[str, Any] | None) -> PolicyConfig:
        """The configuration in an organisation's settings; ``InvalidInput`` naming a bad key."""
        raw = (settings or {}).get(SETTINGS_KEY) or {}
        if not isinstance(raw, Mapping):
            raise InvalidInput(f"{SETTINGS_KEY}: must be an object")
        alpha, size = raw.get("alpha", 0.05), raw.get("min_group_size", 5)
        if not isinstance(alpha, int | float) or not 0 < alpha < 1:
            raise InvalidInput(f"{SETTINGS_KEY}.alpha: must be a number between 0 and 1")
        if not isinstance(size, int) or isinstance(size, bool) or size < 2:
            raise InvalidInput(f"{SETTINGS_KEY}.min_group_size: must be a whole number >= 2")
        config = cls(
            group_by=_group_by(raw.get("group_by", "phase")),
            long_term_days=_days(raw.get("long_term_days"), "long_term_days"),
            new_days=_days(raw.get("new_days"), "new_days"),
            long_term_phases=_names(
                raw.get("long_term_phases"), "long_term_phases", ("long_term",)
            ),
            new_phases=_names(raw.get("new_phases"), "new_phases", ("early_days",)),
            offer_phrases=_names(raw.get("offer_phrases"), "offer_phrases", DEFAULT_OFFER_PHRASES),
            margins=_margins(raw.get("margins")),
            alpha=float(alpha),
            min_group_size=size,
        )
        if set(config.long_term_phases) & set(config.new_phases):
            raise InvalidInput(f"{SETTINGS_KEY}: a phase cannot be in both groups")
        return config

    @property
    def phases(self) -> tuple[str, ...]:
        return (*self.long_term_phases, *self.new_phases)

    def group_of(self, phase: str | None) -> str | None:
        if phase in self.long_term_phases:
            return LONG
        return NEW if phase in self.new_phases else None


@dataclass(frozen=True)
class PolicyReport:
    """The check over [period_from, period_to): the groups compared and each measure."""

    period_from: datetime
    period_to: datetime
    groups: dict[str, dict[str, Any]]
    metrics: list[Metric]

    @property
    def flagged(self) -> bool:
        return any(m.flagged for m in self.metrics)


def period(
    period_from: datetime | None, period_to: datetime | None, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """The period asked for: by default the 90 days up to now; ``InvalidInput`` if empty."""
    end = period_to or now or utcnow()
    start = period_from or end - DEFAULT_PERIOD
    if start >= end:
        raise InvalidInput(f"from ({start.isoformat()}) must be before to ({end.isoformat()})")
    return start, end


def _groups(
    db: Session, config: PolicyConfig, end: datetime, limits: tuple[float, float]
) -> dict[uuid.UUID, str]:
    """Customer → group of each relationship in one of the groups that started before ``end``:
    by its phase, or by its tenure at ``end`` (at least ``limits[0]`` days: long-term; fewer
    than ``limits[1]``: new)."""
    started = or_(Relationship.started_at.is_(None), Relationship.started_at < end)
    if config.group_by == "phase":
        rows = db.execute(
            select(Relationship.customer_id, Relationship.phase).where(
                Relationship.phase.in_(config.phases), started
            )
        )
        found = {customer_id: config.group_of(phase) for customer_id, phase in rows}
    else:
        tenures = db.execute(
            select(Relationship.customer_id, Relationship.started_at).where(
                Relationship.started_at < end
            )
        )
        found = {
            row.customer_id: _by_tenure((end - row.started_at).total_seconds() / 86400, limits)
            for row in tenures
        }
    return {customer_id: group for customer_id, group in found.items() if group is not None}


def _by_tenure(days: float, limits: tuple[float, float]) -> str | None:
    return LONG if days >= limits[0] else NEW if days < limits[1] else None


def _tenure_limits(settings: dict[str, Any] | None, config: PolicyConfig) -> tuple[float, float]:
    """Days of tenure that make a customer long-term, and under which they are new: the check's
    own settings, else the organisation's lifecycle phase thresholds."""
    custom = ((settings or {}).get(engine.SETTINGS_KEY) or {}).get("phases") or {}
    phases = {**rules.DEFAULT_PHASES, **custom}
    return (
        config.long_term_days or float(phases["long_term_days"]),
        config.new_days or float(phases["early_days_days"]),
    )


def _in_groups(
    config: PolicyConfig, end: datetime, limits: tuple[float, float]
) -> ColumnElement[bool]:
    """The SQL filter that narrows a query to the groups' relationships."""
    if config.group_by == "phase":
        return Relationship.phase.in_(config.phases)
    newest = end - timedelta(days=limits[1])
    return or_(
        Relationship.started_at <= end - timedelta(days=limits[0]),
        and_(Relationship.started_at > newest, Relationship.started_at < end),
    )


def _value(result: dict[str, Any] | None) -> Any:
    return (result or {}).get("value")


def _message(row: Any, politeness: dict[str, Any] | None, trust: dict[str, Any] | None) -> Message:
    score, signals = _value(politeness), _value(trust)
    return Message(
        id=row.id,
        customer_id=row.customer_id,
        occurred_at=row.occurred_at,
        inbound=row.direction == "inbound",
        politeness=float(score) if isinstance(score, int | float) else None,
        trust=None
        if trust is None
        else frozenset(str(s.get("type")) for s in signals or [] if isinstance(s, dict)),
    )


def _messages(
    db: Session, config: PolicyConfig, start: datetime, end: datetime, limits: tuple[float, float]
) -> list[Message]:
    """The groups' inbound and outbound messages and calls from ``start`` until a reply window
    after ``end``, with their politeness and trust signals; by customer, then time (one query)."""
    polite, trust = aliased(MessageAnalysis), aliased(MessageAnalysis)
    columns = (
        Interaction.id,
        Interaction.customer_id,
        Interaction.occurred_at,
        Interaction.direction,
    )
    stmt = select(*columns, polite.result, trust.result).join(
        Relationship, Relationship.customer_id == Interaction.customer_id
    )
    for analysis, name in ((polite, "politeness"), (trust, "trust_signals")):
        stmt = stmt.outerjoin(
            analysis, and_(analysis.interaction_id == Interaction.id, analysis.analyser == name)
        )
    stmt = stmt.where(
        _in_groups(config, end, limits),
        Interaction.kind.in_(MESSAGE_KINDS),
        Interaction.direction.in_(("inbound", "outbound")),
        Interaction.occurred_at >= start,
        Interaction.occurred_at < end + REPLY_WINDOW,
    ).order_by(Interaction.customer_id, Interaction.occurred_at, Interaction.id)
    return [_message(row, row[-2], row[-1]) for row in db.execute(stmt)]


def offer_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    """The offer phrases as whole words (``offer`` matches "an offer", not "offered")."""
    return re.compile("|".join(_whole(p.lower()) for p in phrases))


def _whole(phrase: str) -> str:
    """The phrase with word boundaries where it starts or ends with a letter or digit (so
    "% off" still matches "20% off")."""
    before = r"(?<!\w)" if phrase[:1].isalnum() else ""
    after = r"(?!\w)" if phrase[-1:].isalnum() else ""
    return f"{before}{re.escape(phrase)}{after}"


def _offers(
    db: Session, config: PolicyConfig, start: datetime, end: datetime, limits: tuple[float, float]
) -> list[Offer]:
    """(interaction, customer, time) of the groups' outbound messages in the period that mention
    an offer: a substring filter in SQL (one query), then the phrases as whole words."""
    body = func.lower(Interaction.body)
    stmt = (
        select(Interaction.id, Interaction.customer_id, Interaction.occurred_at, Interaction.body)
        .join(Relationship, Relationship.customer_id == Interaction.customer_id)
        .where(
            _in_groups(config, end, limits),
            Interaction.direction == "outbound",
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
            or_(*(body.contains(p.lower(), autoescape=True) for p in config.offer_phrases)),
        )
    )
    pattern = offer_pattern(config.offer_phrases)
    return [
        (i, c, at) for i, c, at, text in db.execute(stmt) if pattern.search((text or "").lower())
    ]


def _trust_score(message: Message) -> float | None:
    return None if message.trust is None else measures.trust_balance(message.trust)


def _politeness(message: Message) -> float | None:
    return message.politeness


def check(
    *, db: Session, period_from: datetime | None = None, period_to: datetime | None = None
) -> PolicyReport:
    """Compare how the organisation treats its long-term and its new customers over the period
    (default: the last 90 days)."""
    settings = organisation_service.get_organisation(db=db).settings
    config = PolicyConfig.of(settings)
    start, end = period(period_from, period_to)
    limits = _tenure_limits(settings, config)
    groups = _groups(db, config, end, limits)
    messages = [m for m in _messages(db, config, start, end, limits) if m.customer_id in groups]
    turns = measures.customer_turns(messages, start, end)
    sent = [offer for offer in _offers(db, config, start, end, limits) if offer[1] in groups]
    size = config.min_group_size
    comparisons = [
        measures.waiting(turns, groups, size),
        measures.reply_quality("politeness", turns, groups, _politeness, size),
        measures.reply_quality("trust_signals", turns, groups, _trust_score, size),
        measures.offers(sent, groups, size),
    ]
    return PolicyReport(
        period_from=start,
        period_to=end,
        groups=_describe_groups(config, groups, limits),
        metrics=[measures.verdict(c, config) for c in comparisons],
    )


def _describe_groups(
    config: PolicyConfig, groups: dict[uuid.UUID, str], limits: tuple[float, float]
) -> dict[str, dict[str, Any]]:
    if config.group_by == "phase":
        rules_of = {
            LONG: f"phase {' or '.join(config.long_term_phases)}",
            NEW: f"phase {' or '.join(config.new_phases)}",
        }
    else:
        rules_of = {
            LONG: f"customer for at least {limits[0]:g} days at the end of the period",
            NEW: f"customer for fewer than {limits[1]:g} days at the end of the period",
        }
    phases = {LONG: config.long_term_phases, NEW: config.new_phases}
    return {
        g: {
            "rule": rules_of[g],
            "phases": list(phases[g]) if config.group_by == "phase" else [],
            "customers": sum(1 for v in groups.values() if v == g),
        }
        for g in (LONG, NEW)
    }
