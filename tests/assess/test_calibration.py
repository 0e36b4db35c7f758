"""The calibration figures of issue 12, asserted with margins on the seeded simulation.

The same simulation prints the figures in docs/scoring.md (``python -m benchmarks trust``,
2,000 per group); here 1,000 per group keep the suite lean, and each assertion leaves a
margin of about two binomial standard errors at that size.
"""

from __future__ import annotations

import numpy as np
import pytest

from assess import calibration, scoring
from assess.model import Questionnaire
from assess.profiles import load_questionnaire

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundled() -> Questionnaire:
    return load_questionnaire()


@pytest.fixture(scope="module")
def figures(bundled: Questionnaire) -> calibration.Figures:
    return calibration.measure(bundled, n=1000, seed=12)


def test_honest_respondents_rarely_get_a_risky_trait_flag(figures: calibration.Figures) -> None:
    # Issue 12: at most 15 % of honest respondents with local norms get any risky-trait flag
    # (scorer 1.1: 86 %), whatever role they apply for.
    # (2,000 per group in docs/scoring.md: 11 % with no role, 11–13 % by role.)
    assert figures.groups["honest"].any_risky <= 0.15 - 0.02
    for role, share in figures.any_risky_by_role.items():
        assert share <= 0.15, role


def test_order_taker_flag_catches_order_takers_not_farmers(figures: calibration.Figures) -> None:
    # At least 70 % of simulated order-takers, at most 10 % of simulated farmers.
    assert figures.groups["order_taker"].order_taker >= 0.70 + 0.05
    assert figures.groups["farmer"].order_taker <= 0.10 - 0.05


def test_faking_index_catches_moderate_fakers_at_few_false_alarms(
    figures: calibration.Figures,
) -> None:
    # At least 60 % of moderate fakers at no more than 5 % false alarms (scorer 1.1: 4 %).
    assert figures.groups["moderate_faker"].faking >= 0.60 + 0.03
    assert figures.groups["honest"].faking <= 0.05 - 0.005
    assert figures.auc >= 0.92
    # The ROC curve runs from (0, 0) to (1, 1) and never falls.
    assert figures.roc_false_alarm[0] == 0.0
    assert figures.roc_hit[-1] == 1.0
    assert np.all(np.diff(figures.roc_false_alarm) >= 0)
    assert np.all(np.diff(figures.roc_hit) >= 0)


def test_faking_index_separates_faking_from_acquiescence(figures: calibration.Figures) -> None:
    # Yes-sayers move every answer toward "agree": the balanced scale cancels that out.
    assert figures.groups["acquiescent"].faking <= 0.07
    assert figures.groups["acquiescent"].faking < figures.groups["moderate_faker"].faking / 5


def test_polished_profiles_carry_the_red_flag(figures: calibration.Figures) -> None:
    fakers = figures.groups["moderate_faker"]
    assert fakers.desirable_flag >= fakers.faking


def test_roc_auc_of_known_samples() -> None:
    false_alarm, hit, auc = calibration.roc_curve(np.array([0.0, 1.0]), np.array([1.0, 2.0]))
    assert auc == pytest.approx(0.875)  # pairs: 1 > 0, 1 = 1 (half), 2 > 0, 2 > 1
    assert list(false_alarm) == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert list(hit) == [0.0, 0.5, 1.0, 1.0, 1.0]


def test_simulation_is_seeded(bundled: Questionnaire) -> None:
    population = calibration.Population()
    first = calibration.simulate_responses(bundled, population, 20, np.random.default_rng(3))
    again = calibration.simulate_responses(bundled, population, 20, np.random.default_rng(3))
    other = calibration.simulate_responses(bundled, population, 20, np.random.default_rng(4))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_simulated_desirability_answers_correlate_about_three_tenths(
    bundled: Questionnaire,
) -> None:
    matrix = calibration.simulate_responses(
        bundled, calibration.Population(), 4000, np.random.default_rng(1)
    )
    keyed = scoring.keyed_likert_matrix(bundled, matrix)
    ids = bundled.item_ids()
    columns = [
        ids.index(item.id)
        for item in bundled.likert_items()
        if item.validity == "social_desirability"
    ]
    corr = np.asarray(np.corrcoef(keyed[:, columns], rowvar=False))
    mean_r = corr[np.triu_indices(len(columns), 1)].mean()
    # Cut into five points, a latent correlation of 0.3 shows as a little less.
    assert 0.2 <= mean_r <= 0.3


def test_fakers_in_the_top_decile_are_mostly_caught(figures: calibration.Figures) -> None:
    top, caught, left = calibration.fakers_in_top_decile(figures)
    # Issue 12: 9 % of a pool faking moderately made up 69 % of the top 10 % by farmer fit.
    assert top >= 0.5  # faking still raises the fit ...
    assert caught >= 0.6  # ... but most of those fakers carry the flag
    assert left <= top / 2


def test_band_agreement_with_perfect_norms_is_about_five_in_six(bundled: Questionnaire) -> None:
    assert 0.80 <= calibration.band_agreement(bundled, n=500, seed=12) <= 0.89
