"""Options, progress and output shared by the analysis commands (an I/O edge)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from assess.clikit import refuse_outputs_that_are_inputs, refuse_overwriting_command_inputs
from assess.fileio import atomic_write
from simulate.errors import SimulateError
from simulate.model import Scenario, load_scenario
from simulate.overrides import Override, parse_assignment, parse_team
from simulate.report import render_text
from simulate.results import SimulationResult
from simulate.variants import apply_to_scenario

if TYPE_CHECKING:
    # The engine is imported where a command runs it: importing it loads numba (seconds),
    # which `simulate assumptions`, `init`, `book`, `calibrate` and --help do not need.
    from rich.console import RenderableType

    from simulate.engine.backends import Backend

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
        atomic_write(output, text, private=True)
        note(f"wrote {what} to {output}")


def show(renderable: RenderableType, output: Path | None, what: str = "the report") -> None:
    """A table report: styled on a terminal, plain text when piped or written with -o."""
    if output is not None:
        emit(render_text(renderable, width=FILE_REPORT_WIDTH), output, what)
        return
    from rich.console import Console

    console = Console(highlight=False)
    if console.is_terminal:
        console.print(renderable)
    else:
        click.echo(render_text(renderable, width=console.width), nl=False)


def workers_options(function: F) -> F:
    """``--workers N`` and ``--dask ADDRESS``: where a command's simulations run.

    Every command that runs the engine takes these two (run, compare, sweep,
    sensitivity, uncertainty, hire); pair them with :func:`open_backend` and pass
    the backend to :func:`progress_runner`. Results are identical bit for bit
    whatever the choice.
    """
    options = [
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            help="Processes that simulate trials at once (default: the cores available). "
            "Results are identical bit for bit whatever the number.",
        ),
        click.option(
            "--dask",
            "dask_address",
            metavar="ADDRESS",
            help="Run the trials on a Dask cluster: a scheduler address (tcp://host:8786) or "
            "`local` for a LocalCluster of --workers processes. Needs the dask extra; "
            "identical results.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@contextmanager
def interrupts_held() -> Iterator[list[int]]:
    """Hold Ctrl+C back for a short step that must not be cut; the list says if it came.

    The caller raises :class:`KeyboardInterrupt` once the step is over (and what it made
    is safe to clean up). Main thread only, like every signal handler.
    """
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield received
    finally:
        signal.signal(signal.SIGINT, previous)


def load_kernels(scenario: Scenario) -> None:
    """Import the engine and load the compiled kernels before any worker starts; Ctrl+C
    waits until they are loaded.

    An interrupt inside numba's import or its loading of the cache could leave the process
    to die by SIGINT at exit instead of exiting 130, so it is held back for the second
    this takes. Worker processes forked afterwards inherit the loaded kernels.
    """
    with interrupts_held() as received:
        from simulate.engine.batching import warm_up
        from simulate.engine.jitcache import typing_deferred_while_loading

        with typing_deferred_while_loading():
            warm_up(scenario)
    if received:
        raise KeyboardInterrupt


@contextmanager
def open_backend(
    workers: int | None, dask_address: str | None, scenario: Scenario | None = None
) -> Iterator[Backend]:
    """The backend of ``--workers`` / ``--dask``, closed (every worker stopped) on the way out.

    With ``scenario``, the compiled kernels are loaded first so that forked workers share
    them. Open it before the progress bar (workers fork without the bar's thread). A
    cluster that cannot be reached is a clear ``--dask:`` error (exit 2). Ctrl+C is held
    back while local workers fork: one that came in the middle of a fork was lost (raised
    in an at-fork handler, where Python ignores it) or left the process to die by SIGINT.
    """
    from simulate.engine.backends import open_backend as engine_backend

    refuse_outputs_that_are_inputs()  # before the run, not after it
    if scenario is not None:
        load_kernels(scenario)
    received: list[int] = []
    try:
        if dask_address is None:
            with interrupts_held() as received:
                backend = engine_backend(workers, None)
        else:  # reaching a cluster may take seconds: Ctrl+C stops it at once
            backend = engine_backend(workers, dask_address)
    except (ValueError, RuntimeError) as error:
        raise SimulateError(f"--dask: {error}.") from None
    with backend:
        if received:
            raise KeyboardInterrupt
        yield backend


class Runner:
    """Runs scenarios one after another under one progress bar on stderr.

    Each run's trial blocks go to ``backend`` (default: this process); the bar advances
    as blocks finish, whichever worker ran them.
    """

    def __init__(
        self, update: Callable[[int, int], None], total: int, backend: Backend | None = None
    ) -> None:
        self.update = update
        self.total = total
        from simulate.engine.backends import SerialBackend

        self.done = 0
        self.backend: Backend = backend if backend is not None else SerialBackend()

    def run(self, scenario: Scenario) -> SimulationResult:
        """Run one scenario; the bar advances by its trials."""
        from simulate.engine import SimulationInterrupted, run_simulation

        start = self.done

        def progress(done: int, total: int) -> None:
            self.update(start + done, self.total)

        try:
            result = run_simulation(scenario, progress=progress, backend=self.backend)
        except SimulationInterrupted:
            raise KeyboardInterrupt from None
        self.done = start + scenario.trials
        self.update(self.done, self.total)
        return result


def stderr_may_be_terminal() -> bool:
    """False only where rich's ``Console(stderr=True).is_terminal`` is False too.

    rich sees a terminal only if ``TTY_COMPATIBLE=1``, ``FORCE_COLOR`` is set and not
    empty, or stderr says it is a tty; when none of these holds there is no bar to draw,
    and rich (about 0.07 CPU-s to import) is not imported to find that out.
    """
    if os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty is not None and isatty())
    except ValueError:  # a closed stream, as rich says
        return False


@contextmanager
def progress_runner(
    total_trials: int, label: str, backend: Backend | None = None
) -> Iterator[Runner]:
    """A :class:`Runner` with a transient progress bar over ``total_trials`` (on a terminal)."""
    if not stderr_may_be_terminal():
        yield Runner(lambda done, total: None, total_trials, backend)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True, highlight=False)
    if not console.is_terminal:
        yield Runner(lambda done, total: None, total_trials, backend)
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

        yield Runner(update, total_trials, backend)
