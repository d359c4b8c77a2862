"""The coaching view, pure: one member's irritants and strengths per week, with examples.

From the coach's stored reviews of the member's replies: per ISO week, how many replies and
words, how many findings of each category, and the irritant density; per irritant category, the
total and its latest examples (the reply and the flagged span), so a one-to-one starts from facts.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class ReviewedReply:
    interaction_id: uuid.UUID
    conversation_id: uuid.UUID | None
    occurred_at: datetime
    words: int
    findings: Sequence[dict[str, Any]]


def week_of(when: datetime) -> str:
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}"


def weeks(replies: Sequence[ReviewedReply]) -> list[dict[str, Any]]:
    """One row per ISO week with a reviewed reply, oldest first."""
    rows: dict[str, dict[str, Any]] = {}
    for r in sorted(replies, key=lambda r: r.occurred_at):
        row = rows.setdefault(
            week_of(r.occurred_at),
            {"replies": 0, "words": 0, "irritants": Counter(), "strengths": Counter()},
        )
        row["replies"] += 1
        row["words"] += r.words
        for f in r.findings:
            row["irritants" if f.get("kind") == "irritant" else "strengths"][f["category"]] += 1
    return [
        {
            "week": week,
            "replies": row["replies"],
            "words": row["words"],
            "irritants": dict(row["irritants"].most_common()),
            "strengths": dict(row["strengths"].most_common()),
            "irritant_density": _density(sum(row["irritants"].values()), row["words"]),
        }
        for week, row in rows.items()
    ]


def _density(irritants: int, words: int) -> float | None:
    return round(100.0 * irritants / words, 4) if words else None


def categories(replies: Sequence[ReviewedReply], examples: int = 3) -> list[dict[str, Any]]:
    """Each irritant category found, most frequent first, with its latest examples."""
    found: dict[str, list[tuple[ReviewedReply, dict[str, Any]]]] = defaultdict(list)
    for r in replies:
        for f in r.findings:
            if f.get("kind") == "irritant":
                found[f["category"]].append((r, f))
    total = len(replies)
    result = []
    for category, hits in sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        latest = sorted(hits, key=lambda h: h[0].occurred_at, reverse=True)[:examples]
        result.append(
            {
                "category": category,
                "count": len(hits),
                "replies_with_it": len({r.interaction_id for r, _ in hits}),
                "share_of_replies": round(len({r.interaction_id for r, _ in hits}) / total, 4),
                "examples": [_example(r, f) for r, f in latest],
            }
        )
    return result


def _example(reply: ReviewedReply, finding: dict[str, Any]) -> dict[str, Any]:
    return {
        "interaction_id": reply.interaction_id,
        "conversation_id": reply.conversation_id,
        "occurred_at": reply.occurred_at,
        "severity": finding.get("severity"),
        "start": finding.get("start"),
        "end": finding.get("end"),
        "explanation": finding.get("explanation"),
    }
