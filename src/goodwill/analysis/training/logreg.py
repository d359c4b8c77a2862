"""L2-regularised logistic regression fitted with L-BFGS (SciPy): no scikit-learn needed.

Two forms share one optimiser: ``softmax`` (one label per row) and ``sigmoid`` (independent
labels, multi-label rows). The loss is the mean cross-entropy plus ``l2 / 2 * ||W||²`` (the
bias is not penalised); it and its gradient are pure functions of the parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.optimize
import scipy.sparse
from numpy.typing import NDArray

Matrix = Any  # a dense NDArray or a scipy.sparse CSR matrix (scipy ships no types)
Kind = Literal["softmax", "sigmoid"]


class ConvergenceError(RuntimeError):
    """L-BFGS stopped without converging."""


@dataclass(frozen=True)
class LogisticModel:
    weights: NDArray[np.float64]  # (features, classes)
    bias: NDArray[np.float64]  # (classes,)
    kind: Kind

    def decision(self, x: Matrix) -> NDArray[np.float64]:
        return np.asarray(x @ self.weights) + self.bias

    def probabilities(self, x: Matrix) -> NDArray[np.float64]:
        return activate(self.decision(x), self.kind)


def activate(z: NDArray[np.float64], kind: Kind) -> NDArray[np.float64]:
    if kind == "sigmoid":
        return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def loss_and_gradient(
    params: NDArray[np.float64],
    x: Matrix,
    targets: NDArray[np.float64],
    weights: NDArray[np.float64],
    l2: float,
    kind: Kind,
) -> tuple[float, NDArray[np.float64]]:
    """Weighted mean cross-entropy + L2 penalty, and its gradient (flat, W then b)."""
    n_features, n_classes = x.shape[1], targets.shape[1]
    w = params[: n_features * n_classes].reshape(n_features, n_classes)
    b = params[n_features * n_classes :]
    z = np.asarray(x @ w) + b
    p = activate(z, kind)
    eps = 1e-12
    if kind == "sigmoid":
        ce = -(targets * np.log(p + eps) + (1 - targets) * np.log(1 - p + eps)).sum(axis=1)
    else:
        ce = -(targets * np.log(p + eps)).sum(axis=1)
    total = weights.sum()
    loss = float((weights * ce).sum() / total + 0.5 * l2 * (w * w).sum())
    residual = (p - targets) * (weights / total)[:, None]
    grad_w = np.asarray(x.T @ residual) + l2 * w
    grad_b = residual.sum(axis=0)
    return loss, np.concatenate([grad_w.ravel(), grad_b])


def fit_logistic(
    x: Matrix,
    targets: NDArray[np.float64],
    *,
    kind: Kind,
    l2: float,
    sample_weight: NDArray[np.float64] | None = None,
    max_iter: int = 1000,
) -> LogisticModel:
    """Fit on ``x`` (rows × features) against ``targets`` (rows × classes, one-hot or 0/1)."""
    if x.shape[0] != targets.shape[0]:
        raise ValueError("x and targets have a different number of rows")
    weights = np.ones(x.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
    n_params = x.shape[1] * targets.shape[1] + targets.shape[1]
    result = scipy.optimize.minimize(
        loss_and_gradient,
        np.zeros(n_params),
        args=(x, targets, weights, l2, kind),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter},
    )
    if not result.success and result.nit >= max_iter:
        raise ConvergenceError(
            f"L-BFGS did not converge in {max_iter} iterations: {result.message}"
        )
    n_w = x.shape[1] * targets.shape[1]
    return LogisticModel(
        weights=result.x[:n_w].reshape(x.shape[1], targets.shape[1]),
        bias=result.x[n_w:],
        kind=kind,
    )
