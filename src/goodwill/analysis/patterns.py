"""A bank of labelled phrase patterns.

Each rule analyser keeps its phrases as data (``{label: [pattern, ...]}``) beside its code; the
bank compiles one alternation per label, so labels may overlap ("charged twice" is both a
complaint and billing) while each label is still one scan of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Match:
    label: str
    start: int
    end: int
    text: str


class PatternBank:
    """Case-insensitive phrases that start and end at word boundaries; ``’`` is read as ``'``."""

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self._regexes = {
            label: re.compile(
                "(?<!\\w)(?:" + "|".join(f"(?:{p})" for p in patterns) + ")(?!\\w)", re.IGNORECASE
            )
            for label, patterns in table.items()
        }

    def finditer(self, text: str) -> Iterator[Match]:
        """Every match of every label, in text order."""
        plain = text.replace("’", "'")
        found = [
            Match(label, m.start(), m.end(), text[m.start() : m.end()])
            for label, regex in self._regexes.items()
            for m in regex.finditer(plain)
        ]
        yield from sorted(found, key=lambda m: (m.start, m.end))

    def labels_in(self, text: str) -> set[str]:
        plain = text.replace("’", "'")
        return {label for label, regex in self._regexes.items() if regex.search(plain)}
