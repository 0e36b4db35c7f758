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

BLOCK_ROWS = 4096
"""Rows read into numbers at a time (count): the temporaries of a block stay small, where
whole-grid ones (14 million cells at 100,000 × 140) cost more in page faults than in work."""

_CHUNK_BYTES = 1 << 20
"""Bytes searched for separators at a time (1 MiB)."""


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
        and any other cell ``cell_number(cell)`` (the reader's own rule). Worked through
        :data:`BLOCK_ROWS` rows at a time, so that no temporary spans the whole grid."""
        rows, width = self.rows, self.width
        listed = list(columns)
        wanted: slice | list[int] = listed
        if listed and listed == list(range(listed[0], listed[0] + len(listed))):
            wanted = slice(listed[0], listed[0] + len(listed))  # a view, not a copy
        raw = np.frombuffer(self.data, dtype=np.uint8)
        last = len(raw) - 1
        values: FloatArray = np.empty((rows, len(listed)))
        known: dict[bytes, float] = {}
        for first_row in range(0, rows, BLOCK_ROWS):
            stop_row = min(first_row + BLOCK_ROWS, rows)
            bounds = self.bounds[first_row * width : stop_row * width + 1].astype(np.int64)
            starts = (bounds[:-1] + 1).reshape(-1, width)[:, wanted]
            lengths = (bounds[1:] - bounds[:-1] - 1).reshape(-1, width)[:, wanted]
            # An empty last cell starts at the end of the text: any byte will do there.
            first = raw[np.minimum(starts, last)]
            digit = (lengths == 1) & (first >= _ZERO) & (first <= _NINE)
            block = values[first_row:stop_row]
            np.subtract(first, float(_ZERO), out=block)
            block[~digit] = np.nan
            odd = np.nonzero((lengths > 0) & ~digit)
            if len(odd[0]):
                found: list[float] = []
                odd_starts = starts[odd].tolist()
                odd_ends = (starts[odd] + lengths[odd]).tolist()
                for start, end in zip(odd_starts, odd_ends, strict=True):
                    cell = self.data[start:end]
                    number = known.get(cell)
                    if number is None:
                        number = known[cell] = cell_number(cell.decode("utf-8"))
                    found.append(number)
                block[odd] = found
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
    rows = body.count("\n") + 1
    cells = rows * width
    offset = np.int32 if len(data) < np.iinfo(np.int32).max else np.int64
    bounds: npt.NDArray[np.signedinteger[Any]] = np.empty(cells + 1, dtype=offset)
    bounds[0] = -1
    filled = 1
    for start in range(0, len(raw), _CHUNK_BYTES):  # a chunk at a time: no 8-byte index per byte
        part = raw[start : start + _CHUNK_BYTES]
        separator = part == _COMMA
        separator |= part == _NEWLINE
        found = np.flatnonzero(separator)
        if filled + len(found) > cells:
            return None
        bounds[filled : filled + len(found)] = found + start
        filled += len(found)
    if filled != cells:
        return None
    bounds[-1] = len(data)
    # The text has rows − 1 newlines; every row has width cells when they end the rows' last
    # cells, separators width − 1, 2·width − 1, … (counted from 0).
    line_ends = bounds[width::width][: rows - 1]
    if not (raw[line_ends] == _NEWLINE).all():
        return None
    if len(data) > max_cell:
        ends = np.concatenate(([-1], line_ends, [len(data)]))
        if int(np.diff(ends).max()) - 1 > max_cell:  # a line longer than any cell may be
            return None
    return PlainGrid(header=header, rows=rows, data=data, bounds=bounds)
