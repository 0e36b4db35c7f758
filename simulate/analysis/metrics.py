"""Per-trial outcomes read from a :class:`~simulate.results.SimulationResult` (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simulate.results import SimulationResult

TEAM_COST = "team_cost"
"""Per-trial monthly team cost, when the engine reports it (salaries, variable, hiring)."""
TEAM_COST_CUMULATIVE = "team_cost_cumulative"
"""Per-trial team cost from month 1 to the month, when the engine reports it."""
STREAMED_COST_CUMULATIVE = "costs.team_cost_cumulative"
"""The streamed breakdown (mean and SE per month only) of cumulative team cost."""


@dataclass(frozen=True)
class Outcome:
    """An outcome compared between variants."""

    name: str
    label: str
    higher_is_better: bool
    kind: str
    """``money``, ``count`` or ``share`` (how to format it)."""


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("revenue", "revenue in the month", True, "money"),
    Outcome("revenue_cumulative", "revenue to date", True, "money"),
    Outcome("revenue_minus_cost", "revenue − team cost to date", True, "money"),
    Outcome("accounts_lost", "accounts lost to date", False, "count"),
    Outcome("new_logos", "new logos to date", True, "count"),
    Outcome("wallet_share", "share of wallet", True, "share"),
)
"""What ``compare`` reports, in order (``revenue_minus_cost`` only with team cost)."""


def cumulative_cost(per_trial: Mapping[str, NDArray[np.float64]]) -> NDArray[np.float64] | None:
    """Team cost from month 1 (trials × months), or None when the result has no cost."""
    if STREAMED_COST_CUMULATIVE in per_trial:
        return np.asarray(per_trial[STREAMED_COST_CUMULATIVE], dtype=np.float64)
    if TEAM_COST_CUMULATIVE in per_trial:
        return np.asarray(per_trial[TEAM_COST_CUMULATIVE], dtype=np.float64)
    if TEAM_COST in per_trial:
        return np.cumsum(np.asarray(per_trial[TEAM_COST], dtype=np.float64), axis=1)
    return None


@dataclass(frozen=True)
class CostMeans:
    """Cumulative team cost per month: mean and standard error over trials."""

    mean: NDArray[np.float64]
    se: NDArray[np.float64]
    per_trial: bool
    """True when the result kept each trial's cost (paired differences are exact)."""


def cost_means(result: SimulationResult) -> CostMeans | None:
    """Cumulative team cost of a result, from per-trial values or the streamed breakdown."""
    per = cumulative_cost(result.per_trial)
    if per is not None:
        n = per.shape[0]
        se = per.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.zeros(per.shape[1])
        return CostMeans(mean=per.mean(axis=0), se=se, per_trial=True)
    streamed = (getattr(result, "breakdowns", None) or {}).get(STREAMED_COST_CUMULATIVE)
    if streamed is None:
        return None
    return CostMeans(
        mean=np.asarray(streamed.mean, dtype=np.float64),
        se=np.asarray(streamed.se, dtype=np.float64),
        per_trial=False,
    )


def has_cost(result: SimulationResult) -> bool:
    """Whether the result carries team cost (per trial or streamed)."""
    return cost_means(result) is not None


def outcome_values(result: SimulationResult, name: str) -> NDArray[np.float64] | None:
    """Per-trial values (trials × months) of an outcome, or None when it is not available."""
    if name == "revenue_minus_cost":
        costs = cost_means(result)
        if costs is None:
            return None
        revenue = np.asarray(result.per_trial["revenue_cumulative"], dtype=np.float64)
        per = cumulative_cost(result.per_trial)
        # Streamed cost only: each trial's cost is taken at its mean (see compare).
        return revenue - (per if per is not None else costs.mean[None, :])
    values = result.per_trial.get(name)
    return None if values is None else np.asarray(values, dtype=np.float64)


def checkpoints(horizon: int) -> tuple[int, ...]:
    """Months reported: 12 and 24 (those before the horizon) and the horizon."""
    return (*(m for m in (12, 24) if m < horizon), horizon)
