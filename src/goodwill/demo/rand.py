"""Seeded randomness: every draw of the demo comes from a generator named by its purpose.

Reproducibility is the point (same seed, same files), so these are deliberately not
cryptographic generators.
"""

from __future__ import annotations

import random


def rng_for(*parts: object) -> random.Random:
    """A generator seeded by ``parts`` (string seeding is stable across runs and platforms)."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311 - reproducible demo data
