"""Training of the emotion head (``goodwill train-heads``): GoEmotions, Ekman grouping + neutral.

One network with two sets of sigmoid outputs trained together: the 28 fine labels and the 7
Ekman groups (the analyser averages the group's output with the noisy-or of its members). Its
inputs are the static vector, the 5,000 most frequent n-grams, VADER's scores and the features
of an emotion lexicon learnt from the training split (:class:`~goodwill.analysis.emotion.Lexicon`).
Training rows get their lexicon features from a lexicon fitted on the other folds of the training
split (cross-fitting), so the network does not learn to trust a lexicon that has seen their label.
Positive targets of rare labels weigh more (``(prior of the commonest / prior) ** 0.5``, at most
10). The epoch kept and the per-label thresholds are chosen on dev; test is only measured.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import scipy.sparse

from goodwill.analysis.emotion import EMOTIONS, Lexicon, ekman_probabilities
from goodwill.analysis.features import Features, ngram_matrix
from goodwill.analysis.training import data
from goodwill.analysis.training.heads import (
    Design,
    FloatArray,
    best_thresholds,
    f1_per_label,
    save_head,
)
from goodwill.analysis.training.mlp import MLP, MLPSettings, fit_mlp
from goodwill.analysis.vader import VADER_FEATURES

EMOTION_NGRAMS = 5000
EMOTION_MLP = MLPSettings(hidden=256, epochs=5, dropout=0.3)  # compared on GoEmotions dev
LEXICON_MIN_DF, LEXICON_SMOOTHING, LEXICON_FOLDS, LEXICON_SEED = 3, 10.0, 5, 0
POS_WEIGHT_POWER, POS_WEIGHT_CAP = 0.5, 10.0
SPLITS = ("train", "dev", "test")


class Featurise(Protocol):
    def __call__(self, texts: list[str]) -> list[Features]: ...


def lexicon_vocabulary(grams: list[frozenset[str]]) -> dict[str, int]:
    """Every n-gram found in at least ``LEXICON_MIN_DF`` rows, sorted."""
    counts: dict[str, int] = {}
    for row in grams:
        for g in row:
            counts[g] = counts.get(g, 0) + 1
    kept = sorted(g for g, c in counts.items() if c >= LEXICON_MIN_DF)
    return {g: i for i, g in enumerate(kept)}


def lexicon_table(found: scipy.sparse.csr_matrix, targets: FloatArray) -> FloatArray:
    """``log P(label | n-gram) - log P(label)``, P smoothed toward the prior (weight a)."""
    prior = np.maximum(targets.mean(axis=0), 1e-6)  # a label absent from the rows: no NaN
    with_label = np.asarray(found.T @ targets)
    rows = np.asarray(found.sum(axis=0)).ravel()[:, None]
    a = LEXICON_SMOOTHING
    return np.asarray(np.log((with_label + a * prior) / (rows + a)) - np.log(prior))


def lexicon_features(
    grams: dict[str, list[frozenset[str]]], fine: FloatArray
) -> tuple[Lexicon, dict[str, FloatArray]]:
    """The lexicon of the whole training split, and every split's lexicon features."""
    vocabulary = lexicon_vocabulary(grams["train"])
    found = ngram_matrix(grams["train"], vocabulary).astype(np.float64)
    order = np.random.default_rng(LEXICON_SEED).permutation(found.shape[0])
    train = np.zeros((found.shape[0], 2 * fine.shape[1]))
    for k in range(LEXICON_FOLDS):
        held = order[k::LEXICON_FOLDS]
        rest = np.setdiff1d(order, held)
        fold = Lexicon(vocabulary, lexicon_table(found[rest], fine[rest]))
        train[held] = fold.features([grams["train"][i] for i in held])
    table = lexicon_table(found, fine).astype(np.float16).astype(np.float64)  # as shipped
    lexicon = Lexicon(vocabulary, table)
    out = {"train": train} | {s: lexicon.features(grams[s]) for s in SPLITS[1:]}
    return lexicon, out


def positive_weights(targets: FloatArray) -> tuple[float, ...]:
    prior = np.maximum(targets.mean(axis=0), 1e-6)
    weights = np.clip((prior.max() / prior) ** POS_WEIGHT_POWER, 1.0, POS_WEIGHT_CAP)
    return tuple(round(float(w), 4) for w in weights)


def _design(
    splits: dict[str, data.GoEmotions], featurise: Featurise
) -> tuple[Design, Lexicon, dict[str, Any]]:
    """The matrices [vector | n-grams | VADER | lexicon] of the three splits."""
    feats = {s: featurise(d.texts) for s, d in splits.items()}
    lexicon, lexical = lexicon_features(
        {s: [f.grams for f in feats[s]] for s in SPLITS}, splits["train"].fine
    )
    fine = splits["train"].fine_names
    names = [f"lexicon_{kind}_{k}" for kind in ("mean", "max") for k in fine]
    design = Design.fit(feats["train"], (*VADER_FEATURES, *names), max_ngrams=EMOTION_NGRAMS)
    x = {
        s: design.matrix(f, np.hstack([np.stack([v.vader for v in f]), lexical[s]])).astype(
            np.float32
        )
        for s, f in feats.items()
    }
    return design, lexicon, x


def _scores(
    prob: dict[str, FloatArray],
    y: dict[str, FloatArray],
    thresholds: FloatArray,
    history: tuple[float, ...],
) -> dict[str, Any]:
    """Test read once with the dev thresholds; dev with the same, and after each epoch."""
    per_label = f1_per_label(prob["test"] >= thresholds, y["test"])
    return {
        "test_macro_f1": round(float(per_label.mean()), 4),
        "test_f1_per_label": {
            k: round(float(v), 4) for k, v in zip(EMOTIONS, per_label, strict=True)
        },
        "dev_macro_f1": round(float(f1_per_label(prob["dev"] >= thresholds, y["dev"]).mean()), 4),
        "dev_macro_f1_per_epoch": [round(h, 4) for h in history],
        "protocol": "multi-label: per-label binary F1 over all test rows, unweighted mean of 7",
    }


def train_emotion(root: Path, featurise: Featurise, out: Path) -> dict[str, Any]:
    splits = {s: data.load_goemotions(root, s) for s in SPLITS}
    design, lexicon, x = _design(splits, featurise)
    train = splits["train"]
    groups = {k: [f for f in train.fine_names if train.ekman_of[f] == k] for k in EMOTIONS}
    meta: dict[str, Any] = {"fine_labels": list(train.fine_names), "groups": groups}
    y = {s: d.ekman for s, d in splits.items()}
    targets = np.hstack([train.fine, train.ekman])
    settings = replace(EMOTION_MLP, pos_weight=positive_weights(targets))

    def ekman(model: MLP, split: str) -> FloatArray:
        return ekman_probabilities(model.probabilities(x[split]), meta)

    def dev_score(model: MLP) -> float:
        p = ekman(model, "dev")
        return float(f1_per_label(p >= best_thresholds(p, y["dev"]), y["dev"]).mean())

    model = fit_mlp(x["train"], targets, validate=dev_score, settings=settings)
    prob = {s: ekman(model, s) for s in ("dev", "test")}
    thresholds = best_thresholds(prob["dev"], y["dev"])
    scores = _scores(prob, y, thresholds, model.history)
    meta |= {
        "labels": list(EMOTIONS),
        "activation": "sigmoid",
        "thresholds": [round(float(t), 3) for t in thresholds],
        "mlp": asdict(settings),
        "data_sha256": data.sha256_of(data.goemotions_files(root)),
        "scores": scores,
        "lexicon_ngrams": sorted(lexicon.vocabulary, key=lexicon.vocabulary.__getitem__),
    }
    save_head(
        out,
        "emotion",
        (model.w1, model.b1),
        design,
        meta,
        output=(model.w2, model.b2),
        tables={"lexicon": lexicon.table},
    )
    return scores
