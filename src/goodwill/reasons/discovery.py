"""Contact reasons without labels: group messages by meaning and name each group.

Pure (no database). ``discover(texts)`` embeds the messages with MiniLM, clusters the graph of
their 10 nearest neighbours spectrally (the number of groups by the eigengap unless ``k`` is
given; groups by k-means on the unit-length spectral vectors), names each group from its most
distinctive words (:mod:`goodwill.reasons.naming`) and picks its most typical messages (nearest
its centre). Groups are numbered from 0 by decreasing size. Why this method: docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.linalg import eigh
from scipy.sparse.csgraph import laplacian
from sklearn.cluster import KMeans
from sklearn.neighbors import kneighbors_graph

from goodwill.errors import InvalidInput
from goodwill.reasons.classifier import ReasonClassifier
from goodwill.reasons.features import EncoderName, FeatureSettings, FloatMatrix, embed
from goodwill.reasons.naming import group_labels

TYPICAL = 3
SEED = 0
NEIGHBOURS = 10
MAX_GROUPS = 200  # the most groups "auto" considers
SAMPLE = 3500  # the most messages clustered together (MiniLM and a dense spectrum stay fast)


@dataclass(frozen=True)
class Group:
    """One discovered reason: its number, label, size and its most typical messages' indices."""

    cluster: int
    label: str
    size: int
    typical: tuple[int, ...]


@dataclass(frozen=True)
class Discovery:
    """The group of every message (by input index) and the groups themselves."""

    assignments: tuple[int, ...]
    groups: tuple[Group, ...]


def neighbour_graph(vectors: FloatMatrix) -> sparse.csr_matrix:
    """Symmetric k-nearest-neighbour graph (cosine), each edge weighing 1 or ½ if one-sided."""
    neighbours = min(NEIGHBOURS, len(vectors) - 1)
    graph = kneighbors_graph(vectors, neighbours, metric="cosine", include_self=False)
    return sparse.csr_matrix(0.5 * (graph + graph.T))


def spectrum(graph: sparse.csr_matrix, count: int) -> tuple[NDArray[np.float64], FloatMatrix]:
    """The ``count`` smallest eigenvalues of the normalised Laplacian and their vectors."""
    lap, degree = laplacian(graph, normed=True, return_diag=True)
    values, vectors = eigh(lap.toarray(), subset_by_index=(0, count - 1))
    order = np.argsort(values)
    return values[order], np.asarray(vectors[:, order] / degree[:, None], dtype=np.float32)


def eigengap_k(values: NDArray[np.float64]) -> int:
    """The number of groups after which the spectrum jumps most (the eigengap heuristic)."""
    gaps = np.diff(values)[1:]  # gaps[i] follows eigenvalue i + 2: k = i + 2
    return int(np.argmax(gaps)) + 2


def spectral_kmeans(vectors: FloatMatrix) -> NDArray[np.intp]:
    """Ng, Jordan & Weiss (2001): k-means on the spectral vectors scaled to unit length (one
    group per column). On dev samples of Banking77 it beat reading the groups off the vectors by
    pivoted QR (Damle et al. 2019) on each of five seeds, by 0.6 NMI and 1.0 ARI points on
    average (docs/benchmarks.md, "Contact reasons", round 4)."""
    k = vectors.shape[1]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = vectors / np.maximum(norms, np.finfo(np.float32).tiny)
    labels = KMeans(k, n_init=10, random_state=SEED).fit_predict(rows)
    return np.asarray(labels, dtype=np.intp)


def cluster(vectors: FloatMatrix, *, k: int | None) -> NDArray[np.intp]:
    """Spectral clustering of the neighbour graph; ``k`` None chooses it by the eigengap."""
    most = min(MAX_GROUPS, len(vectors)) if k is None else k
    values, spectral = spectrum(neighbour_graph(vectors), most)
    chosen = eigengap_k(values) if k is None else k
    return spectral_kmeans(spectral[:, :chosen])


def _renumber_by_size(labels: NDArray[np.intp]) -> NDArray[np.intp]:
    ids, counts = np.unique(labels, return_counts=True)
    order = ids[np.argsort(-counts, kind="stable")]
    mapping = np.empty(int(ids.max()) + 1, dtype=np.intp)
    mapping[order] = np.arange(len(order))
    return np.asarray(mapping[labels], dtype=np.intp)


def _typical(vectors: FloatMatrix, members: NDArray[np.intp]) -> tuple[int, ...]:
    centre = vectors[members].mean(axis=0)
    similarity = vectors[members] @ centre
    return tuple(int(members[i]) for i in np.argsort(-similarity, kind="stable")[:TYPICAL])


def _extend(
    texts: Sequence[str], sample: NDArray[np.intp], found: NDArray[np.intp]
) -> NDArray[np.intp]:
    """Groups for every message: a fast classifier learns the sample's groups, labels the rest."""
    everyone = np.full(len(texts), found[0], dtype=np.intp)
    everyone[sample] = found
    if len(sample) == len(texts) or len(set(found.tolist())) < 2:
        return everyone
    settings = FeatureSettings(static_weight=1.0, word_weight=0.5, char_weight=0.5)
    model = ReasonClassifier(threshold=0.0, features=settings)
    model.fit([texts[i] for i in sample], [str(g) for g in found.tolist()])
    rest = np.setdiff1d(np.arange(len(texts)), sample)
    best = model.probabilities([texts[i] for i in rest]).argmax(axis=1)
    everyone[rest] = [int(model.reasons_[b]) for b in best]
    return everyone


def discover(
    texts: Sequence[str], *, k: int | None = None, encoder: EncoderName = "minilm"
) -> Discovery:
    """Group ``texts`` into reasons; ``k`` None chooses the number of groups automatically.

    Up to :data:`SAMPLE` messages are clustered together; beyond that, a random sample of that
    size is clustered and a linear model on fast features (static embedding and n-grams)
    trained on the sample's groups assigns every other message: the time stays bounded.
    """
    if len(texts) < 3:
        raise InvalidInput(f"{len(texts)} message(s): give at least 3 messages to group")
    if k is not None and not 2 <= k < min(len(texts), SAMPLE):
        raise InvalidInput(
            f"k = {k}: give between 2 and {min(len(texts), SAMPLE) - 1} groups, "
            "or leave it automatic"
        )
    sample = np.arange(len(texts), dtype=np.intp)
    if len(texts) > SAMPLE:
        chosen = np.random.default_rng(SEED).choice(len(texts), SAMPLE, replace=False)
        sample = np.sort(chosen).astype(np.intp)
    vectors = embed([texts[i] for i in sample.tolist()], encoder)
    labels = _renumber_by_size(_extend(texts, sample, cluster(vectors, k=k)))
    names = group_labels(texts, labels.tolist())
    groups = []
    for group in range(int(labels.max()) + 1):
        members = np.flatnonzero(labels[sample] == group).astype(np.intp)
        typical = tuple(int(sample[i]) for i in _typical(vectors, members))
        size = int((labels == group).sum())
        groups.append(Group(group, names[group], size, typical))
    return Discovery(assignments=tuple(labels.tolist()), groups=tuple(groups))
