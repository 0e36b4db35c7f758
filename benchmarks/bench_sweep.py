"""Wall and CPU time of a 3 × 7 sweep on the example (``python -m benchmarks sweep``).

The grid is ``hunter=1..3`` × ``farmer=2..8`` on ``examples/scenario.yaml`` (21 points
of 2,000 trials × 300 accounts × 36 months; 200 trials with ``--quick``), the
same work ``simulate sweep examples/scenario.yaml --grid hunter=1..3 --grid
farmer=2..8`` does without its terminal output. CPU time is printed beside wall
time because on a shared machine the wall time depends on the other jobs.
"""

from __future__ import annotations

import itertools
import time

from simulate.analysis.sweep import summarise_sweep
from simulate.engine import run_simulation
from simulate.model import load_scenario
from simulate.overrides import parse_assignment
from simulate.variants import apply_to_scenario

SCENARIO = "examples/scenario.yaml"
HUNTERS = range(1, 4)
FARMERS = range(2, 9)


def main(quick: bool = False) -> None:
    """Run the sweep and print its times and rate."""
    trials = 200 if quick else 2_000
    base = load_scenario(SCENARIO).with_overrides(trials=trials)
    wall, cpu = time.perf_counter(), time.process_time()
    points = []
    for hunters, farmers in itertools.product(HUNTERS, FARMERS):
        scenario = apply_to_scenario(
            base, [parse_assignment(f"hunter={hunters}"), parse_assignment(f"farmer={farmers}")]
        )
        points.append(
            ({"hunter": hunters, "farmer": farmers}, len(scenario.seats), run_simulation(scenario))
        )
    summary = summarise_sweep([("hunter", list(HUNTERS)), ("farmer", list(FARMERS))], points)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    account_months = len(points) * trials * base.book.size * base.horizon_months
    print(
        f"3 × 7 sweep on {SCENARIO}: {len(summary.points)} points × {trials:,} trials in "
        f"{wall:.1f} s wall, {cpu:.1f} s CPU ({wall / len(points):.2f} s a point; "
        f"{account_months / cpu / 1e6:.1f} M account-months per CPU second)"
    )
