"""``assess criterion``: correlations, intervals and expectancy tables on simulated outcomes
with a known effect, and the warnings and errors a user sees."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assess import calibration, criterion, scoring
from assess.model import Profile
from assess.profiles import export_profiles, load_questionnaire
from tests.conftest import CliRunner


def simulated(n: int, seed: int) -> tuple[list[Profile], dict[str, dict[str, float]], float]:
    """Honest simulated candidates and an outcome = 0.5 × standardised farmer fit + noise,
    so the true correlation with farmer fit is 0.5 / sqrt(0.5² + 0.75²) = 0.555."""
    q = load_questionnaire()
    rng = np.random.default_rng(seed)
    matrix = calibration.simulate_responses(q, calibration.Population(), n, rng)
    norms = calibration.local_norms(q, scoring.trait_arrays(q, matrix).raw)
    profiles = scoring.score_matrix(q, calibration.respondents(q, n), matrix, None, norms)
    fit = np.array([next(f.fit for f in p.role_fit if f.role == "farmer") for p in profiles])
    z = (fit - fit.mean()) / fit.std()
    quota = 0.5 * z + 0.75 * rng.standard_normal(n)
    outcomes = {
        p.candidate.id: {"quota": float(value), "noise": float(rng.standard_normal())}
        for p, value in zip(profiles, quota, strict=True)
    }
    return profiles, outcomes, 0.5 / np.hypot(0.5, 0.75)


def test_known_effect_is_found_with_an_interval_that_covers_it() -> None:
    profiles, outcomes, true_r = simulated(400, seed=4)
    report = criterion.criterion_report(profiles, outcomes)
    by_key = {(c.predictor, c.outcome): c for c in report.correlations}
    fit = by_key[("fit:farmer", "quota")]
    assert fit.n == 400
    assert fit.r is not None
    assert fit.low is not None
    assert fit.high is not None
    assert fit.low <= true_r <= fit.high
    assert fit.low > 0.4  # clearly a predictor
    noise = by_key[("fit:farmer", "noise")]
    assert noise.low is not None
    assert noise.high is not None
    assert noise.low < 0 < noise.high  # no effect, and the interval says so
    rows = report.expectancy["farmer"]["quota"]
    assert [row.quintile for row in rows] == [1, 2, 3, 4, 5]
    assert sum(row.n for row in rows) == 400
    means = [row.mean if row.mean is not None else float("nan") for row in rows]
    assert means == sorted(means)  # higher fit, higher quota
    assert report.warnings == []


def test_fisher_interval_by_hand() -> None:
    x = np.arange(20, dtype=float)
    y = x + np.tile([1.0, -1.0], 10)
    n, r, low, high, _ = criterion.correlate(x, y)
    assert n == 20
    assert r is not None
    assert low is not None
    assert high is not None
    half = 1.959963984540054 / np.sqrt(17)
    assert low == pytest.approx(np.tanh(np.arctanh(r) - half))
    assert high == pytest.approx(np.tanh(np.arctanh(r) + half))


def test_too_few_candidates_say_so() -> None:
    profiles, outcomes, _ = simulated(30, seed=5)
    report = criterion.criterion_report(profiles, outcomes)
    assert report.warnings[-1].startswith("Only 30 candidates have both a score and an outcome")
    few = criterion.criterion_report(profiles[:8], outcomes)
    assert "too few to say anything" in few.warnings[-1]
    assert all(c.r is None for c in few.correlations)


def test_cli_prints_tables_and_refuses_a_bad_cell(assess_inproc: CliRunner, tmp_path: Path) -> None:
    profiles, outcomes, _ = simulated(60, seed=6)
    profile_file = tmp_path / "all.yaml"
    profile_file.write_text(export_profiles(profiles, "yaml"), encoding="utf-8")
    csv_path = tmp_path / "outcomes.csv"
    lines = ["candidate_id,quota,tenure_months"]
    lines += [f"{cid},{values['quota']:.3f}," for cid, values in outcomes.items()]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = assess_inproc("criterion", profile_file, csv_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("60 of 60 profiles matched an outcome row; outcomes: quota")
    assert "Mean quota by farmer fit quintile" in result.stdout
    assert "fit:farmer" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate_id,quota\nsim-1,high\n", encoding="utf-8")
    result = assess_inproc("criterion", profile_file, bad)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {bad}: row 2, column quota: expected a finite number (or an empty cell for a "
        "missing outcome); found 'high'."
    )
    assert "Traceback" not in result.stderr
