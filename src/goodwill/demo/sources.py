"""The real data the demo is enriched from, when present, and the built-in stand-ins otherwise.

Banking77's train split gives the inbound texts by category; the CDNOW log gives purchase
timelines (a cohort's first 18 months, exactly the demo's window). Neither is copied anywhere:
both are read from the data folder at generation time.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from goodwill.demo.inbound import BUILTIN_TEXTS, CATEGORIES
from goodwill.demo.rand import rng_for

BANKING77_TRAIN = Path("banking77") / "train.csv"
CDNOW_MASTER = Path("cdnow") / "CDNOW_master.txt"
CDNOW_DAYS = 546  # 1997-01-01 .. 1998-06-30
_CDNOW_START = date(1997, 1, 1)

# (day offset in the 546-day span, quantity, amount)
Purchase = tuple[int, int, Decimal]
History = tuple[Purchase, ...]
PROFILES = ("heavy", "regular", "lapsed", "light")


@dataclass(frozen=True)
class Sources:
    texts: Mapping[str, tuple[str, ...]]  # contact reason -> customer texts
    histories: Mapping[str, tuple[History, ...]]  # purchase profile -> timelines
    banking77: bool
    cdnow: bool


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def resolve_data_dir(configured: Path) -> Path | None:
    """The data folder: ``configured`` as given, else relative to the repository; None if absent."""
    candidates = [configured]
    if not configured.is_absolute():
        candidates.append(_repo_root() / configured)
    for folder in candidates:
        if (folder / BANKING77_TRAIN).is_file() or (folder / CDNOW_MASTER).is_file():
            return folder.resolve()
    return None


def load(data_dir: Path | None) -> Sources:
    texts = _banking77(data_dir / BANKING77_TRAIN) if data_dir else None
    histories = _cdnow(data_dir / CDNOW_MASTER) if data_dir else None
    return Sources(
        texts=texts or BUILTIN_TEXTS,
        histories=histories or _simulated_histories(),
        banking77=texts is not None,
        cdnow=histories is not None,
    )


def _banking77(path: Path) -> dict[str, tuple[str, ...]] | None:
    if not path.is_file():
        return None
    grouped: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text, category = (row.get("text") or "").strip(), row.get("category") or ""
            if text and category in CATEGORIES:
                grouped[category].append(text)
    return {c: tuple(t) for c, t in grouped.items()} or None


def _cdnow(path: Path) -> dict[str, tuple[History, ...]] | None:
    if not path.is_file():
        return None
    by_customer: dict[str, list[Purchase]] = defaultdict(list)
    with path.open(encoding="ascii") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) != 4 or not parts[1].isdigit():
                continue  # the header
            customer, day, cds, dollars = parts
            try:
                amount = Decimal(dollars)
                when = date(int(day[:4]), int(day[4:6]), int(day[6:]))
            except (InvalidOperation, ValueError):
                continue
            if amount > 0:
                by_customer[customer].append(((when - _CDNOW_START).days, int(cds), amount))
    pools: dict[str, list[History]] = {p: [] for p in PROFILES}
    for customer in sorted(by_customer):
        history = tuple(sorted(by_customer[customer]))
        pools[_profile(history)].append(history)
    return {p: tuple(h) for p, h in pools.items()} if all(pools.values()) else None


def _profile(history: History) -> str:
    count, last = len(history), history[-1][0]
    if count >= 6 and last > 400:
        return "heavy"
    if count >= 3 and last > 300:
        return "regular"
    if count >= 3:
        return "lapsed"
    return "light"


def _simulated_histories() -> dict[str, tuple[History, ...]]:
    """CDNOW-like timelines for when the data set is absent (a fixed seed: always the same)."""
    rng = rng_for("goodwill-demo-purchases")
    shapes = {"heavy": (6, 14, 545), "regular": (3, 5, 545), "lapsed": (3, 5, 240)}
    shapes["light"] = (1, 2, 120)
    pools: dict[str, tuple[History, ...]] = {}
    for profile, (low, high, last_day) in shapes.items():
        histories = []
        for _ in range(300):
            first = rng.randint(0, 84)
            more = rng.randint(low, high) - 1
            days = [first, *(rng.randint(first, last_day) for _ in range(more))]
            histories.append(tuple(sorted((d, *_basket(rng)) for d in days)))
        pools[profile] = tuple(histories)
    return pools


def _basket(rng: random.Random) -> tuple[int, Decimal]:
    quantity = min(8, 1 + int(rng.expovariate(0.8)))
    return quantity, Decimal(str(round(quantity * rng.uniform(9.0, 16.0), 2)))
