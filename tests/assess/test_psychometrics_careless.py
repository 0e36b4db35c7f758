"""Careless-responding indices: hand-computed cases and known identities."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats
from scipy.spatial import distance

from assess import psychometrics as psy

NAN = float("nan")
THREE_TRAITS = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]


def test_even_odd_hand_computed() -> None:
    answers = np.array(
        [
            # trait halves: odd (items 1, 3) and even (items 2, 4) means per trait
            [1, 2, 3, 4, 3, 3, 5, 5, 5, 4, 5, 4],  # even 3, 4, 4; odd 2, 4, 5
            [1, 1, 1, 1, 3, 3, 3, 3, 5, 5, 5, 5],  # halves agree exactly
            [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3],  # no variance across traits
            [5, 1, 5, 1, 3, 3, 3, 3, 1, 5, 1, 5],  # halves opposite: r = -1
        ],
        dtype=float,
    )
    r = 15 / math.sqrt(6 * 42)  # deviations (-2, 1, 1)/3 and (-5, 1, 4)/3
    expected = [2 * r / (1 + r), 1.0, NAN, -1.0]
    assert_allclose(psy.even_odd_consistency(answers, THREE_TRAITS), expected, atol=1e-12)


def test_even_odd_uses_answered_items_and_skips_traits_without_both_halves() -> None:
    answers = np.array([[1, 2, NAN, 2, 2, 3, 4, 4, 5, 5, 5, 5]], dtype=float)
    # trait 1: odd mean of {1} = 1, even mean of {2, 2} = 2; traits 2, 3 as usual.
    odd = np.array([1.0, 3.0, 5.0])
    even = np.array([2.0, 3.5, 5.0])
    r = np.corrcoef(odd, even)[0, 1]
    assert psy.even_odd_consistency(answers, THREE_TRAITS)[0] == pytest.approx(
        2 * r / (1 + r), abs=1e-12
    )
    single_item_trait = [[0], [4, 5, 6, 7], [8, 9, 10, 11]]  # no even half: trait left out
    two_traits = psy.even_odd_consistency(answers, single_item_trait)
    assert np.isnan(two_traits[0])  # two points always correlate ±1: no index


def test_even_odd_needs_three_traits() -> None:
    with pytest.raises(ValueError, match="at least 3 traits"):
        psy.even_odd_consistency(np.ones((2, 8)), [[0, 1, 2, 3], [4, 5, 6, 7]])


def test_synonym_consistency_hand_computed() -> None:
    pairs = [(0, 1), (2, 3), (4, 5)]
    answers = np.array(
        [
            [1, 1, 3, 3, 5, 5],  # agrees: r = 1
            [1, 5, 3, 3, 5, 1],  # contradicts: r = -1
            [1, 2, 3, 3, 5, 4],  # first (1, 3, 5), second (2, 3, 4): r = 1
            [1, 2, 4, 3, 5, 5],  # first (1, 4, 5), second (2, 3, 5)
            [1, 1, NAN, 3, 5, 5],  # two complete pairs only
            [3, 3, 3, 3, 3, 3],  # no variance
        ],
        dtype=float,
    )
    fourth = np.corrcoef([1, 4, 5], [2, 3, 5])[0, 1]
    assert_allclose(
        psy.synonym_consistency(answers, pairs),
        [1.0, -1.0, 1.0, fourth, NAN, NAN],
        atol=1e-12,
    )
    assert np.isnan(psy.synonym_consistency(answers, [])).all()
    assert psy.synonym_consistency(answers[4:5], pairs, min_pairs=2)[0] == pytest.approx(1.0)


def test_mahalanobis_matches_scipy_and_uses_items_as_degrees_of_freedom() -> None:
    rng = np.random.default_rng(11)
    data = rng.integers(1, 6, size=(50, 6)).astype(float)
    result = psy.mahalanobis(data)
    inverse = np.linalg.inv(np.cov(data, rowvar=False))
    centre = data.mean(axis=0)
    expected = [distance.mahalanobis(row, centre, inverse) ** 2 for row in data]
    assert_allclose(result.d2, expected, rtol=1e-10)
    assert result.df == 6  # items, not the 50 respondents
    assert_allclose(result.p, stats.chi2.sf(result.d2, 6), rtol=1e-12)
    assert not result.singular
    # With the n − 1 covariance, the distances sum to (n − 1) · k exactly.
    assert result.d2.sum() == pytest.approx(49 * 6, rel=1e-10)


def test_mahalanobis_missing_answers_use_the_items_answered_and_their_df() -> None:
    rng = np.random.default_rng(3)
    data = rng.normal(size=(30, 3))
    data[0, 1] = NAN
    result = psy.mahalanobis(data)
    cov = psy.pairwise_covariance(data)[0]
    means = np.nanmean(data, axis=0)
    answered = [0, 2]
    centred = data[0, answered] - means[answered]
    block = cov[np.ix_(answered, answered)]
    assert result.d2[0] == pytest.approx(centred @ np.linalg.inv(block) @ centred, rel=1e-12)
    assert (result.df_each[0], result.df_each[1], result.df) == (2, 3, 3)
    assert result.p[0] == pytest.approx(stats.chi2.sf(result.d2[0], 2), rel=1e-12)
    empty = np.vstack([data, [NAN, NAN, NAN]])
    assert np.isnan(psy.mahalanobis(empty).d2[-1])


def test_mahalanobis_few_skips_equal_each_answered_blocks_own_inverse() -> None:
    # The Schur-complement shortcut (up to FEW_MISSING skips) against the definition:
    # each respondent's answered block of the covariance, inverted on its own.
    rng = np.random.default_rng(8)
    data = rng.normal(size=(300, 3)) @ rng.normal(size=(3, 20)) + rng.normal(size=(300, 20))
    data[rng.random(data.shape) < 0.08] = NAN
    data[1, :18] = NAN  # more skips than the shortcut takes: the block path
    data[2] = NAN  # nothing answered
    result = psy.mahalanobis(data)
    cov = psy.nearest_psd(psy.pairwise_covariance(data)[0])[0]
    centred = data - np.nanmean(data, axis=0)
    for row in range(len(data)):
        seen = ~np.isnan(data[row])
        if not seen.any():
            assert math.isnan(result.d2[row])
            assert result.df_each[row] == 0
            continue
        x = centred[row, seen]
        expected = x @ np.linalg.inv(cov[np.ix_(seen, seen)]) @ x
        assert result.d2[row] == pytest.approx(expected, rel=1e-9)
        assert result.df_each[row] == seen.sum()
    assert (20 - np.isnan(data).sum(axis=1) > 20 - psy.FEW_MISSING).sum() > 200


def test_mahalanobis_repairs_a_covariance_that_is_not_positive_definite() -> None:
    # Pairs answered by different people: A and B agree, B and C agree, A and C disagree.
    # No real data can do that, and the pairwise covariance has a negative eigenvalue.
    rng = np.random.default_rng(11)
    base = rng.normal(size=(3, 40))
    noise = 0.2 * rng.normal(size=(3, 40))
    ab = np.column_stack([base[0], base[0] + noise[0], np.full(40, NAN)])
    bc = np.column_stack([np.full(40, NAN), base[1], base[1] + noise[1]])
    ac = np.column_stack([base[2], np.full(40, NAN), -base[2] + noise[2]])
    complete = rng.normal(size=(10, 3))
    data = np.vstack([ab, bc, ac, complete])
    cov = psy.pairwise_covariance(data)[0]
    assert np.linalg.eigvalsh(cov).min() < 0
    naive = complete - np.nanmean(data, axis=0)
    assert (np.einsum("ij,ij->i", naive @ np.linalg.inv(cov), naive) < 0).any()  # the old bug
    result = psy.mahalanobis(data)
    assert result.repaired
    assert (result.d2 >= 0).all()
    assert ((result.p >= 0) & (result.p <= 1)).all()
    fixed, changed = psy.nearest_psd(cov)
    assert changed
    assert np.linalg.eigvalsh(fixed).min() > -1e-12


def test_mahalanobis_with_duplicated_item_uses_the_rank() -> None:
    rng = np.random.default_rng(5)
    data = rng.normal(size=(40, 3))
    data = np.column_stack([data, data[:, 0]])
    result = psy.mahalanobis(data)
    assert result.singular
    assert result.df == 3
    assert_allclose(result.d2, psy.mahalanobis(data[:, :3]).d2, rtol=1e-8)


def test_careless_thresholds_are_overridable_and_documented() -> None:
    defaults = psy.CarelessThresholds()
    assert (defaults.even_odd_min, defaults.mahalanobis_p) == (0.30, 0.001)
    stricter = psy.CarelessThresholds(mahalanobis_p=0.01)
    assert stricter.mahalanobis_p == 0.01
    with pytest.raises(AttributeError):
        stricter.mahalanobis_p = 0.5  # type: ignore[misc]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(1, 5), min_size=12, max_size=12), min_size=1, max_size=20),
    st.sampled_from([-1, 1]),
)
def test_even_odd_is_within_bounds_and_ignores_a_common_shift(
    rows: list[list[int]], sign: int
) -> None:
    data = np.array(rows, dtype=float)
    values = psy.even_odd_consistency(data, THREE_TRAITS)
    finite = values[np.isfinite(values)]
    assert np.all((finite >= -1.0) & (finite <= 1.0 + 1e-12))
    moved = psy.even_odd_consistency(6 * (sign < 0) + sign * data, THREE_TRAITS)
    assert_allclose(moved, values, atol=1e-9, equal_nan=True)
