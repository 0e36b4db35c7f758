"""Calibration figures of issue 12 (``python -m benchmarks trust``): how often each flag
fires on simulated honest respondents, moderate fakers, yes-sayers and the four archetypes,
scored against local norms; the faking index's ROC curve; four-fifths-rule selection rates.

The simulation (``assess.calibration``) is seeded: the same seed prints the same figures,
the ones docs/scoring.md reports and ``tests/assess/test_calibration.py`` asserts.
"""

from __future__ import annotations

import numpy as np

from assess import calibration
from assess.profiles import load_questionnaire

SEED = 12
"""Seed of the figures in docs/scoring.md."""


def main(quick: bool = False) -> None:
    """Print the figures (2,000 respondents per group; 500 with ``--quick``)."""
    q = load_questionnaire()
    n = 500 if quick else 2000
    figures = calibration.measure(q, n=n, seed=SEED)
    print(f"{n} simulated respondents per group, local norms, seed {SEED}")
    alphas = [norm.reliability or 0.0 for norm in figures.norms.traits.values()]
    print(f"alpha in the norm sample: {min(alphas):.3f}–{max(alphas):.3f}")
    header = (
        f"{'group':<16}{'any risky':>10}{'mean':>6}{'order-taker':>12}{'faking':>8}"
        f"{'polished':>9}{'own best':>9}{'farmer fit':>11}"
    )
    print(header)
    for name, g in figures.groups.items():
        own = f"{g.best_fit_own:.0%}" if g.best_fit_own is not None else "—"
        print(
            f"{name:<16}{g.any_risky:>10.1%}{g.mean_risky:>6.2f}{g.order_taker:>12.1%}"
            f"{g.faking:>8.1%}{g.desirable_flag:>9.1%}{own:>9}{g.farmer_fit:>11.1f}"
        )
    print(
        "honest, any risky-trait flag by role applied for: "
        + ", ".join(f"{role} {share:.1%}" for role, share in figures.any_risky_by_role.items())
    )
    print(f"faking index AUC (honest vs moderate fakers): {figures.auc:.3f}")
    print(
        "ROC (false alarm -> hit):",
        ", ".join(
            f"{fa:.2f}->{hit:.2f}" for fa, hit in _thin(figures.roc_false_alarm, figures.roc_hit)
        ),
    )
    top, caught, left = calibration.fakers_in_top_decile(figures)
    print(
        f"9 % moderate fakers in a pool ranked by farmer fit: {top:.0%} of the top 10 %; "
        f"{caught:.0%} of those fakers flagged; {left:.0%} of the top 10 % once flagged "
        "candidates are set aside"
    )
    agreement = calibration.band_agreement(q, n=n, seed=SEED)
    print(f"band of T equals the band of the true score (perfect norms): {agreement:.1%}")
    print("four-fifths rule: share NOT flagged (selection rate) relative to honest")
    base = figures.groups["honest"]
    for flag in ("faking", "order_taker", "any_risky"):
        rates = {name: 1 - getattr(g, flag) for name, g in figures.groups.items()}
        print(
            f"  {flag:<12}"
            + "  ".join(
                f"{name} {rate:.2f} ({rate / (1 - getattr(base, flag)):.2f})"
                for name, rate in rates.items()
            )
        )


def _thin(false_alarm: np.ndarray, hit: np.ndarray) -> list[tuple[float, float]]:
    points = []
    for target in (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5):
        index = int(np.searchsorted(false_alarm, target, side="right")) - 1
        points.append((float(false_alarm[index]), float(hit[index])))
    return points


if __name__ == "__main__":
    main()
