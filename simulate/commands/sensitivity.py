"""``simulate sensitivity``: which assumptions move revenue (tornado or Sobol indices)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from assess import jsonout
from simulate.analysis.sensitivity import Level, oat_levels, sobol, target_month_values, tornado
from simulate.analysis_report import csv_text, table
from simulate.commands.common import (
    CONTEXT,
    Runner,
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
from simulate.overrides import Override, did_you_mean
from simulate.report import format_money, format_value
from simulate.reports.charts import tornado_chart
from simulate.reports.headline import NBSP, sensitivity_headline
from simulate.reports.html import render_sensitivity_html
from simulate.reports.options import check_outputs, report_options, write_outputs
from simulate.reports.provenance import provenance
from simulate.reports.terminal import FirstFit, Words, headline_block
from simulate.results import SimulationResult
from simulate.variants import apply_to_scenario

SOBOL_TRIALS = 100
"""Trials per model run for Sobol indices unless --trials is given."""
SOBOL_DEFAULT_PARAMS = 5
"""Without --params, Sobol takes this many assumptions from the top of the tornado."""


def _relative(text: str) -> float:
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise SimulateError(
            f"--range: expected a share such as 20% or 0.2; found '{text}'."
        ) from None
    if not 0 < value < 1:
        raise SimulateError(f"--range: expected a share above 0 % and below 100 %; found '{text}'.")
    return value


@click.command(
    "sensitivity",
    context_settings=CONTEXT,
    epilog="Example: simulate sensitivity examples/scenario.yaml --trials 200 --range 20%",
)
@click.argument(
    "scenario_path", metavar="SCENARIO", type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--method",
    type=click.Choice(["oat", "sobol"]),
    default="oat",
    show_default=True,
    help="oat: one-at-a-time tornado; sobol: first-order and total Sobol indices.",
)
@click.option(
    "--params",
    metavar="A,B,…",
    help=(
        "Assumptions to vary (default: every assumption for oat; the tornado's top "
        f"{SOBOL_DEFAULT_PARAMS} for sobol)."
    ),
)
@click.option(
    "--range",
    "range_text",
    default="20%",
    show_default=True,
    help="Each assumption goes from value × (1 − range) to value × (1 + range).",
)
@click.option(
    "--samples",
    type=click.IntRange(min=8),
    default=64,
    show_default=True,
    help="Sobol base sample N (a power of two); the model runs N × (assumptions + 2) times.",
)
@engine_options()
@report_options("the tornado chart")
@workers_options
def sensitivity_command(
    scenario_path: Path,
    method: str,
    params: str | None,
    range_text: str,
    samples: int,
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
    """Rank the assumptions by how much they move revenue in the target month."""
    check_outputs(report_path, plot_path)
    relative = _relative(range_text)
    if method == "sobol" and samples & (samples - 1):
        raise SimulateError(
            f"--samples: expected a power of two ≥ 8 (Sobol sequences); found {samples}."
        )
    if method == "sobol" and trials is None:
        trials = SOBOL_TRIALS
    base = load_with_overrides(
        scenario_path, trials=trials, seed=seed, team=team, settings=settings
    )
    month = _target_month(base)
    names = list(base.assumptions) if params is None else _names(params, base)
    levels = oat_levels(base.assumptions, names, relative)
    if params is not None and len(levels) < len(names):
        fixed = sorted(set(names) - {lv.name for lv in levels})
        raise SimulateError(
            f"--params: {', '.join(fixed)} cannot move ±{100 * relative:g} % (its value is 0 or "
            "pinned by its bounds); choose other assumptions."
        )
    data: dict[str, Any] = {
        "schema": "repfit.sensitivity/1",
        "scenario": base.name,
        "method": method,
        "month": month,
        "range": relative,
        "trials_per_run": base.trials,
        "seed": base.seed,
    }
    oat_needed = method == "oat" or params is None
    runs = (1 + 2 * len(levels)) if oat_needed else 0
    sobol_levels: list[Level] = levels if params is not None else []
    if method == "sobol":
        width = len(levels) if params is not None else min(SOBOL_DEFAULT_PARAMS, len(levels))
        runs += samples * (width + 2)
    note(
        f"{base.name}: {method} sensitivity of revenue in month {month}, ±{100 * relative:g} % "
        f"around each value; {runs:,} model runs × {base.trials:,} trials on seed {base.seed} "
        "(common random numbers)"
    )
    with open_backend(workers, dask_address, base) as backend, progress_runner(
        runs * base.trials, "sensitivity", backend
    ) as runner:
        if oat_needed:
            base_result = runner.run(base)
            pairs = {
                lv.name: (
                    runner.run(_with(base, lv.name, lv.low)),
                    runner.run(_with(base, lv.name, lv.high)),
                )
                for lv in levels
            }
            bars = tornado(levels, pairs, month)
            data["base_p50"] = float(
                sorted(target_month_values(base_result, month))[base_result.trials // 2]
            )
            data["tornado"] = [b.to_dict() for b in bars]
            data["model_runs_oat"] = 1 + 2 * len(levels)
            if method == "sobol" and params is None:
                top = {b.name for b in bars[:SOBOL_DEFAULT_PARAMS]}
                sobol_levels = [lv for lv in levels if lv.name in top]
        if method == "sobol":
            found = sobol(sobol_levels, _evaluator(base, month, runner), samples, base.seed)
            data["sobol"] = found.to_dict()
            if found.too_wide and output_format != "table":
                note(
                    "warning: the Sobol intervals are too wide to rank the assumptions (the top "
                    "two overlap); raise --samples or --trials."
                )
    data["provenance"] = provenance(base)
    if output_format == "json":
        emit(jsonout.dumps(data, indent=2) + "\n", output, "the JSON sensitivity")
    elif output_format == "csv":
        emit(sensitivity_csv(data), output, "the CSV sensitivity")
    else:
        show(Group(headline_block(sensitivity_headline(data)), render_sensitivity(data)), output)
    write_outputs(
        report_path,
        lambda: render_sensitivity_html(data),
        plot_path,
        lambda: tornado_chart(data),
        "tornado",
    )


def _names(params: str, scenario: Scenario) -> list[str]:
    names = [p.strip() for p in params.split(",") if p.strip()]
    if not names:
        raise SimulateError("--params: expected assumption names separated by commas; found none.")
    for name in names:
        if name not in scenario.assumptions:
            raise SimulateError(
                f"--params: unknown assumption '{name}'; see `simulate assumptions` for the "
                f"list{did_you_mean(name, scenario.assumptions)}."
            )
    return list(dict.fromkeys(names))


def _target_month(scenario: Scenario) -> int:
    target = scenario.target
    if target is not None and target.metric == "revenue_month" and target.month is not None:
        return target.month
    return scenario.horizon_months


def _with(base: Scenario, name: str, value: float) -> Scenario:
    override = Override(text=f"--params {name}", path=("assumptions", name), value=value)
    return apply_to_scenario(base, [override])


def _evaluator(base: Scenario, month: int, runner: Runner) -> Any:
    def evaluate(values: dict[str, float]) -> float:
        overrides = [
            Override(text=f"--params {n}", path=("assumptions", n), value=v)
            for n, v in values.items()
        ]
        result: SimulationResult = runner.run(apply_to_scenario(base, overrides))
        return float(target_month_values(result, month).mean())

    return evaluate


def sensitivity_csv(data: dict[str, Any]) -> str:
    """The tornado (and Sobol indices) as rows."""
    header = [
        "method",
        "name",
        "value",
        "low",
        "high",
        "p50_low",
        "p50_high",
        "swing",
        "mean_difference",
        "se",
        "first_order",
        "first_order_ci_low",
        "first_order_ci_high",
        "total_order",
        "total_order_ci_low",
        "total_order_ci_high",
    ]
    rows: list[list[Any]] = []
    for b in data.get("tornado", []):
        rows.append(["oat", b["name"], b["value"], b["low"], b["high"], b["p50_low"],
                     b["p50_high"], b["swing"], b["mean_difference"], b["se"],
                     None, None, None, None, None, None])  # fmt: skip
    for s in data.get("sobol", {}).get("indices", []):
        rows.append(["sobol", s["name"], None, s["low"], s["high"], None, None, None, None,
                     None, s["first_order"], *s["first_order_ci"], s["total_order"],
                     *s["total_order_ci"]])  # fmt: skip
    return csv_text(header, rows)


BAR_WIDTH = 10


def render_sensitivity(data: dict[str, Any]) -> RenderableType:
    """The tornado (bars by swing) and the Sobol table.

    Where the wide tornado does not fit (about 100 columns), it is split into two
    stacked tables: the medians, swing and bar, then the assumptions' values and the
    paired difference; the Sobol table puts each range under its assumption.
    """
    intro = f"Sensitivity of {data['scenario']}"
    head = Words(
        f"{intro}  (revenue in month {data['month']}; each assumption "
        f"±{100 * data['range']:g}{NBSP}%; {data['trials_per_run']:,} trials per run, seed "
        f"{data['seed']}, common random numbers)",
        bold=len(intro),
    )
    parts: list[RenderableType] = [head]
    bars = data.get("tornado")
    if bars:
        title = (
            f"Tornado: median revenue in month {data['month']} with each assumption low / high "
            f"(base {format_money(data['base_p50']).replace(' ', NBSP)})"
        )
        legend = Words(
            f"{data['model_runs_oat']} model runs; swing = |P50 high − P50 low|; "
            f"high − low = paired mean difference ±{NBSP}SE"
        )
        stacked = Group(
            _tornado(data, bars, Words(title), ("assumption", "P50 low", "P50 high", "swing", "")),
            Text(),
            _tornado(
                data, bars, "The assumptions' values, and the paired difference",
                ("assumption", "low", "high", "high − low", "± SE"),
            ),
            Text(),
            legend,
        )  # fmt: skip
        parts.append(
            FirstFit(
                Group(
                    _tornado(data, bars, Words(title), ("assumption", "low", "high", "P50 low",
                             "P50 high", "swing", "", "high − low ± SE"), compact=False),
                    legend,
                ),
                stacked,
            )
        )  # fmt: skip
    found = data.get("sobol")
    if found:
        title = (
            f"Sobol indices of mean revenue in month {data['month']} "
            f"(N = {found['samples']}, {found['model_runs']:,} model runs)"
        )
        legend = Words(
            "first order: the share of the variance due to the assumption alone; total: "
            f"with its interactions; [95{NBSP}% bootstrap interval]; ≈0 = the interval includes "
            "0: not distinguishable from 0"
        )
        parts.append(
            FirstFit(
                Group(_sobol(found, title, compact=False), legend),
                Group(_sobol(found, title, compact=True), Text(), legend),
            )
        )
        if found["too_wide_to_rank"]:
            parts.append(
                Words(
                    "warning: the intervals are too wide to rank the assumptions (the top two "
                    "total indices overlap); raise --samples or --trials."
                )
            )
    return Group(*parts)


def _tornado(
    data: dict[str, Any],
    bars: list[dict[str, Any]],
    title: str | Words,
    columns: tuple[str, ...],
    *,
    compact: bool = True,
) -> RenderableType:
    """The tornado's rows with the given columns (``""`` is the bar, of fixed width)."""
    largest = max(b["swing"] for b in bars) or 1.0
    t = table("", compact=compact)
    for column in columns:
        t.add_column(
            column,
            justify="left" if column in ("assumption", "") else "right",
            no_wrap=True,
            min_width=BAR_WIDTH if column == "" else None,
        )
    for b in bars:
        difference = (
            f"{'+' if b['mean_difference'] >= 0 else '−'}"
            f"{format_money(abs(b['mean_difference']))}"
        )
        cells = {
            "assumption": b["name"],
            "low": format_value(round(b["low"], 6)),
            "high": format_value(round(b["high"], 6)),
            "P50 low": format_money(b["p50_low"]),
            "P50 high": format_money(b["p50_high"]),
            "swing": format_money(b["swing"]),
            "": "█" * round(BAR_WIDTH * b["swing"] / largest),
            "high − low": difference,
            "± SE": format_money(b["se"]),
            "high − low ± SE": f"{difference} ± {format_money(b['se'])}",
        }
        t.add_row(*(cells[column] for column in columns))
    if isinstance(title, Words):
        return Group(title, t)
    t.title = title
    return t


def _sobol(found: dict[str, Any], title: str, *, compact: bool) -> Table:
    """The Sobol indices; ``compact`` puts each range on a second line under its name."""
    t = table(title, compact=compact)
    columns = ("assumption", "first order", "total") if compact else (
        "assumption", "range", "first order", "", "total", "")  # fmt: skip
    for column in columns:
        t.add_column(
            column, justify="left" if column in ("assumption", "") else "right", no_wrap=True
        )
    for s in found["indices"]:
        span = f"{format_value(round(s['low'], 6))}–{format_value(round(s['high'], 6))}"
        first = (
            f"{s['first_order']:.2f} [{s['first_order_ci'][0]:.2f}, "
            f"{s['first_order_ci'][1]:.2f}]"
        )
        total = (
            f"{s['total_order']:.2f} [{s['total_order_ci'][0]:.2f}, "
            f"{s['total_order_ci'][1]:.2f}]"
        )
        first_flag = "" if s["first_order_distinguishable"] else "≈0"
        total_flag = "" if s["total_order_distinguishable"] else "≈0"
        if compact:
            t.add_row(
                f"{s['name']}\n  {span}",
                f"{first} {first_flag or '  '}",
                f"{total} {total_flag or '  '}",
            )
        else:
            t.add_row(s["name"], span, first, first_flag, total, total_flag)
    return t
