"""How well the reply coach finds micro-irritants: precision and recall per category.

    .venv/bin/python bench/coach_quality.py [--reader interim|analysis] [--errors dev]
        [--sets dev holdout ...]

Data (tests/data/coach/, hand-labelled, see its README): ``dev.jsonl`` (300 drafts, used while
building the detectors), ``holdout.jsonl`` (88), ``holdout_fresh.jsonl`` (80) and
``holdout_blind.jsonl`` (40): held out until 2026-12-03, when a generalisation pass read their
mismatches, so all four are development sets now. ``holdout_blind2.jsonl`` (100, another writer)
was the honest check of that pass and then, the same day, development material for a second pass:
its numbers are "seen". ``holdout_blind3.jsonl`` (100, a third writer) was read once after the
second pass (the honest estimate then) and, since 2026-12-04, is development material of a third
pass: its numbers are "seen" too. ``holdout_blind4.jsonl`` (100, a fourth writer) was read once
after the third pass and is development material of a fourth pass (2026-12-04): "seen" as well.
``holdout_blind5.jsonl`` (100, a fifth writer) was read once after the fourth pass (2026-12-04) and
is development material of a fifth pass: "seen" too. So are ``holdout_blind6.jsonl`` (80, read once
after the fifth pass, material of the sixth) and ``holdout_blind7.jsonl`` (80, read once after the
sixth, material of the seventh) and ``holdout_blind8.jsonl`` (80, read once after the seventh,
material of the eighth). ``holdout_blind9.jsonl`` (80) was read once after the eighth pass; name
it with ``--sets`` (it is not in the default list, so nobody tunes on it by accident). A
finding matches a label when the category is equal and the spans overlap; whole-reply categories
match by category. Prints numbers only; never passes or fails.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
from pathlib import Path

from goodwill.coach import IRRITANTS, STRENGTHS, Coach
from goodwill.coach.evaluation import Report, evaluate, load, mismatches
from goodwill.coach.reading import default_reader

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "coach"
SETS = (
    "dev",
    "holdout",
    "holdout_fresh",
    "holdout_blind",
    "holdout_blind2",
    "holdout_blind3",
    "holdout_blind4",
    "holdout_blind5",
    "holdout_blind6",
    "holdout_blind7",
    "holdout_blind8",
)


def table(name: str, report: Report) -> None:
    print(f"\n## {name}: {report.items} drafts, {report.clean_replies} with no irritant")
    print(f"{'category':24s} {'labels':>6s} {'found':>6s} {'P':>5s} {'R':>5s}")
    for category in (*IRRITANTS, *STRENGTHS):
        t = report.per_category[category]
        print(f"{category:24s} {t.labels:6d} {t.findings:6d} {t.precision:5.2f} {t.recall:5.2f}")
    for label, group in (("irritants (micro)", IRRITANTS), ("strengths (micro)", STRENGTHS)):
        m = report.micro(group)
        print(f"{label:24s} {m.labels:6d} {m.findings:6d} {m.precision:5.2f} {m.recall:5.2f}")
    print(
        f"false irritants per 10 excellent replies: {report.false_irritants_per_10_clean:.2f} "
        f"({report.false_irritants_on_clean} on {report.clean_replies})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reader", choices=("interim", "analysis"), default="interim")
    parser.add_argument("--errors", help="also list each mismatch of this set")
    parser.add_argument(
        "--sets", nargs="+", default=list(SETS), help="sets to evaluate (file names without .jsonl)"
    )
    args = parser.parse_args()
    for name in args.sets:
        if not (DATA / f"{name}.jsonl").is_file():
            parser.error(f"--sets: no labelled set {DATA / name}.jsonl")
    coach = Coach(reader=default_reader(args.reader))
    print(f"reader: {coach.reader.name}   python {platform.python_version()}")
    for name in args.sets:
        path = DATA / f"{name}.jsonl"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        items = load(path)
        report, verdicts = evaluate(coach, items)
        table(f"{name} (sha256 {digest})", report)
        if args.errors == name:
            for item, verdict in zip(items, verdicts, strict=True):
                lines = mismatches(item, verdict)
                if lines:
                    print(item.id, verdict.reading.intents, verdict.reading.emotion)
                    print("\n".join(lines))


if __name__ == "__main__":
    main()
