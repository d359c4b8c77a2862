"""Typed fields out of one import row: each bad field becomes an error naming the field.

CSV gives every value as text (an empty cell is an absent value); JSONL gives JSON values. Both
go through the same :class:`FieldReader`, so a field means the same in either format.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from goodwill.database import INTEGER_MAX
from goodwill.imports.readers import ErrorLog

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_CENT = Decimal("0.01")
_MAX_AMOUNT = Decimal("1e12")
ATTR_PREFIX = "attr."


def parse_time(value: str) -> datetime:
    """An ISO 8601 time or date (UTC when it has no offset), as an aware UTC datetime."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def normalise_email(value: str) -> str | None:
    """The lower-cased address, or None when it is not an e-mail address."""
    email = value.strip().lower()
    return email if _EMAIL.match(email) else None


class FieldReader:
    """Reads one row's fields; problems are logged against the row's line and the field."""

    __slots__ = ("bad", "line", "log", "values")

    def __init__(self, values: Mapping[str, Any], line: int, log: ErrorLog) -> None:
        self.values = values
        self.line = line
        self.log = log
        self.bad = False

    def fail(self, name: str | None, reason: str) -> None:
        self.bad = True
        self.log.add(self.line, name, reason)

    def raw(self, name: str) -> Any:
        value = self.values.get(name)
        return None if value is None or value == "" else value

    def missing(self, name: str) -> None:
        self.fail(name, "missing: this field is required")

    def text(self, name: str, *, max_length: int, required: bool = False) -> str | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.missing(name)
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(name, "must be text")
            return None
        text = str(value).strip()
        if "\x00" in text:
            self.fail(name, "contains a NUL character")
            return None
        if len(text) > max_length:
            self.fail(name, f"longer than {max_length} characters")
            return None
        if not text and required:
            self.missing(name)
        return text or None

    def body(self, name: str) -> str | None:
        value = self.raw(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(name, "must be text")
        elif "\x00" in value:
            self.fail(name, "contains a NUL character")
        else:
            return value
        return None

    def email(self, name: str) -> str | None:
        value = self.text(name, max_length=320)
        if value is None:
            return None
        email = normalise_email(value)
        if email is None:
            self.fail(name, f"{value!r} is not an e-mail address")
        return email

    def time(self, name: str, *, required: bool = False) -> datetime | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.missing(name)
            return None
        try:
            return parse_time(value)
        except (TypeError, ValueError, AttributeError):
            self.fail(name, f"{value!r} is not an ISO 8601 time (e.g. 2026-03-01T14:05:00Z)")
            return None

    def choice(
        self,
        name: str,
        choices: frozenset[str],
        *,
        required: bool = False,
        default: str | None = None,
    ) -> str | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.missing(name)
            return default
        key = value.strip().lower() if isinstance(value, str) else None
        if key not in choices:
            self.fail(name, f"{value!r} is not one of: {', '.join(sorted(choices))}")
            return None
        return key

    def amount(self, name: str) -> Decimal | None:
        value = self.raw(name)
        if value is None:
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise InvalidOperation
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(name, f"{value!r} is not a decimal number (use a dot: 12.50)")
            return None
        if not number.is_finite() or abs(number) >= _MAX_AMOUNT:
            self.fail(name, f"{value!r} is out of range")
            return None
        if number != number.quantize(_CENT):
            self.fail(name, f"{value!r} has more than 2 decimal places")
            return None
        return number.quantize(_CENT)

    def integer(self, name: str) -> int | None:
        value = self.raw(name)
        if value is None:
            return None
        number = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d{1,18}\s*", value):
            number = int(value)
        if number is None:
            self.fail(name, f"{value!r} is not a whole number")
        elif abs(number) > INTEGER_MAX:  # PostgreSQL (int4) failed the whole file
            self.fail(name, f"{number} is out of range (at most {INTEGER_MAX:,} either way)")
            number = None
        return number

    def number(self, name: str) -> float | None:
        value = self.raw(name)
        if value is None:
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise ValueError
            number = float(value)
        except ValueError:
            self.fail(name, f"{value!r} is not a number")
            return None
        if not math.isfinite(number):
            self.fail(name, f"{value!r} is not a finite number")
            return None
        return number

    def currency(self, name: str) -> str | None:
        value = self.text(name, max_length=100)
        if value is None:
            return None
        code = value.upper()
        if not _CURRENCY.match(code):
            self.fail(name, f"{value!r} is not an ISO 4217 currency code (e.g. EUR)")
            return None
        return code

    def attributes(self) -> dict[str, Any]:
        """The ``attributes`` object (JSON text in CSV) merged with any ``attr.NAME`` columns."""
        value = self.raw("attributes")
        attributes: dict[str, Any] = {}
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                self.fail("attributes", f"not a JSON object: {exc.msg}")
                value = None
        if isinstance(value, dict):
            attributes.update(value)
        elif value is not None:
            self.fail("attributes", "must be a JSON object")
        for key, item in self.values.items():
            if key.startswith(ATTR_PREFIX) and item not in (None, ""):
                attributes[key[len(ATTR_PREFIX) :]] = item
        if attributes and "\\u0000" in json.dumps(attributes):
            self.fail("attributes", "contains a NUL character")
        return attributes

    def no_unknown_fields(self, known: frozenset[str]) -> None:
        for key in self.values:
            if key not in known and not key.startswith(ATTR_PREFIX):
                self.fail(key, f"unknown field (to keep it, name it '{ATTR_PREFIX}{key}')")
