"""``assess``: score, export, validate and review sales-trait assessments.

A thin layer over the pure modules: it parses options, reads and writes files
through :mod:`assess.fileio` and reports errors through :mod:`assess.clikit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from assess import __version__
from assess.clikit import run_cli
from assess.fileio import check_schema, load_yaml

KNOWN_SCHEMAS = ("repfit.questionnaire", "repfit.answers", "repfit.profile")


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: assess validate questionnaires/sales-traits.yaml",
)
@click.version_option(__version__, "--version", prog_name="assess")
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def cli(debug: bool) -> None:
    """Assess sales reps: take and score questionnaires, export and compare profiles."""


@cli.command(
    epilog="Example: assess validate questionnaires/sales-traits.yaml answers/c-001.answers.yaml"
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check questionnaire, answers and profile files; report every error with its field path."""
    for path in files:
        document = load_yaml(path)
        schema = str(document.data.get("schema", "")) if isinstance(document.data, dict) else ""
        name = schema.split("/")[0] if schema.split("/")[0] in KNOWN_SCHEMAS else KNOWN_SCHEMAS[0]
        check_schema(document.data, name, 1, str(path))
        click.echo(f"{path}: ok ({schema})")


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point."""
    return run_cli(cli, argv, "assess")


from assess.tui.commands import review, take  # noqa: E402

cli.add_command(take)
cli.add_command(review)
