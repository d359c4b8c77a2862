"""``train_heads`` end to end on a tiny data folder made here (the real heads are not retrained)."""

import csv
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from goodwill.analysis.heads import LinearHead
from goodwill.analysis.training import train_heads
from goodwill.analysis.training.data import DataMissing, load_goemotions, quartile_labels

EMOTIONS = [
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
    "neutral",
]
EKMAN = {
    "anger": ["anger", "annoyance", "disapproval"],
    "disgust": ["disgust"],
    "fear": ["fear", "nervousness"],
    "joy": [
        "joy",
        "amusement",
        "approval",
        "excitement",
        "gratitude",
        "love",
        "optimism",
        "relief",
        "pride",
        "admiration",
        "desire",
        "caring",
    ],
    "sadness": ["sadness", "disappointment", "embarrassment", "grief", "remorse"],
    "surprise": ["surprise", "realization", "confusion", "curiosity"],
}
POLARITY = {
    "positive": EKMAN["joy"],
    "negative": EKMAN["anger"] + EKMAN["disgust"] + EKMAN["fear"] + EKMAN["sadness"],
    "ambiguous": EKMAN["surprise"],
}
ROWS = [
    ("I am so angry about this, it is outrageous", "anger"),
    ("This is disgusting, gross", "disgust"),
    ("I am scared and worried about it", "fear"),
    ("I love this, thank you so much", "joy,gratitude"),
    ("So sad, I miss her", "sadness"),
    ("Wow, I did not expect that at all", "surprise"),
    ("The meeting is on Tuesday", "neutral"),
]


def _write_goemotions(root: Path) -> None:
    folder = root / "goemotions"
    folder.mkdir(parents=True)
    (folder / "emotions.txt").write_text("\n".join(EMOTIONS) + "\n")
    (folder / "ekman_mapping.json").write_text(json.dumps(EKMAN))
    (folder / "sentiment_dict.json").write_text(json.dumps(POLARITY))
    for split in ("train", "dev", "test"):
        lines = []
        for i in range(6):
            for text, labels in ROWS:
                ids = ",".join(str(EMOTIONS.index(x)) for x in labels.split(","))
                lines.append(f"{text} {i}\t{ids}\tid{i}")
        (folder / f"{split}.tsv").write_text("\n".join(lines) + "\n")


def _write_politeness(root: Path) -> None:
    folder = root / "politeness"
    folder.mkdir(parents=True)
    with (folder / "wikipedia.annotated.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Community", "Id", "Request", "Normalized Score"])
        for i in range(40):
            polite = i % 2 == 0
            text = "Could you please help me? Thanks!" if polite else "Why did you do this? Fix it."
            writer.writerow(
                ["Wikipedia", i, f"{text} {i}", 1.0 + i / 100 if polite else -1.0 - i / 100]
            )


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("data")
    out = tmp_path_factory.mktemp("models")
    _write_goemotions(root)
    _write_politeness(root)
    return root, out, train_heads(root, out)


def test_train_heads_writes_weights_and_metadata_with_data_version(trained: tuple) -> None:
    root, out, results = trained
    assert set(results) == {"emotion", "sentiment", "politeness"}
    for name in results:
        meta = json.loads((out / f"{name}.json").read_text())
        assert meta["scores"] == results[name]
        assert all(len(h) == 64 for h in meta["data_sha256"].values())
    emotion_meta = json.loads((out / "emotion.json").read_text())
    expected = hashlib.sha256((root / "goemotions" / "test.tsv").read_bytes()).hexdigest()
    assert emotion_meta["data_sha256"]["goemotions/test.tsv"] == expected


def test_trained_heads_load_and_learn_the_tiny_data(trained: tuple) -> None:
    _, out, results = trained
    emotion = results["emotion"]
    assert emotion["test_macro_f1"] > 0.4  # five Adam steps on 42 rows; chance is about 0.3
    assert emotion["dev_macro_f1_per_epoch"][-1] > emotion["dev_macro_f1_per_epoch"][0] + 0.1
    assert results["politeness"]["cv_accuracy"] > 0.8
    head = LinearHead.load("emotion", out)
    assert head.labels[-1] == "neutral"
    assert head.w_out is not None
    assert len(head.labels) == len(head.thresholds) == 7
    assert head.w_out.shape[1] == len(head.meta["fine_labels"]) + 7 == 35
    assert head.tables["lexicon"].shape == (len(head.meta["lexicon_ngrams"]), 28)


def test_sentiment_grouping_and_quartiles(trained: tuple) -> None:
    root, _, _ = trained
    split = load_goemotions(root, "train")
    by_text = dict(zip(split.texts, split.sentiment, strict=True))
    assert by_text["I love this, thank you so much 0"] == "positive"
    assert by_text["Wow, I did not expect that at all 0"] is None  # only ambiguous labels
    assert by_text["The meeting is on Tuesday 0"] == "neutral"
    keep, labels = quartile_labels(np.arange(8.0))
    assert keep.tolist() == [0, 1, 6, 7]
    assert labels.tolist() == [0.0, 0.0, 1.0, 1.0]


def test_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataMissing, match="GOODWILL_DATA_DIR"):
        train_heads(tmp_path, tmp_path)
