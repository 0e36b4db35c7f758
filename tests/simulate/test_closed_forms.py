"""Validation mode (``effects: none``) against closed forms.

With every effect off each account churns with probability exactly θ a month
and keeps its revenue, so survival has closed forms: N(1−θ)^t for a constant
θ and N·B(a, b+t)/B(a, b) for θ ~ Beta(a, b) (the shifted-beta-geometric
model of Fader & Hardie, 2007).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import betaln

from simulate.engine import run_simulation
from simulate.model import Scenario, parse_scenario_text
from simulate.results import SimulationResult

FloatArray = NDArray[np.floating[Any]]

BASE = """\
schema: repfit.scenario/1
name: closed form
horizon_months: {horizon}
trials: {trials}
seed: 4
book:
  synthetic:
    accounts: {accounts}
    revenue_monthly: {revenue}
    churn_propensity: {theta}
team:
  - {{archetype: farmer, count: 2}}
effects: none
"""


def run(
    theta: str,
    revenue: str = "{lognormal: {median: 6000, sigma: 0.9}}",
    *,
    accounts: int = 200,
    trials: int = 300,
    horizon: int = 24,
) -> tuple[Scenario, SimulationResult]:
    text = BASE.format(
        horizon=horizon, trials=trials, accounts=accounts, revenue=revenue, theta=theta
    )
    scenario = parse_scenario_text(text, "closed.yaml")
    return scenario, run_simulation(scenario)


def within(mean: FloatArray, se: FloatArray, expected: FloatArray, k: float = 4.0) -> bool:
    return bool(np.all(np.abs(mean - expected) <= k * se + 1e-9))


def test_constant_theta_survival_is_geometric() -> None:
    theta = 0.03
    scenario, result = run(str(theta))
    t = np.arange(1, 25)
    expected = 200 * (1 - theta) ** t
    active = result.metrics["active_accounts"]
    assert within(np.array(active.mean), np.array(active.se), expected)
    revenue = result.metrics["revenue"]
    start = float((scenario.book.revenue).sum())
    assert within(np.array(revenue.mean), np.array(revenue.se), start * (1 - theta) ** t)


def test_accounts_keep_their_revenue_in_validation_mode() -> None:
    _, result = run("0.05", revenue="5000")
    per_trial = result.per_trial
    per_account = per_trial["revenue"] / np.maximum(per_trial["active_accounts"], 1)
    alive = per_trial["active_accounts"] > 0
    np.testing.assert_allclose(per_account[alive], 5000.0, rtol=1e-5)
    np.testing.assert_allclose(
        result.metrics["wallet_share"].mean, result.metrics["wallet_share"].mean[0], rtol=0.02
    )
    assert result.metrics["new_logos"].mean[-1] == 0.0
    assert result.metrics["reset_meetings"].mean[-1] == 0.0
    assert result.metrics["contacts_per_account"].se[0] >= 0.0


def test_beta_theta_survival_is_shifted_beta_geometric() -> None:
    # Fader & Hardie (2007), "regular" customers: a = 0.704, b = 1.182 per period; one
    # simulated month stands for one of their years.
    a, b = 0.704, 1.182
    _, result = run(f"{{beta: {{a: {a}, b: {b}}}}}", trials=600, horizon=12)
    t = np.arange(1, 13)
    survival = np.exp(betaln(a, b + t) - betaln(a, b))
    active = result.metrics["active_accounts"]
    assert within(np.array(active.mean), np.array(active.se), 200 * survival)
    # The model's curve is the paper's fit to its Table 1 (percent still active, years 1–7).
    table = np.array([63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1])
    assert np.max(np.abs(100 * survival[:7] - table)) < 1.5


def test_yearly_beta_theta_survives_as_the_sbg_model_in_years() -> None:
    # `simulate calibrate --period year` writes {beta: {a, b}, period: year}: each account
    # draws a yearly p, churns 1 − (1 − p)^(1/12) a month, so after t months
    # S(t) = E[(1 − p)^(t/12)] = B(a, b + t/12) / B(a, b), the paper's curve in years.
    a, b = 0.704, 1.182
    _, result = run(f"{{beta: {{a: {a}, b: {b}}}, period: year}}", trials=300, horizon=36)
    t = np.arange(1, 37)
    survival = np.exp(betaln(a, b + t / 12.0) - betaln(a, b))
    active = result.metrics["active_accounts"]
    assert within(np.array(active.mean), np.array(active.se), 200 * survival)
    table = np.array([63.1, 46.8, 38.2])  # Fader & Hardie (2007) Table 1, years 1–3
    assert np.max(np.abs(100 * survival[[11, 23, 35]] - table)) < 1.5
    # Read as monthly, the same Beta would lose far more: the period is not ignored.
    assert active.mean[11] > 200 * np.exp(betaln(a, b + 12) - betaln(a, b)) + 20


def test_monthly_beta_theta_matches_its_closed_form() -> None:
    a, b = 1.2, 80.0
    _, result = run(f"{{beta: {{a: {a}, b: {b}}}}}", accounts=300, trials=200, horizon=36)
    t = np.arange(1, 37)
    expected = 300 * np.exp(betaln(a, b + t) - betaln(a, b))
    active = result.metrics["active_accounts"]
    assert within(np.array(active.mean), np.array(active.se), expected)
    # A constant θ at the same mean loses more accounts: heterogeneity flattens survival.
    assert active.mean[-1] > 300 * (1 - a / (a + b)) ** 36 + 4 * active.se[-1]


def test_churn_factors_are_exactly_one_when_their_effects_are_zero() -> None:
    # Every mechanism runs (drift, growth, asks, health, management changes, rep
    # attrition), but with each churn effect at 0 an account still churns with θ.
    text = BASE.format(
        horizon=24,
        trials=300,
        accounts=200,
        revenue="{lognormal: {median: 6000, sigma: 0.9}}",
        theta="0.03",
    ).replace("effects: none\n", "effects: all\n") + (
        "assumptions: {health_churn_effect: 0, contacts_churn_effect: 0,"
        " owner_neglect_churn_effect: 0, mgmt_change_churn_uplift: 0,"
        " ask_referral_success: 0, rep_attrition_annual: 0.5}\n"
        "archetypes:\n  farmer: {capacity: 60}\n"
    )
    result = run_simulation(parse_scenario_text(text, "zero.yaml"))
    active = result.metrics["active_accounts"]
    expected = 200 * (1 - 0.03) ** np.arange(1, 25)
    assert within(np.array(active.mean), np.array(active.se), expected)
    assert result.metrics["reset_meetings"].mean[-1] > 0
    assert result.metrics["new_logos"].mean[-1] == 0.0
