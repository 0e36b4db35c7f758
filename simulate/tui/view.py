"""What the dashboard shows and edits, without Textual (pure: data in, data out).

- :class:`Edits`: the team, policies, horizon, trials and assumptions as the
  user changed them, turned into the same overrides ``simulate run --set``
  uses (:mod:`simulate.overrides`), so an edit is validated exactly like the
  same value written in the scenario file;
- :func:`kpis`: the KPI cards, read from the ``repfit.result/1`` dictionary
  (what ``simulate run --format json`` writes), so the cards can be checked
  against the command line;
- :func:`kpi_deltas`: variant − baseline per card, paired trial by trial on
  the common random numbers (:func:`simulate.analysis.compare.paired_difference`);
- :func:`fan_cells`: the fan chart as rows of characters for any size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from assess.behaviour import HIRE_ROLES
from simulate.analysis.compare import CONFIDENCE, PairedDifference, paired_difference
from simulate.analysis.metrics import OUTCOMES, Outcome, cumulative_cost
from simulate.assumptions import Assumption
from simulate.overrides import Override
from simulate.quadrants import QUADRANTS
from simulate.report import format_count, format_money, format_share, format_value
from simulate.results import SimulationResult, target_values

if TYPE_CHECKING:
    from simulate.model import Scenario

INFLUENTIAL_ASSUMPTIONS: tuple[str, ...] = (
    "win_capture_share",
    "rep_attrition_annual",
    "mgmt_change_monthly",
    "contacts_churn_effect",
    "vacancy_months_mean",
    "selling_hours_monthly",
)
"""Assumptions the left panel offers for editing: the longest bars of ``simulate
sensitivity`` on the example scenario (win share, rep attrition, management
changes, contacts) and the two that staffing what-ifs lean on (vacancy length,
selling hours). A curated list, not recomputed per scenario."""

POLICIES: Mapping[str, tuple[str, ...]] = {
    "new_logo_owner": ("farmer", "hunter"),
    "vacancy_coverage": ("shared", "uncovered"),
    "attention": ("uniform", "potential", "size", "key_accounts"),
}
"""The policies the left panel offers, with their choices (see :class:`simulate.model.Policies`)."""

MAX_SEATS_PER_ARCHETYPE = 10_000
"""The scenario schema's limit on one team entry's count."""

MAX_TRIALS = 1_000_000
"""Largest trial count the panel accepts (the engine refuses runs too large to keep)."""


# ---------------------------------------------------------------- edits


@dataclass
class Edits:
    """The user's edits of a scenario; :meth:`overrides` turns them into overrides."""

    team: dict[str, int]
    """Seats per archetype, in team order (archetypes not in the team are added at the end)."""
    policies: dict[str, str]
    horizon_months: int
    trials: int
    assumptions: dict[str, float]
    original: dict[str, Any] = field(default_factory=dict, repr=False)
    """The same fields as loaded (what "unsaved edits" compares with)."""
    hires: tuple[dict[str, str], ...] = ()
    """The seats for assessed candidates (``{profile, role}``, the profile's path relative to
    the scenario file), in team order after the archetypes: added and removed in the panel,
    kept as they are when the team's archetype counts change."""

    @classmethod
    def of(cls, scenario: Scenario, archetypes: Sequence[str] | None = None) -> Edits:
        """The scenario's own values (no edits yet)."""
        team: dict[str, int] = {}
        for entry in scenario.team:
            team[entry.archetype] = team.get(entry.archetype, 0) + entry.count
        for name in archetypes if archetypes is not None else scenario.archetypes:
            team.setdefault(name, 0)
        edits = cls(
            team=team,
            policies={name: str(getattr(scenario.policies, name)) for name in POLICIES},
            horizon_months=scenario.horizon_months,
            trials=scenario.trials,
            assumptions={
                name: scenario.assumptions[name].value
                for name in INFLUENTIAL_ASSUMPTIONS
                if name in scenario.assumptions
            },
            hires=tuple({"profile": h.profile, "role": h.role} for h in scenario.hires),
        )
        edits.original = edits.snapshot()
        return edits

    def snapshot(self) -> dict[str, Any]:
        """A plain copy of every editable value."""
        return {
            "team": dict(self.team),
            "policies": dict(self.policies),
            "horizon_months": self.horizon_months,
            "trials": self.trials,
            "assumptions": dict(self.assumptions),
            "hires": [dict(hire) for hire in self.hires],
        }

    @property
    def dirty(self) -> bool:
        """True when something differs from the scenario as loaded (or last saved)."""
        return self.snapshot() != self.original

    def mark_saved(self) -> None:
        """The current values are now what the file holds."""
        self.original = self.snapshot()

    def seats(self) -> int:
        """Seats in the team (the candidates' seats included)."""
        return sum(self.team.values()) + len(self.hires)

    def add_hire(self, profile: str, role: str) -> str | None:
        """Add a seat for the candidate whose profile is at ``profile`` (relative to the
        scenario file), hired as ``role``; a message when that is not possible."""
        if role not in HIRE_ROLES:
            return f"team: role expected one of {', '.join(HIRE_ROLES)}; found {role!r}."
        if not profile.strip():
            return "team: a candidate needs the path of their profile."
        self.hires = (*self.hires, {"profile": profile, "role": role})
        return None

    def remove_hire(self, index: int) -> str | None:
        """Remove the ``index``-th candidate's seat; a message when that is not possible."""
        if not 0 <= index < len(self.hires):
            return f"team: there is no candidate {index + 1} to remove."
        if self.seats() <= 1:
            return "team: the team needs at least one seat (add another before removing this one)."
        self.hires = self.hires[:index] + self.hires[index + 1 :]
        return None

    def adjust_team(self, archetype: str, delta: int) -> str | None:
        """Add ``delta`` seats of ``archetype``; a message when that is not possible."""
        count = self.team.get(archetype, 0) + delta
        if count < 0:
            return f"team: {archetype} has no seat to remove."
        if count > MAX_SEATS_PER_ARCHETYPE:
            return f"team: at most {MAX_SEATS_PER_ARCHETYPE:,} {archetype} seats."
        if self.seats() + delta < 1:
            return "team: the team needs at least one seat (add another before removing this one)."
        self.team[archetype] = count
        return None

    def set_policy(self, name: str, value: str) -> str | None:
        """Set a policy; a message when ``value`` is not one of its choices."""
        choices = POLICIES[name]
        if value not in choices:
            return f"policies.{name}: expected one of {', '.join(choices)}; found {value!r}."
        self.policies[name] = value
        return None

    def set_whole(self, name: str, text: str) -> str | None:
        """Set ``horizon_months`` or ``trials`` from typed text; a message when invalid."""
        low, high, unit = (1, 600, "months") if name == "horizon_months" else (1, MAX_TRIALS, "")
        stripped = text.strip().replace(",", "").replace("_", "")
        if not stripped.isdigit():
            return f"{name}: expected a whole number from {low} to {high:,}; found {text!r}."
        value = int(stripped)
        if not low <= value <= high:
            return (
                f"{name}: expected a whole number from {low} to {high:,}"
                f"{' ' + unit if unit else ''}; found {value:,}."
            )
        setattr(self, name, value)
        return None

    def set_assumption(self, assumption: Assumption, name: str, text: str) -> str | None:
        """Set an assumption from typed text, within its bounds; a message when invalid."""
        low = -math.inf if assumption.minimum is None else assumption.minimum
        high = math.inf if assumption.maximum is None else assumption.maximum
        bounds = f"from {format_value(low)} to {format_value(high)}"
        try:
            value = float(text.strip().replace(",", ""))
        except ValueError:
            return f"{name}: expected a number {bounds} ({assumption.unit}); found {text!r}."
        if not math.isfinite(value) or not low <= value <= high:
            return f"{name}: expected a number {bounds} ({assumption.unit}); found {text.strip()}."
        self.assumptions[name] = value
        return None

    def overrides(self) -> list[Override]:
        """The edits as overrides of the scenario file (only what differs from it as loaded)."""
        original = self.original
        out: list[Override] = []
        if self.team != original["team"] or list(self.hires) != original["hires"]:
            entries: list[dict[str, Any]] = [
                {"archetype": a, "count": n} for a, n in self.team.items() if n > 0
            ]
            text = ",".join(f"{e['archetype']}={e['count']}" for e in entries)
            text += "".join(f",{h['role']}:{h['profile']}" for h in self.hires)
            entries.extend(dict(hire) for hire in self.hires)  # candidates keep their seats
            out.append(Override(text=f"team {text}", path=("team",), value=entries))
        for name, value in self.policies.items():
            if value != original["policies"][name]:
                out.append(_override(("policies", name), value))
        for name in ("horizon_months", "trials"):
            if getattr(self, name) != original[name]:
                out.append(_override((name,), getattr(self, name)))
        for name, number in self.assumptions.items():
            if number != original["assumptions"][name]:
                out.append(_override(("assumptions", name), number))
        return out


@dataclass(frozen=True)
class CandidateView:
    """A candidate's row in the team section."""

    label: str
    """``Name (id)``, or the id when the profile has no name (the path when unreadable)."""
    role: str
    """The role hired into."""
    flags: tuple[str, ...] = ()
    """The profile's validity flags (the row shows ⚠ when there are any)."""


def candidate_view(
    candidate_id: str | None, name: str | None, role: str, flags: Sequence[str], profile: str
) -> CandidateView:
    """The row of a candidate (``candidate_id`` None: the profile could not be read)."""
    if candidate_id is None:
        return CandidateView(profile, role, ("the profile could not be read",))
    label = f"{name} ({candidate_id})" if name else candidate_id
    return CandidateView(label, role, tuple(flags))


def _override(path: tuple[str, ...], value: Any) -> Override:
    dotted = ".".join(path)
    shown = format_value(value) if isinstance(value, float) else str(value)
    return Override(text=f"{dotted}={shown}", path=path, value=value)


# ---------------------------------------------------------------- KPI cards


@dataclass(frozen=True)
class Kpi:
    """One KPI card: what it shows, its value and a line of detail."""

    key: str
    label: str
    value: str
    detail: str


def key_month(result: Mapping[str, Any]) -> int:
    """The month the cards look at: the target's month, else the horizon."""
    months: Sequence[int] = result["months"]
    target = result.get("target") or {}
    period = target.get("period")
    if target.get("metric") == "revenue_month" and period is not None and period <= months[-1]:
        return int(period)
    return int(months[-1])


def _mean_at(summary: Mapping[str, Sequence[float]], month: int) -> float:
    return float(summary["mean"][month - 1])


def _span(
    formatter: Callable[[float], str], summary: Mapping[str, Sequence[float]], month: int
) -> str:
    """``P10–P90`` of a metric in ``month``, short (the unit once, at the end)."""
    low, high = (
        formatter(float(summary["p10"][month - 1])),
        formatter(float(summary["p90"][month - 1])),
    )
    low_parts, high_parts = low.rsplit(" ", 1), high.rsplit(" ", 1)
    if len(low_parts) == 2 and len(high_parts) == 2 and low_parts[1] == high_parts[1]:
        low = low_parts[0]
    return f"{low}–{high}"


def kpis(result: Mapping[str, Any]) -> tuple[Kpi, ...]:
    """The six cards of a ``repfit.result/1`` dictionary."""
    metrics: Mapping[str, Mapping[str, Sequence[float]]] = result["metrics"]
    horizon = int(result["months"][-1])
    month = key_month(result)
    revenue = metrics["revenue"]
    cards = [
        Kpi(
            "revenue",
            f"P50 rev. m{month}",
            format_money(float(revenue["p50"][month - 1])),
            _span(format_money, revenue, month),
        )
    ]
    target = result.get("target")
    if target is not None:
        cards.append(
            Kpi(
                "target",
                "P(target)",
                format_share(float(target["probability"])),
                f"±{format_share(float(target['se']))} ≥{format_money(float(target['value']))}",
            )
        )
    else:
        cards.append(Kpi("target", "P(target)", "n/a", "the scenario sets no target"))
    for key, label, formatter in (
        ("accounts_lost", f"lost, m{horizon}", format_count),
        ("new_logos", f"new logos, m{horizon}", format_count),
        ("wallet_share", f"wallet sh. m{horizon}", format_share),
    ):
        summary = metrics[key]
        cards.append(
            Kpi(
                key,
                label,
                formatter(_mean_at(summary, horizon)),
                _span(formatter, summary, horizon),
            )
        )
    cost = (result.get("costs") or {}).get("team_cost_cumulative")
    if cost is not None:
        cards.append(
            Kpi(
                "team_cost",
                f"team cost, m{horizon}",
                format_money(_mean_at(cost, horizon)),
                f"{format_money(_mean_at(cost, horizon) * 12 / horizon)}/year",
            )
        )
    else:
        cards.append(Kpi("team_cost", "team cost", "n/a", "this result has no costs"))
    return tuple(cards)


# ---------------------------------------------------------------- baseline deltas


@dataclass(frozen=True)
class Delta:
    """Variant − baseline of one card, with its 95 % confidence interval."""

    key: str
    difference: float
    ci_low: float
    ci_high: float
    trials: int
    """Trials paired (the first ``trials`` of both runs, on the same seed)."""
    paired: bool
    text: str


def _format_delta(kind: str, value: float) -> str:
    if kind == "money":
        body = format_money(abs(value)).replace(" ", "")
    elif kind == "share":
        body = f"{100 * abs(value):.1f} pp"
    else:
        body = f"{abs(value):,.1f}"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{body}"


def _delta(key: str, kind: str, d: PairedDifference, trials: int, paired: bool) -> Delta:
    half = max(d.ci_high - d.difference, 0.0)
    text = f"Δ{_format_delta(kind, d.difference)} ±{_format_delta(kind, half)[1:]}"
    return Delta(key, d.difference, d.ci_low, d.ci_high, trials, paired, text)


_OUTCOME = {o.name: o for o in OUTCOMES}


def kpi_deltas(baseline: SimulationResult, current: SimulationResult) -> dict[str, Delta]:
    """Current − baseline for each card, paired on the trials both ran (same seed).

    Trials are keyed by their index, so the first *n* trials of two runs on the same
    seed meet the same random numbers; the difference is taken trial by trial over
    ``n = min(trials)``. Empty when the seeds differ. Months are the current
    result's card months, where the baseline reaches them.
    """
    if baseline.seed != current.seed:
        return {}
    n = min(baseline.trials, current.trials)
    current_dict = {
        "months": current.months,
        "target": current.target.to_dict() if current.target is not None else None,
    }
    month = key_month(current_dict)
    horizon = len(current.months)
    out: dict[str, Delta] = {}

    def add(key: str, outcome: Outcome, m: int) -> None:
        a = baseline.per_trial.get(outcome.name)
        b = current.per_trial.get(outcome.name)
        if a is None or b is None or m > a.shape[1] or m > b.shape[1]:
            return
        d = paired_difference(outcome, m, a[:n, m - 1], b[:n, m - 1])
        out[key] = _delta(key, outcome.kind, d, n, True)

    add("revenue", _OUTCOME["revenue"], month)
    target = current.target
    if target is not None:
        period = target.period
        last = {"revenue_month": period, "revenue_year": 12 * (period or 1)}.get(
            target.metric, horizon
        )
        a_rev, b_rev = baseline.per_trial["revenue"][:n], current.per_trial["revenue"][:n]
        if last is not None and last <= a_rev.shape[1] and target.metric != "revenue_total":
            met = Outcome("target", "P(target)", True, "share")
            d = paired_difference(
                met,
                1,
                _met(a_rev, target.metric, period, target.value),
                _met(b_rev, target.metric, period, target.value),
            )
            out["target"] = _delta("target", "share", d, n, True)
    for key in ("accounts_lost", "new_logos", "wallet_share"):
        add(key, _OUTCOME[key], horizon)
    cost = _cost_delta(baseline, current, n, horizon)
    if cost is not None:
        out["team_cost"] = cost
    return out


def _met(
    revenue: NDArray[np.float64], metric: str, period: int | None, value: float
) -> NDArray[np.float64]:
    return (target_values(revenue, metric, period) >= value).astype(np.float64)


def _cost_delta(
    baseline: SimulationResult, current: SimulationResult, n: int, month: int
) -> Delta | None:
    """Team cost to ``month``, paired trial by trial (None when a result has no cost)."""
    a, b = cumulative_cost(baseline.per_trial), cumulative_cost(current.per_trial)
    if a is None or b is None or month > a.shape[1] or month > b.shape[1]:
        return None
    outcome = Outcome("team_cost", "team cost", False, "money")
    d = paired_difference(outcome, month, a[:n, month - 1], b[:n, month - 1])
    return _delta("team_cost", "money", d, n, True)


assert CONFIDENCE == 0.95, "the delta text says 95 %"


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class ArchetypeRevenue:
    """Revenue in a month by archetype: of the accounts it owns, and of those it sourced."""

    name: str
    owned: float
    sourced: float | None


def revenue_by_archetype(result: Mapping[str, Any], month: int) -> list[ArchetypeRevenue]:
    """Owned (by the owner seat's archetype) and sourced-by revenue in ``month`` (means)."""
    owned: Mapping[str, Any] = result.get("by_archetype") or {}
    sourced: Mapping[str, Any] = result.get("sourced_by") or {}
    rows = [
        ArchetypeRevenue(
            name,
            _mean_at(entry["revenue"], month),
            _mean_at(sourced[name]["revenue"], month) if name in sourced else None,
        )
        for name, entry in owned.items()
    ]
    if "book" in sourced:
        rows.append(
            ArchetypeRevenue("(the book)", math.nan, _mean_at(sourced["book"]["revenue"], month))
        )
    return rows


@dataclass(frozen=True)
class QuadrantRow:
    """One key-account quadrant: revenue and wallet share in a month, accounts lost to then."""

    name: str
    revenue: float
    wallet_share: float
    accounts_lost: float


def quadrant_rows(result: Mapping[str, Any], month: int) -> list[QuadrantRow]:
    """The quadrants of a result at ``month`` (empty when the result has none)."""
    quadrants: Mapping[str, Any] = result.get("quadrants") or {}
    rows = []
    for name in QUADRANTS:
        q = quadrants.get(name)
        if not q:
            continue
        rows.append(
            QuadrantRow(
                name,
                _mean_at(q["revenue"], month),
                _mean_at(q["wallet_share"], month),
                _mean_at(q["accounts_lost"], month),
            )
        )
    return rows


# ---------------------------------------------------------------- fan chart


BAND, MEDIAN, TARGET, EMPTY = "░", "━", "┄", " "
"""The fan chart's characters: P10–P90 band, P50 line, target line, nothing."""


@dataclass(frozen=True)
class Fan:
    """Monthly revenue percentiles and the target line, if the target is a monthly one."""

    p10: tuple[float, ...]
    p50: tuple[float, ...]
    p90: tuple[float, ...]
    target: float | None

    @classmethod
    def of(cls, result: Mapping[str, Any]) -> Fan:
        """The fan of a ``repfit.result/1`` dictionary."""
        revenue = result["metrics"]["revenue"]
        target = result.get("target") or {}
        line = float(target["value"]) if target.get("metric") == "revenue_month" else None
        return cls(
            tuple(float(v) for v in revenue["p10"]),
            tuple(float(v) for v in revenue["p50"]),
            tuple(float(v) for v in revenue["p90"]),
            line,
        )


@dataclass(frozen=True)
class FanPicture:
    """The fan drawn on a grid: ``rows`` top to bottom, y labels per row, x labels below."""

    rows: tuple[str, ...]
    y_labels: tuple[str, ...]
    x_axis: str


def fan_cells(fan: Fan, width: int, height: int) -> FanPicture:
    """Draw ``fan`` in ``width`` × ``height`` cells (one column per step in time)."""
    width, height = max(width, 2), max(height, 2)
    values = [*fan.p10, *fan.p90] + ([fan.target] if fan.target is not None else [])
    finite = [v for v in values if math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    pad = (high - low) * 0.05 or max(abs(high), 1.0) * 0.05
    low, high = low - pad, high + pad
    step = (high - low) / height
    months = len(fan.p50)

    def row_of(value: float) -> int:
        return min(height - 1, max(0, int((high - value) / step)))

    grid = [[EMPTY] * width for _ in range(height)]
    for x in range(width):
        i = round(x * (months - 1) / (width - 1)) if months > 1 else 0
        top, bottom = row_of(fan.p90[i]), row_of(fan.p10[i])
        for r in range(top, bottom + 1):
            grid[r][x] = BAND
        if fan.target is not None:
            grid[row_of(fan.target)][x] = TARGET
        grid[row_of(fan.p50[i])][x] = MEDIAN
    labels = [""] * height
    for r in (0, height // 2, height - 1):
        labels[r] = format_money(high - (r + 0.5) * step)
    axis = [" "] * width
    for month in sorted({1, *(m for m in (12, 24, 36, 48, 60) if m <= months), months}):
        x = round((month - 1) * (width - 1) / (months - 1)) if months > 1 else 0
        text = f"m{month}"
        start = min(max(0, x - len(text) // 2), width - len(text))
        if all(c == " " for c in axis[max(0, start - 1) : start + len(text) + 1]):
            axis[start : start + len(text)] = list(text)
    return FanPicture(tuple("".join(row) for row in grid), tuple(labels), "".join(axis))
