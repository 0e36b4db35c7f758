"""The bad-input catalogue (``catalogue.py``), run in process: every case exits 2 with one
``error:`` paragraph holding the expected parts, and never a traceback or an internal error.

A few properties need a real process (a named pipe: a reader that blocked would hang the
test run, so it runs under a timeout); those are at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.hardening.catalogue import CASES, COUNT_BY_READER, Case
from tests.hardening.conftest import Outcome, Run

MINIMUM_CASES = 120

SYSTEM_FILE = "root:x:0:0:root:/root:/bin/bash\nsecret-user:x:1000:1000::/home/s:/bin/sh\n"
"""Stands for a system account file given by mistake: no message may quote it."""


def _prepare(case: Case, folder: Path) -> None:
    if case.target is None:
        return
    path = folder / case.target
    if case.special == "missing":
        path.unlink()
    elif case.special == "folder":
        path.unlink()
        path.mkdir()
    elif case.special in ("zero", "urandom"):
        path.unlink()
        path.symlink_to(f"/dev/{case.special}")
    elif case.special == "passwd":
        path.write_text(SYSTEM_FILE, encoding="utf-8")
    elif case.spoil is not None:
        path.write_bytes(case.spoil(path.read_bytes()))


def check_error(outcome: Outcome, expect: tuple[str, ...], folder: Path) -> None:
    """Exit 2, one ``error:`` paragraph (after any notes) with every expected part."""
    text = outcome.stderr
    assert "Traceback" not in text, text
    assert "internal error" not in text, text
    assert outcome.code == 2, (outcome.code, text)
    errors = [line for line in text.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, text
    message = errors[0]
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in message), message
    for part in expect:
        assert part.replace("{d}", str(folder)) in message, (part, message)
    assert "root:x:0" not in message
    assert "secret-user" not in message


def test_the_catalogue_covers_every_reader_with_enough_cases() -> None:
    assert len(CASES) >= MINIMUM_CASES
    assert len({case.id for case in CASES}) == len(CASES), "case ids must be unique"
    assert min(COUNT_BY_READER.values()) >= 4
    print("bad-input catalogue by reader:", COUNT_BY_READER, "total", len(CASES))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case: Case, files: Path, run: Run) -> None:
    _prepare(case, files)
    argv = [part.replace("{d}", str(files)) for part in case.argv]
    check_error(run(*argv), case.expect, files)


def test_validate_checks_every_file_it_is_given(files: Path, run: Run) -> None:
    bad = files / "bad.yaml"
    bad.write_bytes(b"schema: repfit.profile/1\nname: \x07\n")
    zero = files / "zero.yaml"
    zero.symlink_to("/dev/zero")
    good = files / "mini.questionnaire.yaml"
    outcome = run("assess", "validate", good, bad, zero, files / "c-010.profile.yaml")
    assert outcome.code == 2
    assert outcome.stdout.splitlines() == [
        f"{good}: ok (repfit.questionnaire/1)",
        f"{files / 'c-010.profile.yaml'}: ok (repfit.profile/1)",
    ]
    errors = outcome.stderr.splitlines()
    assert errors[0].startswith(f"error: {bad}: not valid YAML at line 2, column 7: the control")
    assert errors[1].startswith(f"error: {zero}: expected a YAML file (a regular file) but found")
    assert len(errors) == 2


def test_validate_reads_the_multi_document_yaml_that_score_prints(files: Path, run: Run) -> None:
    printed = run(
        "assess", "score", files / "mini.answers.csv", "-q", files / "mini.questionnaire.yaml"
    )
    assert printed.code == 0
    many = files / "many.yaml"
    many.write_text(printed.stdout, encoding="utf-8")
    outcome = run("assess", "validate", many)
    assert outcome.code == 0, outcome.stderr
    count = printed.stdout.count("schema: repfit.profile/1")
    assert count > 1
    assert outcome.stdout == f"{many}: ok ({count} × repfit.profile/1)\n"


def test_a_relative_book_path_is_read_next_to_the_scenarios_real_location(
    files: Path, run: Run, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "links"
    elsewhere.mkdir()
    (elsewhere / "scenario.yaml").symlink_to(files / "scenario.yaml")
    # A different (bad) book.csv next to the link must not be read.
    (elsewhere / "book.csv").write_text("not,a,book\n", encoding="utf-8")
    outcome = run(
        "simulate", "run", elsewhere / "scenario.yaml", "--trials", "2", "--format", "json"
    )
    assert outcome.code == 0, outcome.stderr


def test_error_messages_print_control_characters_as_escapes(files: Path, run: Run) -> None:
    (files / "outcomes.csv").write_text(
        "candidate_id,quota\nc-010,\x1b]0;pwned\x07\n", encoding="utf-8"
    )
    outcome = run("assess", "criterion", files / "c-010.profile.yaml", files / "outcomes.csv")
    check_error(outcome, ("found '\\x1b]0;pwned\\x07'",), files)


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "questionnaire.yaml"
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "assess", "validate", str(fifo)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {fifo}: expected a YAML file (a regular file) but found a named pipe; "
        "save the data to a file and give that file's path.\n"
    )


@pytest.mark.skipif(shutil.which("id") is None or os.geteuid() == 0, reason="root reads all")
def test_an_unreadable_file_is_one_paragraph(files: Path, run: Run) -> None:
    path = files / "c-010.profile.yaml"
    path.chmod(0)
    outcome = run("assess", "show", path)
    check_error(outcome, (f"{path}: cannot read the profile: Permission denied.",), files)
