"""One relationship's trust pillars, connection and health from its messages and promises.

Reads what :mod:`goodwill.relationships.scores_signals` fetched for a batch and scores it with
the pure functions in :mod:`goodwill.relationships.scores`; the result is the JSON stored on the
relationship (``Relationship.trust``) and returned by ``GET /relationships/{id}/trust``.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from goodwill.relationships import scores
from goodwill.relationships.scores import Score, evidence
from goodwill.relationships.scores_signals import Message, Promise

FOLLOW_THROUGH = timedelta(hours=48)  # a reply this soon after a complaint is follow-through
WINDOW = timedelta(days=90)
YEAR = timedelta(days=365)
OWNING = frozenset({"ownership", "apology"})


@dataclass(frozen=True)
class Context:
    """What the stage engine already knows of the relationship."""

    as_of: datetime
    ended: bool = False
    open_complaints: int = 0


def _reliability(promises: Sequence[Promise]) -> Score:
    count = {s: sum(p.status == s for p in promises) for s in ("kept", "kept_late", "broken")}
    found = Score(
        scores.reliability(kept=count["kept"], kept_late=count["kept_late"], broken=count["broken"])
    )
    found.evidence.append(
        evidence(
            "promises",
            count,
            f"{count['kept']} kept, {count['kept_late']} late, {count['broken']} broken; "
            "with a Beta(2, 2) prior",
        )
    )
    for p in reversed(promises):
        if p.status in count:
            where = p.closed_by_interaction_id or p.interaction_id
            found.evidence.append(evidence("promise", p.status, f"promise {p.id}", where))
    return found


def reply_delays(messages: Sequence[Message]) -> list[tuple[float, Message]]:
    """Hours from each customer message we had not answered yet to our next reply."""
    delays: list[tuple[float, Message]] = []
    waiting: Message | None = None
    for msg in messages:
        if msg.inbound:
            waiting = waiting or msg
        elif waiting is not None:
            hours = (msg.occurred_at - waiting.occurred_at).total_seconds() / 3600
            delays.append((hours, msg))
            waiting = None
    return delays


def _predictability(messages: Sequence[Message], promises: Sequence[Promise]) -> Score:
    delays = reply_delays(messages)
    hours = [h for h, _ in delays]
    on_time = sum(p.status == "kept" for p in promises)
    late = sum(p.status in ("kept_late", "broken") for p in promises)
    found = Score(scores.predictability(delays=hours, on_time=on_time, late=late))
    steady = scores.consistency(hours)
    if steady is not None:
        spread = scores.variation(hours) or 0.0
        found.evidence.append(
            evidence(
                "reply_delays",
                {"replies": len(hours), "median_hours": round(sorted(hours)[len(hours) // 2], 1)},
                f"coefficient of variation {spread:.2f} → consistency {steady:.0f}",
            )
        )
    found.evidence.append(
        evidence("delivery", {"on_time": on_time, "late": late}, "promises delivered on time")
    )
    slowest = max(delays, key=lambda d: d[0], default=None)
    if slowest is not None and len(delays) > 1:
        found.evidence.append(
            evidence("slowest_reply", round(slowest[0], 1), "hours to reply", slowest[1].id)
        )
    return found


def _after(messages: Sequence[Message], complaint: Message) -> Message | None:
    return next(
        (m for m in messages if not m.inbound and m.occurred_at > complaint.occurred_at), None
    )


def _accountability(messages: Sequence[Message], promises: Sequence[Promise]) -> Score:
    complaints = [m for m in messages if m.inbound and "complaint" in m.intents]
    owned = followed = 0
    notes: list[dict[str, Any]] = []
    for complaint in complaints:
        reply = _after(messages, complaint)
        owns = reply is not None and bool(reply.trust & OWNING) and "blame" not in reply.trust
        soon = reply is not None and reply.occurred_at - complaint.occurred_at <= FOLLOW_THROUGH
        kept = any(p.status == "kept" and p.made_at >= complaint.occurred_at for p in promises)
        owned += owns
        followed += soon or kept
        reason = ("owned or apologised" if owns else "no ownership or apology") + (
            ", followed through" if soon or kept else ", no follow-through"
        )
        notes.append(
            evidence(
                "complaint",
                {"owned": owns, "followed_through": soon or kept},
                reason,
                (reply or complaint).id if owns else complaint.id,
            )
        )
    found = Score(
        scores.accountability(owned=owned, followed_through=followed, complaints=len(complaints))
    )
    found.evidence.append(
        evidence("complaints", len(complaints), f"{owned} owned, {followed} followed through")
    )
    found.evidence.extend(reversed(notes))
    return found


def _dependability(messages: Sequence[Message], as_of: datetime) -> Score:
    months: dict[tuple[int, int], list[Message]] = {}
    for msg in messages:
        if msg.inbound and msg.occurred_at > as_of - YEAR:
            months.setdefault((msg.occurred_at.year, msg.occurred_at.month), []).append(msg)
    bad: list[dict[str, Any]] = []
    for (year, month), inbox in sorted(months.items(), reverse=True):
        complaint = next((m for m in inbox if "complaint" in m.intents), None)
        moods = [m.sentiment for m in inbox if m.sentiment is not None]
        if complaint is not None:
            bad.append(evidence("month", f"{year}-{month:02d}", "a complaint", complaint.id))
        elif moods and statistics.fmean(moods) < 0:
            bad.append(evidence("month", f"{year}-{month:02d}", "negative mean sentiment"))
    good = len(months) - len(bad)
    found = Score(scores.dependability(good_months=good, months=len(months)))
    found.evidence.append(
        evidence("months", {"good": good, "active": len(months)}, "last 12 months with messages")
    )
    found.evidence.extend(bad)
    return found


def _carrying_capacity(messages: Sequence[Message], ended: bool) -> Score:
    felt: dict[str, Message] = {}
    for msg in messages:
        if msg.inbound and msg.emotion and msg.emotion != "neutral":
            felt[msg.emotion] = msg
    found = Score(scores.carrying_capacity(felt, ended=ended))
    reason = f"{len(felt)} of {scores.EMOTION_RANGE} emotions expressed"
    found.evidence.append(
        evidence("emotions", sorted(felt), reason + (", and it ended" if ended else ""))
    )
    found.evidence.extend(evidence("emotion", e, "latest message", m.id) for e, m in felt.items())
    return found


def _tensility(messages: Sequence[Message]) -> Score:
    inbox = [m for m in messages if m.inbound]
    setbacks = [i for i, m in enumerate(inbox) if m.negative]
    # a setback lasts when every later message is negative too: it comes after the last calm one
    last_calm = max((i for i, m in enumerate(inbox) if not m.negative), default=-1)
    lasting = [inbox[i] for i in setbacks if i > last_calm]
    recovered = len(setbacks) - len(lasting)
    found = Score(scores.tensility(setbacks=len(setbacks), recovered=recovered))
    found.evidence.append(
        evidence(
            "setbacks",
            {"setbacks": len(setbacks), "recovered": recovered},
            "negative messages followed by a later calm or positive one",
        )
    )
    found.evidence.extend(evidence("setback", "not recovered", "", m.id) for m in lasting[-3:])
    return found


def _connectivity(messages: Sequence[Message]) -> Score:
    ideas = [m for m in messages if "suggestion" in m.intents]
    found = Score(scores.connectivity(len(ideas)))
    found.evidence.append(evidence("suggestions", len(ideas), "suggestions and ideas exchanged"))
    found.evidence.extend(evidence("suggestion", 1, "", m.id) for m in ideas[-3:])
    return found


def _trend(messages: Sequence[Message], as_of: datetime) -> float:
    def mean_between(start: datetime, end: datetime) -> float | None:
        found = [
            m.sentiment
            for m in messages
            if m.inbound and m.sentiment is not None and start < m.occurred_at <= end
        ]
        return statistics.fmean(found) if found else None

    recent = mean_between(as_of - WINDOW, as_of)
    return scores.sentiment_trend(recent, mean_between(as_of - 2 * WINDOW, as_of - WINDOW))


def overdue(promises: Sequence[Promise], as_of: datetime) -> int:
    """Promises past their due time: still open, or broken in the last 90 days."""
    return sum(
        p.due_at is not None
        and p.due_at < as_of
        and (p.status == "open" or (p.status == "broken" and p.due_at > as_of - WINDOW))
        for p in promises
    )


def compute(
    messages: Sequence[Message],
    promises: Sequence[Promise],
    context: Context,
    weights: Mapping[str, float],
) -> dict[str, Any]:
    """The trust document of one relationship: pillars, connection and health."""
    pillars = {
        "reliability": _reliability(promises),
        "predictability": _predictability(messages, promises),
        "accountability": _accountability(messages, promises),
        "dependability": _dependability(messages, context.as_of),
    }
    parts = {
        "carrying_capacity": _carrying_capacity(messages, context.ended),
        "tensility": _tensility(messages),
        "connectivity": _connectivity(messages),
    }
    connection = statistics.fmean(p.score for p in parts.values())
    components = {name: found.score for name, found in pillars.items()}
    components |= {
        "connection": connection,
        "sentiment_trend": _trend(messages, context.as_of),
        "open_complaints": scores.burden(context.open_complaints),
        "overdue_promises": scores.burden(overdue(promises, context.as_of)),
    }
    score, breakdown = scores.health(components, weights)
    return {
        "pillars": {name: found.to_json() for name, found in pillars.items()},
        "connection": {
            "score": round(connection, 1),
            **{name: found.to_json() for name, found in parts.items()},
        },
        "health": {"score": round(score, 1), "components": breakdown, "weights": dict(weights)},
        "computed_at": context.as_of.isoformat(),
    }
