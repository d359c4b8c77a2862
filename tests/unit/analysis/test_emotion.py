"""The emotion analyser's own parts: the learnt lexicon, the Ekman read-out and the decision."""

from dataclasses import replace

import numpy as np
import pytest
from numpy.typing import NDArray

from goodwill.analysis import EMOTIONS, EmotionAnalyser, Message, Pipeline
from goodwill.analysis.emotion import Lexicon, decide, ekman_probabilities
from goodwill.analysis.features import FeatureExtractor, ngram_matrix, ngrams
from goodwill.analysis.training.emotion import lexicon_table, lexicon_vocabulary
from goodwill.analysis.training.mlp import MLPSettings, _gradients, _init


def test_lexicon_features_are_mean_and_max_over_known_ngrams() -> None:
    table = np.array([[1.0, -1.0], [3.0, 0.0], [-2.0, 2.0]])
    lexicon = Lexicon({"sad": 0, "so sad": 1, "happy": 2}, table)
    rows = lexicon.features(
        [frozenset({"so", "sad", "so sad"}), frozenset({"nothing", "here"}), frozenset({"happy"})]
    )
    assert rows.shape == (3, 4)
    assert rows[0].tolist() == [2.0, -0.5, 3.0, 0.0]  # mean of rows 0 and 1, then their max
    assert rows[1].tolist() == [0.0, 0.0, 0.0, 0.0]  # no known n-gram: zeros
    assert rows[2].tolist() == [-2.0, 2.0, -2.0, 2.0]


def test_lexicon_table_is_smoothed_pointwise_mutual_information() -> None:
    grams = [ngrams(t) for t in ("so sad today", "sad again", "great day", "great fun", "ok")]
    targets = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 1]], dtype=float)
    vocabulary = lexicon_vocabulary(grams * 3)  # each n-gram now in at least three rows
    table = lexicon_table(ngram_matrix(grams, vocabulary).astype(float), targets)
    sad, great = vocabulary["sad"], vocabulary["great"]
    assert table[sad, 0] > 0 > table[sad, 1]
    assert table[great, 1] > 0 > table[great, 0]
    # two rows out of two with the label, prior 0.4, smoothing 10: log((2 + 4) / 12 / 0.4)
    assert table[sad, 0] == pytest.approx(np.log(6 / 12 / 0.4))


def test_ekman_probability_averages_the_group_output_and_the_noisy_or_of_its_members() -> None:
    fine = ["anger", "annoyance", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]
    groups = {k: [k] for k in EMOTIONS} | {"anger": ["anger", "annoyance"]}
    outputs = np.array([[0.5, 0.5, 0.1, 0.1, 0.2, 0.1, 0.1, 0.3, *[0.4] * 7]])
    p = ekman_probabilities(outputs, {"fine_labels": fine, "groups": groups})
    assert p.shape == (1, 7)
    assert p[0, 0] == pytest.approx((0.4 + 0.75) / 2)  # noisy-or of 0.5 and 0.5 is 0.75
    assert p[0, EMOTIONS.index("joy")] == pytest.approx((0.4 + 0.2) / 2)
    seven = np.full((2, 7), 0.3)
    assert ekman_probabilities(seven, {}) is seven  # a head with only the 7 outputs


def test_decide_picks_the_label_furthest_above_its_threshold() -> None:
    thresholds = np.array([0.5, 0.5, 0.5, 1.0, 0.5, 0.5, 0.5])
    angry = decide(np.array([0.6, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1]), thresholds)
    assert angry.label == "anger"  # joy's 0.9 is under its own threshold of 1.0
    calm = decide(np.full(7, 0.2), np.full(7, 0.5))
    assert calm.label == "neutral"
    assert calm.intensity == 0.0


def test_shipped_head_reads_fine_labels_and_its_lexicon(pipeline: Pipeline) -> None:
    analyser = next(a for a in pipeline.analysers if isinstance(a, EmotionAnalyser))
    assert analyser.lexicon is not None
    assert len(analyser.head.meta["fine_labels"]) == 28
    result = pipeline.run(Message("1", "I am terrified, I cannot sleep at night.")).summary()
    scores = result["emotion"]["scores"]
    assert set(scores) == set(EMOTIONS)
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert result["emotion"]["label"] == "fear"


def test_head_ngrams_sliced_from_the_lexicon_match_their_own_lookup(pipeline: Pipeline) -> None:
    analyser = next(a for a in pipeline.analysers if isinstance(a, EmotionAnalyser))
    assert analyser._columns is not None  # the head's n-grams are all in the lexicon
    assert analyser.lexicon is not None
    texts = ["I can't believe they did that!!", "so sad and tired", "ok", ""]
    extractor = next(a for a in pipeline.analysers if isinstance(a, FeatureExtractor))
    features = extractor.extract(texts)
    lexical = analyser.lexicon.features([f.grams for f in features])
    extra = np.hstack([np.stack([f.vader for f in features]), lexical])
    own = analyser.head.predict(features, extra)
    assert np.allclose(analyser.outputs(features), own)


def test_positive_weights_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 4)).astype(np.float32)
    y = (rng.random((6, 3)) > 0.6).astype(np.float32)
    settings = MLPSettings(hidden=5, pos_weight=(1.0, 4.0, 2.5), weight_decay=0.0)
    params = _init(4, 3, settings)
    keep = np.ones((6, 5), np.float32)
    weights = np.asarray(settings.pos_weight)

    def loss(b2: NDArray[np.float64]) -> float:
        hidden = np.maximum(x.astype(np.float64) @ params[0] + params[1], 0.0)
        p = 1.0 / (1.0 + np.exp(-(hidden @ params[2] + b2)))
        return float(-(weights * y * np.log(p) + (1 - y) * np.log(1 - p)).sum() / len(y))

    grad_b2 = _gradients(params, x, y, keep, settings)[3]
    b2 = params[3].astype(np.float64)
    for j in range(3):
        step = np.eye(3)[j] * 1e-5
        numeric = (loss(b2 + step) - loss(b2 - step)) / 2e-5
        assert grad_b2[j] == pytest.approx(numeric, rel=1e-3, abs=1e-5)
    plain = _gradients(params, x, y, keep, replace(settings, pos_weight=()))[3]
    ones = _gradients(params, x, y, keep, replace(settings, pos_weight=(1.0, 1.0, 1.0)))[3]
    assert np.allclose(plain, ones)
