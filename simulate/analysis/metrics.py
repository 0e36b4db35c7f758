"""Per-trial outcomes read from a :class:`~simulate.results.SimulationResult` (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from simulate.results import SimulationResult

TEAM_COST_CUMULATIVE = "team_cost_cumulative"
"""Per-trial team cost from month 1 to the month (salaries, variable, hiring), as the engine
keeps it beside revenue, so revenue − cost is paired trial by trial like every other outcome."""


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
    if TEAM_COST_CUMULATIVE in per_trial:
        return np.asarray(per_trial[TEAM_COST_CUMULATIVE], dtype=np.float64)
    return None


def has_cost(result: SimulationResult) -> bool:
    """Whether the result carries team cost."""
    return TEAM_COST_CUMULATIVE in result.per_trial


def outcome_values(result: SimulationResult, name: str) -> NDArray[np.float64] | None:
    """Per-trial values (trials × months) of an outcome, or None when it is not available."""
    if name == "revenue_minus_cost":
        cost = cumulative_cost(result.per_trial)
        if cost is None:
            return None
        revenue = np.asarray(result.per_trial["revenue_cumulative"], dtype=np.float64)
        return revenue - cost
    values = result.per_trial.get(name)
    return None if values is None else np.asarray(values, dtype=np.float64)


def checkpoints(horizon: int) -> tuple[int, ...]:
    """Months reported: 12 and 24 (those before the horizon) and the horizon."""
    return (*(m for m in (12, 24) if m < horizon), horizon)
