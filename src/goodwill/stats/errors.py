"""Errors raised by the statistical models.

``ConvergenceError`` is the project's (``goodwill.errors``), re-exported here so ``goodwill.stats``
stays usable on its own; ``InvalidSummaryError`` is a ``ValueError`` so callers that only know the
standard library still catch bad input.
"""

from __future__ import annotations

from goodwill.errors import ConvergenceError

__all__ = ["ConvergenceError", "InvalidSummaryError"]


class InvalidSummaryError(ValueError):
    """A (frequency, recency, T) summary breaks a rule the models rely on.

    ``field`` names the offending input and ``index`` the first offending customer (``None`` when
    the problem is not tied to one row, such as a length mismatch), so a boundary such as the CLI
    can point at the line of the file it read.
    """

    def __init__(self, field: str, message: str, index: int | None = None) -> None:
        where = f" (row {index})" if index is not None else ""
        super().__init__(f"{field}: {message}{where}")
        self.field = field
        self.index = index
        self.reason = message
