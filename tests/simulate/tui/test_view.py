"""The dashboard's view model: edits as overrides, validation messages, stages, the fan."""

from __future__ import annotations

import pytest

from simulate.assumptions import DEFAULT_ASSUMPTIONS
from simulate.tui.runner import STAGES, stage_trials
from simulate.tui.view import BAND, MEDIAN, TARGET, Edits, Fan, fan_cells
from tests.simulate.tui.conftest import example_scenario


def test_unchanged_edits_are_no_overrides() -> None:
    edits = Edits.of(example_scenario())
    assert edits.team == {"farmer": 2, "hunter": 1, "order_taker": 0, "hybrid": 0}
    assert edits.overrides() == []
    assert not edits.dirty


def test_edits_become_the_overrides_of_simulate_run() -> None:
    edits = Edits.of(example_scenario())
    assert edits.adjust_team("farmer", 1) is None
    assert edits.set_policy("attention", "key_accounts") is None
    assert edits.set_whole("horizon_months", "24") is None
    name = "rep_attrition_annual"
    assert edits.set_assumption(DEFAULT_ASSUMPTIONS[name], name, "0.3") is None
    by_path = {o.path: o.value for o in edits.overrides()}
    assert by_path == {
        ("team",): [{"archetype": "farmer", "count": 3}, {"archetype": "hunter", "count": 1}],
        ("policies", "attention"): "key_accounts",
        ("horizon_months",): 24,
        ("assumptions", name): 0.3,
    }
    assert edits.dirty
    edits.mark_saved()
    assert not edits.dirty
    assert edits.overrides() == []


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("trials", "many", "trials: expected a whole number from 1 to 1,000,000; found 'many'."),
        ("trials", "0", "trials: expected a whole number from 1 to 1,000,000; found 0."),
        ("horizon_months", "700", "from 1 to 600 months; found 700."),
    ],
)
def test_whole_numbers_are_checked_with_a_clear_message(
    field: str, text: str, message: str
) -> None:
    edits = Edits.of(example_scenario())
    problem = edits.set_whole(field, text)
    assert problem is not None
    assert message in problem
    assert edits.overrides() == []


def test_assumptions_are_checked_against_their_bounds_and_unit() -> None:
    edits = Edits.of(example_scenario())
    name = "mgmt_change_monthly"
    problem = edits.set_assumption(DEFAULT_ASSUMPTIONS[name], name, "1.5")
    assert problem == (
        "mgmt_change_monthly: expected a number from 0 to 1 (probability per account-month); "
        "found 1.5."
    )
    assert edits.set_assumption(DEFAULT_ASSUMPTIONS[name], name, "nan") is not None
    assert edits.assumptions[name] == 0.012


def test_the_team_keeps_at_least_one_seat() -> None:
    edits = Edits.of(example_scenario())
    assert edits.adjust_team("order_taker", -1) == "team: order_taker has no seat to remove."
    assert edits.adjust_team("farmer", -2) is None
    problem = edits.adjust_team("hunter", -1)
    assert problem is not None
    assert "at least one seat" in problem
    assert edits.team["hunter"] == 1


def test_stages_grow_to_the_scenario_trials() -> None:
    assert stage_trials(2000) == (*STAGES, 2000)
    assert stage_trials(40) == (8, 32, 40)
    assert stage_trials(8) == (8,)
    assert stage_trials(1) == (1,)


def test_the_fan_puts_the_median_inside_the_band_and_the_target_on_its_row() -> None:
    months = 36
    p50 = tuple(100.0 + m for m in range(months))
    fan = Fan(p10=tuple(v - 20 for v in p50), p50=p50, p90=tuple(v + 20 for v in p50), target=110.0)
    picture = fan_cells(fan, 40, 12)
    assert len(picture.rows) == 12
    assert all(len(row) == 40 for row in picture.rows)
    for x in range(40):
        column = [row[x] for row in picture.rows]
        assert column.count(MEDIAN) == 1
        median_row = column.index(MEDIAN)
        band_rows = [r for r, c in enumerate(column) if c == BAND]
        assert min(band_rows) <= median_row <= max(band_rows) or not band_rows
        assert TARGET in column or column[median_row] == MEDIAN
    assert picture.x_axis.startswith("m1")
    assert picture.x_axis.rstrip().endswith("m36")
