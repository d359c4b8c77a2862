import numpy as np
import pytest
import scipy.sparse

from goodwill.analysis.training.logreg import ConvergenceError, fit_logistic, loss_and_gradient


def _blobs(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.vstack([rng.normal(-1.5, 1.0, (100, 3)), rng.normal(1.5, 1.0, (100, 3))])
    y = np.zeros((200, 2))
    y[:100, 0] = y[100:, 1] = 1.0
    return x, y


@pytest.mark.parametrize("kind", ["softmax", "sigmoid"])
def test_gradient_matches_finite_differences(kind: str) -> None:
    x, y = _blobs()
    params = np.random.default_rng(1).normal(0, 0.3, x.shape[1] * 2 + 2)
    args = (x, y, np.ones(len(x)), 0.01, kind)
    _, grad = loss_and_gradient(params, *args)
    eps = 1e-6
    numeric = np.array(
        [
            (
                loss_and_gradient(params + eps * e, *args)[0]
                - loss_and_gradient(params - eps * e, *args)[0]
            )
            / (2 * eps)
            for e in np.eye(len(params))
        ]
    )
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-7)


def test_separable_classes_are_learnt_on_dense_and_sparse_input() -> None:
    x, y = _blobs()
    dense = fit_logistic(x, y, kind="softmax", l2=1e-3)
    sparse = fit_logistic(scipy.sparse.csr_matrix(x), y, kind="softmax", l2=1e-3)
    assert (dense.probabilities(x).argmax(axis=1) == y.argmax(axis=1)).mean() > 0.95
    np.testing.assert_allclose(dense.weights, sparse.weights, atol=1e-5)
    p = dense.probabilities(x)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


def test_stronger_l2_shrinks_the_weights() -> None:
    x, y = _blobs()
    weak = fit_logistic(x, y, kind="sigmoid", l2=1e-4)
    strong = fit_logistic(x, y, kind="sigmoid", l2=1.0)
    assert np.abs(strong.weights).sum() < np.abs(weak.weights).sum()


def test_too_few_iterations_raise_convergence_error() -> None:
    x, y = _blobs()
    with pytest.raises(ConvergenceError):
        fit_logistic(x, y, kind="softmax", l2=1e-6, max_iter=2)


def test_rows_must_match() -> None:
    x, y = _blobs()
    with pytest.raises(ValueError, match="rows"):
        fit_logistic(x, y[:10], kind="softmax", l2=1e-3)
