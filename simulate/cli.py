"""``simulate``: project revenue and attrition of a book of accounts under a staffing plan.

A thin layer over the pure engine and analyses: it parses options, reads
scenarios and books, shows progress and writes reports.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from assess.clikit import run_cli
from simulate import __version__


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: simulate run examples/scenario.yaml",
)
@click.version_option(__version__, "--version", prog_name="simulate")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def cli(debug: bool) -> None:
    """Simulate a sales team working a book of accounts, month by month, many times over."""


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point."""
    return run_cli(cli, argv, "simulate")
