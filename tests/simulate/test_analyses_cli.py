"""compare, sweep, sensitivity and book end to end through the CLI: contracts and properties.

Properties with margins, not engine numbers, so they hold when the model changes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO_ROOT, CliRunner

SCENARIO = "examples/scenario.yaml"


# ---------------------------------------------------------------- compare


@pytest.fixture(scope="module")
def comparison() -> dict[str, object]:
    from tests.conftest import run_inprocess

    result = run_inprocess(
        "simulate", "compare", SCENARIO, "--variant", "three farmers: farmer=3",
        "--variant", "hunter owns logos: policies.new_logo_owner=hunter",
        "--trials", "120", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_compare_json_contract(comparison: dict[str, object]) -> None:
    data = comparison
    assert data["schema"] == "repfit.compare/1"
    assert data["variants"] == [
        "Demo book, two farmers and a hunter", "three farmers", "hunter owns logos",
    ]  # fmt: skip
    assert data["months"] == [12, 24, 36]
    assert data["trials"] == 120
    comparisons = data["comparisons"]
    assert isinstance(comparisons, list)
    assert [c["name"] for c in comparisons] == ["three farmers", "hunter owns logos"]
    for c in comparisons:
        outcomes = {(d["outcome"], d["month"]) for d in c["differences"]}
        for outcome in ("revenue", "revenue_cumulative", "accounts_lost", "new_logos",
                        "wallet_share"):  # fmt: skip
            assert {(outcome, m) for m in (12, 24, 36)} <= outcomes
        for d in c["differences"]:
            assert d["ci95"][0] <= d["difference"] <= d["ci95"][1]
            assert 0.0 <= d["p_better"] <= 1.0
            assert d["variant_mean"] - d["baseline_mean"] == pytest.approx(
                d["difference"], rel=1e-9, abs=1e-6
            )


def test_common_random_numbers_make_the_paired_se_several_times_smaller(
    comparison: dict[str, object],
) -> None:
    comparisons = comparison["comparisons"]
    assert isinstance(comparisons, list)
    for c in comparisons:
        for d in c["differences"]:
            if d["outcome"] in ("revenue", "revenue_cumulative"):
                assert d["se_independent"] > 3 * d["se"], (c["name"], d)


def test_a_third_farmer_keeps_at_least_as_much_revenue(comparison: dict[str, object]) -> None:
    comparisons = comparison["comparisons"]
    assert isinstance(comparisons, list)
    third = next(c for c in comparisons if c["name"] == "three farmers")
    final = next(
        d for d in third["differences"] if d["outcome"] == "revenue_cumulative" and d["month"] == 36
    )
    # More capacity never loses revenue beyond Monte Carlo error.
    assert final["difference"] > -3 * final["se"]


def test_compare_two_files_table_and_csv(simulate_inproc: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    text = (EXAMPLES / "scenario.yaml").read_text(encoding="utf-8")
    other.write_text(
        text.replace("name: Demo book, two farmers and a hunter", "name: Pressure 12 %")
        .replace("csv: book.csv", f"csv: {EXAMPLES / 'book.csv'}")
        .replace("{mgmt_change_monthly: 0.012}", "{mgmt_change_monthly: 0.012, "
                 "competitor_pressure_monthly: 0.12}"),
        encoding="utf-8",
    )  # fmt: skip
    table = simulate_inproc("compare", SCENARIO, other, "--trials", "50")
    assert table.returncode == 0, table.stderr
    assert "Pressure 12 % − Demo book, two farmers and a hunter" in table.stdout
    assert "indep. SE" in table.stdout
    out = tmp_path / "compare.csv"
    written = simulate_inproc("compare", SCENARIO, other, "--trials", "50", "--format", "csv",
                           "-o", out)  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["variant"] for r in rows} == {"Pressure 12 %"}
    # More competitor pressure never raises the share of wallet.
    share = next(r for r in rows if r["outcome"] == "wallet_share" and r["month"] == "36")
    assert float(share["difference"]) < 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((SCENARIO,), "error: compare: expected at least two options: two or more scenario "
         "files, or one scenario and at least one --variant \"NAME: PATH=VALUE, …\"."),
        ((SCENARIO, "--variant", "no colon"), "error: --variant 'no colon': expected \"NAME: "
         "PATH=VALUE, PATH=VALUE\" (for example \"three farmers: team.farmer=3\"); found no ':' "
         "after a name."),
        ((SCENARIO, "--variant", "x: farmr=3"), "error: --variant 'x': 'farmr=3': unknown field "
         "or archetype 'farmr'; expected a scenario field (schema, name, horizon_months, trials, "
         "seed, book, team, policies, economy, target, effects, assumptions, quadrants, "
         "archetypes, uncertainty) or an "
         "archetype (farmer, hunter, hybrid, order_taker) (did you mean 'farmer'?)."),
    ],
)  # fmt: skip
def test_compare_bad_input(simulate_inproc: CliRunner, args: tuple[str, ...], message: str) -> None:
    result = simulate_inproc("compare", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


# ---------------------------------------------------------------- sweep


def test_sweep_json_contract_marginals_and_pareto(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc(
        "sweep", SCENARIO, "--grid", "hunter=0..1", "--grid", "farmer=0..3", "--trials", "60",
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "skipped 1 point without any seat: hunter=0, farmer=0" in result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "repfit.sweep/1"
    assert data["axes"] == [
        {"path": "hunter", "values": [0, 1]}, {"path": "farmer", "values": [0, 1, 2, 3]},
    ]  # fmt: skip
    assert data["skipped"] == [{"hunter": 0, "farmer": 0}]
    points = {(p["settings"]["hunter"], p["settings"]["farmer"]): p for p in data["points"]}
    assert len(points) == 7
    for p in points.values():
        r = p["revenue"]
        assert r["p10"] <= r["p50"] <= r["p90"]
        assert p["seats"] == p["settings"]["hunter"] + p["settings"]["farmer"]
    # With one hunter, the first farmer adds revenue, and a second farmer adds more than
    # nothing (the hunter alone cannot hold the book).
    first = next(m for m in points[(1, 1)]["marginal"] if m["axis"] == "farmer")
    assert first["mean"] > 5 * first["se"] > 0
    # The marginal value is the paired difference of the two points' revenue − team cost.
    net_11, net_10 = points[(1, 1)]["revenue_minus_cost"], points[(1, 0)]["revenue_minus_cost"]
    assert first["mean"] == pytest.approx(net_11 - net_10, rel=1e-9)
    assert data["pareto_cost"] == "team cost a year"
    # The cheapest team with the most revenue for its cost is on the Pareto front, and the
    # front is not dominated.
    front = [p for p in points.values() if p["pareto"]]
    assert front
    for p in front:
        for q in points.values():
            assert not (
                q["team_cost_yearly"] <= p["team_cost_yearly"]
                and q["revenue"]["mean"] > p["revenue"]["mean"]
            )


def test_sweep_table_has_a_heat_map_for_two_axes(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc(
        "sweep", SCENARIO, "--grid", "hunter=1..2",
        "--grid", "policies.new_logo_owner=farmer,hunter",
        "--trials", "40",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (
        "Heat map: mean revenue − team cost, hunter down × new_logo_owner across" in result.stdout
    )
    assert "◆" in result.stdout


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ("hunter=4..1", "error: --grid 'hunter=4..1': expected LOW..HIGH with LOW ≤ HIGH; found "
         "4..1."),
        ("hunter", "error: --grid 'hunter': expected PATH=LOW..HIGH or PATH=A,B,… (for example "
         "hunter=0..4 or policies.new_logo_owner=farmer,hunter); found no '='."),
        ("policies.new_logo_ownr=farmer,hunter", "error: --grid 'policies.new_logo_ownr=farmer': "
         "unknown field 'new_logo_ownr' under policies; expected one of new_logo_owner, "
         "vacancy_coverage, assignment, attention (did you mean 'new_logo_owner'?)."),
    ],
)  # fmt: skip
def test_sweep_bad_grids(simulate_inproc: CliRunner, grid: str, message: str) -> None:
    result = simulate_inproc("sweep", SCENARIO, "--grid", grid, "--trials", "10")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


def test_sweep_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    target = tmp_path / "sweep.json"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_COLOR": "1", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "simulate", "sweep", SCENARIO, "--grid", "farmer=1..6",
         "--trials", "5000", "--format", "json", "-o", str(target)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    assert process.stderr is not None
    first = process.stderr.readline()
    assert first.startswith("sweeping 6 points on common random numbers")
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    stdout, rest = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stdout == ""
    assert "Traceback" not in rest
    assert rest.strip().splitlines() == [
        "interrupted: stopped by the user; nothing further was written."
    ]
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- sensitivity


def test_sensitivity_tornado_ranks_by_swing(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc(
        "sensitivity", SCENARIO, "--trials", "60", "--format", "json",
        "--params", "mgmt_change_monthly,competitor_pressure_monthly,default_health",
        "--range", "30%",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "repfit.sensitivity/1"
    assert data["month"] == 24  # the example's target month
    assert data["trials_per_run"] == 60
    assert data["model_runs_oat"] == 7
    bars = data["tornado"]
    swings = [b["swing"] for b in bars]
    assert swings == sorted(swings, reverse=True)
    by_name = {b["name"]: b for b in bars}
    pressure = by_name["competitor_pressure_monthly"]
    assert pressure["low"] == pytest.approx(0.08 * 0.7)
    assert pressure["high"] == pytest.approx(0.08 * 1.3)
    assert by_name["mgmt_change_monthly"]["low"] == pytest.approx(0.012 * 0.7)
    # More competitor pressure loses revenue, and ranks first; default_health only fills empty
    # book cells, and the example's book has none, so on common random numbers it moves
    # nothing at all.
    assert pressure["mean_difference"] < -3 * pressure["se"]
    assert bars[0]["name"] == "competitor_pressure_monthly"
    assert by_name["default_health"]["swing"] == 0.0
    assert by_name["default_health"]["mean_difference"] == 0.0


def test_sensitivity_sobol_states_runs_and_flags_zero(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc(
        "sensitivity", SCENARIO, "--method", "sobol", "--trials", "20", "--samples", "8",
        "--params", "mgmt_change_monthly,default_health", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    sobol = json.loads(result.stdout)["sobol"]
    assert sobol["samples"] == 8
    assert sobol["model_runs"] == 8 * (2 + 2)
    by_name = {s["name"]: s for s in sobol["indices"]}
    # An assumption that moves nothing has a total index of 0, never distinguishable from 0.
    assert by_name["default_health"]["total_order"] == pytest.approx(0.0, abs=1e-12)
    assert not by_name["default_health"]["total_order_distinguishable"]
    assert sobol["indices"][0]["name"] == "mgmt_change_monthly"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--params", "competitor_presure_monthly"), "error: --params: unknown assumption "
         "'competitor_presure_monthly'; see `simulate assumptions` for the list (did you mean "
         "'competitor_pressure_monthly'?)."),
        (("--range", "150%"), "error: --range: expected a share above 0 % and below 100 %; "
         "found '150%'."),
        (("--method", "sobol", "--samples", "12",
          "--params", "competitor_pressure_monthly,ramp_months"),
         "error: --samples: expected a power of two ≥ 8 (Sobol sequences); found 12."),
    ],
)  # fmt: skip
def test_sensitivity_bad_input(
    simulate_inproc: CliRunner, args: tuple[str, ...], message: str
) -> None:
    result = simulate_inproc("sensitivity", SCENARIO, "--trials", "10", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


# ---------------------------------------------------------------- book


def test_book_view_json_adds_up(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc("book", "examples/book.csv", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "repfit.book-view/1"
    quadrants = data["quadrants"]
    assert [q["quadrant"] for q in quadrants] == ["key", "develop", "maintain", "serve"]
    assert sum(q["accounts"] for q in quadrants) == data["accounts"] == 300
    assert sum(q["revenue_monthly"] for q in quadrants) == pytest.approx(data["revenue_monthly"])
    for q in quadrants:
        assert q["uncaptured_monthly"] == pytest.approx(q["wallet_monthly"] - q["revenue_monthly"])
    assert data["wallet_share"] == pytest.approx(data["revenue_monthly"] / data["wallet_monthly"])
    single = data["single_threaded"]
    assert single["accounts"] == sum(q["single_threaded"] for q in quadrants)
    revenues = [a["revenue_monthly"] for a in single["list"]]
    assert revenues == sorted(revenues, reverse=True)


def test_book_view_table_and_csv(simulate_inproc: CliRunner) -> None:
    table = simulate_inproc("book", "examples/book.csv")
    assert table.returncode == 0, table.stderr
    assert "key (large, high potential)" in table.stdout
    assert "Single-threaded accounts at risk" in table.stdout
    rows = list(csv.DictReader(io.StringIO(simulate_inproc("book", "examples/book.csv",
                                                        "--format", "csv").stdout)))  # fmt: skip
    assert [r["quadrant"] for r in rows] == ["key", "develop", "maintain", "serve"]


def test_book_view_bad_book(simulate_inproc: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "book.csv"
    bad.write_text("account_id,revenue_monthly\nA,10\n", encoding="utf-8")
    result = simulate_inproc("book", bad)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {bad}: line 1: missing required column wallet_monthly; found columns "
        "account_id, revenue_monthly.\n"
    )
