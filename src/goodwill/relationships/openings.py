"""The words of a task's suggested opening: the customer's first name, a tenure or a gap as a
person says it, and the rule's template filled without failing on a field it does not know."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def first_name(name: str | None) -> str:
    parts = (name or "").split()
    return parts[0] if parts else "Hello"


def years(days: float) -> str:
    years = int(days // 365)
    return "a year" if years == 1 else f"{years} years"


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: Mapping[str, Any]) -> str:
    """The opening with its fields filled; a field the rule does not know stays as written, and
    a template that is not a valid format string is shown unfilled."""
    try:
        return template.format_map(_Keep(values))
    except (ValueError, IndexError, AttributeError):
        return template


def gap_words(days: float) -> str:
    """A gap as a person would say it: "30 days", "3 months", "over a year"."""
    if days < 45:
        return f"{days:.0f} days"
    if days < 365:
        return f"{days / 30.4:.0f} months"
    years = int(days // 365)
    return "over a year" if years == 1 else f"over {years} years"
