"""Readers for the public data sets in shared/data, and their version (SHA-256 of the files).

Only training, evaluation and benchmarks read these; the package runs without them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from goodwill.analysis.emotion import EMOTIONS

REPO_ROOT = Path(__file__).resolve().parents[4]
SENTIMENTS = ("negative", "neutral", "positive")


class DataMissing(FileNotFoundError):
    """The shared data directory (or one of its files) is not there."""


def data_dir() -> Path:
    """``GOODWILL_DATA_DIR``, else ``../shared/data`` beside the repository."""
    configured = os.environ.get("GOODWILL_DATA_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"


def require(path: Path) -> Path:
    if not path.exists():
        raise DataMissing(f"{path} is missing: set GOODWILL_DATA_DIR to the shared data folder")
    return path


def sha256_of(paths: Iterable[Path]) -> dict[str, str]:
    return {p.parent.name + "/" + p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@dataclass(frozen=True)
class GoEmotions:
    texts: list[str]
    ekman: NDArray[np.float64]  # rows × 7 (EMOTIONS order), 0/1, multi-label
    sentiment: list[str | None]  # negative / neutral / positive, None when mixed or ambiguous
    fine: NDArray[np.float64]  # rows × 28 fine-grained labels (``fine_names`` order), 0/1
    fine_names: tuple[str, ...]  # emotions.txt, neutral included
    ekman_of: dict[str, str]  # fine label → its Ekman group (neutral → neutral)


def goemotions_files(root: Path) -> list[Path]:
    names = ("train.tsv", "dev.tsv", "test.tsv", "emotions.txt", "ekman_mapping.json")
    return [require(root / "goemotions" / n) for n in (*names, "sentiment_dict.json")]


def _groups(root: Path, mapping_file: str) -> dict[str, str]:
    mapping: dict[str, list[str]] = json.loads((root / "goemotions" / mapping_file).read_text())
    return {fine: group for group, fines in mapping.items() for fine in fines}


def load_goemotions(root: Path, split: str) -> GoEmotions:
    """One split with Ekman labels (neutral kept) and a single sentiment label where one fits.

    Sentiment: rows whose labels are all neutral → neutral; all in one polarity group
    (ambiguous labels such as surprise ignored when a polarity is present) → that polarity;
    rows mixing positive and negative, or only ambiguous labels → None (left out).
    """
    emotions = require(root / "goemotions" / "emotions.txt").read_text().split()
    ekman, polarity = _groups(root, "ekman_mapping.json"), _groups(root, "sentiment_dict.json")
    texts, rows, sentiment, fines = [], [], [], []
    with require(root / "goemotions" / f"{split}.tsv").open(encoding="utf-8") as f:
        for line in f:
            text, ids, _ = line.rstrip("\n").split("\t")
            fine = [emotions[int(i)] for i in ids.split(",")]
            fines.append(np.isin(emotions, fine).astype(float))
            row = np.zeros(len(EMOTIONS))
            for name in fine:
                row[EMOTIONS.index(ekman.get(name, "neutral"))] = 1.0
            groups = {polarity.get(name, "neutral") for name in fine} - {"ambiguous"}
            texts.append(text)
            rows.append(row)
            sentiment.append(groups.pop() if len(groups) == 1 else None)
    ekman_of = {name: ekman.get(name, "neutral") for name in emotions}
    fine_matrix = np.asarray(fines).reshape(len(texts), len(emotions))
    return GoEmotions(texts, np.asarray(rows), sentiment, fine_matrix, tuple(emotions), ekman_of)


@dataclass(frozen=True)
class Politeness:
    texts: list[str]
    scores: NDArray[np.float64]  # Normalized Score


def politeness_file(root: Path) -> Path:
    return require(root / "politeness" / "wikipedia.annotated.csv")


def load_politeness(root: Path) -> Politeness:
    with politeness_file(root).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return Politeness(
        [r["Request"] for r in rows], np.array([float(r["Normalized Score"]) for r in rows])
    )


def quartile_labels(scores: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The paper's protocol: rows in the top or bottom quartile, and 1 = polite / 0 = impolite."""
    low, high = np.quantile(scores, [0.25, 0.75])
    keep = np.flatnonzero((scores <= low) | (scores >= high))
    return keep, (scores[keep] >= high).astype(float)
