"""print_long_table prints, to the character, what ``console.print(table)`` prints."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.console import Console
from rich.table import Table

from assess.longtable import FEW_ROWS, print_long_table


def _table() -> Table:
    table = Table(title="Flagged")
    table.add_column("candidate", justify="left")
    table.add_column("n", justify="right")
    table.add_column("flags", justify="left")
    return table


def _printed(rows: list[list[str]], width: int, fast: bool, color: bool = False) -> str:
    console = Console(
        file=io.StringIO(), width=width, no_color=not color, force_terminal=color, highlight=False
    )
    if fast:
        print_long_table(console, _table, rows)
    else:
        table = _table()
        for row in rows:
            table.add_row(*row)
        console.print(table)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(text, str)
    return text


ODD_CELLS = [
    "",
    "[bold]markup[/bold]",
    "an :smile: emoji",
    "名前 wide",
    "trailing ",
    " leading",
    "tab\tinside",
    "a-very-long-candidate-identifier-that-must-fold-somewhere-0123456789",
    "attention, longstring, low_irv, inconsistent, even_odd, synonyms",
]


@pytest.mark.parametrize("width", [100, 48])
def test_long_table_prints_what_rich_prints(width: int) -> None:
    rng = np.random.default_rng(5)
    rows = [
        [
            f"r{row:05d}" if rng.random() < 0.8 else str(rng.choice(ODD_CELLS)),
            str(int(rng.integers(0, 10 ** int(rng.integers(1, 6))))),
            ", ".join(
                ["attention", "longstring", "low_irv", "synonyms"][: int(rng.integers(0, 5))]
            ),
        ]
        for row in range(FEW_ROWS + 50)
    ]
    expected = _printed(rows, width, fast=False)
    assert _printed(rows, width, fast=True) == expected
    assert "名前" in expected
    made: list[Table] = []

    def keep() -> Table:
        made.append(_table())
        return made[-1]

    console = Console(file=io.StringIO(), width=width, no_color=True, highlight=False)
    print_long_table(console, keep, rows)
    assert len(made) == 1
    assert len(made[0].rows) < 20  # laid out from the widest rows only, the rest written here


def test_styled_consoles_and_few_rows_are_left_to_rich() -> None:
    rows = [[f"r{row}", str(row), "attention"] for row in range(FEW_ROWS + 1)]
    assert _printed(rows, 80, fast=True, color=True) == _printed(rows, 80, fast=False, color=True)
    assert _printed(rows[:3], 80, fast=True) == _printed(rows[:3], 80, fast=False)
