"""Key-account quadrants: size × potential with median or given thresholds."""

from __future__ import annotations

import numpy as np

from simulate.quadrants import QUADRANTS, classify, default_thresholds


def test_medians_split_a_book_into_the_four_quadrants() -> None:
    revenue = np.array([100.0, 100.0, 10.0, 10.0])
    wallet = np.array([400.0, 110.0, 300.0, 12.0])
    thresholds = default_thresholds(revenue, wallet)
    assert thresholds.size == 55.0
    assert thresholds.potential == 150.0
    codes = classify(revenue, wallet, thresholds)
    assert [QUADRANTS[c] for c in codes] == ["key", "maintain", "develop", "serve"]


def test_given_thresholds_override_the_medians() -> None:
    revenue = np.array([100.0, 10.0])
    wallet = np.array([150.0, 500.0])
    thresholds = default_thresholds(revenue, wallet, size=5.0, potential=1000.0)
    codes = classify(revenue, wallet, thresholds)
    assert [QUADRANTS[c] for c in codes] == ["maintain", "maintain"]
