"""The domain's claims (DESIGN.md §1), in numbers, with the default assumptions.

All run on examples/scenario.yaml's book. Teams are swapped with the book's
owners cleared, so the assignment policy places every account the same way
for teams of the same shape.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from simulate.engine import run_simulation
from simulate.model import Policies, Scenario, TeamEntry, load_scenario
from simulate.results import SimulationResult
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


@pytest.mark.slow
def test_order_takers_leave_15_to_25_percent_of_a_farmer_teams_revenue(example: Scenario) -> None:
    n = head_count(example)
    farmers = run_simulation(with_team(example, ("farmer", n)))
    takers = run_simulation(with_team(example, ("order_taker", n)))
    gap = 1.0 - takers.metrics["revenue"].mean[23] / farmers.metrics["revenue"].mean[23]
    assert 0.15 <= gap <= 0.25
    # The gap comes from both levers: less of the wallet and more accounts lost.
    assert takers.metrics["wallet_share"].mean[23] < farmers.metrics["wallet_share"].mean[23]
    assert takers.metrics["accounts_lost"].mean[23] > farmers.metrics["accounts_lost"].mean[23]


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
