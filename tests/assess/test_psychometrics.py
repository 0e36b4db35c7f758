"""Reliability against the reference implementations: pingouin, pandas and hand-derived cases."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import optimize, stats

from assess import psychometrics as psy

TOL = 1e-6


@pytest.fixture(scope="module")
def likert() -> pd.DataFrame:
    """pingouin's 15 respondents × 10 items on a 1–7 scale (complete), in wide format."""
    long = pg.read_dataset("cronbach_alpha")
    wide: pd.DataFrame = long.pivot(index="Subj", columns="Items", values="Scores")
    return wide.astype(float)


@pytest.fixture(scope="module")
def binary_missing() -> pd.DataFrame:
    """pingouin's 12 respondents × 11 binary items with four missing answers."""
    data: pd.DataFrame = pg.read_dataset("cronbach_wide_missing")
    return data.astype(float)


def pingouin_alpha(data: pd.DataFrame, **kwargs: Any) -> tuple[float, np.ndarray]:
    alpha, ci = pg.cronbach_alpha(data=data, **kwargs)
    return float(alpha), np.asarray(ci)


@pytest.mark.parametrize("name", ["likert", "binary_missing"])
def test_pairwise_covariance_and_correlation_match_pandas(
    name: str, request: pytest.FixtureRequest
) -> None:
    data: pd.DataFrame = request.getfixturevalue(name)
    cov, counts = psy.pairwise_covariance(data.to_numpy())
    assert_allclose(cov, data.cov().to_numpy(), atol=1e-12)
    assert_allclose(psy.pairwise_correlation(data.to_numpy()), data.corr().to_numpy(), atol=1e-12)
    assert counts[0, 0] == data.iloc[:, 0].notna().sum()


@pytest.mark.parametrize("name", ["likert", "binary_missing"])
def test_alpha_and_feldt_interval_match_pingouin_pairwise(
    name: str, request: pytest.FixtureRequest
) -> None:
    data: pd.DataFrame = request.getfixturevalue(name)
    expected, expected_ci = pingouin_alpha(data)
    result = psy.cronbach_alpha(data.to_numpy())
    assert result.alpha == pytest.approx(expected, abs=1e-12)
    # pingouin rounds its interval to three decimals; repfit keeps full precision.
    assert_allclose(np.round(result.ci95, 3), expected_ci, atol=1e-12)
    n, k = data.shape
    lower = 1 - (1 - expected) * stats.f.ppf(0.975, n - 1, (n - 1) * (k - 1))
    upper = 1 - (1 - expected) * stats.f.ppf(0.025, n - 1, (n - 1) * (k - 1))
    assert_allclose(result.ci95, (lower, upper), atol=1e-10)
    assert (result.n, result.k) == (n, k)


def test_listwise_alpha_matches_pingouin_and_uses_complete_respondents(
    binary_missing: pd.DataFrame,
) -> None:
    result = psy.cronbach_alpha(binary_missing.to_numpy(), missing="listwise")
    listwise_alpha, listwise_ci = pingouin_alpha(binary_missing, nan_policy="listwise")
    complete = binary_missing.dropna()
    _, complete_ci = pingouin_alpha(complete)
    assert result.alpha == pytest.approx(listwise_alpha, abs=1e-12)
    assert result.n == len(complete) == 9
    # The interval's df use the nine complete respondents (pingouin's own answer on them)...
    assert_allclose(np.round(result.ci95, 3), complete_ci, atol=1e-12)
    # ...not the twelve rows pingouin keeps in the df after its own listwise deletion.
    assert not np.allclose(np.round(result.ci95, 3), listwise_ci)


def test_scale_reliability_items_match_pingouin_and_pandas(likert: pd.DataFrame) -> None:
    result = psy.scale_reliability(
        likert.to_numpy(), list(likert.columns), answer_values=range(1, 8)
    )
    assert result.alpha == pytest.approx(pingouin_alpha(likert)[0], abs=1e-12)
    for item in result.items:
        rest = likert.drop(columns=item.item_id)
        assert item.alpha_if_dropped == pytest.approx(pingouin_alpha(rest)[0], abs=1e-12)
        r_drop = pg.corr(likert[item.item_id], rest.sum(axis=1))["r"].iloc[0]
        assert item.r_drop == pytest.approx(r_drop, abs=1e-12)
        assert item.n == likert[item.item_id].count()
        assert item.mean == pytest.approx(likert[item.item_id].mean(), abs=1e-12)
        assert item.sd == pytest.approx(likert[item.item_id].std(), abs=1e-12)
        counts = likert[item.item_id].value_counts()
        assert dict(item.distribution) == {v: int(counts.get(v, 0)) for v in range(1, 8)}
    assert [item.weak for item in result.items] == [item.r_drop < 0.20 for item in result.items]
    assert {item.item_id for item in result.items if item.weak} == {"Q5", "Q6", "Q8"}
    assert result.low_alpha  # 0.59 < 0.70


def test_standardized_alpha_is_alpha_of_standardised_items(likert: pd.DataFrame) -> None:
    result = psy.scale_reliability(likert.to_numpy(), list(likert.columns))
    z_scores = (likert - likert.mean()) / likert.std()
    assert result.alpha_standardized == pytest.approx(pingouin_alpha(z_scores)[0], abs=1e-12)
    corr = likert.corr().to_numpy()
    mean_r = corr[~np.eye(len(corr), dtype=bool)].mean()
    assert result.mean_inter_item_r == pytest.approx(mean_r, abs=1e-12)


def test_pairwise_item_statistics_and_alpha_if_dropped_with_missing_answers(
    binary_missing: pd.DataFrame,
) -> None:
    result = psy.scale_reliability(binary_missing.to_numpy(), list(binary_missing.columns))
    assert result.n == 12
    for item in result.items:
        rest = binary_missing.drop(columns=item.item_id)
        assert item.alpha_if_dropped == pytest.approx(pingouin_alpha(rest)[0], abs=1e-12)
        assert item.n == binary_missing[item.item_id].count()
        assert item.mean == pytest.approx(binary_missing[item.item_id].mean(), abs=1e-12)
    listwise = psy.scale_reliability(
        binary_missing.to_numpy(), list(binary_missing.columns), missing="listwise"
    )
    complete = binary_missing.dropna()
    assert listwise.n == 9
    for item in listwise.items:
        rest = complete.drop(columns=item.item_id)
        assert item.alpha_if_dropped == pytest.approx(pingouin_alpha(rest)[0], abs=1e-12)
        assert item.n == 9


def test_item_without_variance_is_reported_not_fatal() -> None:
    rng = np.random.default_rng(7)
    data = rng.integers(1, 6, size=(40, 4)).astype(float)
    data[:, 2] = 3.0
    result = psy.scale_reliability(data, ["a", "b", "c", "d"], answer_values=range(1, 6))
    assert result.n_items == 3
    assert result.warnings == (
        "Item c has no variance (everybody answered 3) and was left out of alpha, omega and "
        "the item-total correlations.",
    )
    constant = result.items[2]
    assert constant.no_variance
    assert np.isnan(constant.r_drop)
    assert constant.sd == 0.0
    assert dict(constant.distribution) == {1: 0, 2: 0, 3: 40, 4: 0, 5: 0}
    kept = psy.scale_reliability(data[:, [0, 1, 3]], ["a", "b", "d"])
    assert result.alpha == pytest.approx(kept.alpha, abs=1e-12)
    assert result.omega_total == pytest.approx(kept.omega_total, abs=1e-12)


def test_all_items_constant_gives_empty_statistics_with_warnings() -> None:
    data = np.full((10, 3), 4.0)
    result = psy.scale_reliability(data, ["a", "b", "c"])
    assert result.n_items == 0
    assert np.isnan(result.alpha)
    assert np.isnan(result.omega_total)
    assert result.low_alpha
    assert result.warnings[-1] == "Only 0 item(s) with variance: alpha needs at least two."


# ---------------------------------------------------------------- omega


def one_factor_correlation(loadings: np.ndarray) -> np.ndarray:
    corr = np.outer(loadings, loadings)
    np.fill_diagonal(corr, 1.0)
    return corr


@pytest.mark.parametrize(
    "loadings",
    [
        np.array([0.8, 0.7, 0.6, 0.5, 0.4]),
        np.array([0.9, 0.3, 0.55, 0.62, 0.71, 0.45, 0.5, 0.8]),
        np.array([0.7, 0.7, 0.7]),
    ],
)
def test_minres_recovers_exact_one_factor_loadings_and_omega_closed_form(
    loadings: np.ndarray,
) -> None:
    corr = one_factor_correlation(loadings)
    fit = psy.fit_one_factor(corr)
    assert fit.converged
    assert_allclose(fit.loadings, loadings, atol=1e-9)
    assert fit.residual_ss == pytest.approx(0.0, abs=1e-16)
    expected = loadings.sum() ** 2 / corr.sum()  # (Σλ)² / (k + Σ_{i≠j} λ_i λ_j)
    assert psy.omega_total(corr) == pytest.approx(expected, abs=1e-10)


def test_omega_flips_negatively_loading_items_as_psych() -> None:
    loadings = np.array([0.8, -0.7, 0.6, 0.5])
    corr = one_factor_correlation(loadings)
    fit = psy.fit_one_factor(corr)
    assert_allclose(fit.loadings, loadings, atol=1e-9)
    flipped = one_factor_correlation(np.abs(loadings))
    assert psy.omega_total(corr) == pytest.approx(
        np.abs(loadings).sum() ** 2 / flipped.sum(), abs=1e-10
    )


def psych_style_minres(corr: np.ndarray) -> np.ndarray:
    """An independent minres: psych's search over uniquenesses, eigen loadings, Nelder-Mead."""

    def loadings_for(psi: np.ndarray) -> np.ndarray:
        reduced = corr.copy()
        np.fill_diagonal(reduced, 1.0 - psi)
        values, vectors = np.linalg.eigh(reduced)
        vector: np.ndarray = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        return vector if vector.sum() > 0 else -vector

    def residual(psi: np.ndarray) -> float:
        model = np.outer(loadings_for(psi), loadings_for(psi))
        off = ~np.eye(len(corr), dtype=bool)
        return float(((corr - model)[off] ** 2).sum())

    start = 1.0 / np.diag(np.linalg.inv(corr))
    result = optimize.minimize(
        residual,
        start,
        method="Nelder-Mead",
        options={"xatol": 1e-12, "fatol": 1e-18, "maxiter": 200_000, "maxfev": 200_000},
    )
    return loadings_for(result.x)


def test_minres_matches_an_independent_implementation_on_real_data(likert: pd.DataFrame) -> None:
    corr = psy.pairwise_correlation(likert.to_numpy())
    fit = psy.fit_one_factor(corr)
    reference = psych_style_minres(corr)
    assert_allclose(fit.loadings, reference, atol=TOL)
    uniqueness = 1.0 - reference**2
    signs = np.sign(reference)
    total = (signs[:, None] * corr * signs[None, :]).sum()
    assert psy.omega_total(corr) == pytest.approx((total - uniqueness.sum()) / total, abs=TOL)
    assert psy.scale_reliability(likert.to_numpy(), list(likert.columns)).omega_total == (
        pytest.approx(psy.omega_total(corr), abs=1e-12)
    )


def test_newton_fit_agrees_with_l_bfgs_b_and_leaves_heywood_cases_to_it(
    likert: pd.DataFrame,
) -> None:
    """fit_one_factor solves by Newton's method inside the bounds and falls back to
    L-BFGS-B (scipy.optimize, slow to import) only when that fails: both find the same
    interior minimum."""
    corr = psy.pairwise_correlation(likert.to_numpy())
    bound = float(np.sqrt(psy.MAX_COMMUNALITY))
    start = psy._principal_axis_start(corr)
    newton = psy._interior_newton(start, corr, bound)
    assert newton is not None
    result = optimize.minimize(
        psy.minres_objective,
        start,
        args=(corr,),
        jac=psy._minres_gradient,
        method="L-BFGS-B",
        bounds=[(-bound, bound)] * len(corr),
        options={"ftol": 1e-16, "gtol": 1e-12, "maxiter": 10_000},
    )
    assert_allclose(np.abs(newton), np.abs(result.x), atol=1e-8)
    heywood = np.array([[1.0, 0.95, 0.95], [0.95, 1.0, 0.9], [0.95, 0.9, 1.0]])
    assert psy._interior_newton(np.full(3, 0.9), heywood, bound) is None


def test_heywood_case_stops_at_the_communality_bound() -> None:
    corr = np.array([[1.0, 0.95, 0.95], [0.95, 1.0, 0.9], [0.95, 0.9, 1.0]])
    fit = psy.fit_one_factor(corr)
    assert np.max(fit.loadings**2) <= psy.MAX_COMMUNALITY + 1e-12
    assert fit.converged


def test_omega_needs_three_items() -> None:
    assert np.isnan(psy.omega_total(np.array([[1.0, 0.5], [0.5, 1.0]])))


# ---------------------------------------------------------------- properties

answers = st.integers(min_value=20, max_value=60).flatmap(
    lambda n: st.lists(st.lists(st.integers(1, 5), min_size=4, max_size=4), min_size=n, max_size=n)
)


@settings(max_examples=20, deadline=None)
@given(answers, st.permutations(range(4)), st.integers(0, 2**32 - 1))
def test_alpha_and_omega_do_not_depend_on_item_or_respondent_order(
    rows: list[list[int]], order: list[int], seed: int
) -> None:
    data = np.array(rows, dtype=float)
    shuffled = np.random.default_rng(seed).permutation(data, axis=0)[:, order]
    first = psy.scale_reliability(data, ["a", "b", "c", "d"])
    second = psy.scale_reliability(shuffled, [["a", "b", "c", "d"][i] for i in order])
    assert_allclose(
        [first.alpha, first.omega_total, first.alpha_standardized],
        [second.alpha, second.omega_total, second.alpha_standardized],
        atol=1e-9,
        equal_nan=True,
    )
    for item in first.items:
        other = next(o for o in second.items if o.item_id == item.item_id)
        assert_allclose(item.r_drop, other.r_drop, atol=1e-9, equal_nan=True)
        assert not np.isfinite(item.r_drop) or -1.0 - 1e-12 <= item.r_drop <= 1.0 + 1e-12


@settings(max_examples=30, deadline=None)
@given(answers, st.floats(0.5, 3.0), st.floats(-5.0, 5.0))
def test_alpha_is_unchanged_by_rescaling_every_item_alike(
    rows: list[list[int]], scale: float, shift: float
) -> None:
    data = np.array(rows, dtype=float)
    base = psy.cronbach_alpha(data)
    moved = psy.cronbach_alpha(data * scale + shift)
    assert_allclose(moved.alpha, base.alpha, atol=1e-9, equal_nan=True)


@settings(max_examples=30, deadline=None)
@given(answers, st.integers(0, 2**32 - 1))
def test_missing_answers_pairwise_agree_with_pandas(rows: list[list[int]], seed: int) -> None:
    data = np.array(rows, dtype=float)
    rng = np.random.default_rng(seed)
    data[rng.random(data.shape) < 0.15] = np.nan
    frame = pd.DataFrame(data)
    cov, _ = psy.pairwise_covariance(data)
    assert_allclose(cov, frame.cov().to_numpy(), atol=1e-10, equal_nan=True)
    assert_allclose(
        psy.pairwise_correlation(data), frame.corr().to_numpy(), atol=1e-10, equal_nan=True
    )
