"""Generated demo folders, shared by the demo tests (generation is pure: no database)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

from goodwill.demo.generator import GenerationSummary, generate
from tests.conftest import shared_data_dir

AS_OF = date(2026, 11, 23)


def data_dir_or_none() -> Path | None:
    folder = shared_data_dir()
    return folder if (folder / "banking77" / "train.csv").is_file() else None


@dataclass
class Generated:
    """A generated folder, read back."""

    summary: GenerationSummary
    folder: Path
    _cache: dict[str, Any] = field(default_factory=dict)

    def csv(self, name: str) -> list[dict[str, str]]:
        with (self.folder / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    @cached_property
    def customers(self) -> dict[str, dict[str, Any]]:
        rows = self.csv("customers.csv")
        return {r["external_id"]: r | {"attributes": json.loads(r["attributes"])} for r in rows}

    @cached_property
    def interactions(self) -> list[dict[str, Any]]:
        with (self.folder / "interactions.jsonl").open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh]

    @cached_property
    def by_customer(self) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.interactions:
            grouped[row["customer_external_id"]].append(row)
        return grouped

    def persona_of(self, customer_external_id: str) -> str:
        return str(self.customers[customer_external_id]["attributes"]["demo_persona"])

    def customers_of(self, persona: str) -> list[str]:
        return [c for c in self.customers if self.persona_of(c) == persona]


def make(folder: Path, **kwargs: Any) -> Generated:
    kwargs.setdefault("as_of", AS_OF)
    return Generated(generate(folder, **kwargs), folder)


@pytest.fixture(scope="session")
def small_builtin(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """150 customers from the built-in texts only (as on a fresh clone without the data)."""
    return make(tmp_path_factory.mktemp("demo-small"), customers=150, data_dir=None)


@pytest.fixture(scope="session")
def default_demo(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """The default demo (2,000 customers), enriched from the shared data when it is there."""
    return make(tmp_path_factory.mktemp("demo-default"), data_dir=data_dir_or_none())
