"""``simulate``: project revenue and attrition of a book of accounts under a staffing plan.

A thin layer over the pure engine and analyses: it parses options, reads
scenarios and books, shows progress and writes reports. stdout carries only the
report (table, JSON or CSV); progress and notes go to stderr.
"""

from __future__ import annotations

import atexit
import gc
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from assess import jsonout
from assess.clikit import refuse_overwriting_command_inputs, run_cli
from assess.fileio import atomic_write
from simulate import __version__
from simulate.assumptions import DEFAULT_ASSUMPTIONS, Assumption
from simulate.commands import CommandGroup
from simulate.commands.common import (
    command_overrides,
    load_with_overrides,
    open_backend,
    progress_runner,
    team_options,
    workers_options,
)
from simulate.errors import SimulateError
from simulate.model import Scenario, load_scenario
from simulate.overrides import describe
from simulate.report import (
    render_assumptions,
    render_fan_chart,
    render_run_table,
    render_text,
    result_to_csv,
    result_to_json,
    run_report_text,
)
from simulate.reports.headline import run_headline
from simulate.reports.options import check_outputs, report_options, write_outputs
from simulate.reports.provenance import overridden_assumptions, run_document

if TYPE_CHECKING:
    # rich draws tables and progress bars, matplotlib charts: a run that writes JSON or
    # CSV without a terminal to show a bar on imports neither.
    from matplotlib.figure import Figure
    from rich.console import Console, RenderableType

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
STARTER_SCENARIO = "starter-scenario.yaml"
"""The commented starter scenario bundled in ``simulate/data`` (``simulate init``)."""
FILE_REPORT_WIDTH = 100
"""Width of a table report written with ``-o`` (no terminal to measure)."""


@click.group(
    cls=CommandGroup,
    context_settings=CONTEXT,
    epilog="Example: simulate run examples/scenario.yaml",
)
@click.version_option(__version__, "--version", prog_name="simulate")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def cli(debug: bool) -> None:
    """Simulate a sales team working a book of accounts, month by month, many times over."""


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point."""
    # At exit, Python's cyclic collector walks every object left, numba's typing and
    # lowering tables included: about 0.3 CPU-s once the kernels are loaded, a fifth of
    # a short run, to free memory the process is about to hand back anyway. Freezing
    # the heap first (in an exit handler, once the command is over) skips that walk;
    # files are closed and streams flushed as before.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    return run_cli(cli, argv, "simulate")


# ---------------------------------------------------------------- helpers


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _note(message: str) -> None:
    """One line of information on stderr (never on stdout, which carries data)."""
    click.echo(message, err=True)


def _show(renderable: RenderableType, console: Console | None = None) -> None:
    """Print a report on stdout: styled on a terminal, plain text without trailing blanks else."""
    from rich.console import Console

    console = console or Console(highlight=False)
    if console.is_terminal:
        console.print(renderable)
    else:
        click.echo(render_text(renderable, width=console.width), nl=False)


def _emit(text: str, output: Path | None, what: str) -> None:
    """Print ``text`` to stdout, or write it atomically to ``output``."""
    if output is None:
        click.echo(text, nl=False)
    else:
        refuse_overwriting_command_inputs(output)
        atomic_write(output, text, private=True)
        _note(f"wrote {what} to {output}")


def _describe_overrides(scenario: Scenario) -> str:
    overridden = overridden_assumptions(scenario)
    total = len(scenario.assumptions)
    if not overridden:
        return f"assumptions: the {total} defaults (see `simulate assumptions`)"
    changed = "; ".join(
        f"{name} = {scenario.assumptions[name].value:g} {scenario.assumptions[name].unit}"
        for name in sorted(overridden)
    )
    return (
        f"assumptions: defaults (see `simulate assumptions`) except {changed} (set by the scenario)"
    )


def unknown_owner_note(scenario: Scenario) -> str | None:
    """The one stderr note for book owners that name no seat of the team, if any."""
    if not scenario.unknown_owner_accounts:
        return None
    n = scenario.unknown_owner_accounts
    seats = ", ".join(scenario.unknown_owners)
    return (
        f"note: {n:,} account{'s' if n != 1 else ''} of {scenario.book.source} name"
        f"{'' if n != 1 else 's'} an owner that is not a seat of this team ({seats}); "
        f"{'they are' if n != 1 else 'it is'} unowned and placed by policies.assignment "
        f"({scenario.policies.assignment})."
    )


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback: the analyses' transient bar on stderr on a terminal, else nothing."""
    with progress_runner(total, label) as runner:
        yield runner.update


# ---------------------------------------------------------------- run


@cli.command(
    "run",
    context_settings=CONTEXT,
    epilog="Example: simulate run examples/scenario.yaml --trials 500 --format csv -o run.csv",
)
@click.argument(
    "scenario_path", metavar="SCENARIO", type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "--trials",
    type=click.IntRange(min=1),
    help="Monte Carlo trials (default: the scenario's `trials`).",
)
@click.option(
    "--seed", type=click.IntRange(min=0), help="Random seed (default: the scenario's `seed`)."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table: readable report with a fan chart; json: the full result; csv: one row a month.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file (atomically, once the run has finished).",
)
@team_options[0]
@team_options[1]
@click.option(
    "--assumptions",
    "show_assumptions",
    is_flag=True,
    help="Also list the assumptions in the table (the HTML report always lists them).",
)
@report_options("the revenue fan chart (P10–P90, P50, target)")
@workers_options
def run_command(
    scenario_path: Path,
    trials: int | None,
    seed: int | None,
    output_format: str,
    output: Path | None,
    team: str | None,
    settings: tuple[str, ...],
    show_assumptions: bool,
    report_path: Path | None,
    plot_path: Path | None,
    workers: int | None,
    dask_address: str | None,
) -> None:
    """Run a scenario and report its outcomes, month by month."""
    check_outputs(report_path, plot_path)
    scenario = load_with_overrides(
        scenario_path, trials=trials, seed=seed, team=team, settings=settings
    )
    if team is not None or settings:
        _note(f"changed by the command line: {describe(command_overrides(team, settings))}")
    accounts = scenario.book.size
    note = unknown_owner_note(scenario)
    if note is not None:
        _note(note)
    _note(
        f"{scenario.name}: {scenario.trials:,} trials, seed {scenario.seed}, "
        f"{scenario.horizon_months} months, {accounts:,} accounts, "
        f"{len(scenario.seats)} seats; {_describe_overrides(scenario)}"
    )
    started = time.perf_counter()
    # The backend starts before the progress bar (worker processes fork without its
    # thread) and stops every worker on the way out, Ctrl+C included. It imports the
    # engine and loads the kernels first, holding Ctrl+C back meanwhile (load_kernels).
    with (
        open_backend(workers, dask_address, scenario) as backend,
        _progress(scenario.trials, "simulating") as progress,
    ):
        from simulate.engine import SimulationInterrupted, run_simulation

        try:
            simulation = run_simulation(scenario, progress=progress, backend=backend)
        except SimulationInterrupted:
            raise KeyboardInterrupt from None
    elapsed = time.perf_counter() - started
    account_months = scenario.trials * accounts * scenario.horizon_months
    _note(
        f"simulated {scenario.trials:,} trials × {accounts:,} accounts × "
        f"{scenario.horizon_months} months in {elapsed:.1f} s "
        f"({account_months / max(elapsed, 1e-9) / 1e6:.1f} M account-months/s)"
    )
    result = run_document(simulation.to_dict(), scenario)

    if output_format == "json":
        _emit(result_to_json(result), output, "the JSON result")
    elif output_format == "csv":
        _emit(result_to_csv(result), output, "the CSV")
    elif output is not None:
        from simulate.reports.terminal import headline_block

        shown = result if show_assumptions else _without_assumptions(result)
        _emit(
            render_text(headline_block(run_headline(result)), width=FILE_REPORT_WIDTH)
            + run_report_text(shown, width=FILE_REPORT_WIDTH),
            output,
            "the report",
        )
    else:
        from rich.console import Console
        from rich.text import Text

        from simulate.reports.terminal import headline_block

        console = Console(highlight=False)
        color = console.is_terminal and not console.no_color
        chart = render_fan_chart(result, width=min(console.width, 100), color=color)
        shown = result if show_assumptions else _without_assumptions(result)
        _show(headline_block(run_headline(result)), console)
        _show(render_run_table(shown, chart=Text.from_ansi(chart)), console)
        if not show_assumptions:
            _note(
                f"({len(result.get('assumptions') or {})} assumptions used: --assumptions lists "
                "them; --report FILE.html writes them with units and sources)"
            )

    def html() -> str:
        from simulate.reports.html import render_run_html

        return render_run_html(result)

    def figure() -> Figure | None:
        from simulate.reports.charts import fan_chart

        return fan_chart(result)

    write_outputs(report_path, html, plot_path, figure, "fan")


def _without_assumptions(result: dict[str, Any]) -> dict[str, Any]:
    """The result without its assumptions, for a table that leaves them to --assumptions."""
    return {key: value for key, value in result.items() if key != "assumptions"}


# ---------------------------------------------------------------- assumptions


@cli.command(
    "assumptions",
    context_settings=CONTEXT,
    epilog="Example: simulate assumptions --scenario examples/scenario.yaml",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: readable; json: name -> value, unit, description, source, bounds.",
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Show the values this scenario uses (its overrides marked) instead of the defaults.",
)
def assumptions_command(output_format: str, scenario_path: Path | None) -> None:
    """List every model assumption: value, unit, meaning, source."""
    assumptions: Mapping[str, Assumption] = DEFAULT_ASSUMPTIONS
    overridden: set[str] = set()
    title = f"Model assumptions: the {len(assumptions)} defaults"
    if scenario_path is not None:
        scenario = load_scenario(scenario_path)
        assumptions = scenario.assumptions
        overridden = overridden_assumptions(scenario)
        title = f"Model assumptions used by {scenario_path} ({len(overridden)} set by it)"
    if output_format == "json":
        data = {
            name: {
                "value": item.value,
                "unit": item.unit,
                "description": item.description,
                "source": item.source,
                "minimum": item.minimum,
                "maximum": item.maximum,
                "overridden": name in overridden,
            }
            for name, item in assumptions.items()
        }
        click.echo(jsonout.dumps(data, indent=2))
        return
    _show(render_assumptions(assumptions, detail=True, overridden=overridden, title=title))


# ---------------------------------------------------------------- init


def starter_scenario_text() -> str:
    """The commented starter scenario bundled with repfit."""
    return (resources.files("simulate") / "data" / STARTER_SCENARIO).read_text(encoding="utf-8")


@cli.command(
    "init",
    context_settings=CONTEXT,
    epilog="Example: simulate init -o my-team.yaml",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("scenario.yaml"),
    show_default=True,
    help="Where to write the starter scenario.",
)
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def init_command(output: Path, force: bool) -> None:
    """Write a commented starter scenario that runs as it is."""
    if output.exists() and not force:
        raise SimulateError(
            f"{output}: already exists; not overwritten. Pass --force to replace it, "
            "or choose another file with -o."
        )
    atomic_write(output, starter_scenario_text())
    _note(
        f"wrote a starter scenario to {output}. Next steps:\n"
        f"  1. edit {output}: the book (a CSV of your accounts, or the synthetic one), the team, "
        "the target;\n"
        f"  2. simulate run {output}   (a table and a fan chart of revenue)\n"
        "  3. simulate assumptions   (every model constant the scenario can override)"
    )
