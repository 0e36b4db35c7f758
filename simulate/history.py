"""Churn history files for ``simulate calibrate`` (an I/O edge: reads CSV, names lines).

Two layouts, told apart by the header:

- per-account histories ``account_id,start,end`` (more columns allowed, e.g. a segment):
  ``start``/``end`` are whole period numbers (``0``, ``1``, …) or dates (``2023-04`` or
  ``2023-04-17``); an empty ``end`` means still active (right-censored at the last period or
  date seen in the file);
- a cohort table ``period,alive``: period 0, 1, 2, … consecutively, ``alive`` the accounts
  still active, period 0 the cohort size.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from assess.fileio import CsvRows, FileFormatError, read_text
from simulate.analysis.calibrate import Lifetimes, lifetimes_from_cohort, lifetimes_from_histories

HISTORY_COLUMNS = ("account_id", "start", "end")
COHORT_COLUMNS = ("period", "alive")

MAX_PERIOD = 10_000
"""Largest period number a history may give (over 800 years of months)."""

MAX_ACCOUNTS = 10_000_000
"""Largest cohort (accounts alive in period 0) a cohort table may give: the fit expands
the table into one lifetime per account."""

_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


@dataclass(frozen=True)
class History:
    """Lifetimes read from a file, overall and per segment."""

    kind: str
    """``histories`` or ``cohort``."""
    overall: Lifetimes
    segments: dict[str, Lifetimes]


def _rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = read_text(path, "history CSV")
    reader = CsvRows(text, str(path), "history CSV")
    try:
        header = [c.strip() for c in next(reader)]
    except StopIteration:
        raise FileFormatError(
            f"{path}: the history CSV is empty; expected a header row with columns "
            f"{','.join(HISTORY_COLUMNS)} or {','.join(COHORT_COLUMNS)}."
        ) from None
    rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    return header, rows


def read_history(path: Path, *, period: str, segment_column: str | None = None) -> History:
    """Read a history CSV into lifetimes (in months, or years with ``period='year'``)."""
    header, rows = _rows(path)
    if all(c in header for c in COHORT_COLUMNS) and "account_id" not in header:
        if segment_column is not None:
            raise FileFormatError(
                f"{path}: --segment-column needs per-account histories "
                f"({','.join(HISTORY_COLUMNS)}); found a cohort table ({','.join(header)})."
            )
        return History("cohort", _cohort(path, header, rows), {})
    missing = [c for c in HISTORY_COLUMNS if c not in header]
    if not set(header) & {*HISTORY_COLUMNS, *COHORT_COLUMNS}:
        # Not a history at all: do not quote its first line back.
        raise FileFormatError(
            f"{path}: not a history CSV: line 1 has none of the columns "
            f"{','.join(HISTORY_COLUMNS)} (per-account histories) or {','.join(COHORT_COLUMNS)} "
            "(a cohort table); expected a header row naming them."
        )
    if missing:
        raise FileFormatError(
            f"{path}: line 1: expected columns {','.join(HISTORY_COLUMNS)} (per-account "
            f"histories) or {','.join(COHORT_COLUMNS)} (a cohort table); missing "
            f"{', '.join(missing)}; found {','.join(header)}."
        )
    if segment_column is not None and segment_column not in header:
        raise FileFormatError(
            f"{path}: line 1: --segment-column {segment_column}: no such column; found "
            f"{','.join(header)}."
        )
    return _histories(path, header, rows, period, segment_column)


def _cohort(path: Path, header: list[str], rows: list[tuple[int, list[str]]]) -> Lifetimes:
    index = {c: i for i, c in enumerate(header)}
    alive: list[int] = []
    for expected, (line, row) in enumerate(rows):
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in index.items()}
        for column in COHORT_COLUMNS:
            if not re.fullmatch(r"-?\d{1,15}", cells[column]):
                raise FileFormatError(
                    f"{path}: line {line}, column {column}: expected a whole number; found "
                    f"'{_shown(cells[column])}'."
                )
        p, n = int(cells["period"]), int(cells["alive"])
        if n > MAX_ACCOUNTS:
            raise FileFormatError(
                f"{path}: line {line}, column alive: expected at most {MAX_ACCOUNTS:,} "
                f"accounts; found {n:,}."
            )
        if p < 0:
            raise FileFormatError(
                f"{path}: line {line}, column period: expected a period ≥ 0; found {p}."
            )
        if p != expected:
            raise FileFormatError(
                f"{path}: line {line}, column period: expected period {expected} (periods "
                f"run 0, 1, 2, … without gaps); found {p}."
            )
        if n < 0:
            raise FileFormatError(
                f"{path}: line {line}, column alive: expected a count ≥ 0; found {n}."
            )
        if alive and n > alive[-1]:
            raise FileFormatError(
                f"{path}: line {line}, column alive: {n} accounts alive in period {p}, more "
                f"than the {alive[-1]} of period {p - 1}; expected counts that never increase "
                "(a cohort only loses accounts)."
            )
        alive.append(n)
    if len(alive) < 3 or alive[0] == 0:
        raise FileFormatError(
            f"{path}: expected a cohort size above 0 in period 0 and at least periods 0 to 2; "
            f"found {len(alive)} period{'s' if len(alive) != 1 else ''}"
            + (f" and a cohort of {alive[0]}" if alive else "")
            + "."
        )
    return lifetimes_from_cohort(alive)


def _when(text: str, path: Path, line: int, column: str) -> tuple[str, int]:
    """('period', n) for a whole number, ('month', index) for a date."""
    if re.fullmatch(r"\d{1,15}", text):
        if int(text) > MAX_PERIOD:
            raise FileFormatError(
                f"{path}: line {line}, column {column}: expected a period from 0 to "
                f"{MAX_PERIOD:,}; found {text}."
            )
        return "period", int(text)
    if re.fullmatch(r"-\d+", text):
        raise FileFormatError(
            f"{path}: line {line}, column {column}: expected a period ≥ 0; found {text}."
        )
    match = _MONTH.match(text)
    if match:
        year, month, day = match.groups()
        try:
            dt.date(int(year), int(month), int(day or 1))
        except ValueError:
            match = None
        else:
            return "month", int(year) * 12 + int(month) - 1
    raise FileFormatError(
        f"{path}: line {line}, column {column}: expected a period number (0, 1, …) or a date "
        f"(YYYY-MM or YYYY-MM-DD); found '{_shown(text)}'."
    )


def _shown(text: str) -> str:
    """A cell as messages quote it: at most 40 characters."""
    return text if len(text) <= 40 else text[:37] + "..."


def _histories(
    path: Path,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    period: str,
    segment_column: str | None,
) -> History:
    index = {c: i for i, c in enumerate(header)}
    seen: dict[str, int] = {}
    kinds: set[str] = set()
    records: list[tuple[str, int, int | None]] = []
    latest = 0
    for line, row in rows:

        def cell(column: str, row: list[str] = row) -> str:
            i = index[column]
            return row[i].strip() if i < len(row) else ""

        account = cell("account_id")
        if not account:
            raise FileFormatError(f"{path}: line {line}, column account_id: expected an id.")
        if account in seen:
            raise FileFormatError(
                f"{path}: line {line}, column account_id: '{account}' appears twice (first on "
                f"line {seen[account]}); expected one row per account."
            )
        seen[account] = line
        if not cell("start"):
            raise FileFormatError(
                f"{path}: line {line}, column start: expected a period or date; found nothing."
            )
        kind, start = _when(cell("start"), path, line, "start")
        kinds.add(kind)
        end: int | None = None
        if cell("end"):
            end_kind, end = _when(cell("end"), path, line, "end")
            kinds.add(end_kind)
            if end < start:
                raise FileFormatError(
                    f"{path}: line {line}, column end: the account ends ({cell('end')}) before "
                    f"it starts ({cell('start')}); expected an end on or after the start."
                )
        if len(kinds) > 1:
            raise FileFormatError(
                f"{path}: line {line}: mixes period numbers and dates; expected one or the "
                "other throughout the file."
            )
        latest = max(latest, start, end if end is not None else start)
        segment = cell(segment_column) if segment_column is not None else ""
        records.append((segment, start, end))
    if not records:
        raise FileFormatError(f"{path}: no accounts; expected one row per account.")
    length = 12 if (kinds == {"month"} and period == "year") else 1

    def lifetimes(chosen: list[tuple[str, int, int | None]]) -> Lifetimes:
        return lifetimes_from_histories(
            [r[1] for r in chosen], [r[2] for r in chosen], as_of=latest, length=length
        )

    segments = {}
    if segment_column is not None:
        for name in sorted({r[0] for r in records}):
            segments[name or "(none)"] = lifetimes([r for r in records if r[0] == name])
    return History("histories", lifetimes(records), segments)
