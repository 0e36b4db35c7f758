"""Paired comparison of variants run on common random numbers (pure).

Every variant runs with the same seed, so trial *i* of each variant meets the
same economy, churn and management-change draws as far as the model allows.
The difference of an outcome is then taken trial by trial, and its standard
error comes from the spread of those paired differences: much smaller than the
standard error two independent runs would give, because the shared luck
cancels. Both are reported so the gain is visible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulate.analysis.metrics import (
    OUTCOMES,
    Outcome,
    checkpoints,
    outcome_values,
)
from simulate.errors import SimulateError
from simulate.results import SimulationResult

CONFIDENCE = 0.95
"""Level of the confidence intervals of differences."""


@dataclass(frozen=True)
class PairedDifference:
    """Variant minus baseline for one outcome in one month, trial by trial."""

    outcome: str
    month: int
    baseline: float
    """Baseline mean."""
    variant: float
    """Variant mean."""
    difference: float
    """Mean of the per-trial differences (variant − baseline)."""
    se: float
    """Standard error of the mean difference from the paired differences."""
    se_independent: float
    """The standard error two independent runs of the same size would give."""
    ci_low: float
    ci_high: float
    p_better: float
    """Share of trials in which the variant does better (ties count half)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "outcome": self.outcome,
            "month": self.month,
            "baseline_mean": self.baseline,
            "variant_mean": self.variant,
            "difference": self.difference,
            "se": self.se,
            "se_independent": self.se_independent,
            "ci95": [self.ci_low, self.ci_high],
            "p_better": self.p_better,
        }


def paired_difference(
    outcome: Outcome, month: int, baseline: NDArray[np.float64], variant: NDArray[np.float64]
) -> PairedDifference:
    """Compare two per-trial vectors of the same trials."""
    n = baseline.shape[0]
    diff = variant - baseline
    mean = float(diff.mean())
    if n > 1:
        se = float(diff.std(ddof=1) / math.sqrt(n))
        se_ind = math.sqrt(float(baseline.var(ddof=1)) / n + float(variant.var(ddof=1)) / n)
        from scipy import stats  # imported on use: keeps the CLI's start-up fast

        half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1)) * se
    else:
        se = se_ind = half = 0.0
    better = diff > 0 if outcome.higher_is_better else diff < 0
    ties = diff == 0
    p_better = float(better.mean() + 0.5 * ties.mean())
    return PairedDifference(
        outcome=outcome.name,
        month=month,
        baseline=float(baseline.mean()),
        variant=float(variant.mean()),
        difference=mean,
        se=se,
        se_independent=se_ind,
        ci_low=mean - half,
        ci_high=mean + half,
        p_better=p_better,
    )


@dataclass(frozen=True)
class VariantComparison:
    """One variant against the baseline."""

    name: str
    differences: tuple[PairedDifference, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {"name": self.name, "differences": [d.to_dict() for d in self.differences]}


@dataclass(frozen=True)
class Comparison:
    """Every variant against the first (the baseline)."""

    names: tuple[str, ...]
    trials: int
    seed: int
    months: tuple[int, ...]
    outcomes: tuple[str, ...]
    means: dict[str, dict[str, list[float]]]
    """Variant name -> outcome -> mean at each of ``months``."""
    variants: tuple[VariantComparison, ...]

    def to_dict(self) -> dict[str, Any]:
        """The ``repfit.compare/1`` JSON contract."""
        return {
            "schema": "repfit.compare/1",
            "baseline": self.names[0],
            "variants": list(self.names),
            "trials": self.trials,
            "seed": self.seed,
            "months": list(self.months),
            "outcomes": list(self.outcomes),
            "confidence": CONFIDENCE,
            "means": self.means,
            "comparisons": [v.to_dict() for v in self.variants],
        }


def compare_results(names: Sequence[str], results: Sequence[SimulationResult]) -> Comparison:
    """Each result against the first, at months 12, 24 and the (shortest) horizon."""
    if len(results) < 2 or len(names) != len(results):
        raise SimulateError("compare: expected at least two variants with a name each.")
    base = results[0]
    for name, result in zip(names[1:], results[1:], strict=True):
        if result.trials != base.trials or result.seed != base.seed:
            raise SimulateError(
                f"compare: variant '{name}' ran {result.trials} trials with seed {result.seed}; "
                f"expected the baseline's {base.trials} trials and seed {base.seed} (paired "
                "differences need the same trials on the same random numbers)."
            )
    horizon = min(len(r.months) for r in results)
    months = checkpoints(horizon)
    outcomes = tuple(
        o for o in OUTCOMES if all(outcome_values(r, o.name) is not None for r in results)
    )
    means = {
        name: {o.name: [float(_values(r, o)[:, m - 1].mean()) for m in months] for o in outcomes}
        for name, r in zip(names, results, strict=True)
    }
    variants = tuple(
        VariantComparison(
            name=name,
            differences=tuple(_difference(o, m, base, r) for o in outcomes for m in months),
        )
        for name, r in zip(names[1:], results[1:], strict=True)
    )
    return Comparison(
        names=tuple(names),
        trials=base.trials,
        seed=base.seed,
        months=months,
        outcomes=tuple(o.name for o in outcomes),
        means=means,
        variants=variants,
    )


def _difference(
    outcome: Outcome, month: int, base: SimulationResult, variant: SimulationResult
) -> PairedDifference:
    return paired_difference(
        outcome,
        month,
        _values(base, outcome)[:, month - 1],
        _values(variant, outcome)[:, month - 1],
    )


def _values(result: SimulationResult, outcome: Outcome) -> NDArray[np.float64]:
    values = outcome_values(result, outcome.name)
    assert values is not None
    return values
