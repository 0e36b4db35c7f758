"""Fairness statistics against pingouin and hand-computed selection rates; norms building."""

from __future__ import annotations

import numpy as np
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from assess import psychometrics as psy


def test_cohen_d_hedges_g_and_interval_match_pingouin() -> None:
    rng = np.random.default_rng(21)
    a = rng.normal(3.4, 0.6, size=37)
    b = rng.normal(3.1, 0.7, size=52)
    result = psy.mean_difference(a, b, "women", "men")
    assert result.cohen_d == pytest.approx(pg.compute_effsize(a, b, eftype="cohen"), abs=1e-12)
    g = pg.compute_effsize(a, b, eftype="hedges")
    assert result.hedges_g == pytest.approx(g, abs=1e-12)
    ci = pg.compute_esci(stat=g, nx=37, ny=52, eftype="hedges", decimals=12)
    assert_allclose(result.g_ci95, ci, atol=1e-10)
    assert (result.group_a, result.n_a, result.n_b) == ("women", 37, 52)
    assert result.mean_a == pytest.approx(a.mean())


def test_mean_difference_ignores_missing_and_needs_two_per_group() -> None:
    with_missing = psy.mean_difference([1.0, np.nan, 3.0, 5.0], [2.0, 4.0])
    assert with_missing.n_a == 3
    assert with_missing.cohen_d == pytest.approx(pg.compute_effsize([1, 3, 5], [2, 4]), abs=1e-12)
    too_small = psy.mean_difference([1.0], [2.0, 3.0])
    assert np.isnan(too_small.cohen_d)
    assert np.isnan(too_small.g_ci95[0])


def test_selection_rates_four_fifths_rule_against_highest_group() -> None:
    fit = np.array([70, 65, 61, 60, 80, 90, 10, 20, 30, 40] * 1 + [61, 62, 63, 10, 10] * 2, float)
    groups = ["a"] * 10 + ["b"] * 10
    # a: 6 of 10 reach 60; b: 6 of 10 as well -> equal
    even = psy.selection_rates(fit, groups, 60)
    assert [(s.group, s.selected, s.rate, s.ratio) for s in even] == [
        ("a", 6, 0.6, 1.0),
        ("b", 6, 0.6, 1.0),
    ]
    fit_three = np.concatenate([np.repeat([70.0, 50.0], [6, 4]), np.repeat([70.0, 50.0], [3, 7])])
    fit_three = np.concatenate([fit_three, np.repeat([70.0, 50.0, np.nan], [5, 5, 2])])
    labels = ["x"] * 10 + ["y"] * 10 + ["z"] * 12
    rows = {s.group: s for s in psy.selection_rates(fit_three, labels, 60)}
    assert rows["x"].ratio == 1.0
    assert rows["y"].ratio == pytest.approx(0.5)
    assert rows["y"].adverse_impact
    assert rows["z"].n == 10  # two without a fit are left out
    assert rows["z"].ratio == pytest.approx(5 / 6)
    assert not rows["z"].adverse_impact


def test_selection_rates_when_nobody_is_selected() -> None:
    rows = psy.selection_rates([10.0, 20.0, 30.0], ["a", "b", "b"], 60)
    assert all(np.isnan(row.ratio) and not row.adverse_impact for row in rows)


def test_build_norms_hand_computed_percentiles_and_exclusion() -> None:
    scores = np.column_stack([np.arange(1, 102, dtype=float), np.linspace(2, 4, 101)])
    scores = np.vstack([scores, [500.0, np.nan]])
    exclude = np.zeros(102, dtype=bool)
    exclude[-1] = True
    norms = psy.build_norms(scores, ["a", "b"], exclude)
    assert norms["a"].n == 101
    assert norms["b"].n == 101
    assert norms["a"].mean == pytest.approx(51.0)
    assert norms["a"].sd == pytest.approx(np.arange(1, 102).std(ddof=1))
    assert list(norms["a"].percentiles) == list(range(1, 100))
    assert norms["a"].percentiles[1] == pytest.approx(2.0)
    assert norms["a"].percentiles[50] == pytest.approx(51.0)
    assert norms["b"].percentiles[25] == pytest.approx(2.5)
    included = psy.build_norms(scores, ["a", "b"])
    assert included["a"].n == 102  # the careless respondent counts when not excluded
    assert included["b"].n == 101  # a missing score never counts


def test_build_norms_refuses_a_trait_without_spread() -> None:
    scores = np.column_stack([np.arange(5.0), np.full(5, 3.0)])
    with pytest.raises(ValueError, match=r"^trait b: every score is 3; the sd is 0$"):
        psy.build_norms(scores, ["a", "b"])
    with pytest.raises(ValueError, match=r"^trait a: 1 score\(s\); norms need at least two$"):
        psy.build_norms(np.array([[1.0, 2.0]]), ["a", "b"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(1, 5, allow_nan=False), min_size=2, max_size=80))
def test_percentile_tables_are_non_decreasing_and_within_the_data(values: list[float]) -> None:
    column = np.array(values)
    if column.std() == 0:
        return
    table = psy.build_norms(column[:, None], ["t"])["t"].percentiles
    points = np.array(list(table.values()))
    assert np.all(np.diff(points) >= 0)
    assert column.min() <= points[0]
    assert points[-1] <= column.max()
