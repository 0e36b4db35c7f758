"""Speed and memory of the simulation engine (``python -m benchmarks simulate``).

Prints one table. Every engine rate is measured end to end on the ``simulate run``
command in a child process (start-up, imports, loading the cached kernel,
computing, writing the JSON result), with the wall-clock rate beside the rate
per CPU-second (user + system time of the command and its worker processes,
from ``os.wait4``): the machine is shared, and the CPU rate is the steadier one.

- sizes: account-months per second at a base size and with trials, accounts and
  months each doubled (how cost grows), ``--workers 1``;
- workers: the base size with ``--workers 1`` and ``--workers 2``;
- yardstick: :mod:`benchmarks.numpy_step` (a stripped-down numpy step, float32,
  SFC64) timed in this process interleaved with the engine runs (CPU-seconds), and
  the engine's end-to-end CPU rate over it;
- reference: the scalar reference model (:mod:`simulate.reference`) on a small
  scenario, per CPU-second, and the engine's speed-up over it;
- peak memory: the command's peak resident set (``ru_maxrss`` of the process and,
  separately, the largest worker) at two trial counts of the memory size, so
  flat state shows as a small difference (the kept per-trial outputs grow with
  trials: 8 bytes × metrics × months per trial).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import numpy_step
from simulate.model import Scenario, parse_scenario_text
from simulate.reference import simulate_reference

STANDARD_ACCOUNTS = 1_000
STANDARD_MONTHS = 60
BASE_TRIALS = 1_000
QUICK_TRIALS = 200
ROUNDS = 3
MEMORY_SIZE = (2_000, 60)
"""Accounts and months of the memory rows (the issue's 10,000 × 2,000 × 60)."""
MEMORY_TRIALS = (2_500, 10_000)
QUICK_MEMORY_TRIALS = (250, 1_000)
SMALL = {"accounts": 60, "months": 24, "trials": 40}
"""The small scenario on which the engine is compared with the reference model."""


def scenario(accounts: int, months: int, trials: int, seed: int = 1) -> Scenario:
    """A synthetic book of ``accounts`` with a team sized to it, every effect on."""
    return parse_scenario_text(scenario_text(accounts, months, trials, seed), "benchmark")


def scenario_text(accounts: int, months: int, trials: int, seed: int = 1) -> str:
    """The scenario file of :func:`scenario`."""
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
    return text


@dataclass(frozen=True)
class Run:
    """One ``simulate run`` in a child process."""

    account_months: int
    wall: float
    cpu: float
    peak_mib: float
    """The command's peak resident set (its largest process: the parent or one worker)."""

    @property
    def rate(self) -> float:
        """Account-months per wall-clock second."""
        return self.account_months / self.wall

    @property
    def cpu_rate(self) -> float:
        """Account-months per CPU-second (all processes of the command)."""
        return self.account_months / self.cpu


def run_command(folder: Path, trials: int, accounts: int, months: int, workers: int) -> Run:
    """Time ``simulate run SCENARIO --format json -o FILE --workers N`` end to end."""
    path = folder / f"bench-{trials}-{accounts}-{months}.yaml"
    path.write_text(scenario_text(accounts, months, trials), encoding="utf-8")
    command = [sys.executable, "-m", "simulate", "run", str(path), "--format", "json"]
    command += ["-o", str(folder / "result.json"), "--workers", str(workers)]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0:
        raise RuntimeError(f"simulate run failed ({child.returncode}): {error}")
    peak = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return Run(trials * accounts * months, wall, usage.ru_utime + usage.ru_stime, peak)


def yardstick(trials: int, accounts: int, months: int) -> float:
    """Account-months per CPU-second of the bundled numpy step."""
    start = time.process_time()
    numpy_step.run(trials, accounts, months)
    return trials * accounts * months / (time.process_time() - start)


def reference_rate() -> float:
    """Account-months per CPU-second of the scalar reference model (small scenario)."""
    s = scenario(SMALL["accounts"], SMALL["months"], SMALL["trials"])
    start = time.process_time()
    simulate_reference(s, s.trials, s.seed)
    return s.trials * s.book.size * s.horizon_months / (time.process_time() - start)


def main(quick: bool) -> None:
    """Run every measurement and print the table."""
    base = (QUICK_TRIALS if quick else BASE_TRIALS, STANDARD_ACCOUNTS, STANDARD_MONTHS)
    trials, accounts, months = base
    sizes = {
        "base": base,
        "trials × 2": (2 * trials, accounts, months),
        "accounts × 2": (trials, 2 * accounts, months),
        "months × 2": (trials, accounts, 2 * months),
    }
    memory_trials = QUICK_MEMORY_TRIALS if quick else MEMORY_TRIALS
    memory_accounts, memory_months = MEMORY_SIZE
    rows: list[tuple[str, str, str, str]] = []

    def line(label: str, run: Run) -> tuple[str, str, str, str]:
        return (
            label,
            f"{run.rate / 1e6:6.1f}",
            f"{run.cpu_rate / 1e6:6.1f}",
            f"{run.peak_mib:5.0f}",
        )

    with tempfile.TemporaryDirectory(prefix="repfit-bench-") as tmp:
        folder = Path(tmp)
        run_command(folder, 32, 60, 12, 1)  # compiles the kernel into the cache if needed
        one: list[Run] = []
        sticks: list[float] = []
        for _ in range(ROUNDS):  # interleaved: the engine and the yardstick share the noise
            sticks.append(yardstick(*base))
            one.append(run_command(folder, *base, workers=1))
        engine = min(one, key=lambda r: r.cpu)
        stick = statistics.median(sticks)
        for label, (t, a, m) in sizes.items():
            run = engine if label == "base" else run_command(folder, t, a, m, workers=1)
            rows.append(line(f"{label}: {t:,} × {a:,} × {m}, 1 worker", run))
        twos = [run_command(folder, *base, workers=2) for _ in range(ROUNDS)]
        two = min(twos, key=lambda r: r.wall)
        rows.append(line("base, 2 workers", two))
        for t in memory_trials:
            run = run_command(folder, t, memory_accounts, memory_months, workers=2)
            size = f"{t:,} × {memory_accounts:,} × {memory_months}"
            rows.append(line(f"memory: {size}, 2 workers", run))
    reference = reference_rate()
    header = ("simulate run (end to end)", "M a-m/s", "M a-m/CPU-s", "peak MiB")
    width = max(len(r[0]) for r in [*rows, header])
    print(f"{header[0]:<{width}}  {header[1]:>7}  {header[2]:>11}  {header[3]:>8}")
    for label, wall, cpu, peak in rows:
        print(f"{label:<{width}}  {wall:>7}  {cpu:>11}  {peak:>8}")
    print(f"{'2 workers / 1 worker (wall)':<{width}}  {two.rate / engine.rate:>6.2f}×")
    print(
        f"{'numpy yardstick (in process)':<{width}}  {'':>7}  {stick / 1e6:>11.1f}"
        f"   median of {ROUNDS}, interleaved"
    )
    print(f"{'engine / yardstick (CPU-s)':<{width}}  {engine.cpu_rate / stick:>6.2f}×")
    print(f"{'reference model (small)':<{width}}  {'':>7}  {reference / 1e6:>11.3f}")
    print(f"{'engine / reference (CPU-s)':<{width}}  {engine.cpu_rate / reference:>6.0f}×")
