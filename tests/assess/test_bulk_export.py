"""The column-formatted bulk CSV (assess.bulk_export) against the per-profile CSV, on odd
candidates, and its number cells against Python's own text of each number."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.bulk_export import CsvExport, number_cells
from assess.profiles import irt_for, load_questionnaire, profiles_csv, read_answers_run
from assess.scoring import score_matrix, score_matrix_columns
from tests.conftest import EXAMPLES

ODD_NAMES = [
    "=cmd|' /C calc'!A0",
    "+1 555 0100",
    "-1.5",
    "@SUM(A1)",
    'José "Pepe", Müller',
    "王小明",
    "line\nbreak",
    "tab\tinside",
    "nul\x00inside",
    "",
]
"""Names a spreadsheet would run, that need quoting, unicode, a NUL (the slow join)."""


def _odd_answers(tmp_path: Path, with_nul: bool) -> Path:
    """examples/answers.csv twice over with odd names and roles, skipped items (a trait
    left unscored), careless and extreme rows (validity and risky-band flags)."""
    rows = list(csv.reader(io.StringIO((EXAMPLES / "answers.csv").read_text("utf-8"))))
    header, body = rows[0], rows[1:]
    items = len(header) - 3
    out = [header]
    roles = ["farmer", "hunter", "hybrid", "order_taker", "", "unknown-role"]
    for number, row in enumerate(body * 2):
        row = list(row)
        row[0] = f"{row[0]}-{number}"
        names = ODD_NAMES if with_nul else [n for n in ODD_NAMES if "\x00" not in n]
        row[1] = names[number % len(names)]
        row[2] = roles[number % len(roles)]
        kind = number % 7
        if kind == 1:  # skipped items: the first trait's items mostly unanswered
            for column in range(3, 3 + 8):
                row[column] = ""
        elif kind == 2:  # careless: the same answer everywhere
            row[3:] = ["3"] * items
        elif kind in (3, 4):  # extreme answers (Likert items): risky bands, faking
            row[3:] = [
                cell if name.startswith("sjt") else "5" if (kind == 3) == (i % 2 == 0) else "1"
                for i, (name, cell) in enumerate(zip(header[3:], row[3:], strict=True))
            ]
        elif kind == 5:  # scattered blanks
            for column in range(3, len(row), 5):
                row[column] = ""
        out.append(row)
    path = tmp_path / "odd.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(out)
    return path


def test_the_bulk_csv_of_odd_candidates_is_the_profiles_csv_byte_for_byte(
    tmp_path: Path,
) -> None:
    q = load_questionnaire()
    irt = irt_for(None, None, q)
    for with_nul in (False, True):
        table = read_answers_run((_odd_answers(tmp_path, with_nul),), q)
        count = len(table.respondents)
        forced = [row % 4 == 0 for row in range(count)]
        profiles = score_matrix(q, table.respondents, table.matrix, table.times, irt=irt)
        for profile, flag in zip(profiles, forced, strict=True):
            profile.forced = flag
        codes = {flag.code for profile in profiles for flag in profile.red_flags}
        assert {"careless_responding", "best_fit_differs_from_role"} <= codes
        assert any(code.startswith("insufficient:") for code in codes)
        assert any(code.startswith(("high_", "low_")) for code in codes)
        export = CsvExport(q)
        for start in range(0, count, 11):  # batches: ties are ranked across all of them
            stop = start + 11
            columns = score_matrix_columns(
                q, table.respondents[start:stop], table.matrix[start:stop], irt=irt
            )
            export.add(table.respondents[start:stop], columns, forced[start:stop])
        assert export.text() == profiles_csv(profiles)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(min_value=-1e6, max_value=1e6),
            st.sampled_from([0.0, -0.0, -0.04, 0.05, 0.0005, 99.95, 1e-9, -1e-9]),
            st.just(float("nan")),
        ),
        max_size=40,
    ),
    st.integers(min_value=0, max_value=3),
)
def test_number_cells_are_python_text_of_the_rounded_numbers(
    values: list[float], digits: int
) -> None:
    rounded = np.round(np.array(values, dtype=np.float64), digits)
    expected = [b"" if np.isnan(v) else repr(float(v)).encode() for v in rounded]
    assert number_cells(rounded, digits).tolist() == expected
    whole = np.array([int(v) for v in rounded if not np.isnan(v)], dtype=np.int64)
    assert number_cells(whole, 0).tolist() == [str(v).encode() for v in whole.tolist()]
    unrounded = np.array(values, dtype=np.float64)  # not rounded as promised: still right
    expected = [b"" if np.isnan(v) else repr(float(v)).encode() for v in unrounded]
    assert number_cells(unrounded, digits).tolist() == expected
