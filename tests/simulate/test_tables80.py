"""The analyses' terminal tables fit 80 columns: no cell cut with "…", no value split.

In process (click's CliRunner with COLUMNS=80, as a piped 80-column terminal), on the
example scenario with few trials and a 24-month horizon: each command's whole table
output, headline first. A wider terminal keeps the one-table layouts (checked on the
layout helper, which every command uses).
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from rich.table import Table

from simulate.cli import cli
from simulate.report import render_text
from simulate.reports.headline import NBSP
from simulate.reports.terminal import FirstFit, Words

SCENARIO = "examples/scenario.yaml"
SHORT = ("--trials", "32", "--set", "horizon_months=24", "--workers", "1")

COMMANDS = {
    "compare": ["compare", SCENARIO, "--variant", "three farmers: farmer=3", *SHORT],
    "sweep": ["sweep", SCENARIO, "--grid", "hunter=0..1", "--grid", "farmer=0..2", *SHORT],
    "sensitivity": [
        "sensitivity", SCENARIO, "--params", "competitor_pressure_monthly,share_ceiling_gain",
        *SHORT,
    ],
    "sobol": [
        "sensitivity", SCENARIO, "--method", "sobol", "--samples", "8",
        "--params", "competitor_pressure_monthly,share_ceiling_gain", *SHORT,
    ],
    "uncertainty": ["uncertainty", "examples/uncertain.yaml", "--draws", "2", *SHORT],
    "calibrate": ["calibrate", "examples/cohort.csv", "--period", "year"],
    "book": ["book", "examples/book.csv"],
}  # fmt: skip

LONE_UNIT = re.compile(r"^\s*(M|k|B|%|pt)(\s|$)")
"""A line that starts with a unit whose number ended the line before: a split value."""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_analysis_fits_80_columns_without_cutting(command: str) -> None:
    result = CliRunner().invoke(cli, COMMANDS[command], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 8
    widest = max(lines, key=len)
    assert len(widest) <= 80, widest
    assert "…" not in result.stdout
    assert not [line for line in lines if LONE_UNIT.match(line)]
    # The headline block comes first, then a blank line before the details.
    assert lines[0].strip()
    assert "" in lines[:8]


def _table(*columns: str) -> Table:
    table = Table()
    for column in columns:
        table.add_column(column, no_wrap=True)
    table.add_row(*(column.upper() for column in columns))
    return table


def test_first_fit_keeps_the_wide_layout_where_it_fits() -> None:
    wide = _table(*(f"wide column {i}" for i in range(7)))
    narrow = _table("narrow")
    layout = FirstFit(wide, narrow)
    assert "wide column 6" in render_text(layout, width=120)
    at_80 = render_text(layout, width=80)
    assert "narrow" in at_80
    assert "wide column" not in at_80


def test_words_never_break_inside_a_value() -> None:
    text = render_text(Words(f"{'x' * 70} base 3.00{NBSP}M and 46.0{NBSP}% share"), width=80)
    assert "3.00 M" in text
    assert "46.0 %" in text
    assert max(len(line) for line in text.splitlines()) <= 80
