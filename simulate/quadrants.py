"""Key-account quadrants: size × potential (DESIGN.md §1, point 7).

Key accounts are those with the most *potential*, not the biggest. Every
account is placed by two thresholds: its monthly revenue with us (size) and its
uncaptured wallet ``W − r`` (potential). By default both thresholds are the
book's medians at month 0, so the four quadrants hold comparable numbers of
accounts; a scenario may set either threshold in money per month.

Pure: takes arrays, returns arrays. The engine, the reports and
``simulate book`` all classify through this module so the quadrants mean the
same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

QUADRANTS: tuple[str, ...] = ("key", "develop", "maintain", "serve")
"""Quadrant ids in code order (0..3).

- ``key``: large revenue, high potential: grow and protect first.
- ``develop``: small revenue, high potential: hunt inside the account.
- ``maintain``: large revenue, little left to win: defend the share.
- ``serve``: small revenue, little potential: serve efficiently.
"""

QUADRANT_LABELS: dict[str, str] = {
    "key": "key (large, high potential)",
    "develop": "develop (small, high potential)",
    "maintain": "maintain (large, low potential)",
    "serve": "serve (small, low potential)",
}

KEY, DEVELOP, MAINTAIN, SERVE = range(4)


@dataclass(frozen=True)
class QuadrantThresholds:
    """Where an account counts as large and as high-potential (money per month)."""

    size: float
    """Monthly revenue with us at or above which an account is large."""
    potential: float
    """Monthly uncaptured wallet ``W − r`` at or above which an account has high potential."""


def default_thresholds(
    revenue: NDArray[np.float64],
    wallet: NDArray[np.float64],
    size: float | None = None,
    potential: float | None = None,
) -> QuadrantThresholds:
    """Thresholds for a book: the given values, else the book's medians at month 0."""
    revenue = np.asarray(revenue, dtype=np.float64)
    uncaptured = np.asarray(wallet, dtype=np.float64) - revenue
    if revenue.size == 0:
        return QuadrantThresholds(size=size or 0.0, potential=potential or 0.0)
    return QuadrantThresholds(
        size=float(np.median(revenue)) if size is None else float(size),
        potential=float(np.median(uncaptured)) if potential is None else float(potential),
    )


def classify(
    revenue: NDArray[np.float64],
    wallet: NDArray[np.float64],
    thresholds: QuadrantThresholds,
) -> NDArray[np.int8]:
    """Quadrant code per account (an index into :data:`QUADRANTS`)."""
    revenue = np.asarray(revenue, dtype=np.float64)
    uncaptured = np.asarray(wallet, dtype=np.float64) - revenue
    large = revenue >= thresholds.size
    high = uncaptured >= thresholds.potential
    codes = np.where(
        high,
        np.where(large, KEY, DEVELOP),
        np.where(large, MAINTAIN, SERVE),
    )
    return codes.astype(np.int8)
