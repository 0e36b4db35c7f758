"""The analysis commands of ``simulate``: compare, hire, sweep, sensitivity, uncertainty, more.

Each module defines one click command over the pure :mod:`simulate.analysis`
functions; :class:`CommandGroup` (the ``simulate`` group's class) imports a command's
module only when that command is named or the commands are listed, so ``simulate
run`` imports none of them. Shared options, progress and output live in
:mod:`simulate.commands.common`.
"""

from __future__ import annotations

from importlib import import_module

import click

from assess.clikit import ToolGroup

COMMANDS: dict[str, tuple[str, str]] = {
    "book": ("simulate.commands.book", "book_command"),
    "calibrate": ("simulate.commands.calibrate", "calibrate_command"),
    "compare": ("simulate.commands.compare", "compare_command"),
    "hire": ("simulate.commands.hire", "hire_command"),
    "sensitivity": ("simulate.commands.sensitivity", "sensitivity_command"),
    "sweep": ("simulate.commands.sweep", "sweep_command"),
    "tui": ("simulate.commands.tui", "tui_command"),
    "uncertainty": ("simulate.commands.uncertainty", "uncertainty_command"),
}
"""Each analysis command's name: (module, click command in it)."""


class CommandGroup(ToolGroup):
    """A click group that adds the analysis commands of :data:`COMMANDS` on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name]
            command: click.Command = getattr(import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)
