"""Fixtures for the dashboard tests: the example scenario with few trials, and waiting helpers."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, ParamSpec

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot

from assess.cli import cli as assess_cli
from simulate.model import Scenario, load_scenario
from simulate.tui.app import DashboardApp
from tests.conftest import EXAMPLES, REPO_ROOT

P = ParamSpec("P")

EXAMPLE = REPO_ROOT / "examples" / "scenario.yaml"
TRIALS = 40
"""Trials of the Pilot tests: stages of 8, 32 and 40 trials (a few seconds a run)."""


def run_async(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an ``async def`` Pilot test with asyncio (no async pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


_CACHE: dict[str, Scenario] = {}


def example_scenario(trials: int = TRIALS) -> Scenario:
    """``examples/scenario.yaml`` with ``trials`` trials (parsed once per worker)."""
    if "example" not in _CACHE:
        _CACHE["example"] = load_scenario(EXAMPLE)
    return _CACHE["example"].with_overrides(trials=trials)


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """A copy of the example scenario and its book in a temporary folder, with few trials."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("trials: 2000", f"trials: {TRIALS}")
    (tmp_path / "book.csv").write_bytes((EXAMPLE.parent / "book.csv").read_bytes())
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


CANDIDATES = ("c-003", "c-015")
"""Example candidates the candidate tests score (c-015's profile has validity flags)."""


@pytest.fixture(scope="session")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``assess score`` of the :data:`CANDIDATES` from ``examples/answers.csv``: a folder of
    ``<id>.profile.yaml`` files."""
    lines = (EXAMPLES / "answers.csv").read_text(encoding="utf-8").splitlines()
    picked = [lines[0], *(line for line in lines[1:] if line.split(",")[0] in CANDIDATES)]
    folder = tmp_path_factory.mktemp("scored")
    answers = folder / "answers.csv"
    answers.write_text("\n".join(picked) + "\n", encoding="utf-8")
    out = folder / "profiles"
    result = CliRunner().invoke(assess_cli, ["score", str(answers), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


async def wait_for_runs(
    pilot: Pilot[Any], app: DashboardApp, runs: int, timeout: float = 180
) -> None:
    """Wait until ``runs`` runs have shown their last stage."""
    waited = 0.0
    while app.finished_runs < runs or app.running:
        assert waited < timeout, "the dashboard's run did not finish"
        await pilot.pause(0.05)
        waited += 0.05
    await pilot.pause()


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Input cursors stay on instead of blinking, so screenshots are stable."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
