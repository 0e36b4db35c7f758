"""What a hire does to the book: candidates against the current team, paired (pure).

Every option (a candidate in a role) runs on the baseline's trials and seed, and the
candidate's seat is keyed by its slot, so trial *i* of every option meets the same
economy, churn, management changes and seat turnover, and the same standardised
measurement-error draws. Differences are taken trial by trial (:func:`paired_difference`),
and so are the differences between candidates: "not distinguishable" means the 95 %
interval of the paired difference between two candidates includes 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulate.analysis.compare import CONFIDENCE, PairedDifference, paired_difference
from simulate.analysis.metrics import OUTCOMES, Outcome, checkpoints, outcome_values
from simulate.errors import SimulateError
from simulate.results import SimulationResult

RESET_MEETINGS = Outcome("reset_meetings", "reset meetings to date", True, "count")
"""The one outcome ``simulate hire`` adds to ``compare``'s: a hire's proactive conversations."""

_KNOWN = {outcome.name: outcome for outcome in (*OUTCOMES, RESET_MEETINGS)}
HIRE_OUTCOMES: tuple[Outcome, ...] = tuple(
    _KNOWN[name]
    for name in (
        "revenue",
        "revenue_cumulative",
        "revenue_minus_cost",
        "accounts_lost",
        "reset_meetings",
        "wallet_share",
        "new_logos",
    )
)
"""What ``simulate hire`` reports against the baseline, in order (``compare``'s outcomes,
the same labels, and reset meetings)."""

RANK_OUTCOME = "revenue_minus_cost"
"""Candidates are ranked by the paired difference of revenue − team cost to date ..."""
RANK_MONTH = 24
"""... at this month (or the horizon, when shorter)."""


@dataclass(frozen=True)
class HireOption:
    """One candidate in one role, and the run of the team with them."""

    candidate: str
    """Candidate id."""
    name: str | None
    role: str
    result: SimulationResult
    warnings: tuple[str, ...] = ()
    sem_mean: float = 0.0
    """Mean standard error of the traits the projection drew from (T points)."""
    behaviour: Mapping[str, float] = field(default_factory=dict)
    """The seat's behaviour at the candidate's T-scores (archetype field -> value)."""


def values(result: SimulationResult, name: str) -> NDArray[np.float64]:
    """Per-trial values (trials × months); reset meetings summed to date."""
    if name == "reset_meetings":
        return np.cumsum(np.asarray(result.per_trial["reset_meetings"], dtype=np.float64), axis=1)
    found = outcome_values(result, name)
    if found is None:
        raise SimulateError(f"hire: the runs carry no '{name}' (team cost is needed).")
    return found


def payback(net: NDArray[np.float64]) -> dict[str, Any]:
    """When the hire's cumulative revenue − cost (paired, trials × months) turns positive.

    ``month``: the first month from which the mean difference stays above 0 to the horizon;
    ``early``/``late``: the same for the upper and the lower end of its 95 % interval (the
    interval of the payback month); None when it does not happen within the horizon.
    ``share_paid_back``: trials whose own difference is above 0 at the horizon.
    """
    months = net.shape[1]
    stats = [paired_difference(HIRE_OUTCOMES[2], m + 1, np.zeros(net.shape[0]), net[:, m])
             for m in range(months)]  # fmt: skip

    def first_from(series: Sequence[float]) -> int | None:
        month: int | None = None
        for m in range(months - 1, -1, -1):
            if series[m] > 0:
                month = m + 1
            else:
                break
        return month

    return {
        "month": first_from([s.difference for s in stats]),
        "early": first_from([s.ci_high for s in stats]),
        "late": first_from([s.ci_low for s in stats]),
        "share_paid_back": float(np.mean(net[:, -1] > 0)),
    }


def _option_dict(
    option: HireOption, base: SimulationResult, months: Sequence[int]
) -> dict[str, Any]:
    differences: list[PairedDifference] = []
    for outcome in HIRE_OUTCOMES:
        b, v = values(base, outcome.name), values(option.result, outcome.name)
        differences.extend(paired_difference(outcome, m, b[:, m - 1], v[:, m - 1]) for m in months)
    net = values(option.result, RANK_OUTCOME) - values(base, RANK_OUTCOME)
    return {
        "candidate": option.candidate,
        "name": option.name,
        "role": option.role,
        "warnings": list(option.warnings),
        "trait_sem_mean": option.sem_mean,
        "behaviour": dict(option.behaviour),
        "differences": [d.to_dict() for d in differences],
        "payback": payback(net),
    }


def project_hires(
    baseline: SimulationResult, options: Sequence[HireOption], baseline_name: str
) -> dict[str, Any]:
    """The ``repfit.hire/1`` document: each option against the baseline, the ranking of the
    candidates in each role, and the role where each candidate adds most."""
    if not options:
        raise SimulateError("hire: expected at least one candidate.")
    for option in options:
        r = option.result
        if r.trials != baseline.trials or r.seed != baseline.seed:
            raise SimulateError(
                f"hire: candidate {option.candidate} ran {r.trials} trials with seed {r.seed}; "
                f"expected the baseline's {baseline.trials} trials and seed {baseline.seed}."
            )
    horizon = min(len(baseline.months), *(len(o.result.months) for o in options))
    months = checkpoints(horizon)
    rank_month = min(RANK_MONTH, horizon)
    rank_outcome = HIRE_OUTCOMES[2]
    base_net = values(baseline, RANK_OUTCOME)[:, rank_month - 1]
    net = {
        (o.candidate, o.role): values(o.result, RANK_OUTCOME)[:, rank_month - 1] - base_net
        for o in options
    }
    roles = list(dict.fromkeys(o.role for o in options))
    rankings: dict[str, list[dict[str, Any]]] = {}
    for role in roles:
        ranked = sorted(
            (o for o in options if o.role == role),
            key=lambda o: -float(net[(o.candidate, o.role)].mean()),
        )
        rows: list[dict[str, Any]] = []
        for place, option in enumerate(ranked, start=1):
            impact = paired_difference(
                rank_outcome, rank_month, np.zeros_like(base_net), net[(option.candidate, role)]
            )
            row: dict[str, Any] = {
                "rank": place,
                "candidate": option.candidate,
                "name": option.name,
                "impact": impact.difference,
                "ci95": [impact.ci_low, impact.ci_high],
                "distinguishable_from_next": None,
            }
            if place < len(ranked):
                after = ranked[place]
                gap = paired_difference(
                    rank_outcome,
                    rank_month,
                    net[(after.candidate, role)],
                    net[(option.candidate, role)],
                )
                row["difference_to_next"] = gap.difference
                row["difference_to_next_ci95"] = [gap.ci_low, gap.ci_high]
                row["distinguishable_from_next"] = bool(gap.ci_low > 0 or gap.ci_high < 0)
            rows.append(row)
        rankings[role] = rows
    best_role: dict[str, dict[str, Any]] = {}
    for candidate in dict.fromkeys(o.candidate for o in options):
        mine = [o for o in options if o.candidate == candidate]
        ordered = sorted(mine, key=lambda o: -float(net[(o.candidate, o.role)].mean()))
        best = ordered[0]
        entry: dict[str, Any] = {
            "role": best.role,
            "impact": float(net[(candidate, best.role)].mean()),
            "roles": {o.role: float(net[(candidate, o.role)].mean()) for o in mine},
            "runner_up": None,
            "distinguishable_from_runner_up": None,
        }
        if len(ordered) > 1:  # is the best role better than the next, on the same futures?
            gap = paired_difference(
                rank_outcome,
                rank_month,
                net[(candidate, ordered[1].role)],
                net[(candidate, best.role)],
            )
            entry["runner_up"] = ordered[1].role
            entry["distinguishable_from_runner_up"] = bool(gap.ci_low > 0 or gap.ci_high < 0)
        best_role[candidate] = entry
    return {
        "schema": "repfit.hire/1",
        "baseline": baseline_name,
        "trials": baseline.trials,
        "seed": baseline.seed,
        "months": list(months),
        "confidence": CONFIDENCE,
        "rank_outcome": RANK_OUTCOME,
        "rank_month": rank_month,
        "outcomes": [o.name for o in HIRE_OUTCOMES],
        "options": [_option_dict(o, baseline, months) for o in options],
        "rankings": rankings,
        "best_role": best_role,
    }
