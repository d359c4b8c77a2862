"""Shared fixtures: one loaded pipeline per test session (models load once)."""

from __future__ import annotations

import pytest

from goodwill.analysis import Pipeline, default_pipeline


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return default_pipeline(embedding="static")
