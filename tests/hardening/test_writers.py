"""Writers (issue 17, writing side): one CSV neutraliser, no destroyed inputs, --out folders
with a manifest, escaped terminal output, and the bulk CSV written from score columns."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assess import csvsafe
from assess.bulk_export import CsvExport
from assess.cli import main as assess_main
from assess.profiles import (
    irt_for,
    load_questionnaire,
    profiles_csv,
    read_answers_run,
)
from assess.score_output import MANIFEST_NAME
from assess.scoring import score_matrix, score_matrix_columns
from simulate.report import result_to_csv
from tests.assess.helpers import ASSESS_DATA, MINI
from tests.conftest import EXAMPLES

CSV_FILE = ASSESS_DATA / "mini.answers.csv"
Q = ("--questionnaire", str(MINI))


def assess(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run ``assess`` in-process; exit code, stdout and stderr."""
    code = assess_main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# ------------------------------------------------------------------ The CSV neutraliser


def _parse(line: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(line)))


@settings(max_examples=150, deadline=None)
@given(st.text(), st.floats(allow_nan=False, allow_infinity=False), st.integers())
def test_a_text_cell_never_splits_its_row_nor_starts_a_formula(
    text: str, number: float, whole: int
) -> None:
    rows = _parse(csvsafe.row([text, number, whole, None, True]))
    assert len(rows) == 1
    cell, number_cell, whole_cell, empty, flag = rows[0]
    assert cell in (text, "'" + text)
    if cell != text:  # neutralised: what a spreadsheet shows starts with the apostrophe
        assert text[:1] in csvsafe.FORMULA_STARTS
    else:
        assert text[:1] not in csvsafe.FORMULA_STARTS or float(text) == float(text)
    assert float(number_cell) == number  # numbers stay numbers, negative ones included
    assert int(whole_cell) == whole
    assert (empty, flag) == ("", "true")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1 555", "'+1 555"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", '"\'\rx"'),
        ("a\rb", '"a\rb"'),
        ("a\nb", '"a\nb"'),
        ('say "hi", then', '"say ""hi"", then"'),
        ("-1.5", "-1.5"),
        ("+3", "+3"),
        ("1e-3", "1e-3"),
        ("Anna", "Anna"),
    ],
)
def test_the_neutraliser_cases_of_the_issue(text: str, written: str) -> None:
    assert csvsafe.text_cell(text) == written


def test_simulate_csv_headers_are_neutralised() -> None:
    result = {
        "months": [1],
        "metrics": {"revenue": {"mean": [-1.5]}},
        "by_archetype": {"=HYPERLINK(x)": {"revenue": {"mean": [2.0]}}},
    }
    header, row = result_to_csv(result).splitlines()
    assert header == "month,revenue_mean,'=HYPERLINK(x)_revenue_mean"
    assert row == "1,-1.5,2.0"


# ------------------------------------------------------- Bulk CSV from score columns


@pytest.mark.parametrize(
    ("ref", "answers"),
    [(None, EXAMPLES / "answers.csv"), (str(MINI), CSV_FILE)],
)
def test_the_bulk_csv_is_the_profiles_csv_byte_for_byte(ref: str | None, answers: Path) -> None:
    q = load_questionnaire(ref)
    irt = irt_for(None, ref, q)
    table = read_answers_run((answers,), q)
    count = len(table.respondents)
    forced = [row % 3 == 0 for row in range(count)]
    profiles = score_matrix(q, table.respondents, table.matrix, table.times, irt=irt)
    for profile, flag in zip(profiles, forced, strict=True):
        profile.forced = flag
    export = CsvExport(q)
    for start in range(0, count, 7):  # batches: ties are ranked across all of them
        stop = start + 7
        times = table.times[start:stop] if table.times is not None else None
        columns = score_matrix_columns(
            q, table.respondents[start:stop], table.matrix[start:stop], times, irt=irt
        )
        export.add(table.respondents[start:stop], columns, forced[start:stop])
    assert export.text() == profiles_csv(profiles)


def test_score_csv_neutralises_names_and_keeps_rows_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = CSV_FILE.read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[1]]))
    row[header.index("name")] = "@Eve\rAdams"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows([header, row])
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(buffer.getvalue(), encoding="utf-8")
    code, out, _ = assess(capsys, "score", hostile, *Q, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    assert rows[0]["name"] == "'@Eve\rAdams"


# ------------------------------------------------- Never destroy what was not named


def test_score_refuses_to_write_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "in.csv"
    shutil.copy(CSV_FILE, answers)
    before = answers.read_bytes()
    code, _, err = assess(capsys, "score", answers, *Q, "--format", "csv", "-o", answers)
    assert code == 2
    assert err.startswith(f"error: {answers}: this is also an input file")
    assert answers.read_bytes() == before


@pytest.mark.parametrize("command", ["norms", "analyze"])
def test_norms_and_analyze_refuse_to_write_over_their_input(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "in.csv"
    shutil.copy(CSV_FILE, answers)
    before = answers.read_bytes()
    extra = ["--source", "x"] if command == "norms" else []
    code, _, err = assess(capsys, command, answers, *Q, *extra, "-o", answers)
    assert code == 2
    assert "this is also an input file" in err
    assert answers.read_bytes() == before


def test_simulate_refuses_to_write_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from simulate.cli import main as simulate_main

    book = tmp_path / "book.csv"
    shutil.copy(EXAMPLES / "book.csv", book)
    before = book.read_bytes()
    code = simulate_main(["book", str(book), "--format", "csv", "-o", str(book)])
    assert code == 2
    assert "this is also an input file" in capsys.readouterr().err
    assert book.read_bytes() == before


@pytest.mark.parametrize("option", ["-o", "--report"])
def test_simulation_commands_refuse_an_input_as_output_before_running(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    option: str,
) -> None:
    import simulate.commands.common as common
    from simulate.cli import main as simulate_main

    def no_run(*_args: object) -> None:
        raise AssertionError("the engine started although the output is an input")

    monkeypatch.setattr(common, "load_kernels", no_run)
    scenario = tmp_path / "scenario.html"  # a scenario file under a report's name
    shutil.copy(EXAMPLES / "scenario.yaml", scenario)
    shutil.copy(EXAMPLES / "book.csv", tmp_path / "book.csv")
    before = scenario.read_bytes()
    arguments = ["compare", str(scenario), "--variant", "three: farmer=3", "--trials", "4"]
    code = simulate_main([*arguments, option, str(scenario)])
    assert code == 2
    assert "this is also an input file" in capsys.readouterr().err
    assert scenario.read_bytes() == before


def test_out_refuses_existing_profiles_without_overwrite_and_says_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "profiles"
    assert assess(capsys, "score", CSV_FILE, *Q, "--out", out)[0] == 0
    manifest = yaml.safe_load((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    assert manifest["files"] == [f"c-00{i}.profile.yaml" for i in range(1, 6)]
    first = (out / "c-001.profile.yaml").read_bytes()

    code, _, err = assess(capsys, "score", CSV_FILE, *Q, "--out", out)
    assert code == 2
    assert "5 of the profiles already exist (c-001.profile.yaml and 4 more)" in err
    assert "nothing was written" in err

    # One target that cannot be written (a folder in its place): the others are written and
    # the message says exactly which were not; the manifest is marked incomplete.
    (out / "c-003.profile.yaml").unlink()
    (out / "c-003.profile.yaml").mkdir()
    code, _, err = assess(capsys, "score", CSV_FILE, *Q, "--out", out, "--overwrite")
    assert code == 2
    assert "wrote 4 of 5 profiles; c-003.profile.yaml could not be written" in err
    manifest = yaml.safe_load((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["complete"] is False
    assert "c-003.profile.yaml" not in manifest["files"]
    assert (out / "c-001.profile.yaml").read_bytes() == first
    assert not list(out.glob(".*.tmp"))  # a normal failure leaves no temporary file

    code, _, err = assess(capsys, "export", out, "-o", tmp_path / "all.csv")
    assert "warning: " in err
    assert "did not finish" in err


def test_score_json_and_yaml_carry_provenance(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = assess(capsys, "score", CSV_FILE, *Q, "--format", "json")
    assert code == 0
    import json

    first = json.loads(out)[0]["provenance"]
    assert set(first) == {"repfit_version", "questionnaire_sha256", "norms_sha256", "irt_sha256"}
    assert len(first["questionnaire_sha256"]) == 64
    code, out, _ = assess(capsys, "score", CSV_FILE, *Q)
    assert next(yaml.safe_load_all(out))["provenance"] == first


# ------------------------------------------------------------------ Terminal output


def test_show_prints_escape_sequences_from_a_profile_visibly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p"
    assert assess(capsys, "score", CSV_FILE, *Q, "--out", out)[0] == 0
    path = out / "c-001.profile.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["candidate"]["name"] = "Eve\x1b]0;owned\x07\x1b[2J [bold]x[/bold]"
    path.write_text(yaml.safe_dump(data, allow_unicode=False), encoding="utf-8")
    code, shown, _ = assess(capsys, "show", path)
    assert code == 0
    assert "\x1b" not in shown
    assert "\x07" not in shown
    assert "Eve\\x1b]0;owned\\x07\\x1b[2J [bold]x[/bold]" in shown
