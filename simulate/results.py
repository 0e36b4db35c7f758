"""Streaming aggregation of simulation outputs and the ``repfit.result/1`` contract (pure).

The engine hands over one row of per-trial values per metric and month as it
goes (:class:`TrialRecorder`); nothing of size trials × accounts × months is
ever kept. :meth:`TrialRecorder.finish` summarises each metric per month
(mean, standard error, P10/P50/P90) into a :class:`SimulationResult`, whose
:meth:`SimulationResult.to_dict` is the JSON contract other tools render.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulate.assumptions import Assumption

RESULT_SCHEMA = "repfit.result/1"

METRICS: tuple[str, ...] = (
    "revenue",
    "revenue_cumulative",
    "active_accounts",
    "accounts_lost",
    "new_logos",
    "wallet_share",
    "contacts_per_account",
    "reset_meetings",
    "lost_after_mgmt_change",
    "team_cost_cumulative",
)
"""Metrics reported per trial and month (cumulative ones count from month 1)."""

METRIC_DESCRIPTIONS: Mapping[str, str] = {
    "revenue": "revenue billed in the month (accounts active at the month's end)",
    "revenue_cumulative": "revenue from month 1 to the month",
    "active_accounts": "accounts active at the month's end",
    "accounts_lost": "accounts lost (churned) from month 1 to the month",
    "new_logos": "new logos won from month 1 to the month",
    "wallet_share": "our revenue / the active accounts' total wallet",
    "contacts_per_account": "mean contacts per active account",
    "reset_meetings": "proactive business conversations (reset meetings, discovery) in the month",
    "lost_after_mgmt_change": "accounts lost in a month with a management change, cumulative",
    "team_cost_cumulative": "team cost from month 1 to the month (filled seats' yearly cost / 12, "
    "plus hiring cost per replacement): per trial, so revenue − cost pairs exactly",
}

CONTACT_BUCKETS: tuple[str, ...] = ("1", "2", "3+")

QUADRANT_METRICS: tuple[str, ...] = ("revenue", "wallet_share", "accounts_lost", "reset_meetings")
"""Metrics reported per key-account quadrant (streamed: mean and standard error)."""

BREAKDOWN_DESCRIPTIONS: Mapping[str, str] = {
    "quadrant": "per size × potential quadrant (at entry): revenue in the month, wallet share, "
    "accounts lost from month 1, reset meetings in the month",
    "sourced_by": "revenue in the month by who sourced the account: the book, or the archetype "
    "of the seat that won the new logo (hunters) or owned the referring account (referrals)",
    "costs": "team cost (filled seats' yearly cost / 12, plus hiring cost per replacement) and "
    "revenue minus team cost, in the month and cumulative",
}


@dataclass(frozen=True)
class StreamSummary:
    """A streamed breakdown per month: mean and standard error over trials only."""

    mean: tuple[float, ...]
    se: tuple[float, ...]

    def to_dict(self) -> dict[str, list[float]]:
        """Plain lists keyed mean, se."""
        return {"mean": list(self.mean), "se": list(self.se)}


class StreamingMoments:
    """Sums and sums of squares per (breakdown, month), added block by block in block order.

    Memory is flat in trials. Each call adds whole blocks of trials (the last may be
    partial), so the totals do not depend on how blocks are grouped into batches.
    """

    def __init__(self, names: Sequence[str], months: int, block: int) -> None:
        self.months = months
        self.block = block
        self.sum = {name: np.zeros(months) for name in names}
        self.sum_sq = {name: np.zeros(months) for name in names}

    def add(self, month: int, values: Mapping[str, NDArray[np.float64]]) -> None:
        """Add per-trial ``values`` of a 0-based month (a batch of whole blocks)."""
        for name, row in values.items():
            if name not in self.sum:
                self.sum[name] = np.zeros(self.months)
                self.sum_sq[name] = np.zeros(self.months)
            total, total_sq = self.sum[name], self.sum_sq[name]
            for lo in range(0, row.shape[0], self.block):
                part = row[lo : lo + self.block]
                total[month] += part.sum()
                total_sq[month] += (part * part).sum()

    def add_blocks(
        self,
        names: Sequence[str],
        sums: NDArray[np.float64],
        squares: NDArray[np.float64],
    ) -> None:
        """Add per-block sums and sums of squares (breakdown × block × month), block by block.

        The same additions, in the same order, as :meth:`add` of those blocks' values, so
        a run split into tasks (workers, a cluster) sums to the same bits.
        """
        for k, name in enumerate(names):
            if name not in self.sum:
                self.sum[name] = np.zeros(self.months)
                self.sum_sq[name] = np.zeros(self.months)
            total, total_sq = self.sum[name], self.sum_sq[name]
            for b in range(sums.shape[1]):
                total += sums[k, b]
                total_sq += squares[k, b]

    def summary(self, trials: int) -> dict[str, StreamSummary]:
        """Mean and standard error of the mean per breakdown and month."""
        out: dict[str, StreamSummary] = {}
        for name in self.sum:
            mean = self.sum[name] / trials
            if trials > 1:
                var = np.maximum(self.sum_sq[name] - trials * mean * mean, 0.0) / (trials - 1)
                se = np.sqrt(var / trials)
            else:
                se = np.zeros_like(mean)
            out[name] = StreamSummary(mean=_floats(mean), se=_floats(se))
        return out


@dataclass(frozen=True)
class MetricSummary:
    """One metric per month: mean, standard error of the mean and percentiles."""

    mean: tuple[float, ...]
    se: tuple[float, ...]
    p10: tuple[float, ...]
    p50: tuple[float, ...]
    p90: tuple[float, ...]

    def to_dict(self) -> dict[str, list[float]]:
        """Plain lists keyed mean, se, p10, p50, p90."""
        return {
            "mean": list(self.mean),
            "se": list(self.se),
            "p10": list(self.p10),
            "p50": list(self.p50),
            "p90": list(self.p90),
        }


def summarise(values: NDArray[np.float64]) -> MetricSummary:
    """Summarise a (trials × months) array per month."""
    n = values.shape[0]
    mean = values.mean(axis=0)
    se = values.std(axis=0, ddof=1) / math.sqrt(n) if n > 1 else np.zeros(values.shape[1])
    p10, p50, p90 = np.percentile(values, [10.0, 50.0, 90.0], axis=0)
    return MetricSummary(
        mean=_floats(mean), se=_floats(se), p10=_floats(p10), p50=_floats(p50), p90=_floats(p90)
    )


def _floats(values: NDArray[np.float64]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


@dataclass(frozen=True)
class TargetResult:
    """The probability of meeting a revenue target, with its Monte Carlo standard error."""

    metric: str
    value: float
    period: int | None
    probability: float
    se: float

    def to_dict(self) -> dict[str, Any]:
        """``probability`` and ``se`` (the contract) plus what the target was."""
        return {
            "probability": self.probability,
            "se": self.se,
            "metric": self.metric,
            "value": self.value,
            "period": self.period,
        }


def target_values(
    revenue: NDArray[np.float64], metric: str, period: int | None
) -> NDArray[np.float64]:
    """Per-trial revenue the target is compared with (``revenue`` is trials × months)."""
    if metric == "revenue_month":
        assert period is not None
        return revenue[:, period - 1]
    if metric == "revenue_year":
        assert period is not None
        return np.asarray(revenue[:, 12 * (period - 1) : 12 * period].sum(axis=1))
    return np.asarray(revenue.sum(axis=1))


def target_probability(
    revenue: NDArray[np.float64], metric: str, period: int | None, value: float
) -> TargetResult:
    """Share of trials meeting the target and its binomial standard error."""
    met = target_values(revenue, metric, period) >= value
    n = met.shape[0]
    p = float(met.mean())
    se = math.sqrt(p * (1.0 - p) / n) if n > 1 else 0.0
    return TargetResult(metric=metric, value=value, period=period, probability=p, se=se)


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Everything a run produced, summarised; ``per_trial`` keeps trials × months rows."""

    scenario: str
    trials: int
    seed: int
    months: tuple[int, ...]
    effects: str
    metrics: Mapping[str, MetricSummary]
    by_archetype: Mapping[str, MetricSummary]
    """Revenue per month by the archetype of the account's owner seat."""
    lost_after_mgmt_change_by_contacts: Mapping[str, float]
    """Share of accounts lost in the month of a management change, by contacts at the time."""
    mgmt_changes_by_contacts: Mapping[str, int]
    """Management changes counted (over all trials and months), by contacts at the time."""
    target: TargetResult | None
    assumptions: Mapping[str, Assumption]
    per_trial: Mapping[str, NDArray[np.float64]] = field(repr=False)
    """Per-trial values (trials × months) of every metric, for paired comparisons."""
    breakdowns: Mapping[str, StreamSummary] = field(default_factory=dict)
    """Streamed breakdowns (mean and SE per month): ``quadrant.<q>.<metric>``,
    ``sourced_by.<book|archetype>`` and ``costs.<name>``."""
    quadrant_thresholds: Mapping[str, float] = field(default_factory=dict)
    """The quadrant thresholds used (money per month): ``size`` and ``potential``."""

    def breakdown(self, group: str) -> dict[str, StreamSummary]:
        """The breakdowns under ``group`` (``quadrant``, ``sourced_by``, ``costs``) by the rest
        of their name."""
        prefix = group + "."
        return {
            name.removeprefix(prefix): s
            for name, s in self.breakdowns.items()
            if name.startswith(prefix)
        }

    def to_dict(self) -> dict[str, Any]:
        """The ``repfit.result/1`` JSON contract (plain, JSON-serialisable data)."""
        return {
            "schema": RESULT_SCHEMA,
            "scenario": self.scenario,
            "trials": self.trials,
            "seed": self.seed,
            "effects": self.effects,
            "months": list(self.months),
            "metrics": {name: summary.to_dict() for name, summary in self.metrics.items()},
            "lost_after_mgmt_change_by_contacts": dict(self.lost_after_mgmt_change_by_contacts),
            "mgmt_changes_by_contacts": dict(self.mgmt_changes_by_contacts),
            "by_archetype": {
                name: {"revenue": summary.to_dict()} for name, summary in self.by_archetype.items()
            },
            "quadrants": {
                "thresholds": dict(self.quadrant_thresholds),
                **{
                    q: {
                        metric: summary.to_dict()
                        for metric, summary in self.breakdown(f"quadrant.{q}").items()
                    }
                    for q in dict.fromkeys(
                        name.split(".")[1]
                        for name in self.breakdowns
                        if name.startswith("quadrant.")
                    )
                },
            },
            "sourced_by": {
                name: {"revenue": summary.to_dict()}
                for name, summary in self.breakdown("sourced_by").items()
            },
            "costs": {name: summary.to_dict() for name, summary in self.breakdown("costs").items()},
            "target": self.target.to_dict() if self.target is not None else None,
            "assumptions": {
                name: {
                    "value": a.value,
                    "unit": a.unit,
                    "description": a.description,
                    "source": a.source,
                }
                for name, a in self.assumptions.items()
            },
        }


class TrialRecorder:
    """Collects per-trial, per-month values as batches finish, then summarises them."""

    def __init__(
        self,
        trials: int,
        months: int,
        archetypes: Sequence[str],
        *,
        streamed: Sequence[str] = (),
        block: int = 32,
    ) -> None:
        self.trials = trials
        self.months = months
        self.moments = StreamingMoments(streamed, months, block)
        self.values = {name: np.zeros((trials, months)) for name in METRICS}
        self.archetypes = tuple(archetypes)
        self.by_archetype = np.zeros((len(self.archetypes), trials, months))
        self.events_by_contacts = np.zeros(len(CONTACT_BUCKETS))
        self.lost_by_contacts = np.zeros(len(CONTACT_BUCKETS))

    def record(
        self,
        start: int,
        month: int,
        values: Mapping[str, NDArray[np.float64]],
        by_archetype: NDArray[np.float64],
        streamed: Mapping[str, NDArray[np.float64]] | None = None,
    ) -> None:
        """Store the month's (0-based) values for trials ``start`` … ``start + len - 1``.

        ``streamed`` breakdowns are only summed (``start`` must begin a block).
        """
        for name, row in values.items():
            self.values[name][start : start + row.shape[0], month] = row
        stop = start + by_archetype.shape[1]
        self.by_archetype[:, start:stop, month] = by_archetype
        if streamed:
            self.moments.add(month, streamed)

    def add_events(self, events: NDArray[np.float64], lost: NDArray[np.float64]) -> None:
        """Count management changes and the accounts lost with them, by contacts bucket."""
        self.events_by_contacts += events
        self.lost_by_contacts += lost

    def finish(
        self,
        *,
        scenario: str,
        seed: int,
        effects: str,
        target: tuple[str, int | None, float] | None,
        assumptions: Mapping[str, Assumption],
        quadrant_thresholds: Mapping[str, float] | None = None,
    ) -> SimulationResult:
        """Summaries of everything recorded."""
        shares = {
            bucket: (float(lost / events) if events > 0 else 0.0)
            for bucket, lost, events in zip(
                CONTACT_BUCKETS, self.lost_by_contacts, self.events_by_contacts, strict=True
            )
        }
        return SimulationResult(
            scenario=scenario,
            trials=self.trials,
            seed=seed,
            months=tuple(range(1, self.months + 1)),
            effects=effects,
            metrics={name: summarise(self.values[name]) for name in METRICS},
            by_archetype={
                name: summarise(self.by_archetype[i]) for i, name in enumerate(self.archetypes)
            },
            lost_after_mgmt_change_by_contacts=shares,
            mgmt_changes_by_contacts={
                bucket: int(count)
                for bucket, count in zip(CONTACT_BUCKETS, self.events_by_contacts, strict=True)
            },
            target=(
                target_probability(self.values["revenue"], *target) if target is not None else None
            ),
            assumptions=dict(assumptions),
            per_trial=self.values,
            breakdowns=self.moments.summary(self.trials),
            quadrant_thresholds=dict(quadrant_thresholds or {}),
        )
