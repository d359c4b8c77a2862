"""Contact reasons from labelled examples: a linear model over embeddings and n-grams.

Pure (no database). ``ReasonClassifier().fit(texts, reasons).predict(texts)`` gives one
:class:`Prediction` per text: the most probable reason and its probability, or :data:`UNKNOWN`
when that probability is below the threshold.

The threshold is learnt from the examples themselves: out-of-fold predictions (stratified
cross-validation) tell how often a prediction of a given confidence is right, and the threshold
is the confidence above which accepting a prediction gains more right answers than wrong ones
(a right answer counts +1, a wrong one −1, "unknown" 0). With fewer than two examples of some
reason there is nothing to cross-validate and the threshold is 0 (never "unknown") unless given.

**Unlabelled messages** (``fit(..., unlabelled=...)``: the organisation's inbound messages, no
reasons needed) make a context: every message's embeddings are blended with the mean of its
:data:`CONTEXT_NEIGHBOURS` nearest context messages (labelled examples and unlabelled ones)
before the linear model sees them, in training and in prediction alike. With few examples per
reason this fills in the phrasings the examples miss; it is kept only if out-of-fold accuracy on
the examples says it helps (it does not when the examples are many). The context is saved with
the model, so a message's reason never depends on which other messages are classified with it.

A fitted model saves to two small files, ``model.json`` and ``weights.npz`` (no pickle).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit

from goodwill.errors import InvalidInput
from goodwill.reasons.features import (
    FeatureSettings,
    FloatMatrix,
    TextFeatures,
    blend_with_neighbours,
)

UNKNOWN = "unknown"
FORMAT_VERSION = 2  # 2 adds the optional context of unlabelled messages; 1 still loads
READABLE_VERSIONS = (1, 2)
CONTEXT_NEIGHBOURS = 8
CONTEXT_WEIGHT = 0.6  # share of a message's embedding taken from its neighbours' mean
CONTEXT_MAX = 8000  # unlabelled messages kept in the context (a random sample beyond)
MODEL_FILE = "model.json"
WEIGHTS_FILE = "weights.npz"
DEFAULT_FEATURES = FeatureSettings(
    minilm_weight=2.0, static_weight=1.0, word_weight=0.5, char_weight=0.5
)
FOLDS = 5
HOLDOUT_ABOVE = 3000  # more examples than this: one stratified 80/20 split instead of 5 folds


HeldOut = tuple[NDArray[np.float64], NDArray[np.bool_]]  # out-of-fold confidence, rightness


@dataclass(frozen=True)
class Prediction:
    """A message's reason (or :data:`UNKNOWN`) and the model's probability for its best reason."""

    reason: str
    confidence: float


def softmax(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float64)


def choose_threshold(confidence: NDArray[np.float64], correct: NDArray[np.bool_]) -> float:
    """The confidence above which accepting predictions gains most (+1 right, −1 wrong)."""
    order = np.argsort(-confidence, kind="stable")
    gain = np.cumsum(np.where(correct[order], 1.0, -1.0))
    best = int(np.argmax(gain))  # accept order[: best + 1]
    if gain[best] <= 0:  # nothing is worth accepting
        return float(np.nextafter(confidence.max(), np.inf))
    if best + 1 >= len(order):
        return 0.0
    above, below = confidence[order[best]], confidence[order[best + 1]]
    return float((above + below) / 2)


def check_examples(texts: Sequence[str], reasons: Sequence[str]) -> None:
    """Raise :class:`InvalidInput` naming the first problem in a set of labelled examples."""
    if len(texts) != len(reasons):
        raise InvalidInput(f"{len(texts)} texts but {len(reasons)} reasons: give one reason each")
    for row, (text, reason) in enumerate(zip(texts, reasons, strict=True), start=1):
        if not text or not text.strip():
            raise InvalidInput(f"example {row}: the text is empty")
        if not reason or not reason.strip():
            raise InvalidInput(f"example {row}: the reason is empty")
        if reason.strip() == UNKNOWN:
            raise InvalidInput(f"example {row}: {UNKNOWN!r} is kept for messages of no reason")
    distinct = set(reasons)
    if len(distinct) < 2:
        raise InvalidInput(
            f"examples name {len(distinct)} reason(s): give examples of at least 2 reasons"
        )


class ReasonClassifier:
    """Multinomial logistic regression on :class:`TextFeatures`; probabilities as confidence."""

    def __init__(
        self,
        *,
        threshold: float | None = None,
        features: FeatureSettings = DEFAULT_FEATURES,
        c: float = 10.0,
    ) -> None:
        self.threshold = threshold
        self.features = features
        self.c = c
        self.reasons_: tuple[str, ...] = ()
        self.threshold_: float = 0.0
        self.coef_: NDArray[np.float64] = np.zeros((0, 0))
        self.intercept_: NDArray[np.float64] = np.zeros(0)
        self.features_ = TextFeatures(features)
        self.context_: NDArray[np.float16] | None = None
        self.training_size_ = 0
        self.trained_at_ = ""

    def _model(self) -> LogisticRegression:
        return LogisticRegression(C=self.c, max_iter=2000)

    def fit(
        self,
        texts: Sequence[str],
        reasons: Sequence[str],
        *,
        dense: FloatMatrix | None = None,
        unlabelled: Sequence[str] | None = None,
        unlabelled_dense: FloatMatrix | None = None,
    ) -> Self:
        """Learn from labelled examples; raises :class:`InvalidInput` on unusable examples.

        ``dense``: the texts' embeddings if already computed (``TextFeatures.dense``).
        ``unlabelled``: messages without a reason (e.g. the inbound messages to classify) that
        form the context (module docstring); ``unlabelled_dense`` their embeddings if computed.
        """
        check_examples(texts, reasons)
        labels = [r.strip() for r in reasons]
        self.reasons_ = tuple(sorted(set(labels)))
        y = np.searchsorted(np.array(self.reasons_), np.array(labels))
        self.features_ = TextFeatures(self.features).fit(texts)
        vectors = self.features_.dense(texts) if dense is None else dense
        self.context_ = self._make_context(vectors, unlabelled, unlabelled_dense)
        x = self.features_.transform(texts, dense=vectors)
        x, held_out = self._choose_context(texts, vectors, x, y)
        model = self._model().fit(x, y)
        self.coef_ = np.asarray(model.coef_, dtype=np.float64)
        self.intercept_ = np.asarray(model.intercept_, dtype=np.float64)
        if len(self.reasons_) == 2:  # sklearn keeps one row for two classes
            self.coef_ = np.vstack([-self.coef_ / 2, self.coef_ / 2])
            self.intercept_ = np.array([-self.intercept_[0] / 2, self.intercept_[0] / 2])
        if self.threshold is not None:
            self.threshold_ = float(self.threshold)
        elif held_out is None:
            self.threshold_ = 0.0
        else:
            self.threshold_ = choose_threshold(*held_out)
        self.training_size_ = len(texts)
        self.trained_at_ = datetime.now(UTC).isoformat(timespec="seconds")
        return self

    def _make_context(
        self,
        vectors: FloatMatrix,
        unlabelled: Sequence[str] | None,
        unlabelled_dense: FloatMatrix | None,
    ) -> NDArray[np.float16] | None:
        """Labelled examples' embeddings first, then (a sample of) the unlabelled messages'."""
        if not unlabelled:
            return None
        rows = np.arange(len(unlabelled))
        if len(rows) > CONTEXT_MAX:
            rows = np.sort(np.random.default_rng(0).choice(len(rows), CONTEXT_MAX, replace=False))
        if unlabelled_dense is None:
            extra = self.features_.dense([unlabelled[i] for i in rows.tolist()])
        else:
            extra = np.asarray(unlabelled_dense, dtype=np.float32)[rows]
        return np.vstack([vectors, extra]).astype(np.float16)

    def _blend(self, vectors: FloatMatrix) -> FloatMatrix:
        if self.context_ is None:
            return vectors
        return blend_with_neighbours(
            vectors,
            self.context_.astype(np.float32),
            widths=self.features_.widths(),
            neighbours=CONTEXT_NEIGHBOURS,
            weight=CONTEXT_WEIGHT,
        )

    def _choose_context(
        self, texts: Sequence[str], vectors: FloatMatrix, x: sparse.csr_matrix, y: NDArray[np.intp]
    ) -> tuple[sparse.csr_matrix, HeldOut | None]:
        """The features to train on, with the context only if out-of-fold accuracy says so."""
        if self.context_ is None:
            return x, None if self.threshold is not None else self._out_of_fold(x, y)
        blended = self.features_.transform(texts, dense=self._blend(vectors))
        plain, with_context = self._out_of_fold(x, y), self._out_of_fold(blended, y)
        if plain is None or with_context is None:  # too few examples to compare: keep it
            return blended, None
        if plain[1].mean() >= with_context[1].mean():
            self.context_ = None
            return x, plain
        return blended, with_context

    def _out_of_fold(self, x: sparse.csr_matrix, y: NDArray[np.intp]) -> HeldOut | None:
        """Confidence and rightness of held-out predictions; None if too few examples."""
        smallest = min(Counter(y.tolist()).values())
        if smallest < 2:
            return None
        splits: Any
        if len(y) > HOLDOUT_ABOVE:
            splits = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
        else:
            splits = StratifiedKFold(n_splits=min(FOLDS, smallest), shuffle=True, random_state=0)
        confidence = np.full(len(y), np.nan)
        correct = np.zeros(len(y), dtype=bool)
        for train, held in splits.split(np.zeros(len(y)), y):
            model = self._model().fit(x[train], y[train])
            probabilities = model.predict_proba(x[held])
            best = probabilities.argmax(axis=1)
            confidence[held] = probabilities.max(axis=1)
            correct[held] = model.classes_[best] == y[held]
        held_out = ~np.isnan(confidence)
        return confidence[held_out], correct[held_out]

    def probabilities(
        self, texts: Sequence[str], *, dense: FloatMatrix | None = None
    ) -> NDArray[np.float64]:
        """Probability of each reason (columns in :attr:`reasons_` order) for each text."""
        if not self.reasons_:
            raise InvalidInput("the reason classifier is not trained: fit or load it first")
        vectors = self.features_.dense(texts) if dense is None else dense
        x = self.features_.transform(texts, dense=self._blend(vectors))
        return softmax(np.asarray(x @ self.coef_.T) + self.intercept_)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """The reason of each text, :data:`UNKNOWN` where the confidence is below the threshold."""
        if not texts:
            return []
        probabilities = self.probabilities(texts)
        best = probabilities.argmax(axis=1)
        out = []
        for index, p in zip(best.tolist(), probabilities.max(axis=1).tolist(), strict=True):
            reason = self.reasons_[index] if p >= self.threshold_ else UNKNOWN
            out.append(Prediction(reason=reason, confidence=round(float(p), 6)))
        return out

    def save(self, directory: Path) -> None:
        """Write ``model.json`` and ``weights.npz`` into ``directory`` (created if needed)."""
        directory.mkdir(parents=True, exist_ok=True)
        feature_meta, arrays = self.features_.state()
        meta = {
            "format_version": FORMAT_VERSION,
            "kind": "goodwill.reasons.ReasonClassifier",
            "reasons": list(self.reasons_),
            "threshold": self.threshold_,
            "training_size": self.training_size_,
            "trained_at": self.trained_at_,
            "c": self.c,
            "features": feature_meta,
            "context": None
            if self.context_ is None
            else {"neighbours": CONTEXT_NEIGHBOURS, "weight": CONTEXT_WEIGHT},
        }
        arrays = {"coef": self.coef_.astype(np.float32), "intercept": self.intercept_, **arrays}
        if self.context_ is not None:
            arrays["context"] = self.context_
        np.savez_compressed(directory / WEIGHTS_FILE, **arrays)  # type: ignore[arg-type]
        (directory / MODEL_FILE).write_text(json.dumps(meta, ensure_ascii=False))

    @classmethod
    def load(cls, directory: Path) -> ReasonClassifier:
        """Read a model saved by :meth:`save`; :class:`InvalidInput` if missing or corrupt."""
        meta_path, weights_path = directory / MODEL_FILE, directory / WEIGHTS_FILE
        for path in (meta_path, weights_path):
            if not path.is_file():
                raise InvalidInput(f"{directory}: no {path.name}: not a saved reason model")
        try:
            meta = json.loads(meta_path.read_text())
            with np.load(weights_path, allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
            return cls._restore(meta, arrays)
        except (ValueError, KeyError, TypeError, OSError) as exc:
            raise InvalidInput(f"{directory}: corrupt reason model ({exc})") from exc

    @classmethod
    def _restore(cls, meta: dict[str, Any], arrays: dict[str, NDArray[Any]]) -> ReasonClassifier:
        if meta.get("format_version") not in READABLE_VERSIONS:
            raise ValueError(
                f"format version {meta.get('format_version')!r}: this Goodwill reads "
                f"versions {', '.join(map(str, READABLE_VERSIONS))}; train the model again"
            )
        features = TextFeatures.from_state(meta["features"], arrays)
        model = cls(threshold=float(meta["threshold"]), features=features.settings, c=meta["c"])
        model.reasons_ = tuple(str(r) for r in meta["reasons"])
        model.threshold_ = float(meta["threshold"])
        model.coef_ = np.asarray(arrays["coef"], dtype=np.float64)
        model.intercept_ = np.asarray(arrays["intercept"], dtype=np.float64)
        if model.coef_.shape[0] != len(model.reasons_) or len(model.intercept_) != len(
            model.reasons_
        ):
            raise ValueError("weights do not match the reasons")
        model.features_ = features
        if meta.get("context") is not None:
            model.context_ = np.asarray(arrays["context"], dtype=np.float16)
            if model.context_.shape[1] != sum(features.widths()):
                raise ValueError("context embeddings do not match the features")
        model.training_size_ = int(meta["training_size"])
        model.trained_at_ = str(meta["trained_at"])
        return model
