"""Options, progress and output shared by the analysis commands (an I/O edge)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from assess.clikit import refuse_overwriting_command_inputs
from assess.fileio import atomic_write
from simulate.engine import SimulationInterrupted, run_simulation
from simulate.model import Scenario, load_scenario
from simulate.overrides import Override, parse_assignment, parse_team
from simulate.report import render_text
from simulate.results import SimulationResult
from simulate.variants import apply_to_scenario

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FILE_REPORT_WIDTH = 100
"""Width of a table report written with ``-o`` (no terminal to measure)."""

F = TypeVar("F", bound=Callable[..., Any])


def engine_options(formats: Sequence[str] = ("table", "json", "csv")) -> Callable[[F], F]:
    """``simulate run``'s options: --trials, --seed, --team, --set, --format, -o."""

    def decorate(function: F) -> F:
        options = [
            click.option(
                "--trials",
                type=click.IntRange(min=1),
                help="Monte Carlo trials per run (default: the scenario's `trials`).",
            ),
            click.option(
                "--seed",
                type=click.IntRange(min=0),
                help="Random seed, shared by every run (default: the scenario's `seed`).",
            ),
            team_options[0],
            team_options[1],
            click.option(
                "--format",
                "output_format",
                type=click.Choice(list(formats)),
                default="table",
                show_default=True,
                help="table: readable report; json: the full result; csv: one row per line.",
            ),
            click.option(
                "-o",
                "--output",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Write the report to this file (atomically, once everything has run).",
            ),
        ]
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


team_options = (
    click.option(
        "--team",
        "team",
        metavar="ARCHETYPE=N,…",
        help="Replace the scenario's team, e.g. --team farmer=3,hunter=1.",
    ),
    click.option(
        "--set",
        "settings",
        multiple=True,
        metavar="PATH=VALUE",
        help=(
            "Change one field of the scenario (repeatable): team.farmer=3 (or farmer=3), "
            "policies.new_logo_owner=hunter, assumptions.competitor_pressure_monthly=0.1, "
            "horizon_months=24."
        ),
    ),
)


def command_overrides(team: str | None, settings: Sequence[str]) -> list[Override]:
    """The --team and --set options as overrides (the team first, then each --set in order)."""
    overrides = [parse_team(team)] if team is not None else []
    overrides.extend(parse_assignment(text) for text in settings)
    return overrides


def load_with_overrides(
    path: Path,
    *,
    trials: int | None,
    seed: int | None,
    team: str | None = None,
    settings: Sequence[str] = (),
) -> Scenario:
    """Load a scenario and apply --team, --set, --trials and --seed to it."""
    scenario = load_scenario(path)
    scenario = apply_to_scenario(scenario, command_overrides(team, settings))
    if trials is not None or seed is not None:
        scenario = scenario.with_overrides(trials=trials, seed=seed)
    return scenario


def note(message: str) -> None:
    """One line of information on stderr (never on stdout, which carries data)."""
    click.echo(message, err=True)


def emit(text: str, output: Path | None, what: str) -> None:
    """Print ``text`` to stdout, or write it atomically to ``output``."""
    if output is None:
        click.echo(text, nl=False)
    else:
        refuse_overwriting_command_inputs(output)
        atomic_write(output, text)
        note(f"wrote {what} to {output}")


def show(renderable: RenderableType, output: Path | None, what: str = "the report") -> None:
    """A table report: styled on a terminal, plain text when piped or written with -o."""
    if output is not None:
        emit(render_text(renderable, width=FILE_REPORT_WIDTH), output, what)
        return
    console = Console(highlight=False)
    if console.is_terminal:
        console.print(renderable)
    else:
        click.echo(render_text(renderable, width=console.width), nl=False)


class Runner:
    """Runs scenarios one after another under one progress bar on stderr."""

    def __init__(self, update: Callable[[int, int], None], total: int) -> None:
        self.update = update
        self.total = total
        self.done = 0

    def run(self, scenario: Scenario) -> SimulationResult:
        """Run one scenario; the bar advances by its trials."""
        start = self.done

        def progress(done: int, total: int) -> None:
            self.update(start + done, self.total)

        try:
            result = run_simulation(scenario, progress=progress)
        except SimulationInterrupted:
            raise KeyboardInterrupt from None
        self.done = start + scenario.trials
        self.update(self.done, self.total)
        return result


@contextmanager
def progress_runner(total_trials: int, label: str) -> Iterator[Runner]:
    """A :class:`Runner` with a transient progress bar over ``total_trials`` (on a terminal)."""
    console = Console(stderr=True, highlight=False)
    if not console.is_terminal:
        yield Runner(lambda done, total: None, total_trials)
        return
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("trials"),
        TimeElapsedColumn(),
        TextColumn("elapsed,"),
        TimeRemainingColumn(),
        TextColumn("left"),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total_trials)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield Runner(update, total_trials)
