"""A rich table of many rows, printed to the character as ``console.print(table)`` prints it,
in a fraction of the time.

rich lays out a table from each column's narrowest and widest cell, then renders every cell
through its markup, wrapping and measuring machinery: about a quarter of a millisecond a
cell, seconds for the few thousand flagged respondents of a large ``assess analyze``. Here
rich lays out and renders the table with only the rows that decide the column widths (for
each column, the one with the longest text and the one with the longest word), which gives
the borders, the header and the widths; each row is then written directly when its cells are
plain text that fits its column, and any other cell is rendered by rich exactly as the table
renders it. Consoles that write colour or style codes, and tables with options this does not
reproduce, are printed by rich itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.table import Column, Table

FEW_ROWS = 200
"""Below this many rows rich prints the table itself (count): the saving is small."""


def _plain(text: str, room: int) -> bool:
    """Whether rich would write ``text`` unchanged on one line of ``room`` cells: printable
    ASCII without markup or emoji codes, no surrounding whitespace, short enough."""
    return (
        len(text) <= room
        and text.isascii()
        and text.isprintable()
        and "[" not in text
        and ":" not in text
        and text == text.strip()
    )


def _extremes(rows: Sequence[Sequence[str]], columns: int) -> list[int]:
    """Indices of the rows that decide the column widths: per column, the row with the
    widest cell and the row with the widest word (rich's measure of a text)."""
    chosen: set[int] = set()
    for column in range(columns):
        widest = max(range(len(rows)), key=lambda row: cell_len(rows[row][column]))
        longest_word = max(
            range(len(rows)),
            key=lambda row: max(map(cell_len, rows[row][column].split()), default=0),
        )
        chosen.update((widest, longest_word))
    return sorted(chosen)


def _reproducible(table: Table) -> bool:
    """The options this module reproduces: rich's defaults apart from the box, the title and
    the columns' justification."""
    return (
        table.box is not None
        and table.show_header
        and table.show_edge
        and not table.show_footer
        and not table.show_lines
        and not table.leading
        and not table.row_styles
        and table.caption is None
        and table.padding == (0, 1, 0, 1)
        and table.pad_edge
        and not table.collapse_padding
        and not table.rows
        and all(
            column.justify in ("left", "right")
            and column.vertical == "top"
            and not column.no_wrap
            and column.width is None
            and column.min_width is None
            and column.max_width is None
            and column.ratio is None
            for column in table.columns
        )
    )


def print_long_table(
    console: Console, make_table: Callable[[], Table], rows: Sequence[Sequence[str]]
) -> None:
    """``console.print`` of the table ``make_table()`` (its columns, no rows yet) with
    ``rows`` of plain strings (rich markup allowed, as in ``add_row``) added: the same
    characters, faster for many rows."""
    table = make_table()
    if len(rows) < FEW_ROWS or console.color_system is not None or not _reproducible(table):
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    columns = table.columns
    for index in _extremes(rows, len(columns)):
        table.add_row(*rows[index])
    options = console.options
    lines = [
        "".join(segment.text for segment in line)
        for line in console.render_lines(table, options, pad=False)
    ]
    assert table.box is not None
    safe = console.safe_box if table.safe_box is None else table.safe_box
    box = table.box.substitute(options, safe=safe)
    # The line under the header gives the column widths (checked by drawing it again).
    head = next((line for line in lines if line.startswith(box.head_row_left)), "")
    widths = [len(part) for part in head[1:-1].split(box.head_row_cross)]
    if len(widths) != len(columns) or box.get_row(widths, "head", edge=True) != head:
        table = make_table()
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    header = lines[: lines.index(head) + 1]
    cells_of = [
        _cell_renderer(console, width, column)
        for column, width in zip(columns, widths, strict=True)
    ]
    body: list[str] = []
    for number, row in enumerate(rows):
        last = number == len(rows) - 1
        left, divider, right = (
            (box.foot_left, box.foot_vertical, box.foot_right)
            if last
            else (box.mid_left, box.mid_vertical, box.mid_right)
        )
        cells = [render(text) for render, text in zip(cells_of, row, strict=True)]
        height = max(map(len, cells))
        for line in range(height):
            body.append(
                left
                + divider.join(
                    cell[line] if line < len(cell) else " " * width
                    for cell, width in zip(cells, widths, strict=True)
                )
                + right
            )
    console.out("\n".join([*header, *body, box.get_bottom(widths)]), highlight=False)


def _cell_renderer(console: Console, width: int, column: Column) -> Callable[[str], list[str]]:
    """The lines of one cell of ``column``, ``width`` cells wide (its padding included)."""
    room = width - 2
    justify = column.justify
    options = console.options.update(
        width=width,
        justify=column.justify,
        no_wrap=column.no_wrap,
        overflow=column.overflow,
        height=None,
        highlight=column.highlight,
    )
    style = console.get_style(column.style or "")

    def render(text: str) -> list[str]:
        if _plain(text, room):
            return [" " + (text.ljust(room) if justify == "left" else text.rjust(room)) + " "]
        lines = console.render_lines(Padding(text, (0, 1, 0, 1)), options, style=style)
        return ["".join(segment.text for segment in line) for line in lines]

    return render
