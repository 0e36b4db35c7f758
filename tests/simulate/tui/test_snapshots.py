"""How the dashboard looks (pytest-textual-snapshot), at 80×24 and 120×40.

Deterministic: the example scenario with a fixed seed and few trials (and a scored
example candidate with validity flags in a hunter's seat), and the
picture is taken once the run has shown its last stage. Update with
``pytest tests/simulate/tui/test_snapshots.py --snapshot-update``, look at the
SVGs, and copy the 120×40 one to ``docs/images/dashboard.svg`` (the README's).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from simulate.model import load_scenario
from simulate.tui.app import DashboardApp, make_dashboard_app
from tests.simulate.tui.conftest import wait_for_runs

pytestmark = pytest.mark.tui

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_with_a_baseline(
    snap_compare: SnapCompare,
    scenario_file: Path,
    scored: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    (scenario_file.parent / "c-015.profile.yaml").write_bytes(
        (scored / "c-015.profile.yaml").read_bytes()
    )
    hunter = "  - {archetype: hunter, count: 1}   # seat hunter-1\n"
    text = scenario_file.read_text(encoding="utf-8")
    assert hunter in text
    scenario_file.write_text(
        text.replace(hunter, hunter + "  - {profile: c-015.profile.yaml, role: hunter}\n"),
        encoding="utf-8",
    )
    monkeypatch.chdir(scenario_file.parent)
    app = make_dashboard_app(load_scenario(scenario_file), Path("scenario.yaml"))

    async def run_before(pilot: Pilot[Any]) -> None:
        assert isinstance(pilot.app, DashboardApp)
        await wait_for_runs(pilot, pilot.app, 1)
        await pilot.press("b")
        await pilot.press("plus")
        await wait_for_runs(pilot, pilot.app, 2)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
