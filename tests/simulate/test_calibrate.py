"""simulate calibrate: the shifted-beta-geometric fit against the paper, recovery, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulate.analysis.calibrate import (
    fit_sbg,
    lifetimes_from_cohort,
    lifetimes_from_histories,
    sbg_survival,
)
from tests.conftest import CliRunner

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
"""Fader & Hardie (2007), Table 1, "Regular" customers, years 0–7 (docs/sources.md)."""


def test_the_regular_cohort_gives_the_papers_estimates() -> None:
    fit = fit_sbg(lifetimes_from_cohort(REGULAR))
    assert round(fit.a, 3) == 0.704
    assert round(fit.b, 3) == 1.182
    assert fit.loglik == pytest.approx(-1680.27, abs=0.01)
    assert 0 < fit.a_se < fit.a
    assert 0 < fit.b_se < fit.b
    for observed, fitted in zip(fit.observed, fit.fitted, strict=True):
        assert fitted == pytest.approx(observed, abs=0.01)


def test_standard_errors_come_from_the_observed_information() -> None:
    # Around the maximum, -loglik rises by about 1/2 at one standard error in a direction
    # where the other parameter is re-optimised; along an axis it rises by at least that.
    data = lifetimes_from_cohort(REGULAR)
    fit = fit_sbg(data)
    from simulate.analysis.calibrate import sbg_loglik

    rise = fit.loglik - sbg_loglik(fit.a + fit.a_se, fit.b, data)
    assert rise >= 0.5 - 0.05


def test_histories_with_censoring_recover_known_parameters() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(2007))
    a, b, accounts, observed = 0.8, 3.0, 4000, 10
    churn = rng.beta(a, b, accounts)
    lifetime = rng.geometric(churn)  # renewals until lost, ≥ 1
    start = rng.integers(0, 4, accounts)
    end = start + lifetime
    as_of = observed + 3
    ends = [int(e) if e <= as_of else None for e in end]
    fit = fit_sbg(lifetimes_from_histories(start.tolist(), ends, as_of=as_of))
    assert abs(fit.a - a) < 4 * fit.a_se
    assert abs(fit.b - b) < 4 * fit.b_se


def test_yearly_periods_from_monthly_dates() -> None:
    data = lifetimes_from_histories([0, 0, 0, 0], [5, 12, 13, None], as_of=30, length=12)
    assert data.periods.tolist() == [1, 1, 2, 2]
    assert data.lost.tolist() == [True, True, True, False]


def test_survival_formula() -> None:
    # S(1) = b / (a + b)
    assert float(sbg_survival(0.7, 1.2, 1.0)) == pytest.approx(1.2 / 1.9)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_cohort_json_contract_and_snippet(simulate_inproc: CliRunner, tmp_path: Path) -> None:
    snippet = tmp_path / "churn.yaml"
    result = simulate_inproc(
        "calibrate", "examples/cohort.csv", "--period", "year", "--format", "json", "-o", snippet
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["model"] == "sbg"
    assert round(data["a"], 3) == 0.704
    assert round(data["b"], 3) == 1.182
    assert set(data) >= {"a", "b", "a_se", "b_se", "loglik", "survival"}
    assert [s["period"] for s in data["survival"]] == list(range(1, 8))
    assert data["survival"][0]["observed"] == pytest.approx(0.631)
    loaded = yaml.safe_load(snippet.read_text(encoding="utf-8"))
    assert loaded["churn_propensity"]["period"] == "year"
    assert loaded["churn_propensity"]["beta"]["a"] == pytest.approx(0.704, abs=1e-3)
    # The snippet goes under a scenario's `book:` as written, and the scenario runs with it.
    text = (Path("examples") / "scenario.yaml").read_text(encoding="utf-8")
    indented = "".join("  " + line for line in snippet.read_text(encoding="utf-8").splitlines(True))
    scenario = tmp_path / "calibrated.yaml"
    scenario.write_text(
        text.replace("  csv: book.csv\n", f"  csv: {Path('examples/book.csv').resolve()}\n"
                     + indented),
        encoding="utf-8",
    )  # fmt: skip
    ran = simulate_inproc("run", scenario, "--trials", "20", "--format", "json")
    assert ran.returncode == 0, ran.stderr
    # A yearly churn of about 37 % a year: far more accounts lost than the example's default.
    default = simulate_inproc("run", "examples/scenario.yaml", "--trials", "20", "--format", "json")
    lost = json.loads(ran.stdout)["metrics"]["accounts_lost"]["mean"]
    assert lost[11] > 2 * json.loads(default.stdout)["metrics"]["accounts_lost"]["mean"][11]
    # 300 accounts at a mean yearly churn of about a / (a + b) = 37 %: about 100 lost in year 1.
    assert 70 < lost[11] < 140


def test_cli_histories_by_segment(simulate_inproc: CliRunner, tmp_path: Path) -> None:
    rows = ["account_id,start,end,segment"]
    rng = np.random.default_rng(np.random.SeedSequence(11))
    for i in range(600):
        segment = "smb" if i % 2 else "enterprise"
        churn = rng.beta(1.0, 4.0 if segment == "smb" else 12.0)
        start = int(rng.integers(0, 6))
        end = start + int(rng.geometric(churn))
        rows.append(f"A{i},{start},{end if end <= 20 else ''},{segment}")
    history = _write(tmp_path / "history.csv", "\n".join(rows) + "\n")
    result = simulate_inproc(
        "calibrate", history, "--segment-column", "segment", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    segments = data["segments"]
    assert set(segments) == {"enterprise", "smb"}
    assert segments["smb"]["mean_churn"] > segments["enterprise"]["mean_churn"]
    assert segments["smb"]["accounts"] + segments["enterprise"]["accounts"] == data["accounts"]
    table = simulate_inproc("calibrate", history, "--segment-column", "segment")
    assert "Per segment" in table.stdout


BAD = {
    "end before start": (
        "account_id,start,end\nA,3,5\nB,4,2\n",
        "{path}: line 3, column end: the account ends (2) before it starts (4); expected an "
        "end on or after the start.",
    ),
    "negative period": (
        "account_id,start,end\nA,-1,5\n",
        "{path}: line 2, column start: expected a period ≥ 0; found -1.",
    ),
    "alive increasing": (
        "period,alive\n0,100\n1,80\n2,85\n",
        "{path}: line 4, column alive: 85 accounts alive in period 2, more than the 80 of period "
        "1; expected counts that never increase (a cohort only loses accounts).",
    ),
    "gap in periods": (
        "period,alive\n0,100\n2,80\n",
        "{path}: line 3, column period: expected period 1 (periods run 0, 1, 2, … without "
        "gaps); found 2.",
    ),
    "bad date": (
        "account_id,start,end\nA,2023-13,\n",
        "{path}: line 2, column start: expected a period number (0, 1, …) or a date (YYYY-MM "
        "or YYYY-MM-DD); found '2023-13'.",
    ),
    "mixed": (
        "account_id,start,end\nA,2023-01,2023-05\nB,1,3\n",
        "{path}: line 3: mixes period numbers and dates; expected one or the other throughout "
        "the file.",
    ),
    "duplicate": (
        "account_id,start,end\nA,1,3\nA,2,4\n",
        "{path}: line 3, column account_id: 'A' appears twice (first on line 2); expected one "
        "row per account.",
    ),
    "wrong columns": (
        "id,from,to\nA,1,3\n",
        "{path}: not a history CSV: line 1 has none of the columns account_id,start,end "
        "(per-account histories) or period,alive (a cohort table); expected a header row "
        "naming them.",
    ),
    "nobody lost": (
        "account_id,start,end\nA,1,\nB,2,\n",
        "{path}: calibrate: no account was lost in the history, so churn cannot be estimated "
        "(every account is still active); expected at least one ended account.",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_histories_get_a_clear_error(
    simulate_inproc: CliRunner, tmp_path: Path, case: str
) -> None:
    text, message = BAD[case]
    path = _write(tmp_path / "history.csv", text)
    result = simulate_inproc("calibrate", path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "error: " + message.format(path=path) + "\n"
