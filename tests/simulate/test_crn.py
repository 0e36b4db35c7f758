"""Common random numbers: every draw is keyed, so nothing but the scenario's differences moves.

Adding a seat changes no draw of any account, seat or new-logo slot; the horizon
and the batch size change no statistic of any earlier month, bit for bit.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from simulate.engine import (
    CHURN,
    PROSPECTING,
    REP_QUIT,
    WALLET,
    Batch,
    ModelInputs,
    prepare,
    run_batch,
    run_simulation,
    streams,
)
from simulate.model import Scenario, TeamEntry, _resolve, load_scenario, parse_scenario_text
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
  - {archetype: hunter, count: 1}
policies: {vacancy_coverage: uncovered, assignment: round_robin, new_logo_owner: hunter}
assumptions: {rep_attrition_annual: 0.4, mgmt_change_monthly: 0.03, ask_referral_success: 0.05}
"""


def final_state(scenario: Scenario) -> tuple[ModelInputs, Batch]:
    x = prepare(scenario)
    recorder = TrialRecorder(x.trials, x.horizon, x.archetype_names)
    return x, run_batch(x, 0, 2, recorder)


def with_horizon(scenario: Scenario, months: int) -> Scenario:
    assert scenario.spec is not None
    spec = scenario.spec.model_copy(update={"horizon_months": months})
    return _resolve(spec, scenario.source, scenario.base_dir, book=scenario.book)


def test_streams_are_pure_functions_of_their_key() -> None:
    trial = np.arange(64, dtype=np.uint64)[:, None]
    entity = np.arange(500, dtype=np.uint64)[None, :]
    base = streams.base_key(3, trial, entity)
    u = streams.uniform(base, 5, CHURN)
    # The same key gives the same number, however it is asked for.
    assert streams.uniform_scalar(3, 17, 42, 5, CHURN) == u[17, 42]
    np.testing.assert_array_equal(streams.uniform(base[10:20, 100:], 5, CHURN), u[10:20, 100:])
    # Uniform on (0, 1), and other months and mechanisms are different numbers.
    assert u.min() > 0.0
    assert u.max() < 1.0
    assert abs(u.mean() - 0.5) < 0.01
    assert abs(u.var() - 1 / 12) < 0.003
    other = streams.uniform(base, 6, CHURN)
    assert abs(np.corrcoef(u.ravel(), other.ravel())[0, 1]) < 0.02
    assert not np.array_equal(u, streams.uniform(base, 5, WALLET))
    z = streams.normal(base, 5, WALLET)
    assert abs(z.mean()) < 0.02
    assert abs(z.std() - 1.0) < 0.02
    # The integer hash matches its scalar twin (what a compiled kernel would call).
    words = np.array([0, 1, 2**63, 2**64 - 1], dtype=np.uint64)
    assert [int(w) for w in streams.mix(words)] == [streams.mix_int(int(w)) for w in words]


def test_adding_a_seat_changes_no_draw_and_no_outcome_where_no_load_is_shared() -> None:
    two = parse_scenario_text(SCENARIO, "crn.yaml")
    team = [*two.team, TeamEntry(archetype="farmer", count=1)]
    # Owners pinned in the book, so the new seat takes no account from the others.
    book = replace(two.book, owner=tuple(two.seats[i % 2].seat_id for i in range(two.book.size)))
    two = replace(two, book=book)
    three = two.with_overrides(team=team)
    x2, batch2 = final_state(two)
    x3, batch3 = final_state(three)
    np.testing.assert_array_equal(x2.owner, x3.owner)
    # Every seat's draws are the same whatever the team.
    for seat in range(3):
        for mechanism in (REP_QUIT, PROSPECTING):
            np.testing.assert_array_equal(
                streams.uniform(batch2.seat_base[:, seat], 7, mechanism),
                streams.uniform(batch3.seat_base[:, seat], 7, mechanism),
            )
    # Every account and new-logo slot (the hunter's n-th logo, the n-th referral of an
    # account) has the same keys, so the same draws; and here the same outcomes.
    columns = min(batch2.active.shape[1], batch3.active.shape[1])
    for name in ("entity", "base", "active", "wallet", "share", "contacts", "health", "owner"):
        np.testing.assert_array_equal(
            getattr(batch2, name)[:, :columns], getattr(batch3, name)[:, :columns], err_msg=name
        )
    np.testing.assert_array_equal(batch2.vacant, batch3.vacant[:, :3])
    assert batch2.logos.sum() > 50  # the comparison covers new logos, not only the book


def test_adding_a_seat_moves_outcomes_only_through_assignment_and_load() -> None:
    two = parse_scenario_text(SCENARIO, "crn.yaml")
    three = two.with_overrides(team=[*two.team, TeamEntry(archetype="farmer", count=1)])
    x2, batch2 = final_state(two)
    x3, batch3 = final_state(three)
    n = x2.revenue.shape[0]
    # Draws stay keyed by account: the same base keys everywhere in the book.
    np.testing.assert_array_equal(batch2.base[:, :n], batch3.base[:, :n])
    moved = x2.owner != x3.owner
    assert moved.any()
    assert (~moved).any()
    # Where the owner changed, outcomes do change: the comparison is not vacuous.
    assert not np.array_equal(batch2.share[:, :n][:, moved], batch3.share[:, :n][:, moved])


POOLED = {"target", "lost_after_mgmt_change_by_contacts", "mgmt_changes_by_contacts"}
"""Totals over the whole horizon (not per month), left out of the prefix comparison."""


def json_statistics(scenario: Scenario, months: int, **kwargs: Any) -> str:
    """The JSON result with every per-month list cut to its first ``months`` months."""
    data = run_simulation(scenario, **kwargs).to_dict()

    def cut(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: cut(v) for k, v in node.items() if k not in POOLED}
        if isinstance(node, list) and node and isinstance(node[0], float | int):
            return node[:months]
        return node

    return json.dumps(cut(data), sort_keys=True)


def test_a_shorter_horizon_is_the_prefix_of_a_longer_one_bit_for_bit() -> None:
    scenario = parse_scenario_text(SCENARIO, "crn.yaml").with_overrides(trials=70)
    short = json_statistics(scenario, 24)
    long = json_statistics(with_horizon(scenario, 36), 24)
    assert short == long


def test_statistics_do_not_depend_on_the_batch_size_bit_for_bit() -> None:
    scenario = parse_scenario_text(SCENARIO, "crn.yaml").with_overrides(trials=100)
    one = json_statistics(scenario, 24, batch_trials=32)
    assert json_statistics(scenario, 24, batch_trials=96) == one
    assert json_statistics(scenario, 24, batch_trials=32, initial_slots=1) == one


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
