"""The domain's claims (DESIGN.md §1), in numbers, with the default assumptions.

All run on examples/scenario.yaml's book. Teams are swapped with the book's
owners cleared, so the assignment policy places every account the same way
for teams of the same shape.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import numpy as np
import pytest

from simulate.engine import prepare, run_batch, run_simulation
from simulate.model import ChurnPropensity, Policies, Scenario, TeamEntry, _resolve, load_scenario
from simulate.results import SimulationResult, TrialRecorder
from tests.conftest import EXAMPLES

TRIALS = 160


@pytest.fixture(scope="module")
def example() -> Scenario:
    return load_scenario(EXAMPLES / "scenario.yaml")


def with_team(example: Scenario, *entries: tuple[str, int]) -> Scenario:
    unowned = replace(example, book=replace(example.book, owner=(None,) * example.book.size))
    team = [TeamEntry(archetype=name, count=count) for name, count in entries]
    return unowned.with_overrides(trials=TRIALS, team=team)


def head_count(example: Scenario) -> int:
    return sum(entry.count for entry in example.team)


def with_horizon(scenario: Scenario, months: int) -> Scenario:
    assert scenario.spec is not None
    spec = scenario.spec.model_copy(update={"horizon_months": months})
    return _resolve(spec, scenario.source, scenario.base_dir, book=scenario.book)


@pytest.mark.slow
def test_order_takers_leave_15_to_25_percent_behind_at_every_horizon(example: Scenario) -> None:
    """The wallet-share equilibrium: the gap is inside the band from month 24 to month 120."""
    n = head_count(example)
    long = with_horizon(example, 120)
    farmers = run_simulation(with_team(long, ("farmer", n)).with_overrides(trials=64))
    takers = run_simulation(with_team(long, ("order_taker", n)).with_overrides(trials=64))
    f, o = farmers.metrics["revenue"].mean, takers.metrics["revenue"].mean
    gaps = {month: 1.0 - o[month - 1] / f[month - 1] for month in (24, 36, 60, 120)}
    assert all(0.15 <= gap <= 0.25 for gap in gaps.values()), gaps
    # It settles: the last five years add less to the gap than the first two did.
    assert gaps[120] - gaps[60] < gaps[24] - (1.0 - o[0] / f[0])
    # The gap comes from both levers: less of the wallet and fewer accounts kept.
    for month in (24, 120):
        i = month - 1
        assert takers.metrics["wallet_share"].mean[i] < farmers.metrics["wallet_share"].mean[i]
        assert (
            takers.metrics["active_accounts"].mean[i] < farmers.metrics["active_accounts"].mean[i]
        )


@pytest.mark.slow
def test_revenue_rises_with_every_farmer_with_shrinking_increments(example: Scenario) -> None:
    """Attention as time with diminishing returns: spare capacity is worth something."""
    revenue = []
    for farmers in range(1, 7):
        result = run_simulation(with_team(example, ("farmer", farmers)).with_overrides(trials=64))
        revenue.append(result.per_trial["revenue"][:, 35])
    means = np.array([r.mean() for r in revenue])
    steps = np.diff(means)
    # Same seed: paired differences, trial by trial.
    step_se = np.array([np.std(b - a, ddof=1) / np.sqrt(a.size) for a, b in pairwise(revenue)])
    assert np.all(steps > 3 * step_se), (steps, step_se)
    assert np.all(np.diff(steps) < 0), steps


def test_an_overloaded_rep_loses_more_accounts(example: Scenario) -> None:
    one = run_simulation(with_team(example, ("farmer", 1)).with_overrides(trials=64))
    three = run_simulation(with_team(example, ("farmer", 3)).with_overrides(trials=64))
    extra = one.per_trial["accounts_lost"][:, 23] - three.per_trial["accounts_lost"][:, 23]
    assert extra.mean() > 4 * extra.std(ddof=1) / np.sqrt(extra.size)


def test_single_threaded_accounts_are_lost_after_management_changes_far_more_often(
    example: Scenario,
) -> None:
    result = run_simulation(example.with_overrides(trials=TRIALS))
    shares = result.lost_after_mgmt_change_by_contacts
    counts = result.mgmt_changes_by_contacts
    assert min(counts.values()) > 500
    assert shares["1"] > 5 * shares["3+"]
    assert shares["1"] > shares["2"] > shares["3+"]


def lost_and_logos(result: SimulationResult, month: int) -> tuple[float, float, float, float]:
    lost, logos = result.metrics["accounts_lost"], result.metrics["new_logos"]
    i = month - 1
    return lost.mean[i], lost.se[i], logos.mean[i], logos.se[i]


@pytest.mark.slow
def test_hybrids_do_worse_than_a_split_hunter_farmer_team(example: Scenario) -> None:
    n = head_count(example)
    split = run_simulation(with_team(example, ("farmer", n - 1), ("hunter", 1)))
    hybrids = run_simulation(with_team(example, ("hybrid", n)))
    lost_split, se_split, logos_split, logo_se_split = lost_and_logos(split, 24)
    lost_hybrid, se_hybrid, logos_hybrid, logo_se_hybrid = lost_and_logos(hybrids, 24)
    loses_more = lost_hybrid - lost_split > 4 * (se_split**2 + se_hybrid**2) ** 0.5
    wins_fewer = logos_split - logos_hybrid > 4 * (logo_se_split**2 + logo_se_hybrid**2) ** 0.5
    assert loses_more or wins_fewer
    assert hybrids.metrics["revenue"].mean[23] < split.metrics["revenue"].mean[23]


def test_handing_new_logos_to_farmers_keeps_more_accounts(example: Scenario) -> None:
    scenario = example.with_overrides(trials=TRIALS)
    handed = run_simulation(scenario.with_overrides(policies=Policies(new_logo_owner="farmer")))
    kept = run_simulation(scenario.with_overrides(policies=Policies(new_logo_owner="hunter")))
    # Same seed: a paired comparison, trial by trial.
    extra_lost = kept.per_trial["accounts_lost"][:, -1] - handed.per_trial["accounts_lost"][:, -1]
    paired_se = extra_lost.std(ddof=1) / np.sqrt(extra_lost.size)
    assert extra_lost.mean() > 4 * paired_se
    assert kept.by_archetype["hunter"].mean[-1] > handed.by_archetype["hunter"].mean[-1]


def test_realised_churn_is_the_entered_churn(example: Scenario) -> None:
    """θ means the churn the book shows in its month-0 state, whatever the effects do after."""
    assert example.spec is not None
    theta = 1.0 - (1.0 - 0.10) ** (1.0 / 12.0)
    book = example.spec.book.model_copy(
        update={"churn_propensity": ChurnPropensity.model_validate(theta)}
    )
    spec = example.spec.model_copy(update={"book": book, "horizon_months": 12, "target": None})
    scenario = _resolve(spec, example.source, example.base_dir)
    scenario = with_team(scenario, ("farmer", head_count(example))).with_overrides(trials=128)
    x = prepare(scenario)
    batch = run_batch(x, 0, 4, TrialRecorder(x.trials, x.horizon, x.archetype_names))
    lost = 1.0 - batch.active[:, : x.revenue.shape[0]].mean()
    assert abs(lost - (1.0 - (1.0 - theta) ** 12)) < 0.01, lost
