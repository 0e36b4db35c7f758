"""The shared ``--report FILE.html`` and ``--plot FILE.png|svg`` options (an I/O edge).

:func:`report_options` adds both options to a command; :func:`write_outputs` writes what
was asked for once the command has its result: the HTML page from a ``render_*_html``
callable and the chart from a figure builder. Both check the extra and the file suffix
before any simulation runs (:func:`check_outputs`), so a typo costs no waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from assess.clikit import refuse_overwriting_command_inputs
from assess.errors import RepfitError
from assess.fileio import atomic_write
from assess.reports.figures import plot_suffix, require_matplotlib

if TYPE_CHECKING:
    from matplotlib.figure import Figure

F = TypeVar("F", bound=Callable[..., Any])


def report_options(plot_help: str | None = None) -> Callable[[F], F]:
    """Add ``--report FILE.html`` (and ``--plot FILE.png|svg`` when ``plot_help`` is given)."""

    def decorate(function: F) -> F:
        if plot_help is not None:
            function = click.option(
                "--plot",
                "plot_path",
                type=click.Path(path_type=Path, dir_okay=False),
                metavar="FILE.png|svg",
                help=f"Also write a chart: {plot_help} (needs repfit[reports]).",
            )(function)
        function = click.option(
            "--report",
            "report_path",
            type=click.Path(path_type=Path, dir_okay=False),
            metavar="FILE.html",
            help="Also write a self-contained HTML report (summary, charts, tables) to forward "
            "or print (needs repfit[reports]).",
        )(function)
        return function

    return decorate


def check_outputs(report: Path | None, plot: Path | None = None) -> None:
    """Fail early, before any work, on a missing extra or a wrong suffix."""
    if report is None and plot is None:
        return
    require_matplotlib()
    if report is not None and report.suffix.lower() not in (".html", ".htm"):
        raise RepfitError(f"{report}: --report writes an HTML page; give a file ending in .html.")
    if plot is not None:
        plot_suffix(plot)


def write_outputs(
    report: Path | None,
    render: Callable[[], str],
    plot: Path | None = None,
    figure: Callable[[], Figure | None] | None = None,
    chart_name: str = "chart",
) -> None:
    """Write the HTML report and the chart that were asked for, atomically; say where."""
    if report is None and plot is None:
        return  # nothing asked for: no report or chart modules to import
    from simulate.reports.charts import chart_bytes
    from simulate.reports.html import write_report

    refuse_overwriting_command_inputs(report)
    refuse_overwriting_command_inputs(plot)
    if report is not None:
        write_report(report, render())
        click.echo(f"wrote the HTML report to {report}", err=True)
    if plot is not None and figure is not None:
        built = figure()
        if built is None:
            raise RepfitError(f"{plot}: this result has nothing to chart.")
        atomic_write(plot, chart_bytes(built, plot_suffix(plot), chart_name), private=True)
        click.echo(f"wrote the chart to {plot}", err=True)
