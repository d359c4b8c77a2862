"""The reply coach: reads the customer, runs the catalogue's detectors, scores the draft.

Pure: no database, no web. ``Coach.review`` judges one draft; ``Coach.review_batch`` many (the
reader sees them all at once, so a model is run once per batch).
"""

from __future__ import annotations

from collections.abc import Sequence

from goodwill.coach import catalogue
from goodwill.coach.catalogue import self_undermining
from goodwill.coach.model import Draft, Finding, Severity, Verdict
from goodwill.coach.reading import CustomerReader, default_reader
from goodwill.coach.situation import Situation, build_situation
from goodwill.coach.spec import Category, Hit

RANK: dict[Severity, int] = {"low": 0, "medium": 1, "high": 2}
BASE_SCORE = 75
PENALTY: dict[Severity, float] = {"low": 5.0, "medium": 11.0, "high": 30.0}
ACCUMULATION = 0.08  # each further irritant makes every irritant weigh 8% more
STRENGTH_BONUS: dict[Severity, float] = {"low": 4.0, "medium": 6.0, "high": 9.0}
MAX_BONUS = 25.0


class Coach:
    """Reviews reply drafts against the micro-irritant catalogue."""

    def __init__(
        self,
        reader: CustomerReader | None = None,
        categories: Sequence[Category] | None = None,
    ) -> None:
        self.reader = reader if reader is not None else default_reader()
        self.categories = tuple(categories) if categories is not None else catalogue.load()

    def review(self, draft: Draft) -> Verdict:
        return self.review_batch([draft])[0]

    def review_batch(self, drafts: Sequence[Draft]) -> list[Verdict]:
        readings = self.reader.read_batch(
            [d.customer_message for d in drafts], [d.context for d in drafts]
        )
        return [self._judge(build_situation(d, r)) for d, r in zip(drafts, readings, strict=True)]

    def _judge(self, s: Situation) -> Verdict:
        findings: list[Finding] = []
        for category in self.categories:
            hits = merge_adjacent(s, category.detect(s, category))
            s.found[category.name] = hits
            findings += [to_finding(s, category, h) for h in hits]
        findings = _one_problem_per_sentence(s, findings)
        findings.sort(key=lambda f: (f.start is None, f.start or 0, f.kind, f.category))
        return Verdict(score(findings), s.reading, tuple(findings))


# a sentence that puts the cause on someone else ("head office have had a backlog, so it's down to
# them now") is blame, whatever weakness it also admits: one sentence, one problem. The operator
# disowning their own competence ("I'm not sure, but …") stays self-undermining whatever follows.
YIELDS = {"self_undermining": "blame_shifting"}


def _one_problem_per_sentence(s: Situation, findings: list[Finding]) -> list[Finding]:
    taken = {(f.category, f.start) for f in findings if f.start is not None}
    disowned = self_undermining.DISOWNED_PATTERN
    return [
        f
        for f in findings
        if f.start is None
        or (YIELDS.get(f.category), f.start) not in taken
        or (disowned is not None and disowned.search(s.reply[f.start : f.end or f.start]))
    ]


def merge_adjacent(s: Situation, hits: list[Hit]) -> list[Hit]:
    """One hit for consecutive sentences of the same category (a closing paragraph, say)."""
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start is None, h.start or 0)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and hit.start is not None
            and last.end is not None
            and (last.end >= hit.start or not s.reply[last.end : hit.start].strip())
            and s.reply.count("\n\n", last.end, hit.start) == 0
        ):
            severity = hit.severity if RANK[hit.severity] > RANK[last.severity] else last.severity
            merged[-1] = Hit(
                last.start, max(last.end, hit.end or 0), severity, last.reason, last.trigger
            )
        else:
            merged.append(hit)
    return merged


def to_finding(s: Situation, category: Category, hit: Hit) -> Finding:
    values = s.values() | {"trigger": hit.trigger.strip()}
    whole = category.whole_reply
    text = s.reply[hit.start : hit.end] if hit.start is not None and hit.end is not None else None
    return Finding(
        category=category.name,
        kind=category.kind,
        start=None if whole else hit.start,
        end=None if whole else hit.end,
        text=None if whole else text,
        severity=hit.severity,
        explanation=_sentence(category.explain(hit.reason, values)),
        suggestion=_sentence(category.suggest(hit.reason, values)),
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def score(findings: Sequence[Finding]) -> int:
    """0–100: irritants cost by severity and weigh more as they accumulate; strengths add."""
    irritants = [f for f in findings if f.kind == "irritant"]
    penalty = sum(PENALTY[f.severity] for f in irritants)
    penalty *= 1.0 + ACCUMULATION * max(len(irritants) - 1, 0)
    best: dict[str, Severity] = {}
    for f in findings:
        if f.kind == "strength" and RANK[f.severity] >= RANK[best.get(f.category, "low")]:
            best[f.category] = f.severity
    bonus = min(MAX_BONUS, sum(STRENGTH_BONUS[v] for v in best.values()))
    return max(0, min(100, round(BASE_SCORE + bonus - penalty)))
