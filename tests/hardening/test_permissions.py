"""Candidate data is written 0600 whatever the umask, and no write loosens a file's mode."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from assess.cli import main as assess_main
from assess.fileio import atomic_write, clean_stale_temporaries
from assess.profiles import load_answers, save_answers
from tests.assess.helpers import ASSESS_DATA, MINI

CSV_FILE = ASSESS_DATA / "mini.answers.csv"
Q = ("--questionnaire", str(MINI))


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> None:
    code = assess_main([str(arg) for arg in args])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()


def test_every_assess_output_with_candidate_data_is_0600(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "profiles"
    run(capsys, "score", CSV_FILE, *Q, "--out", out)
    files = sorted(out.iterdir())
    assert len(files) == 6  # five profiles and the manifest
    outputs = [
        *files,
        tmp_path / "all.csv",
        tmp_path / "all.json",
        tmp_path / "summary.txt",
        tmp_path / "export.csv",
        tmp_path / "local.norms.yaml",
        tmp_path / "analysis.json",
    ]
    run(capsys, "score", CSV_FILE, *Q, "--format", "csv", "-o", outputs[-6])
    run(capsys, "score", CSV_FILE, *Q, "--format", "json", "-o", outputs[-5])
    run(capsys, "score", CSV_FILE, *Q, "--format", "table", "-o", outputs[-4])
    run(capsys, "export", out, "-o", outputs[-3])
    run(capsys, "norms", CSV_FILE, *Q, "--source", "test", "-o", outputs[-2])
    run(capsys, "analyze", CSV_FILE, *Q, "--format", "json", "-o", outputs[-1])
    assert {path.name: mode(path) for path in outputs} == {path.name: 0o600 for path in outputs}


def test_answers_autosave_is_0600(tmp_path: Path) -> None:
    answers = load_answers(ASSESS_DATA / "c-010.answers.yaml")
    target = tmp_path / "c-010.answers.yaml"
    save_answers(target, answers)
    assert mode(target) == 0o600


def test_overwriting_never_loosens_a_mode(tmp_path: Path) -> None:
    kept = tmp_path / "export.csv"
    atomic_write(kept, "old\n", private=True)
    atomic_write(kept, "new\n")  # an ordinary write over a private file stays private
    assert (kept.read_text(encoding="utf-8"), mode(kept)) == ("new\n", 0o600)
    shared = tmp_path / "shared.csv"
    shared.write_text("old\n", encoding="utf-8")
    os.chmod(shared, 0o644)
    atomic_write(shared, "new\n", private=True)  # candidate data tightens, never loosens
    assert mode(shared) == 0o600
    plain = tmp_path / "plain.txt"
    atomic_write(plain, "x")
    assert mode(plain) == 0o644  # what the umask allows, for files without personal data


def test_stale_temporaries_of_dead_writers_are_cleaned_and_live_ones_kept(
    tmp_path: Path,
) -> None:
    dead = tmp_path / ".export.csv.999999999.abcd1234.tmp"
    live = tmp_path / f".export.csv.{os.getpid()}.abcd1234.tmp"
    other = tmp_path / ".notes.tmp"  # not named as atomic_open names its files
    for path in (dead, live, other):
        path.write_text("personal data", encoding="utf-8")
    assert clean_stale_temporaries(tmp_path) == [dead]
    assert live.exists()
    assert other.exists()
    live.unlink()
    atomic_write(tmp_path / "export.csv", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.tmp", "export.csv"]


def test_simulation_reports_and_results_are_0600(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hire projection names candidates; every simulate output is written owner-only."""
    from simulate.cli import main as simulate_main

    scenario = Path(__file__).resolve().parents[2] / "examples" / "scenario.yaml"
    result, report = tmp_path / "run.json", tmp_path / "run.html"
    code = simulate_main([
        "run", str(scenario), "--trials", "2", "--set", "horizon_months=6",
        "--set", "target.month=6", "--workers", "1", "--format", "json",
        "-o", str(result), "--report", str(report),
    ])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert mode(result) == 0o600
    assert mode(report) == 0o600
