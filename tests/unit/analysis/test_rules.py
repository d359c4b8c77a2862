"""Trust signals (company messages) and intents (customer messages): phrase tables as data."""

import pytest

from goodwill.analysis import Message, Normaliser, TrustSignalDetector
from goodwill.analysis.base import Context
from goodwill.analysis.intent import IntentClassifier
from goodwill.analysis.sentiment import Sentiment
from goodwill.analysis.trust import SIGNALS


def _signals(text: str, direction: str | None = "outbound") -> list[str]:
    message = Message("1", text, direction)  # type: ignore[arg-type]
    context = Context()
    context.values["normalised"] = Normaliser().analyse(message)
    return [s.type for s in TrustSignalDetector().analyse(message, context).signals]


@pytest.mark.parametrize("kind", sorted(SIGNALS))
def test_each_trust_signal_finds_its_own_example(kind: str) -> None:
    assert kind in _signals(SIGNALS[kind].example)


def test_trust_signals_in_a_real_looking_reply() -> None:
    found = _signals(
        "I'm so sorry, I can imagine how stressful this is. We got this wrong and I will fix "
        "it today. As explained before, refunds usually take a few days."
    )
    assert {"apology", "empathy", "ownership", "blame", "hedging"} <= set(found)


def test_a_plain_reply_and_a_customer_message_have_no_trust_signals() -> None:
    assert _signals("Your order number is 4411.") == []
    assert _signals("I'm so sorry to bother you, we got this wrong", "inbound") == []


NEUTRAL = Sentiment("neutral", 0.0, {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How do I change my delivery address?", {"question"}),
        ("I was charged twice for my order, this is unacceptable.", {"complaint", "billing"}),
        ("It would be great if the app had a dark mode.", {"suggestion"}),
        (
            "Hello, I would like to suggest a missing feature: a daily balance. Thank you.",
            {"suggestion"},
        ),
        ("Thank you so much, great service from your team!", {"praise"}),
        ("Please cancel my subscription, I'm switching to another provider.", {"cancellation"}),
        ("Can I get a refund for last month's invoice?", {"question", "billing"}),
        ("My parcel arrived today.", {"other"}),
        ("Your app keeps crashing when I open statements.", {"complaint"}),
        ("My card was declined again at the shop.", {"complaint"}),
    ],
)
def test_intents_of_customer_messages(text: str, expected: set[str]) -> None:
    assert set(IntentClassifier().classify(text, NEUTRAL).labels) == expected


def test_strong_negative_feeling_is_a_complaint_and_company_messages_have_no_intent() -> None:
    angry = Sentiment("negative", -0.9, {})
    assert "complaint" in IntentClassifier().classify("Seriously. Again.", angry).labels
    message = Message("1", "How can I help?", "outbound")
    context = Context()
    context.values["normalised"] = Normaliser().analyse(message)
    context.values["sentiment"] = NEUTRAL
    assert IntentClassifier().analyse(message, context).labels == ()
