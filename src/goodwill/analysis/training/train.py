"""``goodwill train-heads``: train the three heads from shared/data and record what they reached.

- emotion: GoEmotions train, fine labels and Ekman grouping + neutral, multi-label sigmoid;
  per-label thresholds on dev; macro-F1 on test (per-label F1 over the 7 labels, each row may
  carry several). See :mod:`.emotion`.
- sentiment: GoEmotions rows with one polarity (see :func:`load_goemotions`), softmax over
  negative / neutral / positive; L2 chosen on dev; accuracy on test.
- politeness: Wikipedia requests, top vs bottom quartile of the Normalized Score; 10-fold
  cross-validated accuracy, L2 chosen inside each training fold; the shipped head is then fit on
  all quartile rows with the L2 chosen by cross-validation over them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from mailparser_reply import EmailReplyParser

from goodwill.analysis.embedding import MODELS_DIR
from goodwill.analysis.features import FeatureExtractor, Features
from goodwill.analysis.normalise import MAIL_LANGUAGES, normalise
from goodwill.analysis.politeness import EXTRA_FEATURES, StrategyCounter
from goodwill.analysis.training import data
from goodwill.analysis.training.emotion import train_emotion
from goodwill.analysis.training.heads import (
    Design,
    FloatArray,
    fit_head,
    one_hot,
    save_head,
)
from goodwill.analysis.vader import VADER_FEATURES

SENTIMENT_L2 = (3e-6, 1e-5, 3e-5)
POLITENESS_L2 = (1e-3, 3e-3, 1e-2, 3e-2)
FOLDS, INNER_FOLDS, SEED = 10, 3, 13
Log = Callable[[str], None]


class Featuriser:
    def __init__(self) -> None:
        self.extractor = FeatureExtractor()
        self.parser = EmailReplyParser(languages=list(MAIL_LANGUAGES))
        self.strategies = StrategyCounter()

    def __call__(self, texts: Sequence[str]) -> list[Features]:
        return self.extractor.extract([normalise(t, self.parser).text for t in texts])

    def politeness_extra(self, texts: Sequence[str], features: Sequence[Features]) -> FloatArray:
        normalised = [normalise(t, self.parser).text for t in texts]
        return self.strategies.features(normalised, np.stack([f.vader for f in features]))


def _labelled(
    split: data.GoEmotions, feats: list[Features]
) -> tuple[list[Features], list[str], FloatArray]:
    keep = [i for i, s in enumerate(split.sentiment) if s is not None]
    labels = [str(split.sentiment[i]) for i in keep]
    return [feats[i] for i in keep], labels, np.stack([feats[i].vader for i in keep])


def train_sentiment(root: Path, featurise: Featuriser, out: Path) -> dict[str, Any]:
    classes = list(data.SENTIMENTS)
    sets = {}
    for s in ("train", "dev", "test"):
        split = data.load_goemotions(root, s)
        sets[s] = _labelled(split, featurise(split.texts))
    design = Design.fit(sets["train"][0], VADER_FEATURES)
    y = {s: one_hot(v[1], classes) for s, v in sets.items()}

    def accuracy(model: Any, s: str) -> float:
        p = model.probabilities(design.matrix(sets[s][0], sets[s][2]))
        return float((p.argmax(axis=1) == y[s].argmax(axis=1)).mean())

    fitted = {
        l2: fit_head(
            design, sets["train"][0], y["train"], kind="softmax", l2=l2, extra=sets["train"][2]
        )
        for l2 in SENTIMENT_L2
    }
    l2 = max(fitted, key=lambda k: accuracy(fitted[k], "dev"))
    compound = sets["test"][2][:, 3]
    vader_only = np.where(compound >= 0.05, 2, np.where(compound <= -0.05, 0, 1))
    scores = {
        "test_accuracy": round(accuracy(fitted[l2], "test"), 4),
        "test_rows": len(sets["test"][1]),
        "vader_only_test_accuracy": round(
            float((vader_only == y["test"].argmax(axis=1)).mean()), 4
        ),
        "dev_accuracy": round(accuracy(fitted[l2], "dev"), 4),
    }
    meta = {"labels": classes, "activation": "softmax", "l2": l2, "scores": scores}
    meta["data_sha256"] = data.sha256_of(data.goemotions_files(root))
    save_head(out, "sentiment", (fitted[l2].weights, fitted[l2].bias), design, meta)
    return scores


def folds(n: int, k: int, seed: int) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


class PolitenessData:
    def __init__(self, root: Path, featurise: Featuriser) -> None:
        corpus = data.load_politeness(root)
        self.keep, labels = data.quartile_labels(corpus.scores)
        texts = [corpus.texts[i] for i in self.keep]
        self.features = featurise(texts)
        self.extra = featurise.politeness_extra(texts, self.features)
        self.targets = np.stack([1 - labels, labels], axis=1)  # impolite, polite

    def fit(self, rows: np.ndarray, l2: float) -> tuple[Any, Design]:
        feats = [self.features[i] for i in rows]
        design = Design.fit(feats, EXTRA_FEATURES)  # vocabulary from the training rows only
        model = fit_head(
            design, feats, self.targets[rows], kind="softmax", l2=l2, extra=self.extra[rows]
        )
        return model, design

    def accuracy(self, model: Any, design: Design, rows: np.ndarray) -> float:
        p = model.probabilities(design.matrix([self.features[i] for i in rows], self.extra[rows]))
        return float((p.argmax(axis=1) == self.targets[rows].argmax(axis=1)).mean())

    def choose_l2(self, rows: np.ndarray) -> float:
        """The L2 with the best mean accuracy over inner folds of ``rows`` only."""
        inner = [rows[f] for f in folds(len(rows), INNER_FOLDS, SEED + 1)]

        def score(l2: float) -> float:
            results = []
            for i, test in enumerate(inner):
                train = np.concatenate([f for j, f in enumerate(inner) if j != i])
                results.append(self.accuracy(*self.fit(train, l2), test))
            return float(np.mean(results))

        return max(POLITENESS_L2, key=score)

    def cross_validate(self, log: Log) -> list[float]:
        outer = folds(len(self.keep), FOLDS, SEED)
        accuracies = []
        for i, test in enumerate(outer):
            train = np.concatenate([f for j, f in enumerate(outer) if j != i])
            l2 = self.choose_l2(train)
            accuracies.append(self.accuracy(*self.fit(train, l2), test))
            log(f"politeness fold {i + 1}/{FOLDS}: l2={l2:g} accuracy={accuracies[-1]:.3f}")
        return accuracies


def train_politeness(root: Path, featurise: Featuriser, out: Path, log: Log) -> dict[str, Any]:
    corpus = PolitenessData(root, featurise)
    accuracies = corpus.cross_validate(log)
    everything = np.arange(len(corpus.keep))
    l2 = corpus.choose_l2(everything)
    model, design = corpus.fit(everything, l2)
    scores = {
        "cv_accuracy": round(float(np.mean(accuracies)), 4),
        "cv_accuracy_std": round(float(np.std(accuracies)), 4),
        "folds": FOLDS,
        "rows": len(corpus.keep),
        "protocol": "top vs bottom quartile of Normalized Score, 10-fold CV, L2 chosen in-fold",
    }
    meta = {
        "labels": ["impolite", "polite"],
        "l2": l2,
        "scores": scores,
        "data_sha256": data.sha256_of([data.politeness_file(root)]),
    }
    meta["activation"] = "softmax"
    save_head(out, "politeness", (model.weights, model.bias), design, meta)
    return scores


def train_heads(
    root: Path | None = None, out: Path = MODELS_DIR, log: Log = lambda _: None
) -> dict[str, dict[str, Any]]:
    """Train all heads from ``root`` (default: :func:`data.data_dir`), write them to ``out``."""
    root = root or data.data_dir()
    featurise = Featuriser()
    results: dict[str, dict[str, Any]] = {}
    log("training the politeness head (10-fold cross-validation)")
    results["politeness"] = train_politeness(root, featurise, out, log)
    log("training the sentiment head")
    results["sentiment"] = train_sentiment(root, featurise, out)
    log("training the emotion head")
    results["emotion"] = train_emotion(root, featurise, out)
    return results
