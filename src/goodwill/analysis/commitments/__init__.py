"""Commitments (promises) in company messages, with owner and due time."""

from goodwill.analysis.commitments.analyser import Commitment, CommitmentExtractor, Commitments
from goodwill.analysis.commitments.due import resolve_due
from goodwill.analysis.commitments.extract import find_commitments

__all__ = ["Commitment", "CommitmentExtractor", "Commitments", "find_commitments", "resolve_due"]
