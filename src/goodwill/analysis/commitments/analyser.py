"""The commitments analyser: promises in company messages, spans in the original text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from goodwill.analysis.base import Analyser, Context, Message
from goodwill.analysis.commitments.extract import find_commitments
from goodwill.analysis.normalise import Normalised


@dataclass(frozen=True)
class Commitment:
    text: str
    owner: str
    due_at: datetime | None
    due_text: str | None
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "owner": self.owner,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "due_text": self.due_text,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Commitments:
    items: tuple[Commitment, ...]

    def to_json(self) -> Any:
        return [c.to_json() for c in self.items]


def extract(normalised: Normalised, sent_at: datetime | None) -> Commitments:
    items = []
    for found in find_commitments(normalised.text, sent_at):
        start, end = normalised.to_original(found.start, found.end)
        text = normalised.original[start:end]
        items.append(Commitment(text, found.owner, found.due_at, found.due_text, start, end))
    return Commitments(tuple(items))


class CommitmentExtractor(Analyser[Commitments]):
    """Promises of company (outbound) messages; unknown direction is read as outbound."""

    name: str = "commitments"
    version: str = "1.0.0"
    output: str = "commitments"
    inputs: tuple[str, ...] = ("normalised",)

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[Commitments]:
        return [
            Commitments(())
            if m.direction == "inbound"
            else extract(c.get("normalised", Normalised), m.sent_at)
            for m, c in zip(messages, contexts, strict=True)
        ]
