"""The staffing figures of issue 10 on the example book: more farmers, and order-takers.

Run from the repository root (about a minute on a 2-core machine):

    .venv/bin/python examples/model_fit.py [TRIALS]

With the example book's owners cleared (so every team gets the same assignment)
it prints month-36 revenue for teams of 1 to 6 farmers, with the increments, and
the gap 1 − OT/F between three order-takers and three farmers at months 12 to
120 (mean revenue in the month, same seed). Seeded: the same trials give the
same figures.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from itertools import pairwise

from simulate.engine import run_simulation
from simulate.model import Scenario, TeamEntry, _resolve, load_scenario


def unowned(scenario: Scenario) -> Scenario:
    """The scenario with the book's owners cleared."""
    return replace(scenario, book=replace(scenario.book, owner=(None,) * scenario.book.size))


def with_horizon(scenario: Scenario, months: int) -> Scenario:
    """The scenario over another horizon (same book)."""
    assert scenario.spec is not None
    spec = scenario.spec.model_copy(update={"horizon_months": months})
    return _resolve(spec, scenario.source, scenario.base_dir, book=scenario.book)


def main(trials: int) -> None:
    """Print the figures."""
    base = unowned(load_scenario("examples/scenario.yaml"))
    start = float(base.book.revenue.sum())
    print(f"trials {trials}, seed {base.seed}; starting revenue {start:,.0f}")
    revenue = []
    for n in range(1, 7):
        team = [TeamEntry(archetype="farmer", count=n)]
        m = run_simulation(base.with_overrides(trials=trials, team=team)).metrics["revenue"]
        revenue.append(m.mean[35])
        print(
            f"farmers {n}: month-36 revenue {m.mean[35]:,.0f} ± {m.se[35]:,.0f} "
            f"({m.mean[35] / start:.3f} of start)"
        )
    print("increments", [f"{b - a:,.0f}" for a, b in pairwise(revenue)])
    size = sum(entry.count for entry in base.team)
    long = with_horizon(base, 120)
    result = {
        name: run_simulation(
            long.with_overrides(trials=trials, team=[TeamEntry(archetype=name, count=size)])
        ).metrics["revenue"]
        for name in ("farmer", "order_taker")
    }
    for month in (12, 24, 36, 48, 60, 90, 120):
        f, o = result["farmer"].mean[month - 1], result["order_taker"].mean[month - 1]
        print(f"month {month}: F {f:,.0f} OT {o:,.0f} gap {1 - o / f:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
