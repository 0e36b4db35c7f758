"""``simulate`` end to end, as a user runs it, checking exit codes and output.

Through the entry point in-process (``run_inprocess``: same ``main``, same conventions);
in a subprocess where the property needs a real process (``python -m`` help, Ctrl+C).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import psutil
import pytest

from simulate.cli import cli, starter_scenario_text
from simulate.model import load_scenario, parse_scenario_text
from tests.conftest import REPO_ROOT, CliRunner, run_module

SCENARIO = "examples/scenario.yaml"
BAD = "tests/data/simulate/bad"
METRICS = (
    "revenue",
    "revenue_cumulative",
    "active_accounts",
    "accounts_lost",
    "new_logos",
    "wallet_share",
    "contacts_per_account",
    "reset_meetings",
    "lost_after_mgmt_change",
    "team_cost_cumulative",
)


def commands() -> list[str]:
    return cli.list_commands(click.Context(cli))


# ---------------------------------------------------------------- help


@pytest.mark.parametrize("command", commands())
def test_every_command_has_a_purpose_an_example_and_a_readme_entry(command: str) -> None:
    result = run_module("simulate", command, "--help")
    assert result.returncode == 0
    purpose = result.stdout.split("\n\n")[1].strip()
    assert purpose
    assert "\n" not in purpose, "the purpose is one line"
    assert f"Example: simulate {command}" in result.stdout
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"simulate {command}" in readme


def test_the_group_lists_the_commands() -> None:
    result = run_module("simulate", "--help")
    assert result.returncode == 0
    listing = result.stdout.split("Commands:\n")[1].split("\n\n")[0].splitlines()
    assert [line.split()[0] for line in listing] == commands()
    for line in listing:
        assert not line.endswith("..."), f"purpose cut short in the list: {line}"


# ---------------------------------------------------------------- run


def test_run_table_shows_outcomes_target_chart_and_assumptions(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc("run", SCENARIO, "--trials", "40")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Demo book, two farmers and a hunter: the book bills 2.90 M or more")
    assert "Scenario: Demo book, two farmers and a hunter  (40 trials, seed 7, 36 months)" in out
    assert out.index("of futures") < out.index("Scenario: Demo book")
    for heading in (
        "Outcomes across trials",
        "Revenue in the month by archetype (mean)",
        "Target: revenue in month 24 of at least 2,900,000.",
        "Probability of meeting it:",
        "Accounts lost in the month of a management change",
        "Revenue in the month across trials (fan: P10 to P90)",
    ):
        assert heading in out
    assert out.index("Outcomes across trials") < out.index("Revenue in the month across")
    assert "Assumptions used" not in out, "the assumptions are listed only with --assumptions"
    assert "--assumptions lists them" in result.stderr
    out = simulate_inproc("run", SCENARIO, "--trials", "40", "--assumptions").stdout
    assert out.index("Revenue in the month across") < out.index("Assumptions used")
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert rows["mgmt_change_monthly"][-1] == "scenario"
    assert rows["base_churn_annual"][-1] == "default"
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 100


def run_in_colour_terminal(*args: str, no_color: bool) -> str:
    """stdout of ``simulate`` with rich told it writes to a colour terminal."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env.update(PYTHONPATH=str(REPO_ROOT), COLUMNS="100", FORCE_COLOR="1", TERM="xterm")
    if no_color:
        env["NO_COLOR"] = "1"
    command = [sys.executable, "-m", "simulate", *args]
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


COLOUR_CODE = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25];[0-9;]+)m")


def test_colour_on_a_terminal_and_none_with_no_color() -> None:
    args = ("run", SCENARIO, "--trials", "10")
    assert COLOUR_CODE.search(run_in_colour_terminal(*args, no_color=False))
    plain = run_in_colour_terminal(*args, no_color=True)
    assert "Revenue in the month across trials" in plain
    assert not COLOUR_CODE.search(plain)


def test_run_reports_what_it_assumed_and_a_summary_on_stderr(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc("run", SCENARIO, "--trials", "20", "--format", "csv")
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "Demo book, two farmers and a hunter: 20 trials, seed 7, 36 months, 300 accounts, "
        "3 seats; assumptions: defaults (see `simulate assumptions`) except "
        "mgmt_change_monthly = 0.012 probability per account-month (set by the scenario)"
    )
    assert lines[1].startswith("simulated 20 trials × 300 accounts × 36 months in ")
    assert len(lines) == 2


def test_run_json_has_the_result_contract(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc("run", SCENARIO, "--trials", "30", "--seed", "3", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "repfit.result/1"
    assert data["scenario"] == "Demo book, two farmers and a hunter"
    assert (data["trials"], data["seed"]) == (30, 3)
    assert data["months"] == list(range(1, 37))
    for metric in METRICS:
        for stat in ("mean", "se", "p10", "p50", "p90"):
            assert len(data["metrics"][metric][stat]) == 36, (metric, stat)
    assert set(data["lost_after_mgmt_change_by_contacts"]) == {"1", "2", "3+"}
    assert set(data["by_archetype"]) == {"farmer", "hunter"}
    assert len(data["by_archetype"]["farmer"]["revenue"]["mean"]) == 36
    assert 0.0 <= data["target"]["probability"] <= 1.0
    assert data["target"]["metric"] == "revenue_month"
    assert data["target"]["period"] == 24
    assert data["target"]["value"] == 2_900_000
    assumption = data["assumptions"]["mgmt_change_monthly"]
    assert assumption["value"] == 0.012
    assert assumption["unit"] == "probability per account-month"
    assert assumption["overridden"] is True
    assert data["assumptions"]["base_churn_annual"]["overridden"] is False


def test_run_csv_has_one_row_per_month(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc("run", SCENARIO, "--trials", "20", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["month"] for row in rows] == [str(month) for month in range(1, 37)]
    assert list(rows[0])[:3] == ["month", "revenue_mean", "revenue_se"]
    assert "farmer_revenue_mean" in rows[0]
    assert all(float(row["revenue_p10"]) <= float(row["revenue_p90"]) for row in rows)


def test_output_file_gets_exactly_what_stdout_would(
    tmp_path: Path, simulate_inproc: CliRunner
) -> None:
    printed = simulate_inproc("run", SCENARIO, "--trials", "20", "--format", "json")
    target = tmp_path / "out" / "result.json"
    written = simulate_inproc("run", SCENARIO, "--trials", "20", "--format", "json", "-o", target)
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert written.stderr.splitlines()[-1] == f"wrote the JSON result to {target}"
    assert target.read_text(encoding="utf-8") == printed.stdout


def test_table_written_to_a_file_has_no_colour_and_the_chart(
    tmp_path: Path, simulate_inproc: CliRunner
) -> None:
    target = tmp_path / "report.txt"
    result = simulate_inproc("run", SCENARIO, "--trials", "20", "-o", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert "\x1b[" not in text
    assert "Revenue in the month across trials (fan: P10 to P90)" in text
    assert text.startswith("Demo book, two farmers and a hunter: the book bills")
    assert "Scenario: Demo book" in text


def test_seed_changes_the_result_and_the_same_seed_repeats_it(simulate_inproc: CliRunner) -> None:
    def revenue(seed: str) -> list[float]:
        result = simulate_inproc(
            "run", SCENARIO, "--trials", "20", "--seed", seed, "--format", "json"
        )
        values: list[float] = json.loads(result.stdout)["metrics"]["revenue"]["mean"]
        return values

    first = revenue("11")
    assert revenue("11") == first
    assert revenue("12") != first


@pytest.mark.parametrize("trials", ["0", "-5"])
def test_run_refuses_a_trial_count_below_one(simulate_inproc: CliRunner, trials: str) -> None:
    result = simulate_inproc("run", SCENARIO, "--trials", trials)
    assert result.returncode == 2
    assert f"Invalid value for '--trials': {trials} is not in the range x>=1." in result.stderr
    assert result.stdout == ""


BAD_SCENARIOS = {
    "missing.yaml": "error: tests/data/simulate/bad/missing.yaml: no such scenario file.",
    "bad-yaml.yaml": (
        "error: tests/data/simulate/bad/bad-yaml.yaml: not valid YAML at line 4, column 1: "
        "expected ',' or ']', but got '<stream end>' (while parsing a flow sequence). Check the "
        "indentation and quoting around that line."
    ),
    "unknown-archetype.yaml": (
        "error: tests/data/simulate/bad/unknown-archetype.yaml: team[1].archetype: unknown "
        "archetype 'closer'; expected one of farmer, hunter, hybrid, order_taker or one defined "
        "under 'archetypes:'."
    ),
    "horizon-zero.yaml": (
        "error: tests/data/simulate/bad/horizon-zero.yaml: 1 problem: horizon_months (line 3): "
        "Input should be greater than or equal to 1; found 0."
    ),
    "revenue-above-wallet.yaml": (
        "error: tests/data/simulate/bad/revenue-above-wallet.yaml: book.csv: "
        "tests/data/simulate/bad/revenue-above-wallet.csv: line 3, column "
        "revenue_monthly: revenue 7000 is above the wallet 6500; expected revenue ≤ "
        "wallet_monthly (the wallet includes what the customer spends with us)."
    ),
    "newer-schema.yaml": (
        "error: tests/data/simulate/bad/newer-schema.yaml: the file uses schema "
        "'repfit.scenario/2', which is newer than this version of repfit understands "
        "('repfit.scenario/1'). Upgrade repfit to read it."
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_SCENARIOS))
def test_bad_scenario_gives_one_paragraph_and_exit_2(name: str, simulate_inproc: CliRunner) -> None:
    result = simulate_inproc("run", f"{BAD}/{name}")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr == BAD_SCENARIOS[name] + "\n"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_exits_130_cleanly_and_writes_nothing(tmp_path: Path, workers: str) -> None:
    target = tmp_path / "result.json"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "NO_COLOR": "1", "COLUMNS": "100"}
    command = [sys.executable, "-m", "simulate", "run", SCENARIO, "--trials", "20000"]
    command += ["--workers", workers]
    process = subprocess.Popen(
        [*command, "--format", "json", "-o", str(target)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # The test runner may ignore SIGINT; the child must get Python's default handler.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stderr is not None
    first = process.stderr.readline()  # printed just before the simulation starts
    assert first.startswith("Demo book, two farmers and a hunter: 20,000 trials")
    time.sleep(1.0)
    children: list[psutil.Process] = []
    for _ in range(200):  # with 2 workers: wait until they are running
        children = psutil.Process(process.pid).children(recursive=True)
        if workers == "1" or len(children) >= 2:
            break
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    stdout, rest = process.communicate(timeout=60)
    assert process.returncode == 130
    # Every worker stopped with the run.
    assert len(children) == (0 if workers == "1" else 2)
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    assert stdout == ""
    assert "Traceback" not in rest
    assert rest.strip().splitlines() == [
        "interrupted: stopped by the user; nothing further was written."
    ]
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- assumptions


def test_assumptions_lists_every_one_with_unit_description_and_source(
    simulate_inproc: CliRunner,
) -> None:
    from simulate.assumptions import DEFAULT_ASSUMPTIONS

    result = simulate_inproc("assumptions")
    assert result.returncode == 0
    assert result.stdout.startswith(f"Model assumptions: the {len(DEFAULT_ASSUMPTIONS)} defaults")
    flat = " ".join(result.stdout.split())
    for name, item in DEFAULT_ASSUMPTIONS.items():
        assert f"{name} = " in flat
        assert " ".join(item.unit.split()) in flat
        assert " ".join(f"Source: {item.source}".split()) in flat


def test_assumptions_json_matches_the_defaults(simulate_inproc: CliRunner) -> None:
    from simulate.assumptions import DEFAULT_ASSUMPTIONS

    result = simulate_inproc("assumptions", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert list(data) == list(DEFAULT_ASSUMPTIONS)
    for name, item in DEFAULT_ASSUMPTIONS.items():
        assert data[name]["value"] == item.value
        assert data[name]["unit"] == item.unit
        assert data[name]["description"] == item.description
        assert data[name]["source"] == item.source
        assert data[name]["overridden"] is False


def test_assumptions_of_a_scenario_mark_its_overrides(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc("assumptions", "--scenario", SCENARIO)
    assert result.returncode == 0
    assert "mgmt_change_monthly = 0.012 probability per account-month  (set by the scenario)" in (
        result.stdout
    )
    assert result.stdout.count("(set by the scenario)") == 1


# ---------------------------------------------------------------- init


def test_init_writes_a_starter_that_loads_and_runs(
    tmp_path: Path, simulate_inproc: CliRunner
) -> None:
    result = simulate_inproc("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "scenario.yaml"
    assert written.read_text(encoding="utf-8") == starter_scenario_text()
    assert result.stderr.startswith("wrote a starter scenario to scenario.yaml. Next steps:")
    assert "simulate run scenario.yaml" in result.stderr
    scenario = load_scenario(written)
    assert scenario.book.size == 200
    ran = simulate_inproc(
        "run", "scenario.yaml", "--trials", "50", "--format", "json", cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["trials"] == 50


def test_init_refuses_to_overwrite_without_force(
    tmp_path: Path, simulate_inproc: CliRunner
) -> None:
    existing = tmp_path / "mine.yaml"
    existing.write_text("my own work\n", encoding="utf-8")
    refused = simulate_inproc("init", "-o", existing)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"error: {existing}: already exists; not overwritten. Pass --force to replace it, "
        "or choose another file with -o.\n"
    )
    assert existing.read_text(encoding="utf-8") == "my own work\n"
    forced = simulate_inproc("init", "-o", existing, "--force")
    assert forced.returncode == 0
    assert existing.read_text(encoding="utf-8") == starter_scenario_text()


def test_starter_is_commented_and_parses() -> None:
    text = starter_scenario_text()
    assert text.startswith("# A starter scenario")
    assert sum(line.lstrip().startswith("#") for line in text.splitlines()) >= 10
    scenario = parse_scenario_text(text, "starter-scenario.yaml")
    assert [seat.seat_id for seat in scenario.seats] == ["farmer-1", "farmer-2", "hunter-1"]


def test_owners_that_name_no_seat_get_one_note_and_the_run_goes_on(tmp_path: Path) -> None:
    book = (REPO_ROOT / "examples" / "book.csv").read_text(encoding="utf-8")
    book = book.replace(",hunter-1,", ",hunter-7,")
    moved = book.count(",hunter-7,")
    (tmp_path / "book.csv").write_text(book, encoding="utf-8")
    scenario = (REPO_ROOT / SCENARIO).read_text(encoding="utf-8")
    scenario = scenario.replace("{archetype: hunter, count: 1}", "{archetype: farmer, count: 1}")
    (tmp_path / "s.yaml").write_text(scenario, encoding="utf-8")
    result = run_module("simulate", "run", tmp_path / "s.yaml", "--trials", "8", "--format", "json")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1
    assert f"{moved} accounts of {tmp_path / 'book.csv'}" in notes[0]
    assert "(hunter-7)" in notes[0]
    assert "policies.assignment (potential)" in notes[0]
    assert json.loads(result.stdout)["trials"] == 8
