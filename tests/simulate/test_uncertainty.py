"""Uncertain assumptions: the one-way ANOVA split, the scenario block and the command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from simulate.analysis.uncertainty import pooled_fan, variance_split
from tests.conftest import EXAMPLES, CliRunner


def test_the_split_recovers_known_variance_components() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(42))
    k, m = 400, 50
    groups = rng.normal(0.0, 2.0, (k, 1)) + rng.normal(0.0, 1.0, (k, m))
    split = variance_split(groups, month=1)
    assert split.chance_sd == pytest.approx(1.0, rel=0.03)
    assert split.assumption_sd == pytest.approx(2.0, rel=0.1)
    assert split.assumption_share == pytest.approx(0.8, abs=0.05)
    assert split.p_value < 1e-6


def test_no_between_draw_effect_gives_a_small_share() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(43))
    split = variance_split(rng.normal(5.0, 1.0, (200, 40)), month=1)
    assert split.assumption_share < 0.02
    assert split.p_value > 0.001


def test_the_pooled_fan_is_ordered() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(44))
    fan = pooled_fan([rng.normal(size=(30, 5)) for _ in range(4)])
    for lo, mid, hi in zip(fan["p10"], fan["p50"], fan["p90"], strict=True):
        assert lo <= mid <= hi


def _scenario(tmp_path: Path, block: str) -> Path:
    text = (EXAMPLES / "uncertain.yaml").read_text(encoding="utf-8")
    head = text.split("uncertainty:")[0].replace("csv: book.csv", f"csv: {EXAMPLES / 'book.csv'}")
    path = tmp_path / "scenario.yaml"
    path.write_text(head + block, encoding="utf-8")
    return path


def test_uncertain_assumptions_that_matter_take_a_larger_share(
    simulate_inproc: CliRunner, tmp_path: Path
) -> None:
    # default_health only fills empty cells of the book, and the example's book has none:
    # its draws change nothing. Competitors' monthly pull on the share of wallet, anywhere
    # from 0 to 30 % of the excess over the floor, moves revenue.
    inert = _scenario(
        tmp_path,
        "uncertainty: {assumptions: {default_health: {uniform: {low: 0.3, high: 0.9}}}}\n",
    )
    live = tmp_path / "live.yaml"
    live.write_text(
        inert.read_text(encoding="utf-8").replace(
            "default_health: {uniform: {low: 0.3, high: 0.9}}",
            "competitor_pressure_monthly: {uniform: {low: 0.0, high: 0.3}}",
        ),
        encoding="utf-8",
    )
    shares = {}
    for name, path in (("inert", inert), ("live", live)):
        result = simulate_inproc(
            "uncertainty", path, "--draws", "10", "--trials", "40", "--format", "json"
        )
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["schema"] == "repfit.uncertainty/1"
        assert data["draws"] == 10
        assert data["trials_per_draw"] == 40
        assert len(data["metrics"]["revenue"]["p50"]) == 36
        final = next(
            s for s in data["split"] if s["outcome"] == "revenue_cumulative" and s["month"] == 36
        )
        shares[name] = final["assumption_share"]
    assert shares["inert"] < 0.05
    assert shares["live"] > 0.1
    assert shares["live"] > shares["inert"] + 0.1


def test_a_scenario_without_the_block(simulate_inproc: CliRunner) -> None:
    result = simulate_inproc("uncertainty", "examples/scenario.yaml")
    assert result.returncode == 2
    assert result.stderr == (
        "error: examples/scenario.yaml: no `uncertainty:` block; expected one naming the "
        "assumptions to draw, e.g. uncertainty: {draws: 20, trials_per_draw: 200, assumptions: "
        "{competitor_pressure_monthly: {triangular: {low: 0.05, mode: 0.08, high: 0.12}}}}.\n"
    )


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("uncertainty: {assumptions: {competitor_pressure_monthly: {uniform: {low: 2, high: 3}}}}"
         "\n",
         "{path}: uncertainty.assumptions.competitor_pressure_monthly: draws reach {high}, above "
         "the assumption's maximum of 1 (share of the excess over the floor per month); add "
         "`max: 1` to the distribution."),
        ("uncertainty: {assumptions: {competitor_presure_monthly: {uniform: {low: 0, high: 1}}}}"
         "\n",
         "{path}: uncertainty.assumptions.competitor_presure_monthly: unknown assumption "
         "'competitor_presure_monthly' (did you mean 'competitor_pressure_monthly'?); "
         "`simulate assumptions` lists all {count}."),
        ("uncertainty: {assumptions: {competitor_pressure_monthly: 0.1}}\n",
         "{path}: 1 problem: uncertainty.assumptions.competitor_pressure_monthly (line 17): "
         "expected a "
         "distribution (uniform, triangular, beta, lognormal); found a constant."),
    ],
)  # fmt: skip
def test_bad_uncertainty_blocks(
    simulate_inproc: CliRunner, tmp_path: Path, block: str, message: str
) -> None:
    from simulate.assumptions import DEFAULT_ASSUMPTIONS

    path = _scenario(tmp_path, block)
    result = simulate_inproc("uncertainty", path, "--draws", "3", "--trials", "5")
    assert result.returncode == 2
    assert result.stdout == ""
    stderr = result.stderr
    if "{high}" in message:
        high = stderr.split("draws reach ")[1].split(",")[0]
        message = message.replace("{high}", high)
    expected = message.replace("{path}", str(path)).replace(
        "{count}", str(len(DEFAULT_ASSUMPTIONS))
    )
    assert stderr == "error: " + expected + "\n"
