"""Shared command-line conventions for ``assess`` and ``simulate``.

Every CLI entry point goes through :func:`run_cli`, so both tools behave alike:
a :class:`~assess.errors.RepfitError` becomes ``error: <one paragraph>`` on
stderr and exit 2; Ctrl+C exits 130 with one line; any other failure is an
internal error with exit 1 and no traceback unless ``--debug`` was given; a closed
stdout pipe is a quiet exit 0 (:class:`ToolGroup`). stdout carries only data a user
may pipe.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from assess.errors import RepfitError
from assess.fileio import did_you_mean, escape_control, refuse_overwriting_inputs

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130


def print_error(message: str) -> None:
    """Print one paragraph to stderr, prefixed with ``error:``.

    Control characters (which may come from a file: a name, a CSV cell) are printed as
    escapes such as ``\\x1b``, so a message can never drive the terminal.
    """
    paragraph = " ".join(escape_control(message.replace("\t", " ")).split())
    click.echo(f"error: {paragraph}", err=True)


def usage_message(exc: click.ClickException, prog_name: str) -> str:
    """A click usage error as the project's one paragraph: the command, the problem, where
    to look (``--help``), and a "did you mean" for a misspelt command."""
    message = exc.format_message().strip()
    ctx = exc.ctx if isinstance(exc, click.UsageError) else None
    command = ctx.command_path if ctx is not None else prog_name
    if (
        isinstance(exc, click.UsageError)
        and ctx is not None
        and isinstance(ctx.command, click.Group)
        and message.startswith("No such command")
    ):
        word = message.split("'")[1] if message.count("'") >= 2 else ""
        names = [
            name
            for name in ctx.command.list_commands(ctx)
            if not getattr(ctx.command.get_command(ctx, name), "hidden", False)
        ]
        hint = "" if "Did you mean" in message else did_you_mean(word, names)
        message = f"{message}{hint} The commands are {', '.join(names)}"
    end = "" if message.endswith(("?", ".")) else "."
    return f"{command}: {message}{end} See '{command} --help'."


def _stdout_to_devnull() -> None:
    """The reader of stdout (e.g. ``head``) went away: point stdout at /dev/null, so the
    interpreter's final flush of what is still buffered does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class ToolGroup(click.Group):
    """The top-level command group of ``assess`` and ``simulate``.

    A closed stdout pipe (``simulate run … | head -1``, ``assess score … | head``) ends
    the command quietly with exit 0, like other Unix tools. click itself turns a
    :class:`BrokenPipeError` raised inside a command into exit 1 (even outside standalone
    mode), so the group catches it first.
    """

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; a reader that went away is a clean end, not an error."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _stdout_to_devnull()
            raise click.exceptions.Exit(0) from None


def run_cli(group: click.Command, argv: Sequence[str] | None, prog_name: str) -> int:
    """Run a click command with the project's error and exit-code conventions."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        result = group.main(args=args, prog_name=prog_name, standalone_mode=False)
    except RepfitError as exc:
        if debug:
            raise
        print_error(exc.message)
        return exc.exit_code
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc), err=True)
        return EXIT_BAD_INPUT
    except click.ClickException as exc:
        # Usage errors (a bad option value, a missing or unreadable file, an unknown
        # command) take the same one-paragraph form as every other error, with exit 2.
        print_error(usage_message(exc, prog_name))
        return EXIT_BAD_INPUT
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("\ninterrupted: stopped by the user; nothing further was written.", err=True)
        return EXIT_INTERRUPTED
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        _stdout_to_devnull()
        return 0
    except Exception as exc:
        if debug:
            raise
        print_error(
            f"internal error ({type(exc).__name__}: {exc}). This is a bug in {prog_name}; "
            "rerun with --debug to see the traceback and report it."
        )
        return EXIT_FAILURE
    return result if isinstance(result, int) else 0


OUTPUT_PARAMETERS = frozenset({"output", "report_path", "plot_path", "out_dir"})
"""Names of the options through which commands write (never counted as inputs)."""


def command_inputs() -> list[Path]:
    """Every file the running command was given as an input (its own and its group's
    parameters, outputs excepted; a text option counts when it names an existing file)."""
    found: list[Path] = []
    context = click.get_current_context(silent=True)
    while context is not None:
        for name, value in context.params.items():
            if name in OUTPUT_PARAMETERS or value is None:
                continue
            for item in value if isinstance(value, list | tuple) else (value,):
                if isinstance(item, Path) or (isinstance(item, str) and os.path.isfile(item)):
                    found.append(Path(item))
        context = context.parent
    return found


def refuse_overwriting_command_inputs(output: str | os.PathLike[str] | None) -> None:
    """Refuse to write ``output`` when it is one of the command's input files."""
    refuse_overwriting_inputs(output, command_inputs())


def refuse_outputs_that_are_inputs() -> None:
    """Refuse, before any work, every output option of the running command (``-o``,
    ``--report``, ``--plot``, ``--out``) that names one of its input files."""
    context = click.get_current_context(silent=True)
    if context is None:
        return
    inputs = command_inputs()
    for name in sorted(OUTPUT_PARAMETERS):
        value = context.params.get(name)
        if isinstance(value, str | os.PathLike):
            refuse_overwriting_inputs(value, inputs)
