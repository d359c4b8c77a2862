"""A pipeline is an ordered list of analysers; each reads earlier fields and writes its own.

:meth:`Pipeline.run_batch` returns one :class:`Analysis` per message. ``Analysis.stored()`` is
what the database keeps beside the message: for each stored analyser its name, version and
JSON value, so a changed version tells which analyses to recompute. ``Analysis.summary()`` is
the compact shape of ``goodwill analyse --json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from goodwill.analysis.base import Analyser, Context, JSONDict, Message, Result

SUMMARY_FIELDS = (
    "language",
    "sentiment",
    "emotion",
    "intent",
    "politeness",
    "trust_signals",
    "commitments",
)


@dataclass(frozen=True)
class Analysis:
    message: Message
    results: dict[str, Result]
    versions: dict[str, tuple[str, str]]  # output field -> (analyser name, version)

    def stored(self) -> dict[str, JSONDict]:
        """``{field: {"analyser", "version", "value"}}`` for every stored field."""
        return {
            name: {"analyser": analyser, "version": version, "value": self.results[name].to_json()}
            for name, (analyser, version) in self.versions.items()
        }

    def summary(self, *, with_embedding: bool = False) -> JSONDict:
        out: JSONDict = {"id": self.message.id}
        for name in SUMMARY_FIELDS:
            if name in self.results:
                out[name] = self.results[name].to_json()
        if with_embedding and "embedding" in self.results:
            out["embedding"] = self.results["embedding"].to_json()
        return out


class Pipeline:
    def __init__(self, analysers: Sequence[Analyser[Any]]) -> None:
        written: set[str] = set()
        for analyser in analysers:
            missing = [i for i in analyser.inputs if i not in written]
            if missing:
                raise ValueError(f"{analyser.name} needs {missing} from an earlier analyser")
            if analyser.output in written:
                raise ValueError(f"two analysers write {analyser.output!r}")
            written.add(analyser.output)
        self.analysers = tuple(analysers)

    def describe(self) -> list[dict[str, str]]:
        return [
            {"analyser": a.name, "version": a.version, "output": a.output} for a in self.analysers
        ]

    def run_batch(self, messages: Sequence[Message]) -> list[Analysis]:
        contexts = [Context() for _ in messages]
        for analyser in self.analysers:
            results = analyser.analyse_batch(messages, contexts)
            for context, result in zip(contexts, results, strict=True):
                context.values[analyser.output] = result
        versions = {a.output: (a.name, a.version) for a in self.analysers if a.stored}
        return [Analysis(m, c.values, versions) for m, c in zip(messages, contexts, strict=True)]

    def run(self, message: Message) -> Analysis:
        return self.run_batch([message])[0]
