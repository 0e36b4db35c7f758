"""Team cost in compare and sweep: per-trial cost (exact pairing) or streamed means only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pytest

from simulate.analysis.compare import compare_results
from simulate.analysis.sweep import summarise_sweep
from simulate.engine import run_simulation
from simulate.model import load_scenario
from simulate.overrides import parse_assignment
from simulate.results import SimulationResult
from simulate.variants import apply_to_scenario

YEARLY_COST = {"farmer": 120_000.0, "hunter": 150_000.0}


@dataclass(frozen=True)
class _Streamed:
    mean: tuple[float, ...]
    se: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class _WithBreakdowns(SimulationResult):
    breakdowns: Mapping[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def runs() -> list[tuple[int, SimulationResult]]:
    base = load_scenario("examples/scenario.yaml").with_overrides(trials=40)
    base = apply_to_scenario(base, [parse_assignment("horizon_months=12"),
                                    parse_assignment("target.month=12")])  # fmt: skip
    out = []
    for farmers in (2, 3):
        scenario = apply_to_scenario(base, [parse_assignment(f"farmer={farmers}")])
        out.append((farmers, run_simulation(scenario)))
    return out


def _cost(farmers: int, trials: int, months: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    monthly = (farmers * YEARLY_COST["farmer"] + YEARLY_COST["hunter"]) / 12
    rng = np.random.default_rng(np.random.SeedSequence(farmers))
    # A little trial-to-trial variation, as replacement hiring would cause.
    return monthly + rng.normal(0.0, 500.0, (trials, months))


def test_per_trial_cost_gives_exact_paired_net_differences(
    runs: list[tuple[int, SimulationResult]],
) -> None:
    results = [
        replace(r, per_trial={**r.per_trial, "team_cost": _cost(f, r.trials, len(r.months))})
        for f, r in runs
    ]
    data = compare_results(["two", "three"], results).to_dict()
    rows = {(d["outcome"], d["month"]): d for d in data["comparisons"][0]["differences"]}
    net = rows[("revenue_minus_cost", 12)]
    revenue = rows[("revenue_cumulative", 12)]
    cost_diff = float(
        np.cumsum(results[1].per_trial["team_cost"], axis=1)[:, -1].mean()
        - np.cumsum(results[0].per_trial["team_cost"], axis=1)[:, -1].mean()
    )
    assert net["exact"] is True
    assert net["difference"] == pytest.approx(revenue["difference"] - cost_diff, rel=1e-9)
    assert net["ci95"][0] <= net["difference"] <= net["ci95"][1]


def test_streamed_cost_adds_its_standard_errors(
    runs: list[tuple[int, SimulationResult]],
) -> None:
    results = []
    for f, r in runs:
        cost = np.cumsum(_cost(f, r.trials, len(r.months)), axis=1)
        se = cost.std(axis=0, ddof=1) / np.sqrt(r.trials)
        streamed = _Streamed(tuple(cost.mean(axis=0)), tuple(se))
        plain = {k: getattr(r, k) for k in SimulationResult.__dataclass_fields__}
        results.append(
            _WithBreakdowns(**plain, breakdowns={"costs.team_cost_cumulative": streamed})
        )
    data = compare_results(["two", "three"], results).to_dict()
    rows = {(d["outcome"], d["month"]): d for d in data["comparisons"][0]["differences"]}
    net = rows[("revenue_minus_cost", 12)]
    revenue = rows[("revenue_cumulative", 12)]
    assert net["exact"] is False
    assert net["se"] > revenue["se"]
    assert net["difference"] < revenue["difference"]  # a third farmer costs money

    sweep = summarise_sweep(
        [("farmer", [2, 3])],
        [({"farmer": f}, f + 1, r) for (f, _), r in zip(runs, results, strict=True)],
    ).to_dict()
    two, three = sweep["points"]
    assert sweep["pareto_cost"] == "team cost a year"
    assert three["team_cost_yearly"] > two["team_cost_yearly"]
    assert three["team_cost_yearly"] == pytest.approx(
        (3 * YEARLY_COST["farmer"] + YEARLY_COST["hunter"]), rel=0.01
    )
    marginal = three["marginal"][0]
    assert marginal["mean"] == pytest.approx(net["difference"], rel=1e-6)
    assert two["revenue_per_cost"] > 0
