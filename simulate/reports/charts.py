"""The simulation's charts as Matplotlib figures (optional extra ``repfit[reports]``).

Each function takes a command's result dictionary and returns a figure, or None when
the result lacks what the chart needs; :func:`chart_svg` and :func:`chart_bytes` turn a
figure into byte-stable SVG or PNG (see :mod:`assess.reports.figures`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assess.reports.figures import COLORS, figure_bytes, new_figure, svg_text
from simulate.report import format_money
from simulate.reports.headline import target_month

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _money_axis(axes: Axes, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _: format_money(value))
    (axes.yaxis if axis == "y" else axes.xaxis).set_major_formatter(formatter)


def fan_chart(result: Mapping[str, Any]) -> Figure | None:
    """Monthly revenue: P10–P90 band, P50 line, mean, and the target when monthly."""
    revenue = (result.get("metrics") or {}).get("revenue")
    if not revenue:
        return None
    months = list(result["months"])
    figure = new_figure()
    axes = figure.add_subplot()
    axes.fill_between(
        months,
        revenue["p10"],
        revenue["p90"],
        color=COLORS[0],
        alpha=0.18,
        linewidth=0,
        label="P10–P90 (8 futures in 10)",
    )
    axes.plot(months, revenue["p50"], color=COLORS[0], linewidth=2, label="P50 (median)")
    if "mean" in revenue:
        axes.plot(
            months, revenue["mean"], color=COLORS[5], linewidth=1, linestyle=":", label="mean"
        )
    target: Mapping[str, Any] = result.get("target") or {}
    if target.get("metric") == "revenue_month" and target.get("value") is not None:
        month = target_month(result)
        axes.axhline(
            float(target["value"]),
            color=COLORS[3],
            linewidth=1,
            linestyle="--",
            label=f"target ({format_money(float(target['value']))})",
        )
        axes.axvline(month, color=COLORS[3], linewidth=0.6, linestyle=":")
    axes.set_xlabel("month")
    axes.set_ylabel("revenue in the month")
    _money_axis(axes)
    axes.set_xlim(months[0], months[-1])
    axes.legend(loc="lower left", frameon=False)
    return figure


def _line_chart(
    result: Mapping[str, Any], metric: str, ylabel: str, percent: bool = False
) -> Figure | None:
    data = (result.get("metrics") or {}).get(metric)
    if not data:
        return None
    months = list(result["months"])
    scale = 100.0 if percent else 1.0
    figure = new_figure(7.0, 3.0)
    axes = figure.add_subplot()
    axes.fill_between(
        months,
        [scale * v for v in data["p10"]],
        [scale * v for v in data["p90"]],
        color=COLORS[2],
        alpha=0.18,
        linewidth=0,
        label="P10–P90",
    )
    axes.plot(
        months, [scale * v for v in data["p50"]], color=COLORS[2], linewidth=2, label="P50 (median)"
    )
    axes.set_xlabel("month")
    axes.set_ylabel(ylabel)
    axes.set_xlim(months[0], months[-1])
    axes.legend(loc="lower left", frameon=False)
    return figure


def survival_chart(result: Mapping[str, Any]) -> Figure | None:
    """Accounts still active, month by month."""
    return _line_chart(result, "active_accounts", "active accounts")


def wallet_share_chart(result: Mapping[str, Any]) -> Figure | None:
    """Our share of the accounts' category spending, month by month (per cent)."""
    return _line_chart(result, "wallet_share", "wallet share (%)", percent=True)


def archetype_chart(result: Mapping[str, Any]) -> Figure | None:
    """Mean monthly revenue owned by each archetype (solid) and sourced by each (dashed)."""
    owned: Mapping[str, Any] = result.get("by_archetype") or {}
    sourced: Mapping[str, Any] = result.get("sourced_by") or {}
    if not owned and not sourced:
        return None
    months = list(result["months"])
    figure = new_figure()
    axes = figure.add_subplot()
    names = sorted(set(owned) | {n for n in sourced if n != "book"})
    for index, name in enumerate(names):
        color = COLORS[index % len(COLORS)]
        if name in owned:
            axes.plot(
                months,
                owned[name]["revenue"]["mean"],
                color=color,
                linewidth=2,
                label=f"owned by {name}s",
            )
        if name in sourced:
            axes.plot(
                months,
                sourced[name]["revenue"]["mean"],
                color=color,
                linewidth=1.2,
                linestyle="--",
                label=f"sourced by {name}s",
            )
    if "book" in sourced:
        axes.plot(
            months,
            sourced["book"]["revenue"]["mean"],
            color=COLORS[5],
            linewidth=1,
            linestyle=":",
            label="from the starting book",
        )
    axes.set_xlabel("month")
    axes.set_ylabel("mean revenue in the month")
    _money_axis(axes)
    axes.set_xlim(months[0], months[-1])
    axes.set_ylim(bottom=0)
    axes.legend(loc="best", frameon=False, fontsize=8)
    return figure


def _settings(point: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in point["settings"].items())


def sweep_heatmap(data: Mapping[str, Any]) -> Figure | None:
    """Two-axis sweeps: P(target) (or median revenue) in each cell of the grid."""
    axes_spec: Sequence[Mapping[str, Any]] = data["axes"]
    points: Sequence[Mapping[str, Any]] = data["points"]
    if len(axes_spec) != 2 or not points:
        return None
    (ya, xa) = axes_spec
    has_target = all(p.get("p_target") is not None for p in points)
    grid = [[float("nan")] * len(xa["values"]) for _ in ya["values"]]
    for p in points:
        y = list(ya["values"]).index(p["settings"][ya["path"]])
        x = list(xa["values"]).index(p["settings"][xa["path"]])
        grid[y][x] = 100 * p["p_target"] if has_target else p["revenue"]["p50"]
    figure = new_figure(7.0, 0.5 * len(ya["values"]) + 1.6)
    axes = figure.add_subplot()
    image = axes.imshow(grid, cmap="Blues", aspect="auto", origin="lower")
    axes.set_xticks(range(len(xa["values"])), [str(v) for v in xa["values"]])
    axes.set_yticks(range(len(ya["values"])), [str(v) for v in ya["values"]])
    axes.set_xlabel(str(xa["path"]))
    axes.set_ylabel(str(ya["path"]))
    for y, row in enumerate(grid):
        for x, value in enumerate(row):
            if value == value:  # not NaN
                label = f"{value:.0f} %" if has_target else format_money(value)
                axes.text(
                    x,
                    y,
                    label,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white"
                    if value > (60 if has_target else 0) and has_target
                    else "#1d2433",
                )
    figure.colorbar(
        image, ax=axes, label="P(target), %" if has_target else "median revenue over the horizon"
    )
    return figure


def cost_frontier(data: Mapping[str, Any]) -> Figure | None:
    """Revenue (P50) against yearly team cost (or seats); the frontier joined."""
    points: Sequence[Mapping[str, Any]] = data["points"]
    if not points:
        return None
    by_cost = data.get("pareto_cost") == "team cost a year"
    xs = [float(p["team_cost_yearly"] if by_cost else p["seats"]) for p in points]
    ys = [float(p["revenue"]["p50"]) for p in points]
    figure = new_figure()
    axes = figure.add_subplot()
    axes.scatter(xs, ys, color=COLORS[5], s=18, label="team")
    frontier = sorted((x, y, p) for x, y, p in zip(xs, ys, points, strict=True) if p.get("pareto"))
    if frontier:
        axes.plot(
            [f[0] for f in frontier],
            [f[1] for f in frontier],
            color=COLORS[0],
            marker="o",
            linewidth=1.5,
            label="cost frontier",
        )
        for x, y, p in frontier:
            axes.annotate(
                _settings(p), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7
            )
    axes.set_xlabel("team cost a year" if by_cost else "seats")
    axes.set_ylabel(f"median revenue over {data['horizon_months']} months")
    _money_axis(axes)
    if by_cost:
        _money_axis(axes, "x")
    axes.legend(loc="lower right", frameon=False)
    return figure


def tornado_chart(data: Mapping[str, Any], bars_shown: int = 12) -> Figure | None:
    """The median in the target month at the low and high end of each assumption."""
    bars: Sequence[Mapping[str, Any]] = (data.get("tornado") or [])[:bars_shown]
    if not bars:
        return None
    base = float(data["base_p50"])
    figure = new_figure(7.0, 0.32 * len(bars) + 1.2)
    axes = figure.add_subplot()
    names = [b["name"] for b in bars][::-1]
    low = [float(b["p50_low"]) - base for b in bars][::-1]
    high = [float(b["p50_high"]) - base for b in bars][::-1]
    axes.barh(names, low, left=base, color=COLORS[1], label="assumption at its low end")
    axes.barh(names, high, left=base, color=COLORS[0], label="assumption at its high end")
    axes.axvline(base, color="#1d2433", linewidth=0.8)
    axes.set_xlabel(f"median revenue in month {data.get('month')}")
    _money_axis(axes, "x")
    axes.legend(loc="lower right", frameon=False, fontsize=8)
    return figure


def fit_chart(data: Mapping[str, Any]) -> Figure | None:
    """Observed survival (points) and the fitted sBG curve."""
    survival: Sequence[Mapping[str, Any]] = data.get("survival") or []
    if not survival:
        return None
    periods = [0] + [int(s["period"]) for s in survival]
    figure = new_figure(7.0, 3.0)
    axes = figure.add_subplot()
    axes.plot(
        periods,
        [100.0] + [100 * s["fitted"] for s in survival],
        color=COLORS[0],
        linewidth=2,
        label="fitted (sBG)",
    )
    axes.plot(
        periods,
        [100.0] + [100 * s["observed"] for s in survival],
        "o",
        color=COLORS[1],
        label="observed",
    )
    axes.set_xlabel(f"{data.get('period', 'period')}s since start")
    axes.set_ylabel("accounts still active (%)")
    axes.set_ylim(0, 102)
    axes.legend(loc="upper right", frameon=False)
    return figure


RUN_CHARTS: dict[str, tuple[Callable[[Mapping[str, Any]], Figure | None], str]] = {
    "fan": (
        fan_chart,
        "Revenue in each month: the band holds 8 futures in 10; the line is the "
        "median; the dashed line is the target.",
    ),
    "survival": (survival_chart, "Accounts still active (median and P10–P90)."),
    "wallet_share": (wallet_share_chart, "Our share of the accounts' category spending."),
    "archetypes": (
        archetype_chart,
        "Mean monthly revenue owned by, and sourced by, each archetype.",
    ),
}
"""The charts of a run report, in order: name -> (builder, caption)."""


def chart_svg(figure: Figure, name: str) -> str:
    """Inline SVG markup of a chart."""
    return svg_text(figure, name)


def chart_bytes(figure: Figure, suffix: str, name: str) -> bytes:
    """A chart file's bytes (.svg or .png), deterministic."""
    return figure_bytes(figure, suffix, name)


def compare_fans(runs: Mapping[str, Mapping[str, Any]]) -> Figure | None:
    """Every option's median revenue and P10–P90 band on one chart."""
    if not runs:
        return None
    figure = new_figure()
    axes = figure.add_subplot()
    first = next(iter(runs.values()))
    months = list(first["months"])
    for index, (name, run) in enumerate(runs.items()):
        revenue = run["metrics"]["revenue"]
        color = COLORS[index % len(COLORS)]
        axes.fill_between(
            months, revenue["p10"], revenue["p90"], color=color, alpha=0.12, linewidth=0
        )
        axes.plot(months, revenue["p50"], color=color, linewidth=2, label=f"{name} (P50)")
    target: Mapping[str, Any] = first.get("target") or {}
    if target.get("metric") == "revenue_month" and target.get("value") is not None:
        axes.axhline(
            float(target["value"]), color=COLORS[3], linewidth=1, linestyle="--", label="target"
        )
    axes.set_xlabel("month")
    axes.set_ylabel("revenue in the month (bands: P10–P90)")
    _money_axis(axes)
    axes.set_xlim(months[0], months[-1])
    axes.legend(loc="lower left", frameon=False, fontsize=8)
    return figure
