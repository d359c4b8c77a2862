"""How many worker processes a Goodwill deployment needs, by simulation from measured rates.

A day of the analysis queue is simulated second by second: messages to analyse arrive at a rate
that follows the day (``--peak`` times the day's mean at 15:00, a twentieth of the peak at night;
Poisson arrivals within each second), spread over organisations whose sizes follow a Zipf law (a few
large contact centres, many small teams), and ``--workers`` processes take them first come, first
served, each at ``--rate`` messages per second (the analysis rate per worker measured by
``bench/jobs_workers.py``/``bench/pg_scale.py``) with ``--job-overhead`` seconds per job (the
incremental recompute and the job's own cost). A job takes up to ``--batch`` waiting messages of
one organisation, as the queue's fan-out does. Printed per worker count: utilisation, the largest
backlog, and the time from a message's arrival to its analysis stored (p50, p95, p99, max).

Then the nightly full recompute and the history import, which are throughput, not queueing:
processes = relationships / (rate per process x window).

    .venv/bin/python bench/scale_simulation.py --customers 100000000 --rate 150 \\
        --recompute-rate 400 --workers 4 8 16 32

Every rate is an input: measured numbers go in, docs/scaling.md says which.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import math
import random
from collections import OrderedDict, deque
from dataclasses import dataclass

DAY = 86_400


@dataclass(frozen=True)
class Load:
    customers: int
    interactions_per_customer_year: float
    analysed_share: float  # of interactions, the messages the pipeline analyses
    peak: float  # the busiest second's rate over the day's mean
    organisations: int
    zipf: float

    @property
    def messages_per_day(self) -> float:
        return self.customers * self.interactions_per_customer_year * self.analysed_share / 365


NIGHT = 0.05  # the quietest second's rate over the peak's


def _shape(second: int) -> float:
    """0 at 03:00, 1 at 15:00."""
    return (1 - math.cos(2 * math.pi * (second - 3 * 3600) / DAY)) / 2


@functools.lru_cache(maxsize=16)
def _profile(peak: float) -> tuple[float, float]:
    """The exponent ``k`` that makes ``NIGHT + shape**k`` peak at ``peak`` times its day's mean
    (a higher peak is a narrower one), and that mean."""
    if not 1 < peak < (1 + NIGHT) / NIGHT - 1:
        raise ValueError(f"peak: between 1 and {(1 + NIGHT) / NIGHT - 1:g}, not {peak:g}")
    seconds = range(0, DAY, 60)

    def mean(k: float) -> float:
        return sum(NIGHT + math.pow(_shape(s), k) for s in seconds) / len(seconds)

    low, high = 0.01, 10_000.0
    for _ in range(100):  # bisection on log k: the ratio grows with k
        k = math.sqrt(low * high)
        if (1 + NIGHT) / mean(k) < peak:
            low = k
        else:
            high = k
    return k, mean(k)


def diurnal(second: int, peak: float) -> float:
    """The rate at ``second`` of the day relative to the day's mean: a quiet night and one peak at
    15:00, ``peak`` times the mean."""
    k, mean = _profile(peak)
    return (NIGHT + math.pow(_shape(second), k)) / mean


def organisation_weights(count: int, zipf: float) -> list[float]:
    weights = [1 / (rank**zipf) for rank in range(1, count + 1)]
    total = sum(weights)
    return [w / total for w in weights]


def poisson(rng: random.Random, mean: float) -> int:
    if mean > 50:  # normal approximation: exact enough for a rate per second
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@dataclass
class Result:
    workers: int
    utilisation: float
    max_backlog: int
    delays: list[tuple[float, int]]  # (seconds from arrival to analysed, messages)
    arrived: int
    left: int  # still waiting at the end of the day

    def percentile(self, q: float) -> float:
        total = sum(n for _, n in self.delays)
        wanted, seen = q * total, 0
        for delay, n in sorted(self.delays):
            seen += n
            if seen >= wanted:
                return delay
        return 0.0


def simulate(
    load: Load, workers: int, rate: float, overhead: float, batch: int, seed: int
) -> Result:
    """One day, second by second. Waiting messages are kept per organisation as (arrival second,
    count) blocks, organisations in the order they started waiting; a free worker takes the first
    organisation's oldest messages (up to ``batch``), and an organisation with more left goes to
    the back of the line (round robin, so one large backlog does not starve the others)."""
    rng = random.Random(seed)
    weights = organisation_weights(load.organisations, load.zipf)
    big = [i for i, w in enumerate(weights) if w * load.messages_per_day >= 1]  # others pooled
    pooled = 1 - sum(weights[i] for i in big)
    population = [*big, -1]  # -1: one of the small organisations
    cumulative = list(itertools.accumulate([weights[i] for i in big] + [pooled]))
    waiting: OrderedDict[int, deque[list[int]]] = OrderedDict()
    busy_until = [0.0] * workers
    busy_time = 0.0
    delays: list[tuple[float, int]] = []
    backlog = max_backlog = arrived_total = 0
    mean_per_second = load.messages_per_day / DAY
    for second in range(DAY):
        arrivals = poisson(rng, mean_per_second * diurnal(second, load.peak))
        if arrivals:
            backlog += arrivals
            arrived_total += arrivals
            for org, count in _spread(rng, arrivals, population, cumulative, load.organisations):
                if org not in waiting:
                    waiting[org] = deque()
                waiting[org].append([second, count])
        max_backlog = max(max_backlog, backlog)
        for w in range(workers):
            while busy_until[w] < second + 1 and waiting:
                org, blocks = waiting.popitem(last=False)
                taken = 0
                start = max(busy_until[w], float(second))
                took: list[tuple[int, int]] = []
                while blocks and taken < batch:
                    arrived, count = blocks[0]
                    n = min(count, batch - taken)
                    took.append((arrived, n))
                    taken += n
                    if n == count:
                        blocks.popleft()
                    else:
                        blocks[0][1] -= n
                if blocks:
                    waiting[org] = blocks  # to the back of the line
                done = start + overhead + taken / rate
                delays.extend((done - arrived, n) for arrived, n in took)
                busy_time += done - start
                busy_until[w] = done
                backlog -= taken
    utilisation = busy_time / (workers * DAY)
    return Result(workers, utilisation, max_backlog, delays, arrived_total, backlog)


def _spread(
    rng: random.Random,
    arrivals: int,
    population: list[int],
    cumulative: list[float],
    organisations: int,
) -> list[tuple[int, int]]:
    """Which organisations this second's messages belong to (small ones drawn uniformly)."""
    found: dict[int, int] = {}
    first_small = len(population) - 1
    for org in rng.choices(population, cum_weights=cumulative, k=arrivals):
        if org == -1:
            org = rng.randrange(first_small, organisations) if organisations > first_small else 0
        found[org] = found.get(org, 0) + 1
    return list(found.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000_000)
    parser.add_argument("--interactions-per-customer-year", type=float, default=12.0)
    parser.add_argument("--analysed-share", type=float, default=1 / 3)
    parser.add_argument("--peak", type=float, default=3.0, help="busiest rate / mean rate")
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--zipf", type=float, default=1.1)
    parser.add_argument("--rate", type=float, required=True, help="messages/s per worker")
    parser.add_argument("--job-overhead", type=float, default=0.05, help="seconds per job")
    parser.add_argument("--batch", type=int, default=256, help="messages per job at most")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4, 8, 16])
    parser.add_argument("--recompute-rate", type=float, help="relationships/s per process")
    parser.add_argument("--recompute-window-hours", type=float, default=4.0)
    parser.add_argument("--import-rate", type=float, help="interactions/s of one import")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for name in ("rate", "job_overhead"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')}: must be above 0")
    try:
        diurnal(0, args.peak)
    except ValueError as exc:
        parser.error(f"--{exc}")
    load = Load(
        args.customers,
        args.interactions_per_customer_year,
        args.analysed_share,
        args.peak,
        args.organisations,
        args.zipf,
    )
    per_day = load.messages_per_day
    print(
        f"{args.customers:,} customers x {args.interactions_per_customer_year:g} interactions a "
        f"year, {args.analysed_share:.0%} analysed: {per_day:,.0f} messages a day, mean "
        f"{per_day / DAY:.1f}/s, peak {per_day / DAY * args.peak:.1f}/s; "
        f"{args.organisations:,} organisations (Zipf {args.zipf:g}); {args.rate:g} messages/s "
        f"per worker, {args.job_overhead * 1000:.0f} ms per job, batches of {args.batch}"
    )
    print("| workers | utilisation | largest backlog | p50 | p95 | p99 | max |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for workers in args.workers:
        result = simulate(load, workers, args.rate, args.job_overhead, args.batch, args.seed)
        cells = [f"{result.percentile(q):.1f} s" for q in (0.5, 0.95, 0.99, 1.0)]
        print(
            f"| {workers} | {result.utilisation:.0%} | {result.max_backlog:,} | "
            + " | ".join(cells)
            + " |"
        )
    if args.recompute_rate:
        window = args.recompute_window_hours * 3600
        needed = args.customers / (args.recompute_rate * window)
        print(
            f"full recompute of {args.customers:,} relationships in {args.recompute_window_hours:g}"
            f" h at {args.recompute_rate:g}/s per process: {math.ceil(needed)} processes"
        )
    if args.import_rate:
        year = args.customers * args.interactions_per_customer_year
        print(
            f"importing a year of history ({year:,.0f} interactions) at {args.import_rate:,.0f}/s"
            f" per import: {year / args.import_rate / 3600:,.1f} import-hours"
        )


if __name__ == "__main__":
    main()
