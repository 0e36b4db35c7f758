"""Shared fixtures: run the CLIs as a user would, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"

CliRunner = Callable[..., subprocess.CompletedProcess[str]]


def run_module(
    module: str, *args: str | os.PathLike[str], cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m module args...`` with the source tree importable; capture text output."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "COLUMNS": "100", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or REPO_ROOT,
        env=env,
        input=stdin,
        timeout=600,
        check=False,
    )


@pytest.fixture
def assess_cli() -> CliRunner:
    """Run the ``assess`` command in a subprocess."""
    return lambda *args, **kw: run_module("assess", *args, **kw)


@pytest.fixture
def simulate_cli() -> CliRunner:
    """Run the ``simulate`` command in a subprocess."""
    return lambda *args, **kw: run_module("simulate", *args, **kw)
