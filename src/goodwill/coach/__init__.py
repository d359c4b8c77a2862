"""The reply coach: finds micro-irritants and strengths in a draft reply before it is sent.

    from goodwill.coach import Coach, Draft
    verdict = Coach().review(Draft(customer_message=..., reply=...))

The catalogue (``goodwill.coach.catalogue``) holds one module per category with its phrases,
examples, explanations and detector; the engine (``goodwill.coach.engine``) runs them against the
draft's situation (``goodwill.coach.situation``) and scores it.
"""

from goodwill.coach.engine import Coach
from goodwill.coach.model import (
    IRRITANTS,
    STRENGTHS,
    CustomerReading,
    Draft,
    Finding,
    RelationshipContext,
    Turn,
    Verdict,
)
from goodwill.coach.reading import AnalysisReader, CustomerReader, InterimReader, default_reader

__all__ = [
    "IRRITANTS",
    "STRENGTHS",
    "AnalysisReader",
    "Coach",
    "CustomerReader",
    "CustomerReading",
    "Draft",
    "Finding",
    "InterimReader",
    "RelationshipContext",
    "Turn",
    "Verdict",
    "default_reader",
]
