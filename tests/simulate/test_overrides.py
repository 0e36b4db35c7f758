"""The one override syntax: parsing, applying to a scenario, and exact error sentences."""

from __future__ import annotations

import json

import pytest

from simulate.errors import SimulateError
from simulate.model import load_scenario
from simulate.overrides import (
    OverrideError,
    parse_assignment,
    parse_grid,
    parse_scalar,
    parse_team,
    parse_variant,
)
from simulate.variants import apply_to_scenario
from tests.conftest import CliRunner

SCENARIO = "examples/scenario.yaml"


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", 3), ("-2", -2), ("0.03", 0.03), ("1e3", 1000.0), ("true", True), ("False", False),
     ("null", None), ("hunter", "hunter"), ("nan", "nan")],
)  # fmt: skip
def test_values_read_like_yaml_scalars(text: str, value: object) -> None:
    assert parse_scalar(text) == value


def test_team_shorthand_and_dotted_paths_change_the_scenario() -> None:
    base = load_scenario(SCENARIO)
    changed = apply_to_scenario(
        base,
        [
            parse_assignment("hunter=2"),
            parse_assignment("team.order_taker=1"),
            parse_assignment("policies.new_logo_owner=hunter"),
            parse_assignment("assumptions.competitor_pressure_monthly=0.1"),
            parse_assignment("horizon_months=24"),
            parse_assignment("archetypes.farmer.capacity=40"),
        ],
    )
    assert [s.seat_id for s in changed.seats] == [
        "farmer-1", "farmer-2", "hunter-1", "hunter-2", "order_taker-1",
    ]  # fmt: skip
    assert changed.policies.new_logo_owner == "hunter"
    assert changed.value("competitor_pressure_monthly") == 0.1
    assert changed.horizon_months == 24
    assert changed.archetypes["farmer"].capacity == 40
    # The base is untouched, and the scenario's own overrides stay.
    assert base.horizon_months == 36
    assert changed.value("mgmt_change_monthly") == base.value("mgmt_change_monthly")


def test_team_option_replaces_the_whole_team() -> None:
    base = load_scenario(SCENARIO)
    changed = apply_to_scenario(base, [parse_team("farmer=2,hunter=1,hybrid=1")])
    assert [s.seat_id for s in changed.seats] == ["farmer-1", "farmer-2", "hunter-1", "hybrid-1"]


def test_a_variant_is_a_name_and_its_overrides() -> None:
    name, overrides = parse_variant("three farmers: team.farmer=3, policies.new_logo_owner=hunter")
    assert name == "three farmers"
    assert [(o.path, o.value) for o in overrides] == [
        (("team", "farmer"), 3),
        (("policies", "new_logo_owner"), "hunter"),
    ]


def test_grids_are_ranges_or_lists() -> None:
    assert parse_grid("hunter=0..4") == ("hunter", [0, 1, 2, 3, 4])
    assert parse_grid("policies.new_logo_owner=farmer,hunter") == (
        "policies.new_logo_owner",
        ["farmer", "hunter"],
    )


BAD_OVERRIDES = {
    "policies.new_logo_ownr=hunter": (
        "--set 'policies.new_logo_ownr=hunter': unknown field 'new_logo_ownr' under policies; "
        "expected one of new_logo_owner, vacancy_coverage, assignment, attention (did you mean "
        "'new_logo_owner'?)."
    ),
    "assumptions.competitor_presure_monthly=0.1": (
        "--set 'assumptions.competitor_presure_monthly=0.1': unknown assumption "
        "'competitor_presure_monthly'; see `simulate assumptions` for the list (did you mean "
        "'competitor_pressure_monthly'?)."
    ),
    "assumptions.competitor_pressure_monthly=7": (
        "--set 'assumptions.competitor_pressure_monthly=7': "
        "assumptions.competitor_pressure_monthly: expected at most 1 (share of the excess over "
        "the floor per month); found 7."
    ),
    "policies.new_logo_owner=nobody": (
        "--set 'policies.new_logo_owner=nobody': examples/scenario.yaml: 1 problem: "
        "policies.new_logo_owner: Input should be 'farmer' or 'hunter'; found 'nobody'."
    ),
    "farmr=3": (
        "--set 'farmr=3': unknown field or archetype 'farmr'; expected a scenario field (schema, "
        "name, horizon_months, trials, seed, book, team, policies, economy, target, effects, "
        "assumptions, quadrants, archetypes, uncertainty) or an archetype (farmer, hunter, hybrid, "
        "order_taker) (did "
        "you mean 'farmer'?)."
    ),
    "team.farmer=-1": (
        "--set 'team.farmer=-1': team.farmer: expected a whole number of seats ≥ 0; found -1."
    ),
    "horizon_months.x=1": (
        "--set 'horizon_months.x=1': horizon_months holds a value, not fields; expected a path "
        "that ends at horizon_months."
    ),
    "horizon_months": (
        "--set 'horizon_months': expected PATH=VALUE (for example team.farmer=3 or "
        "assumptions.competitor_pressure_monthly=0.1); found no '='."
    ),
}


@pytest.mark.parametrize("text", sorted(BAD_OVERRIDES))
def test_bad_overrides_name_the_override_the_field_and_what_was_expected(text: str) -> None:
    base = load_scenario(SCENARIO)
    with pytest.raises(SimulateError) as caught:
        apply_to_scenario(base, [parse_assignment(text)])
    assert caught.value.message == BAD_OVERRIDES[text]


def test_a_team_without_seats_is_refused() -> None:
    with pytest.raises(SimulateError) as caught:
        apply_to_scenario(load_scenario(SCENARIO), [parse_team("farmer=0,hunter=0")])
    assert caught.value.message == (
        "--team 'farmer=0,hunter=0': team: expected at least one seat; found a total count of 0."
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("farmer=two", "--team 'farmer=two': farmer: expected a whole number of seats ≥ 0; "
         "found 'two'."),
        ("farmer=1,farmer=2", "--team 'farmer=1,farmer=2': farmer is given twice; give each "
         "archetype once."),
        ("farmer", "--team 'farmer': expected ARCHETYPE=COUNT items separated by commas (for "
         "example farmer=3,hunter=1); found 'farmer'."),
    ],
)  # fmt: skip
def test_bad_team_options(text: str, message: str) -> None:
    with pytest.raises(OverrideError) as caught:
        parse_team(text)
    assert caught.value.message == message


def test_run_takes_team_and_set(simulate_cli: CliRunner) -> None:
    result = simulate_cli(
        "run", SCENARIO, "--trials", "50", "--format", "json",
        "--team", "farmer=3,hunter=1", "--set", "policies.new_logo_owner=hunter",
        "--set", "horizon_months=24",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["months"] == list(range(1, 25))
    assert set(data["by_archetype"]) == {"farmer", "hunter"}
    assert (
        "changed by the command line: team=farmer=3,hunter=1, "
        "policies.new_logo_owner=hunter, horizon_months=24" in result.stderr
    )


def test_run_refuses_a_bad_set_with_exit_2(simulate_cli: CliRunner) -> None:
    result = simulate_cli("run", SCENARIO, "--set", "policies.new_logo_ownr=hunter")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "error: " + BAD_OVERRIDES["policies.new_logo_ownr=hunter"] + "\n"
