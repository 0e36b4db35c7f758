"""The engine: determinism, slot overflow, conservation of accounts, the result contract."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from simulate.engine import BLOCK_TRIALS, SimulationInterrupted, run_simulation
from simulate.errors import SimulateError
from simulate.model import Scenario, parse_scenario_text
from simulate.results import METRICS
from tests.conftest import REPO_ROOT

SCENARIO = """\
schema: repfit.scenario/1
name: Engine test
horizon_months: 15
trials: 100
seed: 21
book:
  synthetic:
    accounts: 40
    revenue_monthly: {lognormal: {median: 5000, sigma: 0.8}}
    churn_propensity: {beta: {a: 2, b: 120}}
team:
  - {archetype: farmer, count: 1}
  - {archetype: hunter, count: 2}
  - {archetype: hybrid, count: 1}
target: {metric: revenue_year, year: 1, value: 2000000}
assumptions: {rep_attrition_annual: 0.5}
"""


def scenario(text: str = SCENARIO, **overrides: int) -> Scenario:
    return parse_scenario_text(text, "engine.yaml").with_overrides(**overrides)  # type: ignore[arg-type]


def test_same_seed_same_result_for_any_batch_size() -> None:
    s = scenario()
    reference = run_simulation(s, batch_trials=BLOCK_TRIALS)
    for batch in (2 * BLOCK_TRIALS, 1000, None):
        other = run_simulation(s, batch_trials=batch)
        for name in METRICS:
            np.testing.assert_array_equal(other.per_trial[name], reference.per_trial[name])
        assert other.to_dict() == reference.to_dict()


def test_a_trial_does_not_depend_on_how_many_trials_run() -> None:
    few = run_simulation(scenario(trials=40))
    many = run_simulation(scenario(trials=100))
    np.testing.assert_array_equal(few.per_trial["revenue"], many.per_trial["revenue"][:40])


def test_different_seeds_differ() -> None:
    one = run_simulation(scenario(seed=1)).per_trial["revenue"]
    two = run_simulation(scenario(seed=2)).per_trial["revenue"]
    assert not np.array_equal(one, two)
    assert np.mean(one[:, -1] != two[:, -1]) > 0.9


def test_new_logo_overflow_grows_slots_and_drops_nothing() -> None:
    busy = SCENARIO.replace(
        "assumptions: {rep_attrition_annual: 0.5}",
        "assumptions: {rep_attrition_annual: 0.5}\narchetypes:\n  hunter: {prospecting_rate: 6}",
    )
    s = scenario(busy, trials=64)
    roomy = run_simulation(s)
    cramped = run_simulation(s, initial_slots=1)
    assert roomy.per_trial["new_logos"][:, -1].max() > 100
    for name in METRICS:
        np.testing.assert_array_equal(cramped.per_trial[name], roomy.per_trial[name])
    # Conservation: active accounts = book − lost + new logos won before this month.
    v = cramped.per_trial
    won_before = np.concatenate([np.zeros((64, 1)), v["new_logos"][:, :-1]], axis=1)
    np.testing.assert_array_equal(v["active_accounts"], 40 - v["accounts_lost"] + won_before)


def test_result_follows_the_json_contract() -> None:
    result = run_simulation(scenario(trials=50))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["schema"] == "repfit.result/1"
    assert (data["scenario"], data["trials"], data["seed"]) == ("Engine test", 50, 21)
    assert data["months"] == list(range(1, 16))
    assert set(data["metrics"]) == set(METRICS)
    for summary in data["metrics"].values():
        assert set(summary) == {"mean", "se", "p10", "p50", "p90"}
        assert all(len(values) == 15 for values in summary.values())
        assert all(
            lo <= mid <= hi
            for lo, mid, hi in zip(summary["p10"], summary["p50"], summary["p90"], strict=True)
        )
    assert set(data["lost_after_mgmt_change_by_contacts"]) == {"1", "2", "3+"}
    assert set(data["by_archetype"]) == {"farmer", "hunter", "hybrid"}
    total = np.sum([v["revenue"]["mean"] for v in data["by_archetype"].values()], axis=0)
    np.testing.assert_allclose(total, data["metrics"]["revenue"]["mean"], rtol=1e-9)
    assert 0.0 <= data["target"]["probability"] <= 1.0
    assert data["target"]["se"] >= 0.0
    assert data["assumptions"]["rep_attrition_annual"]["value"] == 0.5
    assert data["assumptions"]["ramp_months"]["unit"] == "months"


def test_target_probability_matches_the_per_trial_revenue() -> None:
    result = run_simulation(scenario(trials=64))
    year_one = result.per_trial["revenue"][:, :12].sum(axis=1)
    assert result.target is not None
    assert result.target.probability == pytest.approx(np.mean(year_one >= 2_000_000))


def test_cumulative_metrics_accumulate_monthly_ones() -> None:
    v = run_simulation(scenario(trials=32)).per_trial
    np.testing.assert_allclose(v["revenue_cumulative"], np.cumsum(v["revenue"], axis=1))
    assert (np.diff(v["accounts_lost"], axis=1) >= 0).all()
    assert (np.diff(v["new_logos"], axis=1) >= 0).all()
    assert (v["lost_after_mgmt_change"] <= v["accounts_lost"]).all()


def test_progress_is_reported_and_a_stop_interrupts_between_batches() -> None:
    seen: list[tuple[int, int]] = []
    run_simulation(scenario(), batch_trials=BLOCK_TRIALS, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(32, 100), (64, 100), (96, 100), (100, 100)]
    calls = iter([False, False, True])
    with pytest.raises(SimulationInterrupted) as caught:
        run_simulation(scenario(), batch_trials=BLOCK_TRIALS, should_stop=lambda: next(calls))
    assert caught.value.message == "the simulation was interrupted after 64 of 100 trials."


def test_pure_modules_import_no_terminal_or_file_code() -> None:
    code = (
        "import sys, simulate.engine, simulate.behaviour, simulate.results, simulate.reference;"
        "bad = [m for m in ('textual', 'rich', 'click', 'plotext', 'simulate.cli',"
        " 'simulate.report') if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert out.stdout.strip() == ""


def test_too_many_trials_for_memory_is_refused_before_running() -> None:
    with pytest.raises(SimulateError) as caught:
        run_simulation(scenario(trials=5_000_000))
    assert caught.value.message == (
        "trials: 5,000,000 trials over 15 months would keep 7.3 GiB of per-trial results; "
        "expected at most 1,376,592 trials for this horizon (the limit is 2 GiB)."
    )
