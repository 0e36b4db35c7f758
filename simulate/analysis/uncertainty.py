"""Chance versus what we do not know: a one-way analysis of variance (pure).

With an ``uncertainty:`` block, the assumptions are drawn K times from their
distributions and each draw runs M trials (on its own random numbers). The
spread of an outcome then has two sources: chance (the trials within a draw)
and the assumptions (the draws). A one-way random-effects analysis of variance
splits it: ``MS_within`` estimates the chance variance, and
``(MS_between − MS_within) / M`` (0 if negative) the variance due to the
assumptions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class VarianceSplit:
    """The spread of one outcome in one month, split into chance and assumptions."""

    month: int
    mean: float
    p10: float
    p50: float
    p90: float
    chance_sd: float
    assumption_sd: float
    f_statistic: float
    p_value: float

    @property
    def assumption_share(self) -> float:
        """Share of the total variance due to the assumptions."""
        total = self.chance_sd**2 + self.assumption_sd**2
        return self.assumption_sd**2 / total if total > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "month": self.month,
            "mean": self.mean,
            "p10": self.p10,
            "p50": self.p50,
            "p90": self.p90,
            "chance_sd": self.chance_sd,
            "assumption_sd": self.assumption_sd,
            "assumption_share": self.assumption_share,
            "f_statistic": self.f_statistic,
            "p_value": self.p_value,
        }


def variance_split(groups: NDArray[np.float64], month: int) -> VarianceSplit:
    """One-way ANOVA of a (draws K × trials M) array of one outcome in one month."""
    from scipy import stats  # imported on use: keeps the CLI's start-up fast

    k, m = groups.shape
    means = groups.mean(axis=1)
    grand = float(groups.mean())
    ms_between = m * float(((means - grand) ** 2).sum()) / (k - 1)
    ms_within = float(((groups - means[:, None]) ** 2).sum()) / (k * (m - 1))
    assumption_var = max(0.0, (ms_between - ms_within) / m)
    if ms_within > 0:
        f = ms_between / ms_within
        p = float(stats.f.sf(f, k - 1, k * (m - 1)))
    else:
        f, p = (math.inf, 0.0) if ms_between > 0 else (math.nan, 1.0)
    p10, p50, p90 = (float(v) for v in np.percentile(groups, [10.0, 50.0, 90.0]))
    return VarianceSplit(
        month=month,
        mean=grand,
        p10=p10,
        p50=p50,
        p90=p90,
        chance_sd=math.sqrt(ms_within),
        assumption_sd=math.sqrt(assumption_var),
        f_statistic=f,
        p_value=p,
    )


def pooled_fan(per_draw: Sequence[NDArray[np.float64]]) -> dict[str, list[float]]:
    """Mean and P10/P50/P90 per month over every trial of every draw (trials × months each)."""
    pooled = np.concatenate(list(per_draw), axis=0)
    p10, p50, p90 = np.percentile(pooled, [10.0, 50.0, 90.0], axis=0)
    return {
        "mean": [float(v) for v in pooled.mean(axis=0)],
        "p10": [float(v) for v in p10],
        "p50": [float(v) for v in p50],
        "p90": [float(v) for v in p90],
    }
