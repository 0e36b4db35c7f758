"""A grid of staffing options on common random numbers (pure).

Every point of the grid runs with the same seed, so neighbouring points differ
by the change of team or policy rather than by luck: the marginal value of an
added rep is a paired difference with a small standard error. Points are also
ranked by cost: a point is Pareto-efficient when no other point earns at least
as much for no more cost (team cost when the result carries it, else headcount).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulate.analysis.metrics import cumulative_cost
from simulate.overrides import Scalar
from simulate.results import SimulationResult


@dataclass(frozen=True)
class Marginal:
    """Paired difference of a point from its neighbour with one step less on an axis."""

    axis: str
    step: Scalar
    """The neighbour's value on the axis."""
    mean: float
    se: float

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {"axis": self.axis, "from": self.step, "mean": self.mean, "se": self.se}


@dataclass(frozen=True)
class PointSummary:
    """One point of the grid."""

    settings: Mapping[str, Scalar]
    seats: int
    revenue_p10: float
    revenue_p50: float
    revenue_p90: float
    revenue_mean: float
    revenue_se: float
    accounts_lost: float
    p_target: float | None
    cost_yearly: float | None
    revenue_minus_cost: float | None
    revenue_per_cost: float | None
    marginals: tuple[Marginal, ...]
    pareto: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "settings": dict(self.settings),
            "seats": self.seats,
            "revenue": {
                "mean": self.revenue_mean,
                "se": self.revenue_se,
                "p10": self.revenue_p10,
                "p50": self.revenue_p50,
                "p90": self.revenue_p90,
            },
            "accounts_lost": self.accounts_lost,
            "p_target": self.p_target,
            "team_cost_yearly": self.cost_yearly,
            "revenue_minus_cost": self.revenue_minus_cost,
            "revenue_per_cost": self.revenue_per_cost,
            "marginal": [m.to_dict() for m in self.marginals],
            "pareto": self.pareto,
        }


@dataclass(frozen=True)
class Sweep:
    """Every point of a grid."""

    axes: tuple[tuple[str, tuple[Scalar, ...]], ...]
    trials: int
    seed: int
    horizon: int
    has_cost: bool
    points: tuple[PointSummary, ...]
    skipped: tuple[Mapping[str, Scalar], ...]

    def to_dict(self) -> dict[str, Any]:
        """The ``repfit.sweep/1`` JSON contract."""
        return {
            "schema": "repfit.sweep/1",
            "axes": [{"path": name, "values": list(values)} for name, values in self.axes],
            "trials": self.trials,
            "seed": self.seed,
            "horizon_months": self.horizon,
            "revenue": "revenue over the horizon (months 1 to the horizon)",
            "pareto_cost": "team cost a year" if self.has_cost else "seats (headcount)",
            "points": [p.to_dict() for p in self.points],
            "skipped": [dict(s) for s in self.skipped],
        }


def _total(result: SimulationResult) -> NDArray[np.float64]:
    return np.asarray(result.per_trial["revenue_cumulative"][:, -1], dtype=np.float64)


def _paired(a: NDArray[np.float64], b: NDArray[np.float64]) -> tuple[float, float]:
    d = b - a
    n = d.shape[0]
    return float(d.mean()), (float(d.std(ddof=1) / math.sqrt(n)) if n > 1 else 0.0)


def pareto_front(costs: Sequence[float], values: Sequence[float]) -> list[bool]:
    """True where no other point has cost ≤ and value ≥ with one of them strict."""
    flags = []
    for i, (c, v) in enumerate(zip(costs, values, strict=True)):
        dominated = any(
            (c2 <= c and v2 >= v and (c2 < c or v2 > v))
            for j, (c2, v2) in enumerate(zip(costs, values, strict=True))
            if j != i
        )
        flags.append(not dominated)
    return flags


def summarise_sweep(
    axes: Sequence[tuple[str, Sequence[Scalar]]],
    points: Sequence[tuple[Mapping[str, Scalar], int, SimulationResult]],
    skipped: Sequence[Mapping[str, Scalar]] = (),
) -> Sweep:
    """Summaries, marginal values and the Pareto front of the points that ran."""
    if not points:
        raise ValueError("a sweep needs at least one point that ran")
    first = points[0][2]
    horizon = len(first.months)
    costs_all = [cumulative_cost(r.per_trial) for _, _, r in points]
    with_cost = all(c is not None for c in costs_all)
    totals = [_total(r) for _, _, r in points]
    index = {tuple(s[name] for name, _ in axes): i for i, (s, _, _) in enumerate(points)}
    rows: list[dict[str, Any]] = []
    for (settings, seats, result), total, costs in zip(points, totals, costs_all, strict=True):
        p10, p50, p90 = (float(v) for v in np.percentile(total, [10.0, 50.0, 90.0]))
        cost_yearly = revenue_minus_cost = per_cost = None
        if costs is not None:
            spent = float(costs[:, -1].mean())
            cost_yearly = spent * 12.0 / horizon
            revenue_minus_cost = float(total.mean()) - spent
            per_cost = float(total.mean()) / spent if spent > 0 else None
        marginals = []
        key = tuple(settings[name] for name, _ in axes)
        for a, (name, values) in enumerate(axes):
            position = list(values).index(settings[name])
            if position == 0 or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in values
            ):
                continue
            neighbour = (*key[:a], values[position - 1], *key[a + 1 :])
            j = index.get(neighbour)
            if j is None:
                continue
            theirs = costs_all[j]
            if costs is not None and theirs is not None:
                # Revenue − team cost, paired trial by trial (cost is kept per trial).
                mean, se = _paired(totals[j] - theirs[:, -1], total - costs[:, -1])
            else:
                mean, se = _paired(totals[j], total)
            marginals.append(Marginal(axis=name, step=values[position - 1], mean=mean, se=se))
        rows.append(
            {
                "settings": dict(settings),
                "seats": seats,
                "revenue_p10": p10,
                "revenue_p50": p50,
                "revenue_p90": p90,
                "revenue_mean": float(total.mean()),
                "revenue_se": (
                    float(total.std(ddof=1) / math.sqrt(total.shape[0]))
                    if total.shape[0] > 1
                    else 0.0
                ),
                "accounts_lost": float(result.per_trial["accounts_lost"][:, -1].mean()),
                "p_target": result.target.probability if result.target is not None else None,
                "cost_yearly": cost_yearly,
                "revenue_minus_cost": revenue_minus_cost,
                "revenue_per_cost": per_cost,
                "marginals": tuple(marginals),
            }
        )
    cost_axis: list[float] = [float(r["cost_yearly"] if with_cost else r["seats"]) for r in rows]
    revenues: list[float] = [float(r["revenue_mean"]) for r in rows]
    front = pareto_front(cost_axis, revenues)
    return Sweep(
        axes=tuple((name, tuple(values)) for name, values in axes),
        trials=first.trials,
        seed=first.seed,
        horizon=horizon,
        has_cost=with_cost,
        points=tuple(PointSummary(**r, pareto=f) for r, f in zip(rows, front, strict=True)),
        skipped=tuple(skipped),
    )
