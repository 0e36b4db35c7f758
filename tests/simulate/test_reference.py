"""The vectorised engine agrees with the scalar reference model within Monte Carlo error.

The reference (simulate/reference.py) resolves the scenario on its own and draws
its own random numbers. Four scenarios between them switch on every mechanism
(all four attention policies, shared and uncovered vacancies, departures and
overload quits, hand-over and kept logos, referrals, ramp, Beta and constant θ,
default and set quadrant thresholds, costs); every metric's mean in every month
must agree within 4 combined standard errors, every streamed breakdown within
4.5 (there are many more of them), and so must the share of accounts lost after a
management change by contacts. The runs are seeded: they pass or fail the same
way every time.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from simulate.engine import run_simulation
from simulate.model import parse_scenario_text
from simulate.reference import simulate_reference
from simulate.results import CONTACT_BUCKETS, METRICS, MetricSummary, StreamSummary

HEADER = """\
schema: repfit.scenario/1
name: reference check
horizon_months: {horizon}
trials: {trials}
seed: 13
"""

EVERYTHING = """\
book:
  synthetic:
    accounts: 36
    revenue_monthly: {lognormal: {median: 6000, sigma: 0.9}}
    contacts: {poisson: {mean: 1.5, min: 1}}
    churn_propensity: {beta: {a: 2, b: 150}}
team:
  - {archetype: farmer, count: 1}
  - {archetype: hunter, count: 1}
  - {archetype: hybrid, count: 1}
policies: {new_logo_owner: farmer, vacancy_coverage: shared, assignment: potential,
  attention: potential}
economy: {drift_annual: 0.05, volatility_annual: 0.2}
assumptions: {rep_attrition_annual: 0.6, mgmt_change_monthly: 0.05, ask_referral_success: 0.1,
  selling_hours_monthly: 20, departure_contact_loss: 0.8}
archetypes:
  farmer: {capacity: 15}
"""

KEPT_AND_UNCOVERED = """\
book:
  synthetic:
    accounts: 30
    revenue_monthly: {gamma: {shape: 2, scale: 3000}}
    health: {uniform: {low: 0.2, high: 1.0}}
    churn_propensity: 0.01
team:
  - {archetype: order_taker, count: 1}
  - {archetype: hunter, count: 2}
policies: {new_logo_owner: hunter, vacancy_coverage: uncovered, assignment: round_robin,
  attention: key_accounts}
quadrants: {size: 5000, potential: 2000}
assumptions: {rep_attrition_annual: 0.8, vacancy_months_mean: 3, ramp_months: 4,
  selling_hours_monthly: 15}
archetypes:
  hunter: {prospecting_rate: 3}
"""

OVERLOADED_BY_SIZE = """\
book:
  synthetic:
    accounts: 40
    revenue_monthly: {lognormal: {median: 6000, sigma: 1.2}}
    contacts: {poisson: {mean: 2, min: 1}}
    churn_propensity: {beta: {a: 1.5, b: 90}}
team:
  - {archetype: farmer, count: 1}
  - {archetype: order_taker, count: 1}
  - {archetype: hunter, count: 1}
policies: {new_logo_owner: farmer, vacancy_coverage: shared, assignment: size, attention: size}
assumptions: {rep_attrition_annual: 0.3, overload_quit_effect: 4, departure_health_loss: 0.5,
  selling_hours_monthly: 12, hiring_cost_share: 1, mgmt_change_monthly: 0.04}
archetypes:
  farmer: {capacity: 8}
  order_taker: {capacity: 8}
"""

UNIFORM_HYBRIDS = """\
book:
  synthetic:
    accounts: 30
    revenue_monthly: {lognormal: {median: 6000, sigma: 0.9}}
    churn_propensity: 0.02
team:
  - {archetype: hybrid, count: 2}
  - {archetype: farmer, count: 1}
  - {archetype: hunter, count: 1}
policies: {attention: uniform, vacancy_coverage: shared, assignment: round_robin}
assumptions: {rep_attrition_annual: 0.5, selling_hours_monthly: 10, ask_referral_success: 0.1}
"""

VALIDATION = """\
book:
  synthetic:
    accounts: 50
    revenue_monthly: {lognormal: {median: 6000, sigma: 0.9}}
    churn_propensity: {beta: {a: 0.7, b: 12}}
team:
  - {archetype: farmer, count: 1}
effects: none
"""


def assert_engine_matches_reference(body: str, trials: int, horizon: int) -> None:
    scenario = parse_scenario_text(HEADER.format(trials=trials, horizon=horizon) + body, "ref.yaml")
    engine = run_simulation(scenario)
    ref = simulate_reference(scenario, trials, seed=777)
    pairs: list[tuple[str, MetricSummary | StreamSummary, NDArray[np.float64], float]] = [
        (name, engine.metrics[name], ref.values[name], 4.0) for name in METRICS
    ]
    pairs += [(name, s, ref.breakdowns[name], 4.5) for name, s in engine.breakdowns.items()]
    assert len(engine.breakdowns) == len(ref.breakdowns)
    for name, summary, values, k in pairs:
        mean = np.array(summary.mean)
        se = np.array(summary.se)
        ref_mean = values.mean(axis=0)
        ref_se = values.std(axis=0, ddof=1) / np.sqrt(trials)
        tolerance = k * np.sqrt(se**2 + ref_se**2) + 1e-9 * (1.0 + np.abs(ref_mean))
        worst = np.max(np.abs(mean - ref_mean) / tolerance)
        assert worst <= 1.0, f"{name}: engine {mean} vs reference {ref_mean}"
    for i, bucket in enumerate(CONTACT_BUCKETS):
        n_engine = engine.mgmt_changes_by_contacts[bucket]
        n_ref = ref.events_by_contacts[i]
        if n_engine < 30 or n_ref < 30:
            continue
        p_engine = engine.lost_after_mgmt_change_by_contacts[bucket]
        p_ref = ref.lost_by_contacts[i] / n_ref
        pooled = (p_engine * n_engine + p_ref * n_ref) / (n_engine + n_ref)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n_engine + 1 / n_ref))
        assert abs(p_engine - p_ref) <= 4 * se + 1e-12, bucket


@pytest.mark.slow
def test_every_mechanism_agrees_with_the_reference() -> None:
    assert_engine_matches_reference(EVERYTHING, trials=300, horizon=18)


@pytest.mark.slow
def test_kept_logos_uncovered_vacancies_and_ramp_agree_with_the_reference() -> None:
    assert_engine_matches_reference(KEPT_AND_UNCOVERED, trials=240, horizon=15)


@pytest.mark.slow
def test_overload_departures_and_size_priority_agree_with_the_reference() -> None:
    assert_engine_matches_reference(OVERLOADED_BY_SIZE, trials=300, horizon=18)


@pytest.mark.slow
def test_uniform_attention_and_hybrids_agree_with_the_reference() -> None:
    assert_engine_matches_reference(UNIFORM_HYBRIDS, trials=240, horizon=15)


def test_validation_mode_agrees_with_the_reference() -> None:
    assert_engine_matches_reference(VALIDATION, trials=400, horizon=24)


def test_the_reference_is_not_trivially_equal() -> None:
    """A broken engine must fail the check: doubling churn is detected."""
    body = EVERYTHING.replace(
        "churn_propensity: {beta: {a: 2, b: 150}}", "churn_propensity: {beta: {a: 4, b: 150}}"
    )
    scenario = parse_scenario_text(HEADER.format(trials=200, horizon=12) + body, "ref.yaml")
    original = parse_scenario_text(HEADER.format(trials=200, horizon=12) + EVERYTHING, "r.yaml")
    engine = run_simulation(scenario)
    ref = simulate_reference(original, 200, seed=777)
    lost = engine.metrics["accounts_lost"]
    ref_lost = ref.values["accounts_lost"]
    gap = lost.mean[-1] - ref_lost[:, -1].mean()
    se = np.hypot(lost.se[-1], ref_lost[:, -1].std(ddof=1) / np.sqrt(200))
    assert gap > 4 * se
