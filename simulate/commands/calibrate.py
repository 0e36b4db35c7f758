"""``simulate calibrate``: churn fitted to the user's own history (shifted-beta-geometric)."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

import click
from rich.console import Group, RenderableType

from assess import jsonout
from assess.clikit import refuse_overwriting_command_inputs
from assess.fileio import atomic_write
from simulate import __version__
from simulate.analysis.calibrate import SbgFit, fit_sbg, scenario_snippet
from simulate.analysis_report import table
from simulate.commands.common import CONTEXT, emit, note, show
from simulate.errors import SimulateError
from simulate.history import read_history
from simulate.reports.charts import fit_chart
from simulate.reports.headline import NBSP, calibrate_headline
from simulate.reports.html import render_calibrate_html
from simulate.reports.options import check_outputs, report_options, write_outputs
from simulate.reports.terminal import Words, headline_block


@click.command(
    "calibrate",
    context_settings=CONTEXT,
    epilog="Example: simulate calibrate examples/cohort.csv --period year -o churn.yaml",
)
@click.argument("history", metavar="HISTORY.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--period",
    type=click.Choice(["month", "year"]),
    default="month",
    show_default=True,
    help="The renewal period the churn probabilities are per (dates are counted in months).",
)
@click.option(
    "--segment-column",
    metavar="COL",
    help="Also fit each segment of this column separately (per-account histories only).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: readable; json: model, a, b, SEs, loglik, survival per period.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a scenario snippet (churn_propensity for `book:`) to this file.",
)
@report_options("observed and fitted survival")
def calibrate_command(
    history: Path,
    period: str,
    segment_column: str | None,
    output_format: str,
    output: Path | None,
    report_path: Path | None,
    plot_path: Path | None,
) -> None:
    """Fit churn to your own history: shifted-beta-geometric a, b with standard errors."""
    check_outputs(report_path, plot_path)
    data = read_history(history, period=period, segment_column=segment_column)
    try:
        fit = fit_sbg(data.overall)
        segments = {name: fit_sbg(lifetimes) for name, lifetimes in data.segments.items()}
    except SimulateError as exc:
        raise SimulateError(f"{history}: {exc.message}") from None
    if output is not None:
        refuse_overwriting_command_inputs(output)
        atomic_write(output, scenario_snippet(fit, period, str(history)))
        note(f"wrote the scenario snippet to {output}")
    result: dict[str, Any] = {**fit.to_dict(), "period": period, "source": data.kind}
    if segments:
        result["segments"] = {name: s.to_dict() for name, s in segments.items()}
    result["provenance"] = {
        "repfit_version": __version__,
        "history": str(history),
        "history_sha256": hashlib.sha256(history.read_bytes()).hexdigest(),
    }
    if output_format == "json":
        emit(jsonout.dumps(result, indent=2) + "\n", None, "the fit")
    else:
        show(
            Group(
                headline_block(calibrate_headline(result)),
                render_fit(fit, period, str(history), data.kind, segments),
            ),
            None,
        )
    write_outputs(
        report_path,
        lambda: render_calibrate_html(result),
        plot_path,
        lambda: fit_chart(result),
        "fit",
    )


def _se(value: float) -> str:
    return f"{value:.3f}" if math.isfinite(value) else "n/a"


def render_fit(
    fit: SbgFit, period: str, source: str, kind: str, segments: dict[str, SbgFit]
) -> RenderableType:
    """The fit: parameters, implied churn, fitted against observed survival."""
    intro = f"Churn fitted to {source}"
    head = Group(
        Words(
            f"{intro}  (shifted-beta-geometric, {kind}: {fit.accounts:,} accounts, "
            f"{fit.lost:,} lost, {fit.accounts - fit.lost:,} still active)",
            bold=len(intro),
        ),
        Words(
            f"a{NBSP}={NBSP}{fit.a:.3f}{NBSP}±{NBSP}{_se(fit.a_se)}   "
            f"b{NBSP}={NBSP}{fit.b:.3f}{NBSP}±{NBSP}{_se(fit.b_se)}   (± standard error)   "
            f"log-likelihood{NBSP}{fit.loglik:.2f}"
        ),
        Words(
            f"implied mean churn: {100 * fit.mean_churn:.1f}{NBSP}% a {period}, falling as the "
            f"riskiest accounts leave: retention in {period} t = "
            f"(b{NBSP}+{NBSP}t{NBSP}−{NBSP}1){NBSP}/{NBSP}(a{NBSP}+{NBSP}b{NBSP}+{NBSP}t{NBSP}−{NBSP}1)"
        ),
    )
    survival = table(f"Share of accounts still active after each {period}")
    for column in (period, "observed", "fitted", "difference"):
        survival.add_column(column, justify="right", no_wrap=True)
    for t, (o, f) in enumerate(zip(fit.observed, fit.fitted, strict=True), start=1):
        survival.add_row(str(t), f"{100 * o:.1f} %", f"{100 * f:.1f} %", f"{100 * (f - o):+.1f} pt")
    parts: list[RenderableType] = [head, survival]
    if segments:
        seg = table("Per segment")
        for column in ("segment", "accounts", "lost", "a", "± SE", "b", "± SE", "mean churn"):
            seg.add_column(
                column, justify="left" if column == "segment" else "right", no_wrap=True
            )
        for name, s in segments.items():
            seg.add_row(
                name,
                f"{s.accounts:,}",
                f"{s.lost:,}",
                f"{s.a:.3f}",
                _se(s.a_se),
                f"{s.b:.3f}",
                _se(s.b_se),
                f"{100 * s.mean_churn:.1f} %",
            )
        parts.append(seg)
    return Group(*parts)
