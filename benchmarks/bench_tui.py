"""Responsiveness of ``simulate tui`` while a run is in flight (``python -m benchmarks tui``).

Drives the dashboard headless (Textual's Pilot, the same process and event loop
as in a terminal, the engine on its background thread) over
``examples/scenario.yaml`` and prints:

- first figures: seconds from the app's start, and from the run's start, to the
  first stage (8 trials) on screen;
- keypress latency during a run: from posting a key event to the app (as the
  terminal driver does) to the app's state answering it (Tab: focus moved;
  ``+``: the seat count shown), while the engine computes; the median and
  the worst of ``PRESSES`` presses each;
- for Tab also the UI thread's own CPU time over the same interval, which a
  busy machine does not inflate the way it inflates wall-clock latency.
  Figures only, never asserted.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from textual import events
from textual.widgets import Label

from simulate.model import load_scenario
from simulate.tui.app import DashboardApp, make_dashboard_app
from simulate.tui.widgets.team import TeamRow

SCENARIO = Path(__file__).resolve().parent.parent / "examples" / "scenario.yaml"
PRESSES = 20


async def _until(condition: object, timeout: float = 120.0) -> float:
    started = time.perf_counter()
    while not condition():  # type: ignore[operator]
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the dashboard did not answer in time")
        await asyncio.sleep(0.001)
    return time.perf_counter() - started


async def _measure(quick: bool) -> dict[str, float | list[float]]:
    scenario = load_scenario(SCENARIO)
    if quick:
        scenario = scenario.with_overrides(trials=256)
    app: DashboardApp = make_dashboard_app(scenario, SCENARIO)
    out: dict[str, float | list[float]] = {}
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(lambda: app.stage is not None)
        out["first figures (s)"] = time.perf_counter() - started
        out["first stage of the run (s)"] = app.first_stage_seconds or 0.0
        tab: list[float] = []
        tab_cpu: list[float] = []
        for _ in range(PRESSES):
            before = app.focused
            sent, cpu = time.perf_counter(), time.thread_time()
            _key(app, "tab")
            await _until(lambda before=before: app.focused is not before)
            tab.append(time.perf_counter() - sent)
            tab_cpu.append(time.thread_time() - cpu)
        out["in flight during Tab"] = float(app.running)
        farmer = app.dashboard.query_one("#team-farmer", TeamRow)
        farmer.focus()
        plus: list[float] = []
        for i in range(PRESSES):
            key = "plus" if i % 2 == 0 else "minus"
            want = str(app.edits.team["farmer"] + (1 if key == "plus" else -1))
            sent = time.perf_counter()
            _key(app, key)
            label = farmer.query_one(".count", Label)
            await _until(lambda label=label, want=want: str(label.render()) == want)
            plus.append(time.perf_counter() - sent)
        out["in flight during +/-"] = float(app.running)
        out["tab"] = tab
        out["tab_cpu"] = tab_cpu
        out["plus"] = plus
        await pilot.press("ctrl+c")
    return out


def _key(app: DashboardApp, key: str) -> None:
    """Send a key as the terminal driver does (Pilot's press waits for the process to be idle,
    which it never is while the engine computes)."""
    character = {"plus": "+", "minus": "-", "tab": "\t"}[key]
    app.post_message(events.Key(key, character))


def main(quick: bool) -> None:
    """Print the figures."""
    figures = asyncio.run(_measure(quick))
    print(
        f"first figures on the screen: {figures['first figures (s)']:.2f} s after the app "
        f"started, {figures['first stage of the run (s)']:.2f} s after the run started"
    )
    for key, name in (
        ("tab", "Tab (focus moves)"),
        ("tab_cpu", "Tab, the UI thread's own CPU time"),
        ("plus", "+/− (seat count shown)"),
    ):
        values = figures[key]
        assert isinstance(values, list)
        ms = [1000 * v for v in values]
        print(
            f"keypress latency, {name}, run in flight: median {statistics.median(ms):.0f} ms, "
            f"worst {max(ms):.0f} ms over {len(ms)} presses"
        )
    print(
        "run in flight while pressing: "
        f"Tab {bool(figures['in flight during Tab'])}, +/− {bool(figures['in flight during +/-'])}"
    )
