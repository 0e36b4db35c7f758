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
