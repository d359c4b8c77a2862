"""The catalogue: one module per category, each defining ``CATEGORY`` (see :mod:`..spec`).

Adding a category is adding a module here; the engine discovers it. The names of the micro-irritant
catalogue (DESIGN.md) are fixed: APIs and tests use them.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from goodwill.coach.spec import Category


@cache
def load() -> tuple[Category, ...]:
    """Every category, in the order their detectors run (strengths first)."""
    found: list[Category] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        category = getattr(module, "CATEGORY", None)
        if not isinstance(category, Category):
            raise TypeError(f"{module.__name__} defines no CATEGORY")
        found.append(category)
    names = [c.name for c in found]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate category names in the catalogue: {sorted(names)}")
    return tuple(sorted(found, key=lambda c: (c.kind != "strength", c.order, c.name)))


def by_name() -> dict[str, Category]:
    return {c.name: c for c in load()}
