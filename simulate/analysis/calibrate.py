"""Churn calibrated from history: the shifted-beta-geometric model (pure).

Fader & Hardie, "How to Project Customer Retention" (Journal of Interactive
Marketing, 2007): each account renews every period with its own probability;
churn probabilities vary across accounts as Beta(a, b). An account is lost at
renewal ``t`` (t = 1, 2, …) with probability ``P(T = t) = B(a + 1, b + t − 1) / B(a, b)``
and survives ``t`` renewals with probability ``S(t) = B(a, b + t) / B(a, b)``.

:func:`fit_sbg` maximises the likelihood of observed lifetimes, with accounts
still active right-censored (they contribute ``S(t)``); standard errors come
from the observed information (the inverse Hessian of the negative
log-likelihood at the maximum). Inputs are either per-account lifetimes
(:func:`lifetimes_from_histories`) or a cohort survival table
(:func:`lifetimes_from_cohort`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulate.errors import SimulateError


@dataclass(frozen=True)
class Lifetimes:
    """Observed lifetimes in whole periods."""

    periods: NDArray[np.int64]
    """Renewals reached: for a lost account the renewal ``t ≥ 1`` at which it was lost; for
    an active one the renewals it has survived so far (``≥ 0``)."""
    lost: NDArray[np.bool_]
    """True when the account was lost (False: still active, right-censored)."""
    observed_survival: tuple[float, ...]
    """Observed share surviving each period 1, 2, … (cohort share, or Kaplan–Meier)."""

    @property
    def accounts(self) -> int:
        """Number of accounts."""
        return int(self.periods.shape[0])


def _kaplan_meier(periods: NDArray[np.int64], lost: NDArray[np.bool_]) -> tuple[float, ...]:
    """Discrete-time Kaplan–Meier survival at periods 1 … the last observed one."""
    last = int(periods.max()) if periods.size else 0
    survival: list[float] = []
    s = 1.0
    for t in range(1, last + 1):
        at_risk = int(np.sum(periods >= t))
        lost_t = int(np.sum(lost & (periods == t)))
        if at_risk == 0:
            break
        s *= 1.0 - lost_t / at_risk
        survival.append(s)
    return tuple(survival)


def lifetimes_from_histories(
    starts: Sequence[int], ends: Sequence[int | None], as_of: int, length: int = 1
) -> Lifetimes:
    """Per-account lifetimes from start and end period indices (``None``: still active).

    ``length`` is how many index units make one period (12 to fit yearly churn from
    monthly indices). A lost account is lost at renewal ``ceil((end − start) / length)``,
    at least 1 (an account that ends in the period it started is lost at its first
    renewal); an active one has survived ``floor((as_of − start) / length)`` renewals.
    """
    periods = np.empty(len(starts), dtype=np.int64)
    lost = np.empty(len(starts), dtype=np.bool_)
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if end is None:
            periods[i] = (as_of - start) // length
            lost[i] = False
        else:
            periods[i] = max(1, -(-(end - start) // length))
            lost[i] = True
    return Lifetimes(periods=periods, lost=lost, observed_survival=_kaplan_meier(periods, lost))


def lifetimes_from_cohort(alive: Sequence[int]) -> Lifetimes:
    """Lifetimes of a cohort from its survivors per period (``alive[0]``: the cohort size)."""
    counts = np.asarray(alive, dtype=np.int64)
    lost_counts = counts[:-1] - counts[1:]
    periods = np.concatenate(
        [
            np.repeat(np.arange(1, len(counts), dtype=np.int64), lost_counts),
            np.full(int(counts[-1]), len(counts) - 1, dtype=np.int64),
        ]
    )
    lost = np.concatenate(
        [np.ones(int(lost_counts.sum()), dtype=np.bool_), np.zeros(int(counts[-1]), np.bool_)]
    )
    observed = tuple(float(c / counts[0]) for c in counts[1:])
    return Lifetimes(periods=periods, lost=lost, observed_survival=observed)


def sbg_survival(a: float, b: float, t: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """``S(t) = B(a, b + t) / B(a, b)``."""
    from scipy import special  # imported on use: keeps the CLI's start-up fast

    log_s = special.betaln(a, b + np.asarray(t, dtype=np.float64)) - special.betaln(a, b)
    return np.asarray(np.exp(log_s), dtype=np.float64)


def sbg_loglik(a: float, b: float, data: Lifetimes) -> float:
    """Log-likelihood of the lifetimes under sBG(a, b)."""
    from scipy import special

    t = data.periods.astype(np.float64)
    base = special.betaln(a, b)
    churn = special.betaln(a + 1.0, b + t[data.lost] - 1.0) - base
    alive = special.betaln(a, b + t[~data.lost]) - base
    return float(churn.sum() + alive.sum())


@dataclass(frozen=True)
class SbgFit:
    """A fitted shifted-beta-geometric model."""

    a: float
    b: float
    a_se: float
    b_se: float
    loglik: float
    accounts: int
    lost: int
    observed: tuple[float, ...]
    fitted: tuple[float, ...]

    @property
    def mean_churn(self) -> float:
        """Mean churn probability per period across accounts, ``a / (a + b)``."""
        return self.a / (self.a + self.b)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: model, a, b, their SEs, loglik, survival per period."""
        return {
            "model": "sbg",
            "a": self.a,
            "b": self.b,
            "a_se": self.a_se,
            "b_se": self.b_se,
            "loglik": self.loglik,
            "mean_churn": self.mean_churn,
            "accounts": self.accounts,
            "lost": self.lost,
            "active": self.accounts - self.lost,
            "survival": [
                {"period": t + 1, "observed": o, "fitted": f}
                for t, (o, f) in enumerate(zip(self.observed, self.fitted, strict=True))
            ],
        }


def _hessian(f: Any, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Central-difference Hessian of ``f`` at ``x`` (relative steps)."""
    n = x.shape[0]
    h = 1e-4 * np.maximum(np.abs(x), 1e-3)
    hess = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            ei = np.zeros(n)
            ej = np.zeros(n)
            ei[i] = h[i]
            ej[j] = h[j]
            value = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * h[i] * h[j]
            )
            hess[i, j] = hess[j, i] = value
    return hess


def fit_sbg(data: Lifetimes) -> SbgFit:
    """Maximum-likelihood sBG fit with standard errors from the observed information."""
    if data.accounts == 0:
        raise SimulateError("calibrate: expected at least one account; found none.")
    lost = int(data.lost.sum())
    if lost == 0:
        raise SimulateError(
            "calibrate: no account was lost in the history, so churn cannot be estimated "
            "(every account is still active); expected at least one ended account."
        )
    if int(data.periods.max()) < 2:
        raise SimulateError(
            "calibrate: the history covers one period only; expected lifetimes over at least "
            "two periods to tell a from b."
        )

    from scipy import optimize

    def negative(log_ab: NDArray[np.float64]) -> float:
        a, b = np.exp(log_ab)
        return -sbg_loglik(float(a), float(b), data)

    best = None
    for start in ((0.0, 0.0), (-1.0, 1.0), (1.0, 2.0)):
        found = optimize.minimize(
            negative,
            np.array(start),
            method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20_000},
        )
        if best is None or found.fun < best.fun:
            best = found
    assert best is not None
    a, b = (float(v) for v in np.exp(best.x))
    if not (math.isfinite(a) and math.isfinite(b)) or a > 1e6 or b > 1e6:
        raise SimulateError(
            "calibrate: the fit did not converge (a or b ran off to infinity); the history "
            "looks like one churn rate shared by every account, which sBG cannot separate."
        )
    hess = _hessian(lambda p: -sbg_loglik(float(p[0]), float(p[1]), data), np.array([a, b]))
    try:
        cov = np.linalg.inv(hess)
        a_se, b_se = (float(math.sqrt(v)) if v > 0 else math.nan for v in np.diag(cov))
    except np.linalg.LinAlgError:
        a_se = b_se = math.nan
    periods = np.arange(1, len(data.observed_survival) + 1, dtype=np.float64)
    fitted = tuple(float(v) for v in sbg_survival(a, b, periods))
    return SbgFit(
        a=a,
        b=b,
        a_se=a_se,
        b_se=b_se,
        loglik=sbg_loglik(a, b, data),
        accounts=data.accounts,
        lost=lost,
        observed=data.observed_survival,
        fitted=fitted,
    )


def scenario_snippet(fit: SbgFit, period: str, source: str) -> str:
    """YAML for a scenario's ``book:`` section with the fitted churn distribution."""
    return (
        f"# Churn fitted by `simulate calibrate` from {source}: shifted-beta-geometric,\n"
        f"# {fit.accounts:,} accounts ({fit.lost:,} lost), log-likelihood {fit.loglik:.3f};\n"
        f"# a = {fit.a:.4f} ± {fit.a_se:.4f}, b = {fit.b:.4f} ± {fit.b_se:.4f} (standard errors);\n"
        f"# mean churn {100 * fit.mean_churn:.2f} % a {period}. Each account draws its own\n"
        f"# churn probability per {period} from Beta(a, b). Put this under `book:`.\n"
        f"churn_propensity: {{beta: {{a: {fit.a:.4f}, b: {fit.b:.4f}}}, period: {period}}}\n"
    )
