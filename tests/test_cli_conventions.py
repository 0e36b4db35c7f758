"""Both CLIs: version, help with an example, and the error convention end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CliRunner, run_module


@pytest.mark.parametrize("tool", ["assess", "simulate"])
def test_version(tool: str) -> None:
    result = run_module(tool, "--version")
    assert result.returncode == 0
    assert result.stdout.startswith(f"{tool}, version ")


@pytest.mark.parametrize("tool", ["assess", "simulate"])
def test_help_shows_purpose_and_example(tool: str) -> None:
    result = run_module(tool, "--help")
    assert result.returncode == 0
    assert f"Example: {tool} " in result.stdout


def test_bad_file_gives_one_paragraph_exit_2_and_no_traceback(
    tmp_path: Path, assess_cli: CliRunner
) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("schema: repfit.questionnaire/1\nitems: [1, 2\n", encoding="utf-8")
    result = assess_cli("validate", bad)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {bad}: not valid YAML at line 3, column 1")


def test_unknown_option_is_a_usage_error(assess_cli: CliRunner) -> None:
    result = assess_cli("validate", "--no-such-option", "x.yaml")
    assert result.returncode == 2
    assert "No such option '--no-such-option'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["assess", "show", "{profiles}/c-001.profile.yaml"],
        ["assess", "score", "{examples}/answers.csv", "--format", "json"],
        ["simulate", "assumptions"],
    ],
)
def test_a_closed_pipe_is_not_an_error(command: list[str], tmp_path: Path) -> None:
    # `assess show profile.yaml | head`, `simulate assumptions | head`: the reader goes
    # away; the tool stops with exit 0 (click alone would make it exit 1).
    import os
    import subprocess
    import sys

    from tests.conftest import EXAMPLES, REPO_ROOT

    out = tmp_path / "profiles"
    if "{profiles}" in command[-1]:
        assert run_module("assess", "score", EXAMPLES / "answers.csv", "--out", out).returncode == 0
    args = [word.format(profiles=out, examples=EXAMPLES) for word in command]
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: every write fails with EPIPE
    try:
        result = subprocess.run(
            [sys.executable, "-m", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert "error" not in result.stderr


def test_version_names_the_scorer() -> None:
    from assess.scoring import SCORER_VERSION

    result = run_module("assess", "--version")
    assert f"(scorer {SCORER_VERSION}" in result.stdout


@pytest.mark.parametrize("command", ["take", "review"])
def test_interactive_commands_without_a_terminal_exit_2_at_once(
    command: str, tmp_path: Path
) -> None:
    # Issue 12: `assess take` without a terminal used to hang waiting for keys.
    from tests.conftest import EXAMPLES

    args = ["--out", str(tmp_path)] if command == "take" else []
    if command == "review":
        out = tmp_path / "profiles"
        assert run_module("assess", "score", EXAMPLES / "answers.csv", "--out", out).returncode == 0
        args = [str(out)]
    result = run_module("assess", command, *args)  # stdin and stdout are pipes here
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: assess {command} is interactive and needs a terminal")
    assert "Traceback" not in result.stderr
