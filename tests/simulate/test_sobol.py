"""Sobol indices: the estimator agrees with SciPy's, and the intervals depend on the seed only."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy import stats

from simulate.analysis.sensitivity import Level, sobol

LEVELS = [Level("x", 1.0, 0.0, 1.0), Level("y", 1.0, 0.0, 1.0), Level("z", 1.0, 0.0, 1.0)]


def _model(values: Mapping[str, float]) -> float:
    """An Ishigami-like function: x matters alone, y with x, z not at all."""
    return values["x"] + 2.0 * values["x"] * values["y"]


def test_same_seed_same_intervals_other_seed_other_intervals() -> None:
    first = sobol(LEVELS, _model, samples=64, seed=11)
    again = sobol(LEVELS, _model, samples=64, seed=11)
    other = sobol(LEVELS, _model, samples=64, seed=12)
    assert first == again
    assert first != other


def test_point_estimates_equal_scipys_sobol_indices() -> None:
    result = sobol(LEVELS, _model, samples=64, seed=5)
    by_name = {index.name: index for index in result.indices}

    def func(x: np.ndarray) -> np.ndarray:
        return np.atleast_2d(x[0] + 2.0 * x[0] * x[1])

    rng = np.random.default_rng(np.random.SeedSequence(5, spawn_key=(0x5_0B01,)))
    reference = stats.sobol_indices(func=func, n=64, dists=[stats.uniform(0.0, 1.0)] * 3, rng=rng)
    for i, name in enumerate("xyz"):
        assert np.isclose(by_name[name].first, np.ravel(reference.first_order)[i], atol=1e-12)
        assert np.isclose(by_name[name].total, np.ravel(reference.total_order)[i], atol=1e-12)
    assert by_name["z"].total == 0.0  # no effect, no share of the variance


def test_an_assumption_without_effect_has_the_interval_zero_to_zero() -> None:
    z = next(
        index for index in sobol(LEVELS, _model, samples=64, seed=3).indices if index.name == "z"
    )
    assert (z.first, z.total) == (0.0, 0.0)
    assert z.first_ci == (0.0, 0.0)
    assert z.total_ci == (0.0, 0.0)
