"""How fast goodwill.stats fits the "still alive" models, against the lifetimes package.

Prints medians of several runs and never passes or fails on time. It measures, in one run:

1. BG/NBD on the CDNOW calibration summary (2,357 customers): goodwill vs lifetimes 0.11.3.
2. Pareto/NBD on the same data: goodwill vs lifetimes (for information).
3. BG/NBD on 1,000,000 simulated customers, with recency and T in whole days as a real
   transaction log gives them (target: under 5 s).

lifetimes is a benchmark-only dependency, in the ``bench`` extra. lifetimes 0.11.3 (its last
release, 2020) still imports and fits under pandas 3.1, SciPy 1.17, NumPy 2.4 and autograd 1.9, so
no shim is needed; to keep pandas out of the project's own environment, the numbers in
docs/benchmarks.md were taken in a throwaway venv:

    python3 -m venv /tmp/alive-bench
    /tmp/alive-bench/bin/pip install lifetimes numpy scipy
    PYTHONPATH=src /tmp/alive-bench/bin/python bench/alive_fit.py

or, in the project's venv, ``pip install -e '.[bench]'`` then ``python bench/alive_fit.py``.
Without lifetimes the comparison lines say so and the rest still runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy

from goodwill.stats import BGNBDModel, BGNBDParams, ParetoNBDModel
from goodwill.stats.simulation import simulate_bg_nbd
from goodwill.stats.summary import Summary, check_summary, compress

REPO = Path(__file__).resolve().parents[1]
CDNOW_SUMMARY = (
    REPO
    / os.environ.get("GOODWILL_DATA_DIR", "../shared/data")
    / "cdnow/cdnow_customers_summary.csv"
)
TRUTH = BGNBDParams(r=0.243, alpha=4.414, a=0.793, b=2.426)  # CDNOW's, in weeks


def median_seconds(runs: list[Callable[[], Any]], repeats: int) -> list[tuple[float, Any]]:
    """Median wall time of each of ``runs`` over ``repeats`` rounds, after one warm-up round, and
    its last result. The runs alternate within a round, so a change in the machine's load (it is
    shared) falls on all of them alike."""
    results = [run() for run in runs]
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeats):
        for i, run in enumerate(runs):
            started = time.perf_counter()
            results[i] = run()
            times[i].append(time.perf_counter() - started)
    return [(statistics.median(t), result) for t, result in zip(times, results, strict=True)]


def load_cdnow() -> Summary:
    table = np.loadtxt(CDNOW_SUMMARY, delimiter=",", skiprows=1)
    return Summary(table[:, 1], table[:, 2], table[:, 3], np.ones(table.shape[0]))


def compare_on_cdnow(summary: Summary, repeats: int) -> None:
    try:
        import lifetimes  # type: ignore[import-untyped]
    except ImportError:
        lifetimes = None
        print("lifetimes is not installed (pip install -e '.[bench]'): no comparison")
    cases = [
        ("BG/NBD", BGNBDModel, "BetaGeoFitter", repeats),
        ("Pareto/NBD", ParetoNBDModel, "ParetoNBDFitter", max(3, repeats // 3)),
    ]
    data = (summary.frequency, summary.recency, summary.T)
    for label, model, rival_name, rounds in cases:
        runs: list[Callable[[], Any]] = [lambda model=model: model().fit(*data)]
        if lifetimes is not None:
            rival = getattr(lifetimes, rival_name)
            runs.append(lambda rival=rival: rival().fit(*data))
        timed = median_seconds(runs, rounds)
        ours, fitted = timed[0]
        print(f"{label} on CDNOW ({len(summary)} customers), medians of {rounds} runs")
        print(f"  goodwill   {ours * 1000:8.1f} ms  {fitted.params_}")
        if len(timed) == 2:
            theirs, rival_fitted = timed[1]
            params = {name: round(float(value), 6) for name, value in rival_fitted.params_.items()}
            print(f"  lifetimes  {theirs * 1000:8.1f} ms  {params}")
            print(f"  goodwill is {theirs / ours:.1f}x faster")


def simulated_fit(customers: int, repeats: int) -> None:
    rng = np.random.default_rng(1_000_000)
    age_days = rng.integers(27 * 7, 39 * 7 + 1, customers)  # joined in the first 12 weeks
    exact = simulate_bg_nbd(TRUTH, age_days / 7.0, rng)
    recency = np.round(exact.recency * 7.0) / 7.0  # to the day, in weeks, as a real log gives it
    distinct = len(compress(check_summary(exact.frequency, recency, exact.T)))
    [(seconds, fitted)] = median_seconds(
        [lambda: BGNBDModel().fit(exact.frequency, recency, exact.T)], repeats
    )
    print(f"BG/NBD on {customers:,} simulated customers ({distinct:,} distinct histories)")
    print(
        f"  goodwill   {seconds:8.3f} s   median of {repeats} runs, checking and merging included"
    )
    print(f"  truth      {TRUTH}")
    print(f"  fitted     {fitted.params_}")
    print(f"  std errors {fitted.standard_errors_}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed runs per CDNOW fit")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--large-repeats", type=int, default=5, help="timed runs of the big fit")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    if CDNOW_SUMMARY.exists():
        compare_on_cdnow(load_cdnow(), args.repeats)
    else:
        print(f"{CDNOW_SUMMARY} is absent: set GOODWILL_DATA_DIR; skipping the CDNOW comparison")
    simulated_fit(args.customers, args.large_repeats)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
