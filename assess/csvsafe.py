"""The one CSV cell writer: spreadsheet formulas neutralised, rows that never split.

Every CSV repfit writes (``assess score`` / ``export``, the ``assess review``
comparison, ``simulate --format csv``, the book and analysis tables) goes through
:func:`cell` or :class:`Writer`, so the rules live in one place:

* **Formulas.** A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab, a
  carriage return or a line feed gets a leading apostrophe (``'=1+1``), which
  spreadsheets show as text instead of running it (the OWASP "CSV injection"
  advice). Text that is a plain number (``-1.5``, ``+3``, ``1e-3``) is left alone:
  numbers stay numbers, a negative number included.
* **Quoting.** A cell holding a comma, a double quote, a CR or an LF is quoted
  (quotes doubled), so a value can never split its row; the output matches
  :mod:`csv`'s ``QUOTE_MINIMAL`` with ``lineterminator="\\n"`` except that a bare CR
  is quoted too (``csv`` leaves it raw).
* **Values.** ``None`` is an empty cell, booleans are ``true`` / ``false``, numbers
  are written as Python writes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO

FORMULA_STARTS = frozenset("=+-@\t\r\n")
"""First characters that make a spreadsheet treat a cell as a formula (or split it)."""

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def neutralise(text: str) -> str:
    """``text`` made safe to open in a spreadsheet (a leading ``'`` before a formula start)."""
    if text and text[0] in FORMULA_STARTS and _NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def quote(text: str) -> str:
    """``text`` quoted for CSV when it holds a comma, a quote, a CR or an LF."""
    if _NEEDS_QUOTES.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


def text_cell(value: str | None) -> str:
    """A text cell: neutralised, then quoted when needed (``None`` is empty)."""
    return quote(neutralise(value)) if value else ""


def cell(value: object) -> str:
    """Any value as one CSV cell (see the module's rules)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return text_cell(str(value))


def row(values: Iterable[object]) -> str:
    """One CSV line (ending in ``\\n``) from ``values``."""
    return ",".join([cell(value) for value in values]) + "\n"


class Writer:
    """A stand-in for ``csv.writer(handle, lineterminator="\\n")`` that applies :func:`cell`."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle

    def writerow(self, values: Iterable[object]) -> None:
        """Write one row."""
        self._handle.write(row(values))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write every row."""
        for values in rows:
            self.writerow(values)


def writer(handle: IO[str]) -> Writer:
    """A :class:`Writer` on ``handle``."""
    return Writer(handle)
