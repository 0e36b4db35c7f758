"""Team cost in compare and sweep: kept per trial by the engine, so revenue − cost pairs exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.typing import NDArray

from simulate.analysis.compare import compare_results
from simulate.analysis.sweep import summarise_sweep
from simulate.engine import run_simulation
from simulate.model import load_scenario
from simulate.overrides import parse_assignment
from simulate.results import SimulationResult
from simulate.variants import apply_to_scenario


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


def _net(result: SimulationResult) -> NDArray[np.float64]:
    return np.asarray(
        result.per_trial["revenue_cumulative"][:, -1]
        - result.per_trial["team_cost_cumulative"][:, -1]
    )


def test_team_cost_is_kept_per_trial_and_agrees_with_its_stream(
    runs: list[tuple[int, SimulationResult]],
) -> None:
    for _, result in runs:
        cost = result.per_trial["team_cost_cumulative"]
        assert cost.shape == (result.trials, 12)
        assert np.all(np.diff(cost, axis=1) >= 0)
        # The streamed breakdown is the same quantity: identical means.
        streamed = result.breakdowns["costs.team_cost_cumulative"]
        np.testing.assert_allclose(cost.mean(axis=0), streamed.mean, rtol=1e-12)
        # Turnover (vacancies, hiring) makes it vary between trials.
        assert cost[:, -1].std() > 0


def test_compare_pairs_revenue_minus_cost_trial_by_trial(
    runs: list[tuple[int, SimulationResult]],
) -> None:
    results = [r for _, r in runs]
    data = compare_results(["two", "three"], results).to_dict()
    rows = {(d["outcome"], d["month"]): d for d in data["comparisons"][0]["differences"]}
    net = rows[("revenue_minus_cost", 12)]
    revenue = rows[("revenue_cumulative", 12)]
    diff = _net(results[1]) - _net(results[0])
    assert net["difference"] == pytest.approx(float(diff.mean()), rel=1e-12)
    assert net["se"] == pytest.approx(float(diff.std(ddof=1)) / math.sqrt(diff.size), rel=1e-12)
    assert "exact" not in net
    assert net["ci95"][0] <= net["difference"] <= net["ci95"][1]
    # A third farmer costs money: net gain below the revenue gain.
    assert net["difference"] < revenue["difference"]


def test_sweep_marginal_is_the_same_paired_net_gain(
    runs: list[tuple[int, SimulationResult]],
) -> None:
    compared = compare_results(["two", "three"], [r for _, r in runs]).to_dict()
    rows = {(d["outcome"], d["month"]): d for d in compared["comparisons"][0]["differences"]}
    net = rows[("revenue_minus_cost", 12)]
    sweep = summarise_sweep(
        [("farmer", [2, 3])], [({"farmer": f}, f + 1, r) for f, r in runs]
    ).to_dict()
    two, three = sweep["points"]
    assert sweep["pareto_cost"] == "team cost a year"
    assert three["team_cost_yearly"] > two["team_cost_yearly"]
    assert three["team_cost_yearly"] == pytest.approx(
        float(runs[1][1].per_trial["team_cost_cumulative"][:, -1].mean()), rel=1e-12
    )
    marginal = three["marginal"][0]
    assert marginal["mean"] == pytest.approx(net["difference"], rel=1e-9)
    assert marginal["se"] == pytest.approx(net["se"], rel=1e-9)
    assert two["revenue_per_cost"] > 0
