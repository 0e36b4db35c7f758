"""Common random numbers: adding a rep does not reshuffle anyone else's luck."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from simulate.engine import (
    CHURN,
    REP_QUIT,
    WALLET,
    ModelInputs,
    block_draws,
    prepare,
    run_batch,
    run_simulation,
)
from simulate.model import Scenario, TeamEntry, load_scenario, parse_scenario_text
from simulate.results import TrialRecorder
from tests.conftest import EXAMPLES

SCENARIO = """\
schema: repfit.scenario/1
name: crn
horizon_months: 24
trials: 64
seed: 8
book:
  synthetic:
    accounts: 120
    revenue_monthly: {lognormal: {median: 6000, sigma: 0.9}}
    churn_propensity: {beta: {a: 2, b: 150}}
team:
  - {archetype: farmer, count: 2}
policies: {vacancy_coverage: uncovered, assignment: round_robin}
assumptions: {rep_attrition_annual: 0.4, mgmt_change_monthly: 0.03}
"""


def final_state(scenario: Scenario) -> tuple[ModelInputs, Any]:
    x = prepare(scenario)
    recorder = TrialRecorder(x.trials, x.horizon, x.archetype_names)
    return x, run_batch(x, 0, 2, recorder)


def test_book_draws_do_not_depend_on_the_number_of_logo_slots() -> None:
    few = block_draws(8, 3, CHURN, 5, n_book=120, n_chunks=1, normal=False)
    many = block_draws(8, 3, CHURN, 5, n_book=120, n_chunks=4, normal=False)
    np.testing.assert_array_equal(few, many[:, : few.shape[1]])
    normal = block_draws(8, 3, WALLET, 5, n_book=120, n_chunks=2, normal=True)
    assert normal[:, :120].std() == pytest.approx(1.0, abs=0.05)


def test_adding_a_farmer_leaves_other_accounts_and_seats_unchanged() -> None:
    two = parse_scenario_text(SCENARIO, "crn.yaml")
    three = two.with_overrides(team=[TeamEntry(archetype="farmer", count=3)])
    x2, batch2 = final_state(two)
    x3, batch3 = final_state(three)
    # farmer-1 and farmer-2 draw the same quits whatever the team.
    for seat in (0, 1):
        np.testing.assert_array_equal(
            batch2.seat_draws[REP_QUIT][:, seat], batch3.seat_draws[REP_QUIT][:, seat]
        )
    np.testing.assert_array_equal(batch2.vacant[:, :2], batch3.vacant[:, :2])
    same_owner = x2.owner == x3.owner
    moved = ~same_owner
    assert same_owner.sum() == 40
    assert moved.sum() == 80
    book = slice(0, 120)
    for name in ("active", "wallet", "share", "contacts", "health"):
        before = getattr(batch2, name)[:, book]
        after = getattr(batch3, name)[:, book]
        np.testing.assert_array_equal(before[:, same_owner], after[:, same_owner], err_msg=name)
    # Where the owner changed, outcomes do change: the comparison is not vacuous.
    assert not np.array_equal(batch2.share[:, book][:, moved], batch3.share[:, book][:, moved])


@pytest.mark.slow
def test_paired_difference_is_far_more_precise_than_independent_runs() -> None:
    example = load_scenario(EXAMPLES / "scenario.yaml")
    base = replace(example, book=replace(example.book, owner=(None,) * example.book.size))
    base = base.with_overrides(
        trials=128,
        team=[TeamEntry(archetype="farmer", count=2), TeamEntry(archetype="hunter", count=1)],
    )
    plus = base.with_overrides(team=[*base.team, TeamEntry(archetype="farmer", count=1)])
    month = 23
    a = run_simulation(base).per_trial["revenue"][:, month]
    b = run_simulation(plus).per_trial["revenue"][:, month]
    c = run_simulation(plus.with_overrides(seed=example.seed + 1000)).per_trial["revenue"][:, month]
    paired_se = np.std(b - a, ddof=1) / np.sqrt(a.size)
    independent_se = np.sqrt(np.var(a, ddof=1) / a.size + np.var(c, ddof=1) / c.size)
    assert paired_se < 0.35 * independent_se
    assert np.mean(b - a) > 0
