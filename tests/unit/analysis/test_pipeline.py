from datetime import UTC, datetime

import pytest

from goodwill.analysis import (
    EMOTIONS,
    Analysis,
    LanguageDetector,
    Message,
    Normaliser,
    Pipeline,
    SentimentAnalyser,
)

SENT = datetime(2024, 6, 5, 10, 15, tzinfo=UTC)


def test_one_message_gives_every_field_of_the_summary(pipeline: Pipeline) -> None:
    analysis = pipeline.run(
        Message("m1", "Where is my refund? I was charged twice!", "inbound", SENT)
    )
    summary = analysis.summary()
    assert list(summary) == [
        "id",
        "language",
        "sentiment",
        "emotion",
        "intent",
        "politeness",
        "trust_signals",
        "commitments",
    ]
    assert summary["language"] == "en"
    assert summary["sentiment"]["label"] in {"negative", "neutral", "positive"}
    assert -1.0 <= summary["sentiment"]["score"] <= 1.0
    assert set(summary["emotion"]["scores"]) == set(EMOTIONS)
    assert 0.0 <= summary["emotion"]["intensity"] <= 1.0
    assert {"question", "billing", "complaint"} <= set(summary["intent"])
    assert -1.0 <= summary["politeness"] <= 1.0
    assert summary["trust_signals"] == summary["commitments"] == []


def test_stored_analysis_names_each_analyser_and_version(pipeline: Pipeline) -> None:
    stored = pipeline.run(Message("m1", "Thanks!", "inbound")).stored()
    assert "features" not in stored  # intermediate, not kept
    assert stored["sentiment"]["analyser"] == "sentiment"
    assert stored["sentiment"]["version"] == SentimentAnalyser.version
    assert stored["embedding"]["version"].endswith("minilm-static-256")
    assert len(stored["embedding"]["value"]["vector"]) == 256
    assert {"analyser", "version", "value"} == set(stored["normalised"])


def test_batch_and_single_give_the_same_results(pipeline: Pipeline) -> None:
    texts = ["I love you guys, thank you!", "This is unacceptable, I'm furious.", "ok"]
    batch = pipeline.run_batch([Message(str(i), t) for i, t in enumerate(texts)])
    for i, text in enumerate(texts):
        single = pipeline.run(Message(str(i), text))
        assert single.summary() == batch[i].summary()


@pytest.mark.parametrize(
    ("text", "sentiment", "emotion"),
    [
        ("Thank you so much, this is wonderful news, I'm thrilled!", "positive", "joy"),
        (
            "I am furious with your service. This is outrageous.",
            "negative",
            "anger",
        ),
        ("I'm really scared my account has been hacked.", "negative", "fear"),
        ("My order number is 55312.", "neutral", "neutral"),
    ],
)
def test_clear_feelings_are_read(
    pipeline: Pipeline, text: str, sentiment: str, emotion: str
) -> None:
    summary = pipeline.run(Message("1", text, "inbound")).summary()
    assert summary["sentiment"]["label"] == sentiment
    assert summary["emotion"]["label"] == emotion


def test_politeness_orders_a_polite_and_a_rude_request(pipeline: Pipeline) -> None:
    polite, rude = pipeline.run_batch(
        [
            Message(
                "1", "Hi Sam, could you please check my invoice when you have a moment? Thanks!"
            ),
            Message("2", "Why haven't you fixed this yet? Do your job."),
        ]
    )
    assert polite.summary()["politeness"] > 0.3 > -0.3 > rude.summary()["politeness"]


def test_company_reply_has_trust_signals_and_commitments(pipeline: Pipeline) -> None:
    reply = "I'm sorry, we got this wrong. I will refund the fee within 48 hours."
    summary = pipeline.run(Message("r", reply, "outbound", SENT)).summary()
    assert {"apology", "ownership"} <= {s["type"] for s in summary["trust_signals"]}
    (promise,) = summary["commitments"]
    assert promise["due_at"] == "2024-06-07T10:15:00+00:00"
    assert reply[promise["start"] : promise["end"]] == promise["text"]
    assert summary["intent"] == []


def test_a_pipeline_refuses_an_analyser_before_its_inputs() -> None:
    with pytest.raises(ValueError, match="needs"):
        Pipeline([LanguageDetector(), Normaliser()])
    with pytest.raises(ValueError, match="two analysers"):
        Pipeline([Normaliser(), Normaliser()])


def test_analysis_is_json_serialisable(pipeline: Pipeline) -> None:
    import json

    analysis: Analysis = pipeline.run(Message("x", "Hello, I'd like to cancel my plan.", "inbound"))
    assert json.loads(json.dumps(analysis.stored()))["intent"]["value"] == ["cancellation"]
