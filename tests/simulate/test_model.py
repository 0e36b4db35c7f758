"""Scenario files: what loads, what a user gets back, and the exact error for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.fileio import RepfitError
from simulate.assumptions import DEFAULT_ASSUMPTIONS, monthly_probability, resolve_assumptions
from simulate.behaviour import BUNDLED_ARCHETYPES, NUMERIC_FIELDS
from simulate.engine import assign_accounts
from simulate.errors import SimulateError
from simulate.model import TeamEntry, load_scenario, parse_scenario_text
from tests.conftest import EXAMPLES, REPO_ROOT

SCENARIO = """\
schema: repfit.scenario/1
name: Test book
horizon_months: 12
trials: 64
seed: 5
book:
  synthetic:
    accounts: 20
    revenue_monthly: {lognormal: {median: 6000, sigma: 0.9}}
    wallet_multiple: {uniform: {low: 1.3, high: 3.0}}
    contacts: {poisson: {mean: 1.2, min: 1}}
    health: {beta: {a: 5, b: 2}}
    churn_propensity: {beta: {a: 1.2, b: 80}}
team:
  - {archetype: farmer, count: 2}
  - {archetype: hunter, count: 1}
"""


def error_of(text: str, source: str = "s.yaml") -> str:
    with pytest.raises(RepfitError) as caught:
        parse_scenario_text(text, source)
    return caught.value.message


def test_example_scenario_loads_with_its_book_and_seats() -> None:
    scenario = load_scenario(EXAMPLES / "scenario.yaml")
    assert scenario.book.size == 300
    assert [seat.seat_id for seat in scenario.seats] == ["farmer-1", "farmer-2", "hunter-1"]
    assert set(scenario.book.owner) == {"farmer-1", "farmer-2", "hunter-1"}
    assert scenario.target is not None
    assert scenario.target.month == 24
    assert scenario.value("mgmt_change_monthly") == 0.012


def test_book_csv_is_resolved_relative_to_the_scenario_file(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "b.csv").write_text(
        "account_id,revenue_monthly,wallet_monthly\nX1,100,200\n", encoding="utf-8"
    )
    scenario_text = SCENARIO.replace(
        SCENARIO[SCENARIO.index("  synthetic") : SCENARIO.index("team:")], "  csv: data/b.csv\n"
    )
    path = tmp_path / "s.yaml"
    path.write_text(scenario_text, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.book.account_id == ("X1",)
    assert scenario.book.contacts.tolist() == [1]
    assert scenario.book.theta.tolist() == pytest.approx([monthly_probability(0.10)])


def test_synthetic_book_follows_its_spec() -> None:
    scenario = parse_scenario_text(SCENARIO, "s.yaml")
    book = scenario.book
    assert book.size == 20
    assert (book.wallet >= 1.3 * book.revenue - 1e-9).all()
    assert (book.wallet <= 3.0 * book.revenue + 1e-9).all()
    assert book.contacts.min() >= 1
    assert book.theta_beta is not None
    assert (book.theta_beta.a, book.theta_beta.b) == (1.2, 80.0)


def test_with_overrides_changes_trials_seed_and_team() -> None:
    scenario = parse_scenario_text(SCENARIO, "s.yaml")
    other = scenario.with_overrides(trials=10, seed=9)
    assert (other.trials, other.seed, scenario.trials) == (10, 9, 64)
    bigger = scenario.with_overrides(team=[*scenario.team, TeamEntry(archetype="farmer", count=1)])
    assert [s.seat_id for s in bigger.seats] == ["farmer-1", "farmer-2", "hunter-1", "farmer-3"]
    assert bigger.book is scenario.book


def test_archetype_override_and_new_archetype() -> None:
    text = SCENARIO + (
        "archetypes:\n  farmer: {capacity: 90}\n  strategic: {base: farmer, proactive_rate: 0.5}\n"
    )
    text = text.replace("{archetype: hunter, count: 1}", "{archetype: strategic, count: 1}")
    scenario = parse_scenario_text(text, "s.yaml")
    assert scenario.archetypes["farmer"].capacity == 90
    strategic = scenario.archetypes["strategic"]
    assert (strategic.proactive_rate, strategic.close_rate) == (0.5, 0.30)
    assert [s.seat_id for s in scenario.seats][-1] == "strategic-1"


def test_assumption_override_applies() -> None:
    scenario = parse_scenario_text(SCENARIO + "assumptions: {ramp_months: 3}\n", "s.yaml")
    assert scenario.value("ramp_months") == 3
    assert DEFAULT_ASSUMPTIONS["ramp_months"].value == 5


def test_every_assumption_is_documented() -> None:
    for name, assumption in DEFAULT_ASSUMPTIONS.items():
        assert assumption.name == name
        assert assumption.unit
        assert assumption.description
        assert assumption.source
        if assumption.minimum is not None:
            assert assumption.value >= assumption.minimum
        if assumption.maximum is not None:
            assert assumption.value <= assumption.maximum


def test_resolve_assumptions_refuses_values_out_of_range() -> None:
    with pytest.raises(SimulateError) as caught:
        resolve_assumptions({"mgmt_change_monthly": 1.5})
    assert caught.value.message == (
        "assumptions.mgmt_change_monthly: expected at most 1 (probability per account-month); "
        "found 1.5."
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("horizon_months: 12", "horizon_months: 0"),
            "s.yaml: 1 problem: horizon_months (line 3): Input should be greater than or equal "
            "to 1; found 0.",
        ),
        (
            ("{archetype: farmer, count: 2}", "{archetype: farmer, count: -2}"),
            "s.yaml: 1 problem: team[0].count (line 15): Input should be greater than or equal "
            "to 0; found -2.",
        ),
        (
            ("{archetype: hunter, count: 1}", "{archetype: closer, count: 1}"),
            "s.yaml: team[1].archetype: unknown archetype 'closer'; expected one of farmer, "
            "hunter, hybrid, order_taker or one defined under 'archetypes:'.",
        ),
        (
            ("{lognormal: {median: 6000, sigma: 0.9}}", "{lognorm: {median: 6000}}"),
            "s.yaml: 1 problem: book.synthetic.revenue_monthly (line 9): unknown distribution "
            "'lognorm'; expected one of lognormal, normal, uniform, beta, gamma, poisson, "
            "triangular.",
        ),
        (
            ("{beta: {a: 5, b: 2}}", "{beta: {a: 5}}"),
            "s.yaml: 1 problem: book.synthetic.health (line 12): beta: missing parameter b.",
        ),
        (
            ("{uniform: {low: 1.3, high: 3.0}}", "{uniform: {low: 3, high: 1}}"),
            "s.yaml: 1 problem: book.synthetic.wallet_multiple (line 10): uniform: low 3 is "
            "above high 1.",
        ),
        (
            ("{beta: {a: 1.2, b: 80}}", "{beta: {a: 1.2, b: -80}}"),
            "s.yaml: 1 problem: book.synthetic.churn_propensity (line 13): beta.b: expected a "
            "number > 0; found -80.",
        ),
        (
            ("repfit.scenario/1", "repfit.scenario/2"),
            "s.yaml: the file uses schema 'repfit.scenario/2', which is newer than this version "
            "of repfit understands ('repfit.scenario/1'). Upgrade repfit to read it.",
        ),
        (
            ("seed: 5", "seed: 5\nassumptions: {mgmt_change_montly: 0.02}"),
            "s.yaml: assumptions.mgmt_change_montly: unknown assumption 'mgmt_change_montly' "
            "(did you mean 'mgmt_change_monthly'?); `simulate assumptions` lists all "
            f"{len(DEFAULT_ASSUMPTIONS)} with their units.",
        ),
        (
            ("seed: 5", "seed: 5\ntarget: {metric: revenue_month, month: 13, value: 1}"),
            "s.yaml: target.month: expected a month from 1 to the horizon (12); found 13.",
        ),
        (
            ("seed: 5", "seed: 5\npolicies: {new_logo_owner: nobody}"),
            "s.yaml: 1 problem: policies.new_logo_owner (line 6): Input should be 'farmer' or "
            "'hunter'; found 'nobody'.",
        ),
    ],
)
def test_bad_scenario_names_file_field_expected_and_found(
    change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in SCENARIO
    assert error_of(SCENARIO.replace(old, new)) == message


def test_owners_that_name_no_seat_are_unowned_and_placed_by_policy(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text(
        "account_id,revenue_monthly,wallet_monthly,owner\nX1,100,200,farmer-1\n"
        "X2,100,200,farmer-7\nX3,100,200,hunter-9\nX4,100,200,farmer-7\n",
        encoding="utf-8",
    )
    text = SCENARIO.replace(
        SCENARIO[SCENARIO.index("  synthetic") : SCENARIO.index("team:")], "  csv: b.csv\n"
    )
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.unknown_owners == ("farmer-7", "hunter-9")
    assert scenario.unknown_owner_accounts == 3
    owner = assign_accounts(scenario)
    seats = [seat.seat_id for seat in scenario.seats]
    assert seats[owner[0]] == "farmer-1"
    # Unowned accounts go to account managers by the assignment policy.
    assert {seats[i] for i in owner[1:]} <= {"farmer-1", "farmer-2"}
    # The team can change without touching the book: a third farmer keeps the note count.
    bigger = scenario.with_overrides(team=[TeamEntry(archetype="farmer", count=3)])
    assert bigger.unknown_owners == ("farmer-7", "hunter-9")


def test_book_needs_exactly_one_source() -> None:
    text = SCENARIO.replace("book:\n", "book:\n  csv: b.csv\n")
    assert error_of(text) == (
        "s.yaml: 1 problem: book (line 7): expected exactly one of 'csv' and 'synthetic'."
    )


def test_docs_list_every_assumption_with_its_default_value() -> None:
    text = (REPO_ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    for name, assumption in DEFAULT_ASSUMPTIONS.items():
        assert f"| `{name}` | {assumption.value:g} | {assumption.unit} |" in text, name


def test_docs_list_the_bundled_archetypes_values() -> None:
    text = (REPO_ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    names = list(BUNDLED_ARCHETYPES)
    for name in NUMERIC_FIELDS:
        cells = " | ".join(f"{getattr(BUNDLED_ARCHETYPES[a], name):g}" for a in names)
        assert f"| `{name}` | {cells} |" in text, name
