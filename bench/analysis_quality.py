"""Quality of the message-understanding pipeline on public data and on our labelled set.

    .venv/bin/python bench/analysis_quality.py [--skip-politeness]

Prints, with the shipped models (src/goodwill/analysis/models):
- emotion: GoEmotions test, Ekman grouping + neutral, multi-label per-label F1 and their mean;
- sentiment: GoEmotions test rows with one polarity, accuracy (and VADER alone for reference);
- politeness: Stanford Wikipedia requests, top vs bottom quartile, 10-fold CV accuracy (the folds
  are re-trained here with the same code as ``goodwill train-heads``; L2 chosen inside each fold);
- commitments: precision, recall, due-time and owner accuracy on tests/data/commitments.jsonl,
  and the due-time accuracy of dateparser on the same matched promises when it is installed.
Needs the shared data (GOODWILL_DATA_DIR or ../shared/data).
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from goodwill.analysis import EMOTIONS, EmotionAnalyser, Message, default_pipeline
from goodwill.analysis.commitments import find_commitments
from goodwill.analysis.training import data
from goodwill.analysis.training.heads import f1_per_label
from goodwill.analysis.training.train import Featuriser, PolitenessData

REPO = Path(__file__).resolve().parents[1]


def emotion_and_sentiment(root: Path) -> None:
    test = data.load_goemotions(root, "test")
    pipeline = default_pipeline(embedding=None)
    analyses = pipeline.run_batch([Message(str(i), t) for i, t in enumerate(test.texts)])
    head = next(a for a in pipeline.analysers if isinstance(a, EmotionAnalyser)).head
    probs = np.array([[a.results["emotion"].scores[k] for k in EMOTIONS] for a in analyses])  # type: ignore[attr-defined]
    f1 = f1_per_label(probs >= head.thresholds, test.ekman)
    print(f"emotion  GoEmotions test ({len(test.texts)} rows), Ekman + neutral, multi-label")
    print(
        f"  macro-F1 {f1.mean():.3f}   "
        + "  ".join(f"{k} {v:.3f}" for k, v in zip(EMOTIONS, f1, strict=True))
    )
    at_03 = f1_per_label(probs >= 0.3, test.ekman).mean()
    print(
        f"  macro-F1 with one threshold of 0.3 for every label (the paper's setting): {at_03:.3f}"
    )
    rows = [i for i, s in enumerate(test.sentiment) if s is not None]
    predicted = [analyses[i].results["sentiment"].label for i in rows]  # type: ignore[attr-defined]
    gold = [test.sentiment[i] for i in rows]
    accuracy = np.mean([p == g for p, g in zip(predicted, gold, strict=True)])
    compound = np.array([analyses[i].results["features"].vader[3] for i in rows])  # type: ignore[attr-defined]
    vader = np.where(
        compound >= 0.05, "positive", np.where(compound <= -0.05, "negative", "neutral")
    )
    print(f"sentiment  GoEmotions test, {len(rows)} rows with one polarity (3 classes)")
    print(
        f"  accuracy {accuracy:.3f}   (VADER alone, ±0.05: {np.mean(vader == np.array(gold)):.3f})"
    )


def politeness(root: Path) -> None:
    started = time.perf_counter()
    corpus = PolitenessData(root, Featuriser())
    accuracies = corpus.cross_validate(lambda _: None)
    print(f"politeness  Wikipedia requests, {len(corpus.keep)} rows (top vs bottom quartile)")
    print(
        f"  10-fold CV accuracy {np.mean(accuracies):.3f} ± {np.std(accuracies):.3f}"
        f"   ({time.perf_counter() - started:.0f} s)"
    )


def _dateparser_due(text: str, sent_at: datetime) -> datetime | None:
    from dateparser.search import search_dates  # type: ignore[import-untyped]

    settings = {"RELATIVE_BASE": sent_at.replace(tzinfo=None), "PREFER_DATES_FROM": "future"}
    found = search_dates(text, languages=["en"], settings=settings)
    return found[0][1].replace(tzinfo=sent_at.tzinfo) if found else None


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def commitments() -> None:
    rows = [json.loads(x) for x in (REPO / "tests/data/commitments.jsonl").read_text().splitlines()]
    counts: dict[str, Any] = {"tp": 0, "fp": 0, "fn": 0, "due": 0, "owner": 0}
    counts |= {"day": 0, "dateparser": 0, "dateparser_day": 0}
    try:
        import dateparser  # type: ignore[import-untyped]  # noqa: F401

        has_dateparser = True
    except ImportError:
        has_dateparser = False
    for row in rows:
        sent_at = datetime.fromisoformat(row["sent_at"])
        gold = list(row["commitments"])
        for found in find_commitments(row["text"], sent_at):
            match = next(
                (g for g in gold if found.start < g["end"] and g["start"] < found.end), None
            )
            if match is None:
                counts["fp"] += 1
                continue
            gold.remove(match)
            counts["tp"] += 1
            counts["owner"] += found.owner == match["owner"]
            counts["due"] += _iso(found.due_at) == (match["due_at"] or "")
            counts["day"] += _iso(found.due_at)[:10] == (match["due_at"] or "")[:10]
            if has_dateparser:
                other = _dateparser_due(found.text, sent_at)
                counts["dateparser"] += _iso(other) == (match["due_at"] or "")
                counts["dateparser_day"] += _iso(other)[:10] == (match["due_at"] or "")[:10]
        counts["fn"] += len(gold)
    tp = counts["tp"]
    promises = tp + counts["fn"]
    print(f"commitments  tests/data/commitments.jsonl: {len(rows)} sentences, {promises} promises")
    print(
        f"  precision {tp / (tp + counts['fp']):.3f}  recall {tp / (tp + counts['fn']):.3f}"
        f"  due-time accuracy {counts['due'] / tp:.3f} (same day {counts['day'] / tp:.3f})"
        f"  owner accuracy {counts['owner'] / tp:.3f}"
    )
    if has_dateparser:
        exact, day = counts["dateparser"] / tp, counts["dateparser_day"] / tp
        print(
            f"  dateparser.search_dates on the same promises: due time {exact:.3f}, day {day:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-politeness", action="store_true")
    args = parser.parse_args()
    root = data.data_dir()
    commitments()
    emotion_and_sentiment(root)
    if not args.skip_politeness:
        politeness(root)


if __name__ == "__main__":
    main()
