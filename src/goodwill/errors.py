"""The errors Goodwill's services raise, and nothing else.

    GoodwillError
    ├── NotFound            no such record, or another organisation's (the same to a caller)
    ├── Conflict            the request clashes with stored state (a duplicate, an immutable row)
    ├── InvalidInput        the caller sent something malformed; says what and where
    │   └── ImportRejected  a whole import file refused, with every bad row listed
    ├── PermissionDenied    authenticated, but the role does not allow the action
    ├── NotAuthenticated    no valid credentials
    ├── TenancyViolation    code crossed its organisation's boundary (a bug, not a user error)
    └── ConvergenceError    a statistical model failed to converge

Each boundary translates these once: the API into JSON 404/409/422/403/401, the CLI into one
line and a non-zero exit code, jobs into a log line and a retry.
"""

from __future__ import annotations

from dataclasses import dataclass


class GoodwillError(Exception):
    """Base of every error a Goodwill service raises on purpose."""


class NotFound(GoodwillError):
    """The record does not exist for this caller."""


class Conflict(GoodwillError):
    """The request clashes with what is stored."""


class InvalidInput(GoodwillError):
    """The input is malformed; the message says what and where."""


@dataclass(frozen=True)
class RowError:
    """One bad row of an import file."""

    line: int
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field!r}" if self.field else "")
        return f"{where}: {self.reason}"


class ImportRejected(InvalidInput):
    """An import file with bad rows: nothing of it was stored."""

    def __init__(self, source: str, errors: list[RowError], *, limit: int = 1000) -> None:
        self.source = source
        self.errors = errors[:limit]
        self.total_errors = len(errors)
        shown = "; ".join(str(e) for e in self.errors[:5])
        more = f" (and {self.total_errors - 5} more)" if self.total_errors > 5 else ""
        super().__init__(
            f"{source}: {self.total_errors} bad row(s), nothing imported: {shown}{more}"
        )


class PermissionDenied(GoodwillError):
    """The member's role does not allow this action."""


class NotAuthenticated(GoodwillError):
    """Missing or invalid credentials."""


class TenancyViolation(GoodwillError):
    """A query or write crossed, or had no, organisation scope."""


class ConvergenceError(GoodwillError):
    """A statistical model's optimiser did not converge."""
