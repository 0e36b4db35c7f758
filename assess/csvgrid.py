"""Plain CSV text cut into cells with numpy: the fast path for large bulk answers CSVs.

A bulk answers CSV of 100,000 candidates × 140 items has 14 million cells; Python's
``csv`` module makes a string object of each, which takes seconds. Most such files are
*plain*: no quote character, no bare carriage return, no NUL and the same number of cells
in every row. For those, the cells are exactly what ``csv.reader`` would give (the text
between commas), so their boundaries can be found with numpy in one pass over the bytes,
and a one-digit cell (almost every answer) read as its digit without a string.

:func:`split_plain` returns ``None`` for anything not plain; the caller then reads the
file with ``csv`` as before, so unusual files, and every error message, stay exactly as
they were. Pure: text in, arrays out; no files, no terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_COMMA, _NEWLINE, _ZERO, _NINE = ord(","), ord("\n"), ord("0"), ord("9")


@dataclass(frozen=True)
class PlainGrid:
    """The data rows of a plain CSV, every row with as many cells as the header."""

    header: list[str]
    """The header row's cells, as written (not stripped)."""
    rows: int
    """Data rows."""
    data: bytes
    """The data rows as UTF-8 (rows end with a newline, the last one may not)."""
    bounds: npt.NDArray[np.signedinteger[Any]]
    """Byte offset of the separator before each cell (−1 for the first), then the end of
    the last cell: cell i of the flattened grid is ``data[bounds[i] + 1 : bounds[i + 1]]``."""

    @property
    def width(self) -> int:
        """Cells per row."""
        return len(self.header)

    def strings(self, column: int) -> list[str]:
        """The cells of one column (0-based), stripped as the answers reader strips them."""
        data = self.data
        index = np.arange(self.rows, dtype=np.int64) * self.width + column
        starts, ends = self.bounds[index] + 1, self.bounds[index + 1]
        return [
            data[start:end].decode("utf-8").strip()
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True)
        ]

    def numbers(self, columns: Sequence[int], cell_number: Callable[[str], float]) -> FloatArray:
        """Rows × ``columns`` of numbers: an empty cell is NaN, a one-digit cell its digit,
        and any other cell ``cell_number(cell)`` (the reader's own rule)."""
        rows, width = self.rows, self.width
        listed = list(columns)
        wanted: slice | list[int] = listed
        if listed and listed == list(range(listed[0], listed[0] + len(listed))):
            wanted = slice(listed[0], listed[0] + len(listed))  # a view, not a copy
        starts = self.bounds[:-1] + 1
        lengths = (self.bounds[1:] - starts).reshape(rows, width)[:, wanted]
        starts = starts.reshape(rows, width)[:, wanted]
        # One byte more, so that an empty last cell (starting at the end) can be looked at.
        first = np.frombuffer(self.data + b"\n", dtype=np.uint8)[starts]
        digit = (lengths == 1) & (first >= _ZERO) & (first <= _NINE)
        values: FloatArray = first.astype(np.float64)
        values -= _ZERO
        values[~digit] = np.nan
        odd = np.nonzero((lengths > 0) & ~digit)
        if len(odd[0]):
            data, known = self.data, dict[bytes, float]()
            odd_starts = starts[odd].tolist()
            odd_ends = (starts[odd] + lengths[odd]).tolist()
            found: list[float] = []
            for start, end in zip(odd_starts, odd_ends, strict=True):
                cell = data[start:end]
                number = known.get(cell)
                if number is None:
                    number = known[cell] = cell_number(cell.decode("utf-8"))
                found.append(number)
            values[odd] = found
        return values


def split_plain(text: str, max_cell: int) -> PlainGrid | None:
    """``text`` cut into a header and a grid of cells, or ``None`` unless the text is plain:
    no double quote, no NUL, carriage returns only in CR LF line ends, at least two columns,
    one or more data rows each with as many cells as the header, and no cell longer than
    ``max_cell`` bytes (``csv``'s field size limit). A final line end is optional; a blank
    line anywhere is not plain."""
    if '"' in text or "\x00" in text:
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    header_end = text.find("\n")
    if header_end < 0:
        return None
    header = text[:header_end].split(",")
    width = len(header)
    body = text[header_end + 1 :]
    if body.endswith("\n"):
        body = body[:-1]
    if width < 2 or not body:
        return None
    data = body.encode("utf-8")
    raw = np.frombuffer(data, dtype=np.uint8)
    separators = np.flatnonzero((raw == _COMMA) | (raw == _NEWLINE))
    rows = body.count("\n") + 1
    if len(separators) != rows * width - 1:
        return None
    line_end = np.zeros(rows * width, dtype=bool)
    line_end[:-1] = raw[separators] == _NEWLINE
    if np.count_nonzero(line_end) != rows - 1 or not line_end[width - 1 :: width][:-1].all():
        return None
    offset = np.int32 if len(data) < np.iinfo(np.int32).max else np.int64
    bounds: npt.NDArray[np.signedinteger[Any]] = np.empty(rows * width + 1, dtype=offset)
    bounds[0] = -1
    bounds[1:-1] = separators
    bounds[-1] = len(data)
    if len(data) > max_cell:
        ends = np.concatenate(([-1], separators[line_end[:-1]], [len(data)]))
        if int(np.diff(ends).max()) - 1 > max_cell:  # a line longer than any cell may be
            return None
    return PlainGrid(header=header, rows=rows, data=data, bounds=bounds)
