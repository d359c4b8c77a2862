"""Readable names for groups of messages: their most distinctive words (class-based TF-IDF).

c-TF-IDF (Grootendorst 2022, BERTopic): all messages of a group form one document; a term
scores by its frequency in the group times ``log(1 + A / f)``, where ``A`` is the average
number of words per group and ``f`` the term's frequency over all groups. The label joins the
best terms, skipping a term already contained in a better one ("card" after "card arrival").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

TERMS_PER_LABEL = 3


def _label(terms: Sequence[str], scores: Sequence[float], size: int) -> str:
    chosen: list[str] = []
    for term, score in zip(terms, scores, strict=True):
        if score <= 0:
            break
        words = set(term.split())
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == size:
            break
    return " / ".join(chosen) if chosen else "(no common words)"


def group_labels(
    texts: Sequence[str], assignments: Sequence[int], *, terms: int = TERMS_PER_LABEL
) -> dict[int, str]:
    """A short label per group id, from the group's most distinctive words and word pairs."""
    groups = sorted(set(assignments))
    documents = [
        " \n ".join(t for t, a in zip(texts, assignments, strict=True) if a == g) for g in groups
    ]
    vectoriser = CountVectorizer(ngram_range=(1, 2), stop_words="english", lowercase=True)
    try:
        counts = vectoriser.fit_transform(documents).astype(np.float64)
    except ValueError:  # only stop words or no words at all
        return dict.fromkeys(groups, "(no common words)")
    words_per_group = np.asarray(counts.sum(axis=1)).ravel()
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    average = max(float(words_per_group.mean()), 1.0)
    idf = np.log1p(average / np.maximum(frequency, 1.0))
    tf = counts.multiply(1.0 / np.maximum(words_per_group, 1.0)[:, None]).tocsr()
    scores = tf.multiply(idf[None, :]).tocsr()
    vocabulary = vectoriser.get_feature_names_out()
    labels: dict[int, str] = {}
    for row, group in enumerate(groups):
        dense = scores.getrow(row).toarray().ravel()
        best = np.argsort(-dense, kind="stable")[: terms * 4]
        labels[group] = _label([str(vocabulary[i]) for i in best], dense[best].tolist(), terms)
    return labels
