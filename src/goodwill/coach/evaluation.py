"""Measure the coach against labelled drafts (tests/data/coach/*.jsonl).

A finding matches a label when the category is the same and the spans overlap; for whole-reply
categories (``missing_empathy``, ``missing_next_step``, ``impersonal``) the category alone must
match. Precision is the share of findings that match a label, recall the share of labels that
some finding matches, per category and micro-averaged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goodwill.coach.engine import Coach
from goodwill.coach.model import IRRITANTS, STRENGTHS, Draft, Finding, Turn, Verdict

WHOLE_REPLY = frozenset({"missing_empathy", "missing_next_step", "impersonal"})


@dataclass(frozen=True)
class Labelled:
    id: str
    draft: Draft
    labels: tuple[tuple[str, int | None, int | None], ...]  # (category, start, end)


@dataclass
class Tally:
    findings: int = 0
    matched_findings: int = 0
    labels: int = 0
    matched_labels: int = 0

    @property
    def precision(self) -> float:
        return self.matched_findings / self.findings if self.findings else 1.0

    @property
    def recall(self) -> float:
        return self.matched_labels / self.labels if self.labels else 1.0


@dataclass
class Report:
    per_category: dict[str, Tally] = field(default_factory=dict)
    clean_replies: int = 0
    false_irritants_on_clean: int = 0
    items: int = 0

    def micro(self, categories: Iterable[str]) -> Tally:
        total = Tally()
        for c in categories:
            t = self.per_category.get(c, Tally())
            total.findings += t.findings
            total.matched_findings += t.matched_findings
            total.labels += t.labels
            total.matched_labels += t.matched_labels
        return total

    @property
    def false_irritants_per_10_clean(self) -> float:
        return (
            10 * self.false_irritants_on_clean / self.clean_replies if self.clean_replies else 0.0
        )


def load(path: Path) -> list[Labelled]:
    items: list[Labelled] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw: dict[str, Any] = json.loads(line)
        context = tuple(Turn(t["direction"], t["text"]) for t in raw.get("context", []))
        draft = Draft(raw["customer_message"], raw["reply"], context)
        spans = [*raw["labels"], *raw.get("strengths", [])]
        labels = tuple((s["category"], s.get("start"), s.get("end")) for s in spans)
        items.append(Labelled(raw["id"], draft, labels))
    return items


def _overlaps(finding: Finding, start: int | None, end: int | None) -> bool:
    if finding.category in WHOLE_REPLY:
        return True
    if finding.start is None or finding.end is None or start is None or end is None:
        return False
    return finding.start < end and start < finding.end


def evaluate(coach: Coach, items: Sequence[Labelled]) -> tuple[Report, list[Verdict]]:
    verdicts = coach.review_batch([i.draft for i in items])
    report = Report(items=len(items))
    for item, verdict in zip(items, verdicts, strict=True):
        score_item(report, item, verdict)
    return report, verdicts


def score_item(report: Report, item: Labelled, verdict: Verdict) -> None:
    for category in (*IRRITANTS, *STRENGTHS):
        tally = report.per_category.setdefault(category, Tally())
        labels = [(s, e) for c, s, e in item.labels if c == category]
        findings = [f for f in verdict.findings if f.category == category]
        tally.labels += len(labels)
        tally.findings += len(findings)
        tally.matched_findings += sum(
            1 for f in findings if any(_overlaps(f, s, e) for s, e in labels)
        )
        tally.matched_labels += sum(
            1 for s, e in labels if any(_overlaps(f, s, e) for f in findings)
        )
    if not any(c in IRRITANTS for c, _, _ in item.labels):
        report.clean_replies += 1
        report.false_irritants_on_clean += len(verdict.irritants)


def mismatches(item: Labelled, verdict: Verdict) -> list[str]:
    """Human-readable differences between labels and findings, for looking at errors."""
    out: list[str] = []
    text = item.draft.reply
    for f in verdict.findings:
        labels = [(s, e) for c, s, e in item.labels if c == f.category]
        if not any(_overlaps(f, s, e) for s, e in labels):
            out.append(f"  FP {f.category}: {f.text!r}")
    for c, s, e in item.labels:
        if not any(f.category == c and _overlaps(f, s, e) for f in verdict.findings):
            shown = text[s:e] if s is not None and e is not None else "(whole reply)"
            out.append(f"  FN {c}: {shown!r}")
    return out
