"""``simulate sweep``: a grid of team sizes or policies on common random numbers."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import click
from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from assess import jsonout
from simulate.analysis.sweep import summarise_sweep
from simulate.analysis_report import csv_text, table
from simulate.commands.common import (
    CONTEXT,
    emit,
    engine_options,
    load_with_overrides,
    note,
    open_backend,
    progress_runner,
    show,
    workers_options,
)
from simulate.errors import SimulateError
from simulate.model import Scenario
from simulate.overrides import Scalar, parse_assignment, parse_grid
from simulate.report import format_money
from simulate.reports.charts import cost_frontier, sweep_heatmap
from simulate.reports.headline import NBSP, sweep_headline
from simulate.reports.html import render_sweep_html
from simulate.reports.options import check_outputs, report_options, write_outputs
from simulate.reports.provenance import provenance
from simulate.reports.terminal import FirstFit, Words, headline_block
from simulate.variants import apply_to_scenario

MAX_POINTS = 10_000
"""Largest grid a sweep accepts."""


@click.command(
    "sweep",
    context_settings=CONTEXT,
    epilog="Example: simulate sweep examples/scenario.yaml --grid hunter=0..2 --grid farmer=1..7",
)
@click.argument(
    "scenario_path", metavar="SCENARIO", type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--grid",
    "grids",
    multiple=True,
    required=True,
    metavar="PATH=LOW..HIGH|A,B,…",
    help=(
        "An axis of the grid (repeatable): hunter=0..4, team.farmer=1..6, "
        "policies.new_logo_owner=farmer,hunter, assumptions.competitor_pressure_monthly=0.06,0.1."
    ),
)
@engine_options()
@report_options("the heat map of a two-axis grid, else the cost frontier")
@workers_options
def sweep_command(
    scenario_path: Path,
    grids: tuple[str, ...],
    trials: int | None,
    seed: int | None,
    team: str | None,
    settings: tuple[str, ...],
    output_format: str,
    output: Path | None,
    report_path: Path | None,
    plot_path: Path | None,
    workers: int | None,
    dask_address: str | None,
) -> None:
    """Run a grid of teams or policies: revenue, cost, Pareto points, marginal reps."""
    check_outputs(report_path, plot_path)
    axes = [parse_grid(text) for text in grids]
    names = [name for name, _ in axes]
    if len(set(names)) != len(names):
        raise SimulateError("--grid: an axis is given twice; give each path once.")
    total = 1
    for _, values in axes:
        total *= len(values)
    if total > MAX_POINTS:
        raise SimulateError(f"--grid: {total:,} points; expected at most {MAX_POINTS:,}.")
    base = load_with_overrides(
        scenario_path, trials=trials, seed=seed, team=team, settings=settings
    )
    planned: list[tuple[dict[str, Scalar], Scenario]] = []
    skipped: list[dict[str, Scalar]] = []
    for combo in itertools.product(*(values for _, values in axes)):
        point = dict(zip(names, combo, strict=True))
        overrides = [parse_assignment(f"{n}={_text(v)}", option="--grid") for n, v in point.items()]
        team_change = any(o.path[0] in base.archetypes or o.path[0] == "team" for o in overrides)
        try:
            planned.append((point, apply_to_scenario(base, overrides)))
        except SimulateError as exc:
            if team_change and "expected at least one seat" in exc.message:
                skipped.append(point)
                continue
            raise
    if not planned:
        raise SimulateError("sweep: no point of the grid has a team with at least one seat.")
    if skipped:
        note(
            f"skipped {len(skipped)} point{'s' if len(skipped) > 1 else ''} without any seat: "
            + "; ".join(", ".join(f"{k}={_text(v)}" for k, v in p.items()) for p in skipped)
        )
    note(
        f"sweeping {len(planned)} points on common random numbers: {base.trials:,} trials each, "
        f"seed {base.seed}, {base.horizon_months} months"
    )
    with open_backend(workers, dask_address, base) as backend, progress_runner(
        base.trials * len(planned), "sweeping", backend
    ) as runner:
        results = [(p, len(s.seats), runner.run(s)) for p, s in planned]
    data = summarise_sweep(axes, results, skipped).to_dict()
    data["provenance"] = provenance(base)
    if output_format == "json":
        emit(jsonout.dumps(data, indent=2) + "\n", output, "the JSON sweep")
    elif output_format == "csv":
        emit(sweep_csv(data), output, "the CSV sweep")
    else:
        show(Group(headline_block(sweep_headline(data)), render_sweep(data, base.name)), output)
    write_outputs(
        report_path,
        lambda: render_sweep_html(data),
        plot_path,
        lambda: sweep_heatmap(data) or cost_frontier(data),
        "sweep",
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _axis_label(path: str) -> str:
    return path.removeprefix("team.").rsplit(".", 1)[-1]


def sweep_csv(data: dict[str, Any]) -> str:
    """One row per point."""
    axes = [a["path"] for a in data["axes"]]
    header = [
        *axes,
        "seats",
        "revenue_p10",
        "revenue_p50",
        "revenue_p90",
        "revenue_mean",
        "revenue_se",
        "accounts_lost",
        "p_target",
        "team_cost_yearly",
        "revenue_minus_cost",
        "revenue_per_cost",
        *(f"marginal_{a}" for a in axes),
        *(f"marginal_{a}_se" for a in axes),
        "pareto",
    ]
    rows = []
    for p in data["points"]:
        marginal = {m["axis"]: m for m in p["marginal"]}
        r = p["revenue"]
        rows.append([
            *(_text(p["settings"][a]) for a in axes), p["seats"], r["p10"], r["p50"], r["p90"],
            r["mean"], r["se"], p["accounts_lost"], p["p_target"], p["team_cost_yearly"],
            p["revenue_minus_cost"], p["revenue_per_cost"],
            *(marginal[a]["mean"] if a in marginal else None for a in axes),
            *(marginal[a]["se"] if a in marginal else None for a in axes),
            "yes" if p["pareto"] else "no",
        ])  # fmt: skip
    return csv_text(header, rows)


def render_sweep(data: dict[str, Any], name: str) -> RenderableType:
    """The table of points, and a heat map for a two-dimensional grid.

    Where the one wide table does not fit the terminal (about 130 columns for two
    axes), it is split into two stacked tables, revenue and then cost and the value
    of one more seat, each repeating the grid's axes; the legend follows each.
    """
    axes = [a["path"] for a in data["axes"]]
    cost = data["pareto_cost"]
    intro = f"Sweep of {name}"
    head = Words(
        f"{intro}  ({len(data['points'])} points, {data['trials']:,} trials each, seed "
        f"{data['seed']}, common random numbers; revenue = months 1–{data['horizon_months']})",
        bold=len(intro),
    )
    with_cost = data["points"][0]["team_cost_yearly"] is not None
    revenue_legend = (
        "P10/P50/P90: eight trials in ten fall between P10 and P90; target: the probability "
        "of meeting the scenario's target"
    )
    cost_legend = (
        f"+1 X: the paired gain in revenue{NBSP}−{NBSP}cost from one more of X (±{NBSP}SE); "
        if with_cost
        else f"+1 X: the paired gain in revenue from one more of X (±{NBSP}SE); "
    ) + f"◆ Pareto-efficient: no other point earns more for no more {cost}"
    marginal_axes = [
        a for a in axes if any(m["axis"] == a for p in data["points"] for m in p["marginal"])
    ]
    wide = Group(
        _points_table(data, "Every point of the grid", axes, marginal_axes, with_cost,
                      revenue=True, costs=True, compact=False),
        Words(f"{revenue_legend}; {cost_legend}"),
    )  # fmt: skip
    stacked = Group(
        _points_table(data, "Every point of the grid: revenue", axes, marginal_axes, with_cost,
                      revenue=True, costs=False, compact=True),
        Text(),
        Words(revenue_legend),
        Text(),
        _points_table(data, "Every point of the grid: cost and one more seat", axes,
                      marginal_axes, with_cost, revenue=False, costs=True, compact=True),
        Text(),
        Words(cost_legend),
    )  # fmt: skip
    parts: list[RenderableType] = [head, FirstFit(wide, stacked)]
    if len(axes) == 2:
        parts += [
            Text(),
            FirstFit(heat_map(data, with_cost), heat_map(data, with_cost, compact=True)),
        ]
    return Group(*parts)


def _points_table(
    data: dict[str, Any],
    title: str,
    axes: list[str],
    marginal_axes: list[str],
    with_cost: bool,
    *,
    revenue: bool,
    costs: bool,
    compact: bool,
) -> Table:
    """The grid's points with the revenue columns, the cost columns, or both."""
    t = table(title, compact=compact)
    for a in axes:
        t.add_column(_axis_label(a), justify="right", no_wrap=True)
    if revenue:
        t.add_column("seats", justify="right", no_wrap=True)
        for column in ("P10", "P50", "P90", "lost", "target"):
            t.add_column(column, justify="right", no_wrap=True)
    if costs:
        if with_cost:
            for column in ("cost/yr", "rev − cost", "rev/cost"):
                t.add_column(column, justify="right", no_wrap=True)
        for a in marginal_axes:
            t.add_column(f"+1 {_axis_label(a)}", justify="right", no_wrap=True)
        t.add_column("", justify="left", no_wrap=True)
    for p in data["points"]:
        r = p["revenue"]
        row = [_text(p["settings"][a]) for a in axes]
        if revenue:
            row += [str(p["seats"]), _four(r["p10"]), _four(r["p50"]),
                    _four(r["p90"]), f"{p['accounts_lost']:.1f}",
                    "—" if p["p_target"] is None else f"{100 * p['p_target']:.0f} %"]  # fmt: skip
        if costs:
            if with_cost:
                per_cost = p["revenue_per_cost"]
                row += [format_money(p["team_cost_yearly"]), format_money(p["revenue_minus_cost"]),
                        f"{per_cost:.2f}" if per_cost else "—"]  # fmt: skip
            marginal = {m["axis"]: m for m in p["marginal"]}
            for a in marginal_axes:
                m = marginal.get(a)
                row.append(
                    ""
                    if m is None
                    else f"{_signed_money(m['mean'])} ±{_short(_two_digits(m['se']))}"
                )
            row.append("◆" if p["pareto"] else "")
        t.add_row(*row)
    return t


def _short(value: float) -> str:
    """Money with three significant digits: ``358 k``, ``19.5 M``."""
    size = abs(value)
    for scale, unit in ((1e9, " B"), (1e6, " M"), (1e3, " k")):
        if size >= scale:
            return f"{value / scale:.3g}{unit}"
    return f"{value:.3g}"


def _four(value: float) -> str:
    """Money with four significant digits: ``110.6 M``, ``98.59 M``, ``6,120``."""
    size = abs(value)
    for scale, unit in ((1e9, " B"), (1e6, " M"), (1e3, " k")):
        if size >= scale:
            scaled = value / scale
            decimals = max(0, 3 - math.floor(math.log10(abs(scaled))))
            return f"{scaled:.{decimals}f}{unit}"
    return f"{value:,.0f}"


def _two_digits(value: float) -> float:
    """``value`` rounded to two significant digits (a standard error needs no more)."""
    if value <= 0 or not math.isfinite(value):
        return value
    return round(value, 1 - math.floor(math.log10(value)))


def _signed_money(value: float) -> str:
    return ("+" if value >= 0 else "−") + _short(abs(value))


def heat_map(data: dict[str, Any], with_cost: bool, *, compact: bool = False) -> Group:
    """Rows: the first axis; columns: the second; cells: P50 revenue (or mean revenue − cost).

    ``compact``: one space between columns and only the first axis over the row labels
    (the title names both), for 80 columns.
    """
    first, second = data["axes"]
    key = "revenue_minus_cost" if with_cost else "p50"
    what = "mean revenue − team cost" if with_cost else "median revenue (P50)"
    cells: dict[tuple[str, str], dict[str, Any]] = {
        (_text(p["settings"][first["path"]]), _text(p["settings"][second["path"]])): p
        for p in data["points"]
    }
    values = [p["revenue_minus_cost"] if with_cost else p["revenue"]["p50"] for p in data["points"]]
    low, high = min(values), max(values)
    t = table(
        f"Heat map: {what}, {_axis_label(first['path'])} down × "
        f"{_axis_label(second['path'])} across",
        compact=compact,
    )
    t.add_column(
        _axis_label(first["path"])
        if compact
        else f"{_axis_label(first['path'])} \\ {_axis_label(second['path'])}",
        justify="right",
        no_wrap=True,
    )
    for v in second["values"]:
        t.add_column(_text(v), justify="right", no_wrap=True)
    for u in first["values"]:
        row: list[Text] = [Text(_text(u))]
        for v in second["values"]:
            p = cells.get((_text(u), _text(v)))
            if p is None:
                row.append(Text("·"))
                continue
            value = p["revenue_minus_cost"] if with_cost else p["revenue"][key]
            level = 0.0 if high == low else (value - low) / (high - low)
            shade = int(236 + round(level * 19)) if level < 1 else 255
            style = Style(bgcolor=f"color({shade})", color="black" if level > 0.5 else "white")
            row.append(Text(_four(value) + (" ◆" if p["pareto"] else "  "), style=style))
        t.add_row(*row)
    legend = Words("on a terminal, lighter = more; ◆ Pareto-efficient; · no seat")
    return Group(t, Text(), legend) if compact else Group(t, legend)
