"""``simulate uncertainty``: outcomes when the assumptions themselves are uncertain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import numpy as np
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from assess import jsonout
from simulate.analysis.metrics import checkpoints
from simulate.analysis.uncertainty import pooled_fan, variance_split
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
from simulate.overrides import Override
from simulate.report import format_money, format_value, render_fan_chart
from simulate.reports.charts import fan_chart
from simulate.reports.headline import NBSP, uncertainty_headline
from simulate.reports.html import render_uncertainty_html
from simulate.reports.options import check_outputs, report_options, write_outputs
from simulate.reports.provenance import provenance
from simulate.reports.terminal import FirstFit, Words, headline_block
from simulate.variants import apply_to_scenario

STREAM = 0x0CE7
"""Spawn key of the assumption draws and of each draw's seed (independent of the engine's)."""


@click.command(
    "uncertainty",
    context_settings=CONTEXT,
    epilog="Example: simulate uncertainty examples/uncertain.yaml --draws 20 --trials 200",
)
@click.argument(
    "scenario_path", metavar="SCENARIO", type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--draws",
    type=click.IntRange(min=2),
    help="K: sets of assumption values drawn (default: the block's `draws`).",
)
@engine_options()
@report_options("the pooled revenue fan chart")
@workers_options
def uncertainty_command(
    scenario_path: Path,
    draws: int | None,
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
    """Split the spread of revenue into chance and uncertain assumptions."""
    check_outputs(report_path, plot_path)
    base = load_with_overrides(scenario_path, trials=None, seed=seed, team=team, settings=settings)
    spec = base.spec.uncertainty if base.spec is not None else None
    if spec is None:
        raise SimulateError(
            f"{scenario_path}: no `uncertainty:` block; expected one naming the assumptions to "
            "draw, e.g. uncertainty: {draws: 20, trials_per_draw: 200, assumptions: "
            "{competitor_pressure_monthly: {triangular: {low: 0.05, mode: 0.08, high: 0.12}}}}."
        )
    k = draws if draws is not None else spec.draws
    m = trials if trials is not None else spec.trials_per_draw
    if m < 2:
        raise SimulateError(f"--trials: expected at least 2 trials per draw; found {m}.")
    rng = np.random.default_rng(np.random.SeedSequence(base.seed, spawn_key=(STREAM,)))
    values: dict[str, list[float]] = {}
    for name in sorted(spec.assumptions):
        drawn = spec.assumptions[name].sample(rng, k)
        a = base.assumptions[name]
        where = f"{scenario_path}: uncertainty.assumptions.{name}"
        if a.minimum is not None and float(drawn.min()) < a.minimum:
            raise SimulateError(
                f"{where}: draws reach {float(drawn.min()):g}, below the assumption's minimum of "
                f"{a.minimum:g} ({a.unit}); add `min: {a.minimum:g}` to the distribution."
            )
        if a.maximum is not None and float(drawn.max()) > a.maximum:
            raise SimulateError(
                f"{where}: draws reach {float(drawn.max()):g}, above the assumption's maximum of "
                f"{a.maximum:g} ({a.unit}); add `max: {a.maximum:g}` to the distribution."
            )
        values[name] = [float(v) for v in drawn]
    scenarios = []
    for i in range(k):
        overrides = [
            Override(text=f"uncertainty draw {i + 1}", path=("assumptions", n), value=v[i])
            for n, v in values.items()
        ]
        draw_seed = int(
            np.random.SeedSequence(base.seed, spawn_key=(STREAM, i)).generate_state(1)[0]
        )
        scenarios.append(
            apply_to_scenario(base, overrides).with_overrides(trials=m, seed=draw_seed)
        )
    note(
        f"{base.name}: {k} draws of {', '.join(values)} × {m:,} trials each "
        f"({k * m:,} trials), seed {base.seed}"
    )
    revenue: list[Any] = []
    cumulative: list[Any] = []
    with open_backend(workers, dask_address, base) as backend, progress_runner(
        k * m, "uncertainty", backend
    ) as runner:
        for scenario in scenarios:
            result = runner.run(scenario)
            revenue.append(np.asarray(result.per_trial["revenue"]))
            cumulative.append(np.asarray(result.per_trial["revenue_cumulative"]))
    months = checkpoints(base.horizon_months)
    splits = [
        {
            "outcome": outcome,
            **variance_split(np.stack([a[:, mo - 1] for a in arrays]), mo).to_dict(),
        }
        for outcome, arrays in (("revenue", revenue), ("revenue_cumulative", cumulative))
        for mo in months
    ]
    data: dict[str, Any] = {
        "schema": "repfit.uncertainty/1",
        "scenario": base.name,
        "draws": k,
        "trials_per_draw": m,
        "seed": base.seed,
        "assumptions": {
            name: {
                "distribution": spec.assumptions[name].kind,
                "params": spec.assumptions[name].params,
                "draws": drawn,
            }
            for name, drawn in values.items()
        },
        "months": list(range(1, base.horizon_months + 1)),
        "metrics": {"revenue": pooled_fan(revenue)},
        "split": splits,
        "provenance": provenance(base.with_overrides(trials=m)),
    }
    if output_format == "json":
        emit(jsonout.dumps(data, indent=2) + "\n", output, "the JSON result")
    elif output_format == "csv":
        keys = ["outcome", "month", "mean", "p10", "p50", "p90", "chance_sd", "assumption_sd",
                "assumption_share", "f_statistic", "p_value"]  # fmt: skip
        emit(csv_text(keys, [[s[key] for key in keys] for s in splits]), output, "the CSV")
    else:
        console = Console(highlight=False)
        color = output is None and console.is_terminal and not console.no_color
        width = 100 if output is not None else min(console.width, 100)
        chart = render_fan_chart(data, width=width, color=color)
        show(
            Group(
                headline_block(uncertainty_headline(data)),
                render_uncertainty(data, Text.from_ansi(chart)),
            ),
            output,
        )
    write_outputs(
        report_path,
        lambda: render_uncertainty_html(data),
        plot_path,
        lambda: fan_chart(data),
        "fan",
    )


def render_uncertainty(data: dict[str, Any], chart: Text) -> RenderableType:
    """The draws, the split of the spread, and the pooled fan chart.

    Where the split's one wide table does not fit (about 100 columns), it becomes two
    stacked tables: the pooled percentiles, then the chance and assumptions SDs.
    """
    intro = f"Uncertainty: {data['scenario']}"
    head = Words(
        f"{intro}  ({data['draws']} draws of the assumptions × {data['trials_per_draw']:,} "
        f"trials, seed {data['seed']})",
        bold=len(intro),
    )
    drawn = table("Assumptions drawn")
    for column in ("assumption", "distribution", "lowest", "median", "highest"):
        drawn.add_column(column, justify="left" if column in ("assumption", "distribution")
                         else "right", no_wrap=column != "distribution")  # fmt: skip
    for name, entry in data["assumptions"].items():
        params = ", ".join(f"{k}{NBSP}{format_value(v)}" for k, v in entry["params"].items())
        drawn.add_row(
            name, Words(f"{entry['distribution']} ({params})"), f"{min(entry['draws']):.4g}",
            f"{float(np.median(entry['draws'])):.4g}", f"{max(entry['draws']):.4g}",
        )  # fmt: skip
    title = "Where the spread comes from (one-way analysis of variance)"
    legend = Words(
        "chance SD: the spread within a draw (luck); assumptions SD: the spread of the "
        "draws' means beyond luck; share: of the total variance, the part the assumptions "
        "cause. P10/P50/P90 pool every trial of every draw."
    )
    wide = Group(
        _split(data, title, ("mean", "P10", "P50", "P90", "chance SD", "assumptions SD",
                             "share"), compact=False),
        legend,
    )  # fmt: skip
    stacked = Group(
        _split(data, "Revenue over every trial of every draw", ("mean", "P10", "P50", "P90"),
               compact=True),
        Text(),
        _split(data, title, ("chance SD", "assumptions SD", "share"), compact=True),
        Text(),
        legend,
    )  # fmt: skip
    return Group(head, drawn, FirstFit(wide, stacked), chart)


def _split(data: dict[str, Any], title: str, columns: tuple[str, ...], *, compact: bool) -> Table:
    """The analysis of variance's rows, by outcome and month, with the given columns."""
    t = table(title, compact=compact)
    for column in ("outcome", "month", *columns):
        t.add_column(column, justify="left" if column == "outcome" else "right", no_wrap=True)
    labels = {"revenue": "revenue (month)", "revenue_cumulative": "revenue to date"}
    for s in data["split"]:
        cells = {
            "mean": format_money(s["mean"]),
            "P10": format_money(s["p10"]),
            "P50": format_money(s["p50"]),
            "P90": format_money(s["p90"]),
            "chance SD": format_money(s["chance_sd"]),
            "assumptions SD": format_money(s["assumption_sd"]),
            "share": f"{100 * s['assumption_share']:.0f} %",
        }
        t.add_row(labels[s["outcome"]], str(s["month"]), *(cells[c] for c in columns))
    return t
