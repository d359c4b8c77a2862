"""Reproducible training of the analysis heads (NumPy/SciPy only; reads shared/data)."""

from goodwill.analysis.training.train import train_heads

__all__ = ["train_heads"]
