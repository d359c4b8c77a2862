"""Whole drafts around a test's sentence, for the generalisation passes' rule tests.

A body is wrapped in a greeting and a sign-off, so the coach judges it as it judges a real reply.
"""

from __future__ import annotations

from goodwill.coach import Coach, Draft, Verdict


def review(coach: Coach, customer: str, body: str, sign: str = "Best wishes,\nOwen") -> Verdict:
    return coach.review(Draft(customer, f"Hi Maya,\n\n{body}\n\n{sign}"))


def categories(verdict: Verdict) -> set[str]:
    return {f.category for f in verdict.findings}


def flagged(coach: Coach, customer: str, body: str, category: str) -> bool:
    """Whether the coach finds ``category`` in the reply made of ``body``."""
    return category in categories(review(coach, customer, body))
