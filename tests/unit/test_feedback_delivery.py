"""Outbound webhook delivery and the words of a loop message (no database, no network)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from goodwill.config import Settings
from goodwill.errors import NotAuthenticated
from goodwill.feedback import collect, delivery, drafting
from goodwill.interactions.webhooks import verify_signature

SETTINGS = Settings(home=Path("/nonexistent"), secret_key="unit")


def _post(script: list[int], attempts: int = 4) -> tuple[list[delivery.Attempt], list[float]]:
    answers = iter(script)
    sleeps: list[float] = []
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(next(answers))))
    result = delivery.post_webhook(
        client=client,
        url="https://hooks.example/x",
        secret="whsec_test",
        payload={"a": 1},
        delivery_key="d-1",
        policy=delivery.RetryPolicy(attempts=attempts, backoff_seconds=1.0),
        sleep=sleeps.append,
    )
    return result, sleeps


def test_backoff_doubles_and_stops_at_success() -> None:
    attempts, sleeps = _post([500, 502, 503, 204])
    assert [a.status_code for a in attempts] == [500, 502, 503, 204]
    assert attempts[-1].ok
    assert sleeps == [1.0, 2.0, 4.0]


def test_client_errors_are_not_retried_and_attempts_are_bounded() -> None:
    attempts, sleeps = _post([404])
    assert [(a.ok, a.status_code) for a in attempts] == [(False, 404)]
    assert sleeps == []
    attempts, _ = _post([500] * 10, attempts=3)
    assert len(attempts) == 3
    assert not any(a.ok for a in attempts)
    assert attempts[-1].error is not None


def test_signature_verifies_with_the_inbound_checker_and_fails_when_changed() -> None:
    body = b'{"hello":"world"}'
    header = delivery.sign("whsec_test", body, int(time.time()))
    verify_signature(
        header=header, body=body, secret="whsec_test", settings=SETTINGS, now=time.time()
    )
    with pytest.raises(NotAuthenticated):
        verify_signature(
            header=header, body=body + b" ", secret="whsec_test", settings=SETTINGS, now=time.time()
        )


def _facts(outcome: str, **kw: object) -> drafting.LetterFacts:
    base: dict[str, object] = {
        "customer_name": "Margareth Smith",
        "suggestion": "Please add a dark mode.",
        "suggested_at": datetime(2026, 3, 1, tzinfo=UTC),
        "outcome": outcome,
        "idea_title": "Dark mode",
        "public_note": None,
        "tracker_url": None,
        "sender_name": "Ana Lopes",
        "organisation_name": "Acme Money",
    }
    return drafting.LetterFacts(**(base | kw))  # type: ignore[arg-type]


def test_letter_is_personal_quotes_the_customer_and_is_signed_by_a_person() -> None:
    for outcome in ("planned", "shipped", "declined"):
        body = drafting.body(_facts(outcome, public_note="Coming in April."))
        assert body.startswith("Hello Margareth,\n")
        assert "On 1 March 2026 you suggested: “Please add a dark mode.”" in body
        assert "Coming in April." in body
        assert body.endswith("Ana Lopes\nAcme Money")
    assert drafting.body(_facts("shipped", customer_name=None, sender_name=None)).startswith(
        "Hello,\n"
    )
    long = drafting.quote("word " * 200)
    assert len(long) <= drafting.QUOTE_CHARS + 2
    assert long.endswith("…")


def test_suggestion_words_keep_the_suggesting_sentences() -> None:
    body = (
        "Hi team, my transfer went through fine. It would be great if you could add a "
        "dark mode. Thanks, Ann"
    )
    assert collect.suggestion_words(body) == "It would be great if you could add a dark mode."
    assert collect.suggestion_words("Nothing here.") == "Nothing here."
