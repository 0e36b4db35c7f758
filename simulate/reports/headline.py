"""The answer first: a few plain sentences for the top of the terminal output and reports.

Pure: result dictionaries (the commands' JSON) in, sentences out. The sentences say what
a leader asks first (the chance of meeting the target, the likely range of revenue in the
target month, what a change of team buys) with the uncertainty in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulate.report import format_money as _format_money

NBSP = "\u00a0"
"""Joins a number to its unit in headlines, so wrapping never splits ``2.90 M`` or ``61 %``."""


def format_money(value: float) -> str:
    """Money as in the tables, its unit held to the number by a no-break space."""
    return _format_money(value).replace(" ", NBSP)


def _pct(value: float) -> str:
    return f"{100 * value:.0f}{NBSP}%"


def plain(lines: Sequence[str]) -> list[str]:
    """The sentences with ordinary spaces (for JSON and plain text)."""
    return [line.replace(NBSP, " ") for line in lines]


def target_month(result: Mapping[str, Any]) -> int:
    """The month a run's headline looks at: the target's month, else the horizon."""
    months: Sequence[int] = result["months"]
    target: Mapping[str, Any] = result.get("target") or {}
    horizon = int(months[-1])
    if target.get("metric") == "revenue_month":
        return int(target.get("month", target.get("period")) or horizon)
    if target.get("metric") == "revenue_year":
        return min(horizon, 12 * int(target.get("year", target.get("period")) or 1))
    return horizon


def _at(series: Sequence[float], months: Sequence[int], month: int) -> float:
    return float(series[list(months).index(month)])


def run_headline(result: Mapping[str, Any]) -> list[str]:
    """P(target), then P10/P50/P90 of the revenue the target is about, in plain words."""
    months: Sequence[int] = result["months"]
    month = target_month(result)
    target: Mapping[str, Any] = result.get("target") or {}
    name = result.get("scenario", "The scenario")
    metric = target.get("metric")
    series = "revenue_cumulative" if metric == "revenue_total" else "revenue"
    what = f"revenue over months 1–{month}" if series == "revenue_cumulative" else f"month {month}"
    revenue = result["metrics"][series]
    p10, p50, p90 = (_at(revenue[k], months, month) for k in ("p10", "p50", "p90"))
    lines: list[str] = []
    probability = target.get("probability")
    value = target.get("value")
    if probability is not None and value is not None:
        se = float(target.get("se") or 0.0)
        if metric == "revenue_year":
            goal = f"bills {format_money(float(value))} or more in year {month // 12}"
        elif metric == "revenue_total":
            goal = f"bills {format_money(float(value))} or more over months 1–{month}"
        else:
            goal = f"bills {format_money(float(value))} or more in month {month}"
        lines.append(
            f"{name}: the book {goal} in {_pct(float(probability))} of futures "
            f"(± {100 * se:.1f} points, {int(result['trials']):,} trials)."
        )
    else:
        lines.append(f"{name}: no target set; the revenue of {what} is below.")
    lines.append(
        f"Revenue, {what}: median {format_money(p50)}; 8 futures in 10 between "
        f"{format_money(p10)} (P10) and {format_money(p90)} (P90)."
    )
    return lines


def _difference(comparison: Mapping[str, Any], outcome: str, month: int) -> Mapping[str, Any]:
    for item in comparison["differences"]:
        if item["outcome"] == outcome and int(item["month"]) == month:
            return item  # type: ignore[no-any-return]
    raise KeyError((outcome, month))


def signed_money(value: float) -> str:
    """Money with its sign: ``+15.4 k``, ``−2.10 M``."""
    return ("+" if value >= 0 else "−") + format_money(abs(value))


def compare_headline(data: Mapping[str, Any], month: int | None = None) -> list[str]:
    """Each option against the baseline: the paired difference of monthly revenue."""
    months: Sequence[int] = data["months"]
    chosen = month if month is not None and month in months else int(months[-1])
    if month is not None and month not in months:
        chosen = min(months, key=lambda m: abs(m - month))
    lines = []
    for comparison in data["comparisons"]:
        item = _difference(comparison, "revenue", chosen)
        low, high = item["ci95"]
        verdict = "more" if low > 0 else "less" if high < 0 else "no clear difference in"
        lines.append(
            f"{comparison['name']} vs {data['baseline']}: {verdict} revenue in month {chosen}, "
            f"{signed_money(item['difference'])} a month on average (95 % interval "
            f"{signed_money(low)} to {signed_money(high)}); better in "
            f"{_pct(item['p_better'])} of the same futures."
        )
    return lines


def targets_line(runs: Mapping[str, Mapping[str, Any]]) -> str | None:
    """P(target) of every option in one sentence, when the scenarios set a target."""
    parts = []
    for name, result in runs.items():
        target = result.get("target") or {}
        if target.get("probability") is None:
            return None
        parts.append(f"{name} {_pct(float(target['probability']))}")
    return "Chance of meeting the target: " + "; ".join(parts) + "." if parts else None


def _settings(point: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in point["settings"].items())


def sweep_headline(data: Mapping[str, Any]) -> list[str]:
    """The point most likely to meet the target (or the highest revenue), and the frontier."""
    points: Sequence[Mapping[str, Any]] = data["points"]
    if not points:
        return ["No point of the sweep could be run."]
    has_target = all(p.get("p_target") is not None for p in points)
    key = "p_target" if has_target else "revenue"
    best = max(points, key=lambda p: p["p_target"] if has_target else p["revenue"]["p50"])
    lines = [
        f"Best of {len(points)} teams: {_settings(best)}, "
        + (
            f"meeting the target in {_pct(best['p_target'])} of futures; "
            if key == "p_target"
            else ""
        )
        + f"median revenue over {data['horizon_months']} months "
        + f"{format_money(best['revenue']['p50'])}."
    ]
    frontier = [p for p in points if p.get("pareto")]
    if frontier:
        lines.append(
            f"On the cost frontier ({data['pareto_cost']}; nothing cheaper earns more): "
            + "; ".join(_settings(p) for p in frontier)
            + "."
        )
    return lines


def sensitivity_headline(data: Mapping[str, Any]) -> list[str]:
    """The assumptions that move the median most, largest first."""
    bars: Sequence[Mapping[str, Any]] = data.get("tornado") or []
    month = data.get("month")
    if not bars:
        sobol: Mapping[str, Any] = data.get("sobol") or {}
        indices: Sequence[Mapping[str, Any]] = sobol.get("indices") or []
        top = sorted(indices, key=lambda i: -float(i.get("total_order", 0)))[:3]
        return (
            [
                f"Revenue in month {month} depends most on "
                + ", ".join(f"{i['name']} (total index {float(i['total_order']):.2f})" for i in top)
                + "."
            ]
            if top
            else ["No sensitivity to report."]
        )
    share = f"±{100 * float(data.get('range', 0)):.0f} %"
    shown = bars[:3]
    return [
        f"The median revenue in month {month} ({format_money(float(data['base_p50']))}) moves "
        f"most with {shown[0]['name']}: {format_money(float(shown[0]['p50_low']))} to "
        f"{format_money(float(shown[0]['p50_high']))} for {share} on it.",
        "Next: "
        + "; ".join(
            f"{b['name']} ({format_money(float(b['p50_low']))} to "
            f"{format_money(float(b['p50_high']))})"
            for b in shown[1:]
        )
        + ".",
    ]


def calibrate_headline(data: Mapping[str, Any]) -> list[str]:
    """The fitted churn in plain words and how well it follows the observed survival."""
    survival: Sequence[Mapping[str, Any]] = data.get("survival") or []
    worst = max((abs(s["observed"] - s["fitted"]) for s in survival), default=0.0)
    return [
        f"Churn fitted on {int(data['accounts']):,} accounts ({int(data['lost']):,} lost): "
        f"{_pct(float(data['mean_churn']))} of the remaining accounts a {data['period']} on "
        f"average, falling with tenure (sBG a = {data['a']:.2f}, b = {data['b']:.2f}).",
        f"The fitted survival stays within {100 * worst:.1f} points of the observed one "
        f"over {len(survival)} {data['period']}s.",
    ]


def uncertainty_headline(data: Mapping[str, Any]) -> list[str]:
    """How much of the spread at the last checkpoint comes from the uncertain assumptions."""
    splits = [s for s in data["split"] if s["outcome"] == "revenue"]
    if not splits:
        return []
    last = splits[-1]
    return [
        f"{data['scenario']}: revenue in month {last['month']}: median "
        f"{format_money(float(last['p50']))}, P10 {format_money(float(last['p10']))} to P90 "
        f"{format_money(float(last['p90']))} over {data['draws']} draws of the assumptions.",
        f"{_pct(float(last['assumption_share']))} of that spread comes from not knowing the "
        "assumptions, the rest from chance.",
    ]
