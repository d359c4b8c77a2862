"""Draw the Banking77 sample that was labelled for sentiment (tests/data/sentiment_customer).

    .venv/bin/python bench/sample_customer_sentiment.py [--out PATH]

240 queries drawn uniformly at random (seed 20261123) from the Banking77 test split (CC BY 4.0,
PolyAI). Writes one JSON object per line: ``text``, ``banking77_category`` and ``label`` left
empty; the labels in the repository's file were then assigned by hand (see the README there).
Needs the shared data (GOODWILL_DATA_DIR or ../shared/data).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = 20261123
SIZE = 240


def draw(test_csv: Path) -> list[dict[str, str]]:
    """The sample, in the order drawn."""
    with test_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    picked = random.Random(SEED).sample(range(len(rows)), SIZE)
    return [{"text": rows[i]["text"], "banking77_category": rows[i]["category"]} for i in picked]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("banking77_sample_unlabelled.jsonl"))
    args = parser.parse_args()
    root = Path(os.environ.get("GOODWILL_DATA_DIR", REPO.parent / "shared" / "data"))
    with args.out.open("w", encoding="utf-8") as out:
        for row in draw(root / "banking77" / "test.csv"):
            line = {
                "text": row["text"],
                "label": "",
                "banking77_category": row["banking77_category"],
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"wrote {SIZE} rows to {args.out}")


if __name__ == "__main__":
    main()
