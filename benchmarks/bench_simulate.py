"""Speed and memory of the simulation engine (``python -m benchmarks simulate``).

Prints three figures:

- throughput: account-months per second of :func:`simulate.engine.run_simulation`
  on the standard scenario (2,000 trials × 1,000 accounts × 60 months; 200
  trials with ``--quick``), a synthetic book worked by seven farmers and two
  hunters, every effect on; and its inverse, the cost in µs per account-month;
- speed-up: the engine's account-months per second over the scalar reference
  model's (:mod:`simulate.reference`) on a small scenario, both timed in this
  run, so the ratio holds on any machine; and "at scale", the engine's rate on
  the standard scenario over the reference's (the engine gains from large
  batches, the reference does not);
- peak memory: how far the standard run raised the process's peak resident set
  (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` after the run minus before it).
  It counts everything the run touched (numpy buffers, the per-trial outputs,
  the interpreter's own allocations); it is run first, before anything else
  large is allocated, so the delta is the run's own peak. tracemalloc is not
  used because it slows the Python-level bookkeeping it traces.
"""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import dataclass

from simulate.engine import run_simulation
from simulate.model import Scenario, parse_scenario_text
from simulate.reference import simulate_reference

STANDARD_ACCOUNTS = 1_000
STANDARD_MONTHS = 60
STANDARD_TRIALS = 2_000
QUICK_TRIALS = 200
SMALL = {"accounts": 60, "months": 24, "trials": 40}
"""The small scenario on which the engine is compared with the reference model."""


def scenario(accounts: int, months: int, trials: int, seed: int = 1) -> Scenario:
    """A synthetic book of ``accounts`` with a team sized to it, every effect on."""
    farmers = max(1, round(accounts / 150))
    hunters = max(1, farmers // 3)
    text = f"""
schema: repfit.scenario/1
name: benchmark, {accounts} accounts
horizon_months: {months}
trials: {trials}
seed: {seed}
book:
  synthetic:
    accounts: {accounts}
    revenue_monthly: {{lognormal: {{median: 6000, sigma: 0.9}}}}
    wallet_multiple: {{uniform: {{low: 1.3, high: 3.0}}}}
    contacts: {{poisson: {{mean: 1.2, min: 1}}}}
    health: {{beta: {{a: 5, b: 2}}}}
    churn_propensity: {{beta: {{a: 1.2, b: 80}}}}
team:
  - {{archetype: farmer, count: {farmers}}}
  - {{archetype: hunter, count: {hunters}}}
target: {{metric: revenue_month, month: {months}, value: 1}}
"""
    return parse_scenario_text(text, "benchmark scenario")


@dataclass(frozen=True)
class Timing:
    """One timed run."""

    account_months: int
    seconds: float

    @property
    def rate(self) -> float:
        """Account-months per second."""
        return self.account_months / self.seconds


def account_months(s: Scenario) -> int:
    """Trials × accounts × months of a scenario (its starting book)."""
    return s.trials * s.book.size * s.horizon_months


def time_engine(s: Scenario, repeats: int = 1) -> Timing:
    """The best of ``repeats`` runs of the vectorised engine."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run_simulation(s)
        best = min(best, time.perf_counter() - start)
    return Timing(account_months(s), best)


def time_reference(s: Scenario) -> Timing:
    """One run of the scalar reference model (it is slow enough that one run is steady)."""
    start = time.perf_counter()
    simulate_reference(s, s.trials, s.seed)
    return Timing(account_months(s), time.perf_counter() - start)


def max_rss_mib() -> float:
    """The process's peak resident set so far, in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(quick: bool) -> None:
    """Run the three measurements and print a small table."""
    trials = QUICK_TRIALS if quick else STANDARD_TRIALS
    standard = scenario(STANDARD_ACCOUNTS, STANDARD_MONTHS, trials)
    before = max_rss_mib()
    engine = time_engine(standard)
    peak_added = max_rss_mib() - before

    small = scenario(SMALL["accounts"], SMALL["months"], SMALL["trials"])
    small_engine = time_engine(small, repeats=5)
    small_reference = time_reference(small)

    size = f"{trials:,} trials × {STANDARD_ACCOUNTS:,} accounts × {STANDARD_MONTHS} months"
    small_size = f"{SMALL['trials']} × {SMALL['accounts']} × {SMALL['months']}"
    rows = [
        ("standard scenario", size, ""),
        ("  engine time", f"{engine.seconds:.1f} s", ""),
        ("  engine throughput", f"{engine.rate / 1e6:.2f} M account-months/s", ""),
        ("  engine cost", f"{1e6 / engine.rate:.2f} µs per account-month", "one core"),
        ("  peak memory added", f"{peak_added:.0f} MiB", "ru_maxrss after − before"),
        ("  process peak", f"{max_rss_mib():.0f} MiB", "ru_maxrss"),
        ("small scenario", small_size, "trials × accounts × months"),
        ("  engine", f"{small_engine.rate / 1e6:.3f} M account-months/s", "best of 5"),
        ("  reference model", f"{small_reference.rate / 1e6:.3f} M account-months/s", "1 run"),
        ("  speed-up", f"{small_engine.rate / small_reference.rate:.0f}×", "engine / reference"),
        (
            "  speed-up at scale",
            f"{engine.rate / small_reference.rate:.0f}×",
            "standard engine / small reference",
        ),
    ]
    width = max(len(label) for label, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    for label, value, note in rows:
        print(f"{label:<{width}}  {value:<{value_width}}  {note}".rstrip(), flush=True)
