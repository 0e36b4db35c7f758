"""The graded response model: probabilities, information, EAP, calibration and its errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate
from scipy.stats import norm

from assess import irt
from assess.irt import GrmItem, IrtError

A_TRUE = [0.9, 1.05, 1.2, 1.35, 1.5, 1.65, 1.8, 1.95]
"""Discriminations of the recovery test (8 items)."""
B_TRUE = [
    (-2.0, -0.9, 0.2, 1.4),
    (-1.7, -0.6, 0.5, 1.6),
    (-2.2, -1.1, 0.0, 1.2),
    (-1.5, -0.4, 0.7, 1.8),
    (-1.9, -0.8, 0.3, 1.5),
    (-1.6, -0.5, 0.6, 1.6),
    (-2.1, -1.0, 0.1, 1.3),
    (-1.8, -0.7, 0.4, 1.7),
]
"""Thresholds of the recovery test (5 categories)."""
ITEMS = [GrmItem(a, b) for a, b in zip(A_TRUE, B_TRUE, strict=True)]
IDS = [f"i{j + 1}" for j in range(8)]


def test_category_probabilities_follow_the_cumulative_logistic() -> None:
    item = GrmItem(1.3, (-1.0, 0.0, 0.8, 1.9))
    theta = np.array([-2.0, 0.3, 2.5])
    p = irt.category_probabilities(item, theta)
    assert p.shape == (3, 5)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    # P(X >= 2 | θ) = 1 / (1 + exp(-a (θ - b_2)))
    expected = 1 / (1 + math.exp(-1.3 * (0.3 - 0.0)))
    assert p[1, 2:].sum() == pytest.approx(expected)


def test_item_information_is_the_expected_squared_score() -> None:
    item = GrmItem(1.7, (-1.2, -0.1, 0.9, 2.0))
    for theta in (-2.5, -0.4, 0.0, 1.1, 3.0):
        h = 1e-5
        dp = (
            irt.category_probabilities(item, theta + h)
            - irt.category_probabilities(item, theta - h)
        ) / (2 * h)
        p = irt.category_probabilities(item, theta)
        assert float(irt.item_information(item, theta)) == pytest.approx(
            float(np.sum(dp**2 / p)), rel=1e-6
        )


def test_eap_matches_a_hand_computed_posterior() -> None:
    """Two items, answers 2 and 0: the posterior mean and SD by numerical integration of
    φ(θ) P(X₁ = 2 | θ) P(X₂ = 0 | θ) over the real line."""
    first = GrmItem(1.5, (-0.5, 0.8))
    second = GrmItem(0.9, (-1.0, 1.2))

    def likelihood(theta: float) -> float:
        p1 = 1 / (1 + math.exp(-1.5 * (theta - 0.8)))  # P(X >= 2) = P(X = 2)
        p2 = 1 - 1 / (1 + math.exp(-0.9 * (theta + 1.0)))  # P(X = 0) = 1 - P(X >= 1)
        return float(norm.pdf(theta)) * p1 * p2

    mass = integrate.quad(likelihood, -10, 10)[0]
    mean = integrate.quad(lambda t: t * likelihood(t), -10, 10)[0] / mass
    second_moment = integrate.quad(lambda t: t * t * likelihood(t), -10, 10)[0] / mass
    sd = math.sqrt(second_moment - mean**2)

    estimate = irt.eap([first, second], np.array([[2.0, 0.0]]))
    assert estimate.theta[0] == pytest.approx(mean, abs=1e-3)
    assert estimate.sd[0] == pytest.approx(sd, abs=1e-3)
    assert estimate.answered[0] == 2
    # a missing answer leaves the other item's posterior
    only_first = irt.eap([first, second], np.array([[2.0, np.nan]]))
    assert only_first.answered[0] == 1
    assert only_first.theta[0] > estimate.theta[0]
    nothing = irt.eap([first, second], np.array([[np.nan, np.nan]]))
    assert nothing.theta[0] == pytest.approx(0.0, abs=1e-9)
    assert nothing.sd[0] == pytest.approx(1.0, abs=1e-3)


def _sample(seed: int, n: int = 3000) -> np.ndarray:
    rng = np.random.default_rng([18, seed])
    return irt.simulate_responses(ITEMS, rng.standard_normal(n), rng).astype(np.float64)


def _estimates(fit: irt.GrmFit) -> tuple[np.ndarray, np.ndarray]:
    values = np.array([[item.a, *item.b] for item in fit.items.values()])
    errors = np.array([[item.a_se, *item.b_se] for item in fit.items.values()])
    return values, errors


@pytest.mark.slow
def test_parameter_recovery_and_standard_errors_on_replications() -> None:
    """3,000 simulated respondents, 8 items, 5 categories: RMSE of a and of b below 0.08
    (pooled over replications), and the reported standard errors match the spread of the
    estimates across replications within 25 % (pooled over a's and over b's)."""
    truth = np.array([[a, *b] for a, b in zip(A_TRUE, B_TRUE, strict=True)])
    replications = 8
    values, errors = [], []
    for seed in range(replications):
        fit = irt.fit_grm(IDS, _sample(seed), 5)
        assert fit.converged
        assert fit.max_gradient < irt.GRADIENT_TOLERANCE * 1000
        v, e = _estimates(fit)
        values.append(v)
        errors.append(e)
    est, se = np.array(values), np.array(errors)
    rmse_a = float(np.sqrt(np.mean((est[:, :, 0] - truth[:, 0]) ** 2)))
    rmse_b = float(np.sqrt(np.mean((est[:, :, 1:] - truth[:, 1:]) ** 2)))
    assert rmse_a < 0.08
    assert rmse_b < 0.08
    spread = est.std(axis=0, ddof=1)
    for columns in (slice(0, 1), slice(1, 5)):
        reported = float(np.sqrt(np.mean(se[:, :, columns] ** 2)))
        empirical = float(np.sqrt(np.mean(spread[:, columns] ** 2)))
        assert 0.75 < reported / empirical < 1.25, (columns, reported, empirical)


def test_a_fit_reports_its_diagnostics_and_test_information() -> None:
    fit = irt.fit_grm(IDS[:4], _sample(99, n=400)[:, :4], 5)
    assert fit.converged
    assert fit.n == 400
    assert fit.iterations >= 2
    assert fit.max_change < irt.EM_TOLERANCE
    assert fit.information_theta == irt.INFORMATION_THETA
    info_at_0 = dict(zip(fit.information_theta, fit.information, strict=True))[0.0]
    assert info_at_0 == pytest.approx(float(irt.test_information(fit.grm_items(), 0.0)))
    assert any("fewer than 500" in warning for warning in fit.warnings)
    for item in fit.items.values():
        assert list(item.b) == sorted(item.b)
        assert item.a_se > 0
        assert sum(item.counts) == item.n == 400


def test_too_few_respondents_are_refused() -> None:
    with pytest.raises(IrtError, match="at least 200"):
        irt.fit_grm(IDS, _sample(1, n=150), 5)


def test_an_empty_category_is_refused_naming_the_item() -> None:
    x = _sample(2, n=400)
    x[:, 3] = np.where(x[:, 3] == 4, 3, x[:, 3])  # nobody chose the top answer of i4
    with pytest.raises(IrtError, match=r"item i4 has no answers in category 4"):
        irt.fit_grm(IDS, x, 5)


def test_respondents_without_answers_are_left_out() -> None:
    x = _sample(3, n=400)
    padded = np.vstack([x, np.full((50, 8), np.nan)])
    assert irt.fit_grm(IDS, padded, 5).n == 400
