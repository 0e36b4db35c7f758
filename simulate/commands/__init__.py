"""The analysis commands of ``simulate``: compare, hire, sweep, sensitivity, uncertainty, more.

Each module defines one click command over the pure :mod:`simulate.analysis`
functions; :func:`register` adds them to the ``simulate`` group. Shared options,
progress and output live in :mod:`simulate.commands.common`.
"""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add every analysis command to ``group``."""
    from simulate.commands.book import book_command
    from simulate.commands.calibrate import calibrate_command
    from simulate.commands.compare import compare_command
    from simulate.commands.hire import hire_command
    from simulate.commands.sensitivity import sensitivity_command
    from simulate.commands.sweep import sweep_command
    from simulate.commands.tui import tui_command
    from simulate.commands.uncertainty import uncertainty_command

    for command in (
        book_command,
        calibrate_command,
        compare_command,
        hire_command,
        sensitivity_command,
        sweep_command,
        tui_command,
        uncertainty_command,
    ):
        group.add_command(command)
