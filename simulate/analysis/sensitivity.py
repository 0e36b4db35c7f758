"""Which assumptions move the answer: one-at-a-time tornado and Sobol indices (pure).

- **One at a time** (:func:`oat_levels`, :func:`tornado`): each assumption is set
  to its value × (1 − range) and × (1 + range) (kept within its bounds), the
  others at their values; every run uses the same seed (common random
  numbers), so the swing of median revenue in the target month is due to the
  assumption, not to luck. Ranked by the size of the swing.
- **Sobol** (:func:`sobol`): first-order and total indices of mean revenue in
  the target month over the box of ranges, with SciPy's ``sobol_indices``
  (Saltelli 2010 estimators, ``n (d + 2)`` model runs) and bootstrap confidence
  intervals. Each model run is a whole simulation on the same seed. An index
  whose interval includes 0 cannot be told from 0.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulate.assumptions import Assumption
from simulate.errors import SimulateError
from simulate.results import SimulationResult

CONFIDENCE = 0.95
"""Level of the bootstrap intervals of Sobol indices."""
BOOTSTRAP_RESAMPLES = 999
"""Bootstrap resamples of the Sobol indices."""


@dataclass(frozen=True)
class Level:
    """An assumption and the low and high values it is tried at."""

    name: str
    value: float
    low: float
    high: float


def oat_levels(
    assumptions: Mapping[str, Assumption], names: Sequence[str], relative: float
) -> list[Level]:
    """Low and high values: ``value × (1 ∓ relative)`` clipped to each assumption's bounds."""
    levels = []
    for name in names:
        a = assumptions[name]
        low, high = a.value * (1 - relative), a.value * (1 + relative)
        low, high = min(low, high), max(low, high)
        if a.minimum is not None:
            low, high = max(low, a.minimum), max(high, a.minimum)
        if a.maximum is not None:
            low, high = min(low, a.maximum), min(high, a.maximum)
        if high > low:
            levels.append(Level(name=name, value=a.value, low=low, high=high))
    return levels


def target_month_values(result: SimulationResult, month: int) -> NDArray[np.float64]:
    """Per-trial revenue in ``month``."""
    return np.asarray(result.per_trial["revenue"][:, month - 1], dtype=np.float64)


@dataclass(frozen=True)
class TornadoBar:
    """One assumption's effect on revenue in the target month."""

    name: str
    value: float
    low: float
    high: float
    p50_low: float
    p50_high: float
    mean_difference: float
    """Mean of high − low, trial by trial."""
    se: float
    """Paired standard error of ``mean_difference``."""

    @property
    def swing(self) -> float:
        """``|P50(high) − P50(low)|``: the bar's length."""
        return abs(self.p50_high - self.p50_low)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "name": self.name,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "p50_low": self.p50_low,
            "p50_high": self.p50_high,
            "swing": self.swing,
            "mean_difference": self.mean_difference,
            "se": self.se,
        }


def tornado(
    levels: Sequence[Level],
    runs: Mapping[str, tuple[SimulationResult, SimulationResult]],
    month: int,
) -> list[TornadoBar]:
    """Bars ranked by swing of median revenue in ``month`` (largest first)."""
    bars = []
    for level in levels:
        low_result, high_result = runs[level.name]
        low = target_month_values(low_result, month)
        high = target_month_values(high_result, month)
        diff = high - low
        n = diff.shape[0]
        bars.append(
            TornadoBar(
                name=level.name,
                value=level.value,
                low=level.low,
                high=level.high,
                p50_low=float(np.median(low)),
                p50_high=float(np.median(high)),
                mean_difference=float(diff.mean()),
                se=float(diff.std(ddof=1) / math.sqrt(n)) if n > 1 else 0.0,
            )
        )
    return sorted(bars, key=lambda b: (-b.swing, b.name))


def excludes_zero(interval: tuple[float, float]) -> bool:
    """True when the interval lies wholly above or wholly below 0."""
    return interval[0] > 0 or interval[1] < 0


@dataclass(frozen=True)
class SobolIndex:
    """First-order and total index of one assumption with bootstrap intervals."""

    name: str
    low: float
    high: float
    first: float
    first_ci: tuple[float, float]
    total: float
    total_ci: tuple[float, float]

    @property
    def distinguishable(self) -> bool:
        """False when the total index's interval includes 0."""
        return excludes_zero(self.total_ci)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "name": self.name,
            "low": self.low,
            "high": self.high,
            "first_order": self.first,
            "first_order_ci": list(self.first_ci),
            "first_order_distinguishable": excludes_zero(self.first_ci),
            "total_order": self.total,
            "total_order_ci": list(self.total_ci),
            "total_order_distinguishable": self.distinguishable,
        }


@dataclass(frozen=True)
class SobolResult:
    """Indices ranked by total index, with the sample size and model runs."""

    indices: tuple[SobolIndex, ...]
    samples: int
    runs: int
    too_wide: bool
    """True when the top two total-order intervals overlap (cannot rank them)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "samples": self.samples,
            "model_runs": self.runs,
            "confidence": CONFIDENCE,
            "bootstrap_resamples": BOOTSTRAP_RESAMPLES,
            "too_wide_to_rank": self.too_wide,
            "indices": [i.to_dict() for i in self.indices],
        }


def _saltelli_2010(
    f_a: NDArray[np.float64], f_b: NDArray[np.float64], f_ab: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """First-order and total Sobol indices from the model's outputs on A, B and each AB_i
    (Saltelli et al. 2010, the estimators scipy.stats.sobol_indices uses by default)."""
    variance = np.var(np.concatenate([f_a, f_b]))
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.mean(f_b * (f_ab - f_a), axis=-1) / variance
        total = 0.5 * np.mean((f_a - f_ab) ** 2, axis=-1) / variance
    # An output that does not vary has no variance to share: its indices are 0.
    return np.where(np.isfinite(first), first, 0.0), np.where(np.isfinite(total), total, 0.0)


def sobol(
    levels: Sequence[Level],
    evaluate: Callable[[Mapping[str, float]], float],
    samples: int,
    seed: int,
) -> SobolResult:
    """Sobol indices of ``evaluate`` over uniform ranges ``[low, high]`` of each level.

    ``samples`` must be a power of two; the model runs ``samples × (d + 2)`` times.
    """
    if samples < 8 or samples & (samples - 1):
        raise SimulateError(
            f"--samples: expected a power of two ≥ 8 (Sobol sequences); found {samples}."
        )
    if len(levels) < 2:
        raise SimulateError(
            f"sensitivity: Sobol indices need at least two assumptions; found {len(levels)}."
        )
    from scipy import stats  # imported on use: keeps the CLI's start-up fast

    names = [level.name for level in levels]
    dists = [stats.uniform(loc=lv.low, scale=lv.high - lv.low) for lv in levels]

    def func(x: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.empty((1, x.shape[1]))
        for j in range(x.shape[1]):
            out[0, j] = evaluate(dict(zip(names, (float(v) for v in x[:, j]), strict=True)))
        return out

    sample_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0x5_0B01,)))
    boot_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0x5_0B02,)))
    # Saltelli's design (as scipy.stats.sobol_indices draws it): A and B from one scrambled
    # Sobol sequence of 2d dimensions, and AB_i = A with column i taken from B.
    d = len(levels)
    a_b = stats.qmc.Sobol(d=2 * d, rng=sample_rng, bits=64).random(samples).T.reshape(2, d, -1)
    for k, dist in enumerate(dists):
        a_b[:, k] = dist.ppf(a_b[:, k])
    a, b = a_b
    ab = np.tile(a, (d, 1, 1))
    ab[np.arange(d), np.arange(d)] = b[np.arange(d)]
    f_a, f_b = func(a)[0], func(b)[0]
    f_ab = np.stack([func(ab[i])[0] for i in range(d)])
    centre = np.mean(np.concatenate([f_a, f_b]))  # Sobol & Levitan (1999), as scipy does
    f_a, f_b, f_ab = f_a - centre, f_b - centre, f_ab - centre
    first, total = _saltelli_2010(f_a, f_b, f_ab)

    def statistic(idx: NDArray[np.int64]) -> NDArray[np.float64]:
        return np.concatenate(_saltelli_2010(f_a[idx], f_b[idx], f_ab[:, idx]))

    with warnings.catch_warnings():  # an assumption with no effect has a degenerate bootstrap
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        boot = stats.bootstrap(
            (np.arange(samples),),
            statistic,
            method="BCa",
            n_resamples=BOOTSTRAP_RESAMPLES,
            confidence_level=CONFIDENCE,
            rng=boot_rng,  # keyed by the seed: the same seed gives the same intervals
        )
    low, high = boot.confidence_interval
    estimate = np.concatenate([first, total])
    constant = np.ptp(boot.bootstrap_distribution, axis=-1) == 0  # e.g. an index exactly 0
    low = np.where(constant, estimate, low)
    high = np.where(constant, estimate, high)
    f_lo, t_lo = low[:d], low[d:]
    f_hi, t_hi = high[:d], high[d:]
    indices = sorted(
        (
            SobolIndex(
                name=lv.name,
                low=lv.low,
                high=lv.high,
                first=float(first[i]),
                first_ci=(float(f_lo[i]), float(f_hi[i])),
                total=float(total[i]),
                total_ci=(float(t_lo[i]), float(t_hi[i])),
            )
            for i, lv in enumerate(levels)
        ),
        key=lambda s: -s.total,
    )
    too_wide = len(indices) >= 2 and indices[1].total_ci[1] >= indices[0].total_ci[0]
    return SobolResult(
        indices=tuple(indices),
        samples=samples,
        runs=samples * (len(levels) + 2),
        too_wide=too_wide,
    )
