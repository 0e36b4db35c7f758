"""Shared fixtures: run the CLIs as a user would, in a subprocess or (cheaper) in-process."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner as ClickRunner

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


def run_inprocess(
    module: str, *args: str | os.PathLike[str], cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Call ``module``'s console entry point ``main(argv)`` in this process, like ``run_module``.

    The same exit-code and error conventions (``main`` is what ``python -m`` runs), the same
    environment (``COLUMNS=100``, ``NO_COLOR``), stdout and stderr captured apart; without the
    interpreter start and imports of a subprocess (about 2 CPU-seconds each). Use
    ``run_module`` where the property needs a real process (signals, a terminal, the
    ``python -m`` entry itself).
    """
    entry: Callable[[Sequence[str]], int]
    if module == "assess":
        from assess.cli import main as entry
    elif module == "simulate":
        from simulate.cli import main as entry
    else:
        raise ValueError(f"no in-process entry point for {module!r}")
    argv = [str(arg) for arg in args]
    runner = ClickRunner(env={"COLUMNS": "100", "NO_COLOR": "1"})
    with contextlib.chdir(cwd or REPO_ROOT), runner.isolation(input=stdin) as (out, err, _):
        code = entry(argv)
        sys.stdout.flush()
        sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8")
        stderr = err.getvalue().decode("utf-8")
    return subprocess.CompletedProcess([module, *argv], code, stdout, stderr)


@pytest.fixture
def assess_inproc() -> CliRunner:
    """Run the ``assess`` command in-process (``run_inprocess``)."""
    return lambda *args, **kw: run_inprocess("assess", *args, **kw)


@pytest.fixture
def simulate_inproc() -> CliRunner:
    """Run the ``simulate`` command in-process (``run_inprocess``)."""
    return lambda *args, **kw: run_inprocess("simulate", *args, **kw)
