"""Does the assessment predict? Scores against later outcomes (``assess criterion``).

Pure: takes profiles and an outcomes table (candidate id -> outcome name -> number) and
returns correlations with confidence intervals and expectancy tables; no files, no
terminal. This is how a team replaces the provisional role targets with evidence: collect
outcomes (quota attainment, tenure in months, account growth, any number) for people who
were assessed, and see which traits and which role fits go with good outcomes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assess.model import Profile

FloatArray = npt.NDArray[np.float64]

CONFIDENCE = 0.95
"""Level of the confidence interval on each correlation (share)."""

MIN_N = 10
"""Fewest candidates with both a score and an outcome for a correlation at all (count);
below it the row says why it is empty."""

SMALL_N = 50
"""Below this many candidates a correlation's 95 % interval is wider than ±0.28 around
zero, too wide to tell a useful predictor (r ≈ 0.2–0.3 in personnel selection; Schmidt &
Hunter 1998) from none: the report warns (count)."""

QUINTILES = 5
"""Groups of the expectancy table (fit quintiles)."""


@dataclass(frozen=True)
class Correlation:
    """Pearson correlation of one predictor with one outcome."""

    predictor: str
    """``t:<trait id>`` for a trait's T-score, ``fit:<role id>`` for a role fit."""
    outcome: str
    """Outcome column."""
    n: int
    """Candidates with both values."""
    r: float | None
    """Pearson r (None below :data:`MIN_N` or without variance)."""
    low: float | None
    """Lower end of the 95 % interval (Fisher z)."""
    high: float | None
    """Upper end of the 95 % interval."""
    p: float | None
    """Two-sided p-value of r = 0."""


@dataclass(frozen=True)
class ExpectancyRow:
    """One fit quintile: its fit range and the mean outcome in it."""

    quintile: int
    """1 = lowest fits."""
    fit_low: float
    """Lowest fit in the group."""
    fit_high: float
    """Highest fit in the group."""
    n: int
    """Candidates in the group with the outcome."""
    mean: float | None
    """Mean outcome in the group."""


@dataclass(frozen=True)
class CriterionReport:
    """Everything ``assess criterion`` prints."""

    n_profiles: int
    """Profiles read."""
    n_matched: int
    """Profiles with a row in the outcomes table."""
    outcomes: list[str]
    """Outcome columns."""
    correlations: list[Correlation]
    """Every predictor × outcome."""
    expectancy: dict[str, dict[str, list[ExpectancyRow]]]
    """Role id -> outcome -> rows by fit quintile."""
    warnings: list[str]
    """Plain-language warnings (too few candidates, unmatched ids)."""


def correlate(
    x: FloatArray, y: FloatArray, confidence: float = CONFIDENCE
) -> tuple[int, float | None, float | None, float | None, float | None]:
    """n, r, interval and p for the pairs where both are present (Fisher z interval:
    tanh(atanh r ± z / √(n − 3)))."""
    from scipy import stats  # here, not at import: scipy.stats costs ~1 CPU-s on every start

    both = ~(np.isnan(x) | np.isnan(y))
    n = int(both.sum())
    if n < MIN_N or np.std(x[both]) == 0 or np.std(y[both]) == 0:
        return n, None, None, None, None
    r, p = stats.pearsonr(x[both], y[both])
    r = float(np.clip(r, -1.0, 1.0))
    z = stats.norm.ppf(0.5 + confidence / 2)
    centre = math.atanh(min(max(r, -0.999999), 0.999999))
    half = z / math.sqrt(n - 3)
    return n, r, math.tanh(centre - half), math.tanh(centre + half), float(p)


def predictors(profiles: Sequence[Profile]) -> dict[str, FloatArray]:
    """Predictor name -> values per profile (NaN when missing): every trait's T, every
    role's fit."""
    names: list[str] = []
    for profile in profiles:
        for trait_id in profile.traits:
            if f"t:{trait_id}" not in names:
                names.append(f"t:{trait_id}")
        for fit in profile.role_fit:
            if f"fit:{fit.role}" not in names:
                names.append(f"fit:{fit.role}")
    out = {name: np.full(len(profiles), np.nan) for name in names}
    for row, profile in enumerate(profiles):
        for trait_id, score in profile.traits.items():
            if score.t is not None:
                out[f"t:{trait_id}"][row] = score.t
        for fit in profile.role_fit:
            if fit.fit is not None:
                out[f"fit:{fit.role}"][row] = fit.fit
    return out


def expectancy(
    fit: FloatArray, outcome: FloatArray, groups: int = QUINTILES
) -> list[ExpectancyRow]:
    """Mean outcome by fit quintile (candidates with both values, ranked by fit; ties keep
    their order); empty when fewer candidates than groups."""
    both = ~(np.isnan(fit) | np.isnan(outcome))
    fits, values = fit[both], outcome[both]
    if len(fits) < groups:
        return []
    order = np.argsort(fits, kind="stable")
    rows = []
    for number, members in enumerate(np.array_split(order, groups), start=1):
        rows.append(
            ExpectancyRow(
                quintile=number,
                fit_low=float(fits[members].min()),
                fit_high=float(fits[members].max()),
                n=len(members),
                mean=float(values[members].mean()),
            )
        )
    return rows


def criterion_report(
    profiles: Sequence[Profile], outcomes: Mapping[str, Mapping[str, float]]
) -> CriterionReport:
    """Correlate every trait T and role fit with every outcome; expectancy tables by role
    fit quintile. ``outcomes`` maps candidate id -> outcome name -> value (NaN = missing)."""
    columns: list[str] = []
    for row in outcomes.values():
        for name in row:
            if name not in columns:
                columns.append(name)
    matched = [p for p in profiles if p.candidate.id in outcomes]
    warnings: list[str] = []
    unmatched = len(profiles) - len(matched)
    if unmatched:
        warnings.append(
            f"{unmatched} of {len(profiles)} profiles have no row in the outcomes table and "
            "are left out."
        )
    values = {
        name: np.array(
            [outcomes[p.candidate.id].get(name, math.nan) for p in matched], dtype=np.float64
        )
        for name in columns
    }
    scores = predictors(matched)
    correlations = [
        Correlation(predictor, outcome, *correlate(x, values[outcome]))
        for predictor, x in scores.items()
        for outcome in columns
    ]
    roles = [name.removeprefix("fit:") for name in scores if name.startswith("fit:")]
    table = {
        role: {outcome: expectancy(scores[f"fit:{role}"], values[outcome]) for outcome in columns}
        for role in roles
    }
    largest = max((c.n for c in correlations), default=0)
    if largest < MIN_N:
        warnings.append(
            f"Only {largest} candidates have both a score and an outcome: too few to say "
            f"anything (at least {MIN_N} are needed for a correlation, and {SMALL_N} or more "
            "to tell a useful predictor from none)."
        )
    elif largest < SMALL_N:
        warnings.append(
            f"Only {largest} candidates have both a score and an outcome: each correlation's "
            "95 % interval is very wide, so a correlation near zero does not show the score "
            f"is useless, nor a large one that it works. Collect {SMALL_N} or more."
        )
    return CriterionReport(
        n_profiles=len(profiles),
        n_matched=len(matched),
        outcomes=columns,
        correlations=correlations,
        expectancy=table,
        warnings=warnings,
    )
