"""Raw row values converted by hand give what the column types give (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

from goodwill.relationships import rows


def test_ids_from_sqlite_hex_and_postgresql_uuids() -> None:
    found = uuid.uuid4()
    assert rows.as_uuid(found.hex) == found
    assert rows.as_uuid(found) is found


def test_times_are_aware_utc_from_sqlite_text_and_postgresql_datetimes() -> None:
    expected = datetime(2026, 12, 3, 12, 30, 5, 123456, tzinfo=UTC)
    assert rows.as_time("2026-12-03 12:30:05.123456") == expected
    assert rows.as_time("2026-12-03 12:30:05.123456").tzinfo is UTC
    assert rows.as_time("2026-12-03 12:30:05") == expected.replace(microsecond=0)
    paris = expected.astimezone(timezone(timedelta(hours=1)))
    assert rows.as_time(paris) == expected
    assert rows.as_time(paris).tzinfo is UTC


def test_labels_from_json_text_or_decoded_lists_with_or_without_a_key() -> None:
    intents, signals = rows.Labels(), rows.Labels(key="type")
    assert intents('["complaint", "question"]') == frozenset({"complaint", "question"})
    assert intents('["complaint", "question"]') is intents('["complaint", "question"]')
    assert intents(["praise"]) == frozenset({"praise"})
    assert intents(None) == frozenset()
    assert intents('{"not": "a list"}') == frozenset()
    assert signals('[{"type": "apology"}, "stray", {"type": "blame"}]') == {"apology", "blame"}
