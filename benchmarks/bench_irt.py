"""Graded-response calibration: parameter recovery, standard errors and fit time.

3,000 simulated respondents, 8 items, 5 categories (the parameters of
tests/assess/test_irt.py), fitted ``REPLICATIONS`` times (``--quick``: 4): RMSE of a and
of b against the truth, and the reported standard errors against the spread of the
estimates across replications. Rerun: ``python -m benchmarks irt``.
"""

from __future__ import annotations

import time

import numpy as np

from assess import irt
from assess.irt import GrmItem

A_TRUE = [0.9, 1.05, 1.2, 1.35, 1.5, 1.65, 1.8, 1.95]
B_TRUE = [
    (-2.0, -0.9, 0.2, 1.4),
    (-1.7, -0.6, 0.5, 1.6),
    (-2.2, -1.1, 0.0, 1.2),
    (-1.5, -0.4, 0.7, 1.8),
    (-1.9, -0.8, 0.3, 1.5),
    (-1.6, -0.5, 0.6, 1.6),
    (-2.1, -1.0, 0.1, 1.3),
    (-1.8, -0.7, 0.4, 1.7),
]
REPLICATIONS = 20


def main(quick: bool = False) -> None:
    """Print recovery and standard-error figures."""
    items = [GrmItem(a, b) for a, b in zip(A_TRUE, B_TRUE, strict=True)]
    ids = [f"i{j + 1}" for j in range(len(items))]
    truth = np.array([[a, *b] for a, b in zip(A_TRUE, B_TRUE, strict=True)])
    replications = 4 if quick else REPLICATIONS
    values, errors, seconds, iterations = [], [], [], []
    for seed in range(replications):
        rng = np.random.default_rng([18, 1000 + seed])
        x = irt.simulate_responses(items, rng.standard_normal(3000), rng).astype(np.float64)
        start = time.perf_counter()
        fit = irt.fit_grm(ids, x, 5)
        seconds.append(time.perf_counter() - start)
        iterations.append(fit.iterations)
        values.append([[item.a, *item.b] for item in fit.items.values()])
        errors.append([[item.a_se, *item.b_se] for item in fit.items.values()])
    est, se = np.array(values), np.array(errors)
    rmse_a = float(np.sqrt(np.mean((est[:, :, 0] - truth[:, 0]) ** 2)))
    rmse_b = float(np.sqrt(np.mean((est[:, :, 1:] - truth[:, 1:]) ** 2)))
    spread = est.std(axis=0, ddof=1)
    ratio_a = float(np.sqrt(np.mean(se[:, :, 0] ** 2)) / np.sqrt(np.mean(spread[:, 0] ** 2)))
    ratio_b = float(np.sqrt(np.mean(se[:, :, 1:] ** 2)) / np.sqrt(np.mean(spread[:, 1:] ** 2)))
    print(f"{replications} replications × 3,000 respondents, 8 items, 5 categories")
    print(f"  RMSE a {rmse_a:.4f}   RMSE b {rmse_b:.4f}   (issue 18: below 0.08)")
    print(
        f"  reported SE / spread of estimates: a {ratio_a:.3f}, b {ratio_b:.3f}   "
        "(issue 18: within 25 %)"
    )
    print(
        f"  fit: {np.mean(seconds):.2f} s on average (EM iterations {min(iterations)}–"
        f"{max(iterations)}, standard errors included)"
    )
