"""The streamed breakdowns mean what they say: attention policies, sourced-by credit, costs."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from simulate.engine import run_simulation
from simulate.model import Policies, Scenario, TeamEntry, load_scenario
from simulate.results import SimulationResult
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def unowned() -> Scenario:
    example = load_scenario(EXAMPLES / "scenario.yaml")
    return replace(example, book=replace(example.book, owner=(None,) * example.book.size))


def test_key_accounts_first_moves_time_to_high_potential_accounts(unowned: Scenario) -> None:
    base = unowned.with_overrides(trials=64, team=[TeamEntry(archetype="farmer", count=2)])
    uniform = run_simulation(base)
    keyed = run_simulation(base.with_overrides(policies=Policies(attention="key_accounts")))

    def meetings(result: SimulationResult, quadrant: str) -> float:
        summary = result.breakdowns[f"quadrant.{quadrant}.reset_meetings"]
        return float(np.mean(summary.mean[:12]))

    for high in ("key", "develop"):
        assert meetings(keyed, high) > 1.1 * meetings(uniform, high)
    for low in ("maintain", "serve"):
        assert meetings(keyed, low) < 0.9 * meetings(uniform, low)
    # High-potential accounts then hold more of their wallet.
    key_share = keyed.breakdowns["quadrant.key.wallet_share"].mean[35]
    assert key_share > uniform.breakdowns["quadrant.key.wallet_share"].mean[35]


def test_a_hunters_new_logos_stay_credited_to_the_hunter_after_hand_over(
    unowned: Scenario,
) -> None:
    team = [TeamEntry(archetype="farmer", count=2), TeamEntry(archetype="hunter", count=1)]
    result = run_simulation(unowned.with_overrides(trials=64, team=team))
    # The hunter owns nothing (every new logo is handed to a farmer) ...
    assert max(result.by_archetype["hunter"].mean) == 0.0
    # ... yet the revenue it sourced grows as its new logos accumulate.
    sourced = result.breakdowns["sourced_by.hunter"].mean
    assert 0.0 < sourced[5] < sourced[17] < sourced[35]
    total = np.array(result.metrics["revenue"].mean)
    parts = sum(
        np.array(result.breakdowns[f"sourced_by.{s}"].mean) for s in ("book", *team_names(result))
    )
    np.testing.assert_allclose(parts, total, rtol=1e-9)


def team_names(result: SimulationResult) -> list[str]:
    return list(result.by_archetype)


def test_team_cost_is_the_filled_seats_cost_plus_hiring(unowned: Scenario) -> None:
    team = [TeamEntry(archetype="farmer", count=3)]
    steady = unowned.with_overrides(trials=32, team=team, assumptions={"rep_attrition_annual": 0})
    cost = run_simulation(steady).breakdowns["costs.team_cost"]
    np.testing.assert_allclose(cost.mean, 3 * 115_000 / 12)
    assert max(cost.se) == 0.0
    turnover = run_simulation(unowned.with_overrides(trials=64, team=team))
    paid = turnover.breakdowns["costs.team_cost_cumulative"].mean[35]
    # Vacancies save salary, hires cost a quarter of a year's pay: both show.
    assert paid != pytest.approx(36 * 3 * 115_000 / 12)
    net = turnover.breakdowns["costs.revenue_minus_cost_cumulative"].mean[35]
    assert net == pytest.approx(turnover.metrics["revenue_cumulative"].mean[35] - paid, rel=1e-9)
