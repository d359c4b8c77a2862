"""A one-hidden-layer network (ReLU, dropout, sigmoid outputs) trained with Adam in NumPy.

For multi-label heads where a linear model leaves accuracy on the table (emotion). Mini-batches
from a seeded generator, so training is reproducible; the epoch kept is the one with the best
score on a validation set given by the caller (never the test split).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from goodwill.analysis.training.logreg import Matrix

Float32 = NDArray[np.float32]
Score = Callable[[NDArray[np.float64]], float]


@dataclass(frozen=True)
class MLP:
    w1: Float32  # (features, hidden)
    b1: Float32
    w2: Float32  # (hidden, labels)
    b2: Float32
    history: tuple[float, ...]  # validation score after each epoch

    def probabilities(self, x: Matrix) -> NDArray[np.float64]:
        hidden = np.maximum(np.asarray(x @ self.w1) + self.b1, 0.0)
        z = (hidden @ self.w2 + self.b2).astype(np.float64)
        return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))


@dataclass(frozen=True)
class MLPSettings:
    hidden: int = 256
    epochs: int = 5
    batch: int = 128
    learning_rate: float = 1e-3
    dropout: float = 0.3
    weight_decay: float = 1e-6
    seed: int = 0
    pos_weight: tuple[float, ...] = ()  # per label, weight of a positive target (none: all 1)


class _Adam:
    def __init__(self, params: list[Float32], rate: float) -> None:
        self.params, self.rate, self.step = params, rate, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def update(self, grads: list[Float32]) -> None:
        self.step += 1
        correction = np.sqrt(1 - 0.999**self.step) / (1 - 0.9**self.step)
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= self.rate * correction * m / (np.sqrt(v) + 1e-8)


def _init(n_features: int, n_labels: int, s: MLPSettings) -> list[Float32]:
    rng = np.random.default_rng(s.seed)
    scale = 3.0 * np.sqrt(2.0 / n_features)  # inputs are sparse: a few dozen active of thousands
    return [
        (rng.normal(0, 1, (n_features, s.hidden)) * scale).astype(np.float32),
        np.zeros(s.hidden, np.float32),
        (rng.normal(0, 1, (s.hidden, n_labels)) * np.sqrt(1.0 / s.hidden)).astype(np.float32),
        np.zeros(n_labels, np.float32),
    ]


def _gradients(
    params: list[Float32], x: Any, y: Float32, keep: Float32, s: MLPSettings
) -> list[Float32]:
    """Of the cross-entropy where a positive target of label j weighs ``s.pos_weight[j]``."""
    w1, b1, w2, b2 = params
    pre = np.asarray(x @ w1) + b1
    active = np.maximum(pre, 0.0) * keep
    z = active @ w2 + b2
    p = 0.5 * (1.0 + np.tanh(0.5 * z))
    if s.pos_weight:
        weighted = np.asarray(s.pos_weight, dtype=np.float32) * y
        g = (p * (weighted + 1.0 - y) - weighted) / len(y)
    else:
        g = (p - y) / len(y)
    decay = s.weight_decay
    back = (g @ w2.T) * keep * (pre > 0)
    return [
        np.asarray(x.T @ back, dtype=np.float32) + decay * w1,
        back.sum(axis=0),
        active.T @ g + decay * w2,
        g.sum(axis=0),
    ]


def fit_mlp(
    x: Any, y: NDArray[np.float64], *, validate: Callable[[MLP], float], settings: MLPSettings
) -> MLP:
    """Train on CSR ``x`` and 0/1 ``y``; keep the epoch that ``validate`` scores best."""
    rng = np.random.default_rng(settings.seed + 1)
    params = _init(x.shape[1], y.shape[1], settings)
    adam = _Adam(params, settings.learning_rate)
    targets = y.astype(np.float32)
    best: MLP | None = None
    history: list[float] = []
    for _ in range(settings.epochs):
        order = rng.permutation(x.shape[0])
        for start in range(0, len(order), settings.batch):
            rows = order[start : start + settings.batch]
            keep = (rng.random((len(rows), settings.hidden)) > settings.dropout).astype(np.float32)
            keep /= 1.0 - settings.dropout
            adam.update(_gradients(params, x[rows], targets[rows], keep, settings))
        w1, b1, w2, b2 = (p.copy() for p in params)
        snapshot = MLP(w1, b1, w2, b2, history=())
        history.append(validate(snapshot))
        if best is None or history[-1] > max(history[:-1], default=-1.0):
            best = snapshot
    assert best is not None
    return MLP(best.w1, best.b1, best.w2, best.b2, tuple(history))
