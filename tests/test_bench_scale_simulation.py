"""bench/scale_simulation.py: the day's shape, and a simulated queue that loses nothing and
behaves as queues do (more workers never wait longer; every message waits at least its work)."""

from __future__ import annotations

import pytest

from tests.bench_support import load_bench

sim = load_bench("scale_simulation")


def _load(customers: int, peak: float = 3.0, organisations: int = 50) -> object:
    return sim.Load(customers, 12.0, 1 / 3, peak, organisations, 1.1)


def test_the_day_averages_to_one_and_peaks_at_the_given_factor() -> None:
    for peak in (1.5, 3.0, 10.0):
        rates = [sim.diurnal(second, peak) for second in range(0, sim.DAY, 60)]
        assert sum(rates) / len(rates) == pytest.approx(1.0, rel=0.01)
        assert max(rates) == pytest.approx(peak, rel=0.01)
        assert min(rates) == pytest.approx(peak * sim.NIGHT / (1 + sim.NIGHT), rel=0.01)
    with pytest.raises(ValueError, match="peak"):
        sim.diurnal(0, 50.0)


def test_every_message_is_analysed_once_or_still_waiting() -> None:
    result = sim.simulate(_load(2_000_000), workers=1, rate=50, overhead=0.5, batch=16, seed=3)
    analysed = sum(n for _, n in result.delays)
    assert result.arrived > 20_000  # 2,000,000 x 12 / 3 / 365 = 21,918 expected
    assert analysed + result.left == result.arrived


def test_each_message_waits_at_least_for_its_own_work() -> None:
    overhead, rate = 0.2, 100.0
    result = sim.simulate(_load(500_000), workers=4, rate=rate, overhead=overhead, batch=8, seed=5)
    assert min(delay for delay, _ in result.delays) >= overhead + 1 / rate - 1e-9


def test_more_workers_never_wait_longer() -> None:
    load = _load(8_000_000, peak=10.0)  # about 10 messages a second at the peak
    p95 = [
        sim.simulate(load, workers=w, rate=40, overhead=0.3, batch=32, seed=11).percentile(0.95)
        for w in (1, 2, 4)
    ]
    assert p95[0] > p95[1] >= p95[2]
    assert p95[0] > 5  # one worker at this load falls behind at the peak
