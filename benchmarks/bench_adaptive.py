"""Adaptive versus full test on 2,000 simulated respondents (``--quick``: 500).

The bundled provisional item parameters are taken as the truth: each simulated person has
an independent θ ~ N(0, 1) per trait and answers every item from the graded response
model; the full test scores all nine items of a trait (EAP), the adaptive test follows
``assess take --adaptive``'s rules (consistency-pair items first, then the most informative
item at the current EAP θ, stop at posterior SD ≤ target or at the item limit). Prints
the figures docs/scoring.md reports (seed 2026), then the trade-off over other stopping
rules. Rerun: ``python -m benchmarks adaptive``.
"""

from __future__ import annotations

import time

from assess.adaptive import DEFAULT_MAX_ITEMS, DEFAULT_TARGET_SD, AdaptiveSettings, simulate
from assess.profiles import load_questionnaire, questionnaire_irt

SEED = 2026
"""Seed of the reported run."""


def main(quick: bool = False) -> None:
    """Print the adaptive-testing figures."""
    respondents = 500 if quick else 2000
    q = load_questionnaire("sales-traits")
    params = questionnaire_irt("sales-traits", q)
    assert params is not None
    grm = params.grm_items()
    start = time.perf_counter()
    f = simulate(q, grm, respondents, SEED)
    elapsed = time.perf_counter() - start
    print(
        f"{respondents} simulated respondents × {len(q.traits)} traits, seed {SEED}, "
        f"target SD {DEFAULT_TARGET_SD}, at most {DEFAULT_MAX_ITEMS} items per trait "
        f"({elapsed:.1f} s)"
    )
    print(f"  trait items per trait   full {f.full_items:.2f}   adaptive {f.adaptive_items:.2f}")
    print(f"  items saved             {f.saving:.1%}   (issue 18: at least 40 %)")
    print(
        f"  mean posterior SD       full {f.full_sd:.3f}   adaptive {f.adaptive_sd:.3f}   "
        f"+{f.sd_increase:.1%}   (issue 18: at most +15 %)"
    )
    print(
        f"  reliability 1 − SD²     full {f.reliability_full:.3f}   "
        f"adaptive {f.reliability_adaptive:.3f}"
    )
    print(
        f"  r(adaptive θ, full θ)   {f.correlation:.3f} pooled, lowest trait "
        f"{f.min_trait_correlation:.3f}   (issue 18: at least 0.9)"
    )
    print(
        f"  r(θ estimate, true θ)   full {f.true_correlation_full:.3f}   "
        f"adaptive {f.true_correlation_adaptive:.3f}"
    )
    stops = ", ".join(f"{reason} {share:.1%}" for reason, share in f.stop_reasons.items())
    print(f"  stops                   {stops}")
    print()
    print("Other stopping rules (same respondents):")
    print("  target SD  max items  items  saved   SD adaptive  SD +%   r(full)")
    for target in (0.40, 0.45, 0.50):
        for max_items in (5, 7, 9):
            g = simulate(q, grm, respondents, SEED, AdaptiveSettings(target, max_items))
            print(
                f"  {target:9.2f}  {max_items:9d}  {g.adaptive_items:5.2f}  {g.saving:5.1%}"
                f"   {g.adaptive_sd:11.3f}  {g.sd_increase:+5.1%}  {g.correlation:7.3f}"
            )
