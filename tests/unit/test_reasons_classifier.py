"""Reasons from labelled examples: learning, "unknown", saving and refusing bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from goodwill.errors import InvalidInput
from goodwill.reasons.classifier import UNKNOWN, ReasonClassifier, choose_threshold
from goodwill.reasons.features import FeatureSettings, blend_with_neighbours

EXAMPLES = {
    "delivery": [
        "my parcel has not arrived yet",
        "where is my order, it is late",
        "the package was never delivered",
        "tracking says delivered but nothing came",
        "how long does shipping take",
        "my delivery is two weeks late",
    ],
    "refund": [
        "I want my money back",
        "please refund my purchase",
        "when will I get the refund",
        "the refund has not reached my account",
        "can I return this and get a refund",
        "I was promised a refund last week",
    ],
    "password": [
        "I forgot my password",
        "cannot log in to my account",
        "reset password link does not work",
        "my login keeps failing",
        "how do I change my password",
        "locked out of my account after too many attempts",
    ],
}
TEXTS = [t for texts in EXAMPLES.values() for t in texts]
REASONS = [r for r, texts in EXAMPLES.items() for _ in texts]
FAST = FeatureSettings(static_weight=1.0, word_weight=0.5, char_weight=0.5)


@pytest.fixture(scope="module")
def model() -> ReasonClassifier:
    return ReasonClassifier(features=FAST).fit(TEXTS, REASONS)


def test_new_phrasings_get_the_reason_of_their_examples(model: ReasonClassifier) -> None:
    texts = ["the parcel still has not been delivered", "refund my money please", "password reset"]
    probabilities = model.probabilities(texts)
    assert [model.reasons_[i] for i in probabilities.argmax(axis=1)] == [
        "delivery",
        "refund",
        "password",
    ]
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    predictions = model.predict(texts)
    assert [p.confidence for p in predictions] == pytest.approx(probabilities.max(axis=1).tolist())
    assert all(p.reason in ("delivery", "refund", "password", UNKNOWN) for p in predictions)
    assert model.reasons_ == ("delivery", "password", "refund")


def test_below_the_threshold_a_message_is_unknown() -> None:
    strict = ReasonClassifier(features=FAST, threshold=0.999).fit(TEXTS, REASONS)
    assert strict.threshold_ == 0.999
    assert [p.reason for p in strict.predict(["hello there"])] == [UNKNOWN]


def test_the_default_model_uses_minilm_and_learns_a_threshold_between_0_and_1() -> None:
    model = ReasonClassifier().fit(TEXTS, REASONS)
    assert 0.0 <= model.threshold_ < 1.0
    prediction = model.predict(["I still have not received my package"])[0]
    assert prediction.reason in ("delivery", UNKNOWN)
    best = model.probabilities(["I still have not received my package"]).argmax(axis=1)[0]
    assert model.reasons_[best] == "delivery"


def test_a_saved_model_predicts_the_same_after_loading(
    model: ReasonClassifier, tmp_path: Path
) -> None:
    model.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["reasons"] == ["delivery", "password", "refund"]
    assert meta["training_size"] == len(TEXTS)
    assert {"format_version", "threshold", "trained_at"} <= set(meta)
    loaded = ReasonClassifier.load(tmp_path / "m")
    texts = ["where is my parcel", "forgot password", "give me a refund", "bonjour"]
    assert loaded.predict(texts) == model.predict(texts)
    assert loaded.threshold_ == model.threshold_


def test_loading_a_missing_or_corrupt_model_says_so(
    model: ReasonClassifier, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="not a saved reason model"):
        ReasonClassifier.load(tmp_path / "nothing")
    model.save(tmp_path / "m")
    (tmp_path / "m" / "model.json").write_text("{not json")
    with pytest.raises(InvalidInput, match="corrupt"):
        ReasonClassifier.load(tmp_path / "m")
    model.save(tmp_path / "m2")
    (tmp_path / "m2" / "weights.npz").write_bytes(b"garbage")
    with pytest.raises(InvalidInput, match="corrupt"):
        ReasonClassifier.load(tmp_path / "m2")


@pytest.mark.parametrize(
    ("texts", "reasons", "message"),
    [
        (["a", "b"], ["x", "x"], "at least 2 reasons"),
        (["a", "  ", "c"], ["x", "y", "x"], "example 2: the text is empty"),
        (["a", "b"], ["x", ""], "example 2: the reason is empty"),
        (["a", "b"], ["x"], "2 texts but 1 reasons"),
        (["a", "b"], ["x", "unknown"], "kept for messages of no reason"),
    ],
)
def test_unusable_examples_are_refused_with_the_row(
    texts: list[str], reasons: list[str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        ReasonClassifier(features=FAST).fit(texts, reasons)


def test_predicting_before_training_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not trained"):
        ReasonClassifier().predict(["hello"])


def test_the_threshold_keeps_the_confident_predictions_that_are_mostly_right() -> None:
    confidence = np.array([0.95, 0.9, 0.8, 0.6, 0.5, 0.3, 0.2])
    correct = np.array([True, True, True, True, False, False, False])
    assert choose_threshold(confidence, correct) == pytest.approx(0.55)
    assert choose_threshold(confidence, np.ones(7, dtype=bool)) == 0.0
    assert choose_threshold(confidence, np.zeros(7, dtype=bool)) > 0.95


def test_blending_moves_a_vector_towards_its_neighbours_blocks_stay_unit_length() -> None:
    context = np.array([[1, 0, 1, 0], [0.8, 0.6, 0, 1], [0, 1, 0, 1]], dtype=np.float32)
    query = np.array([[1, 0, 1, 0]], dtype=np.float32)
    nearest = blend_with_neighbours(query, context, widths=[2, 2], neighbours=1, weight=0.5)
    assert nearest.tolist() == query.tolist()  # its nearest is an identical message
    two = blend_with_neighbours(query, context, widths=[2, 2], neighbours=2, weight=0.5)
    assert two[0, 1] > 0  # pulled towards row 1, the next nearest, and not towards row 2
    assert two[0, 3] > 0
    assert np.linalg.norm(two[:, :2], axis=1) == pytest.approx(1.0)
    assert np.linalg.norm(two[:, 2:], axis=1) == pytest.approx(1.0)
    blended = 0.5 * np.array([1, 0]) + 0.5 * np.array([0.9, 0.3])  # half itself, half the mean
    expected = blended / np.linalg.norm(blended)
    assert two[0, :2] == pytest.approx(expected, rel=1e-5)


UNLABELLED = [
    "my order is still not here",
    "the courier lost my parcel",
    "money back for the broken item please",
    "I returned it, where is my refund",
    "I cannot sign in",
    "the login page rejects my password",
]


def test_unlabelled_messages_form_a_context_saved_with_the_model(tmp_path: Path) -> None:
    texts = [EXAMPLES[r][0] for r in EXAMPLES]  # one example each: nothing to cross-validate
    model = ReasonClassifier(features=FAST).fit(texts, list(EXAMPLES), unlabelled=UNLABELLED)
    assert model.context_ is not None
    assert model.context_.shape[0] == len(texts) + len(UNLABELLED)
    model.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["format_version"] == 2
    assert meta["context"]["neighbours"] >= 1
    loaded = ReasonClassifier.load(tmp_path / "m")
    queries = ["where is my parcel", "forgot password", "refund"]
    assert loaded.predict(queries) == model.predict(queries)
    plain = ReasonClassifier(features=FAST).fit(texts, list(EXAMPLES))
    assert plain.context_ is None
    assert not np.allclose(plain.probabilities(queries), model.probabilities(queries))


def test_a_version_1_model_still_loads_and_an_unknown_version_is_refused(
    model: ReasonClassifier, tmp_path: Path
) -> None:
    model.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    del meta["context"]
    meta["format_version"] = 1
    (tmp_path / "m" / "model.json").write_text(json.dumps(meta))
    texts = ["where is my parcel", "forgot password"]
    assert ReasonClassifier.load(tmp_path / "m").predict(texts) == model.predict(texts)
    meta["format_version"] = 99
    (tmp_path / "m" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(InvalidInput, match="format version 99"):
        ReasonClassifier.load(tmp_path / "m")
