"""The dashboard driven with Textual's Pilot: edits, runs, baseline, files, quitting."""

from __future__ import annotations

import gc
import json
import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from assess.reports.figures import MissingExtraError
from assess.tui.screens.help import HelpScreen
from assess.tui.widgets.confirm import ConfirmScreen
from simulate.analysis.compare import compare_results
from simulate.cli import main
from simulate.engine import run_simulation
from simulate.model import load_scenario
from simulate.overrides import parse_team
from simulate.tui.app import DashboardApp, make_dashboard_app
from simulate.tui.screens.dashboard import KpiCard
from simulate.tui.view import kpi_deltas, kpis
from simulate.tui.widgets.team import TeamRow
from simulate.variants import apply_to_scenario
from tests.simulate.tui.conftest import example_scenario, run_async, wait_for_runs

pytestmark = pytest.mark.tui


def shown_cards(app: object) -> dict[str, tuple[object, str]]:
    from simulate.tui.app import DashboardApp

    assert isinstance(app, DashboardApp)
    return {card.key: (card.kpi, str(card.render())) for card in app.dashboard.query(KpiCard)}


@run_async
async def test_a_team_change_shows_the_kpis_of_simulate_run(
    scenario_file: Path, tmp_path: Path
) -> None:
    app = make_dashboard_app(load_scenario(scenario_file), scenario_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_runs(pilot, app, 1)
        assert isinstance(app.focused, TeamRow), "focus starts on the team, not in a text field"
        assert app.focused.archetype == "farmer"
        await pilot.press("plus")
        await wait_for_runs(pilot, app, 2)
        assert app.edits.team["farmer"] == 3
        shown = shown_cards(app)
    out = tmp_path / "run.json"
    argv = ["run", str(scenario_file), "--team", "farmer=3,hunter=1", "--format", "json"]
    assert main([*argv, "-o", str(out)]) == 0
    expected = kpis(json.loads(out.read_text(encoding="utf-8")))
    assert len(expected) == 6
    for kpi in expected:
        card, text = shown[kpi.key]
        assert card == kpi
        assert kpi.value in text


@run_async
async def test_the_mouse_changes_the_team_too(scenario_file: Path) -> None:
    app = make_dashboard_app(load_scenario(scenario_file), scenario_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#add-hunter")
        await pilot.click("#add-hunter")
        await pilot.click("#remove-farmer")
        await pilot.pause()
        assert app.edits.team["hunter"] == 3
        assert app.edits.team["farmer"] == 1
        assert app.edits.dirty


@run_async
async def test_baseline_deltas_are_the_paired_comparison(scenario_file: Path) -> None:
    scenario = load_scenario(scenario_file)
    app = make_dashboard_app(scenario, scenario_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_runs(pilot, app, 1)
        await pilot.press("b")
        await pilot.press("plus")
        await wait_for_runs(pilot, app, 2)
        shown = shown_cards(app)
    base = run_simulation(scenario)
    variant = run_simulation(apply_to_scenario(scenario, [parse_team("farmer=3,hunter=1")]))
    comparison = compare_results(["base", "more"], [base, variant])
    revenue_24 = next(
        d for d in comparison.variants[0].differences if d.outcome == "revenue" and d.month == 24
    )
    _, text = shown["revenue"]

    deltas = kpi_deltas(base, variant)
    assert deltas["revenue"].difference == pytest.approx(revenue_24.difference, rel=1e-12)
    assert deltas["revenue"].ci_low == pytest.approx(revenue_24.ci_low, rel=1e-12)
    assert deltas["revenue"].text in text
    assert deltas["revenue"].text.startswith("Δ+")


@run_async
async def test_q_quits_at_once_during_a_run() -> None:
    app = make_dashboard_app(example_scenario(2000), None)
    async with app.run_test(size=(80, 24)) as pilot:
        while app.stage is None:
            await pilot.pause(0.05)
        assert app.running
        assert gc.get_freeze_count() > 0  # the screen's objects kept out of full collections
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert gc.get_freeze_count() == 0  # and given back when the app ends


@run_async
async def test_tab_stays_on_fields_and_page_keys_scroll_the_outcomes() -> None:
    app = make_dashboard_app(example_scenario(64), None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_runs(pilot, app, 1)
        outcomes = app.dashboard.query_one("#main")
        assert outcomes.max_scroll_y > 0  # at 80×24 the outcomes do not fit
        for _ in range(30):  # twice round the fields: never a whole panel
            await pilot.press("tab")
            assert app.focused is not None
            assert app.focused.id not in ("main", "controls")
        app.dashboard.query(TeamRow).first().focus()
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert outcomes.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert outcomes.scroll_y == 0


@run_async
async def test_q_asks_first_with_unsaved_edits(scenario_file: Path) -> None:
    app = make_dashboard_app(load_scenario(scenario_file), scenario_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("minus")
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("q")
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


@run_async
async def test_ctrl_c_quits_with_130() -> None:
    app = make_dashboard_app(example_scenario(2000), None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus")
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 130


@run_async
async def test_a_bad_assumption_is_refused_with_a_clear_message(scenario_file: Path) -> None:
    app = make_dashboard_app(load_scenario(scenario_file), scenario_file)
    async with app.run_test(size=(120, 40)) as pilot:
        field = app.dashboard.query_one("#field-assumptions-mgmt_change_monthly", Input)
        field.focus()
        field.value = ""
        await pilot.press("2", "enter")
        error = str(app.dashboard.query_one("#field-error").render())
        assert "mgmt_change_monthly: expected a number from 0 to 1" in error
        assert "found 2" in error
        assert app.edits.assumptions["mgmt_change_monthly"] == 0.012
        field.value = ""
        await pilot.press("0", ".", "0", "2", "enter")
        assert app.edits.assumptions["mgmt_change_monthly"] == 0.02
        assert str(app.dashboard.query_one("#field-error").render()) == ""
        await pilot.press("escape")
        assert isinstance(app.focused, TeamRow)
        await pilot.press("?")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+c")


@run_async
async def test_ctrl_s_saves_and_asks_before_overwriting_a_changed_file(scenario_file: Path) -> None:
    app = make_dashboard_app(load_scenario(scenario_file), scenario_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("plus")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.edits.dirty
        saved = load_scenario(scenario_file)
        assert [(e.archetype, e.count) for e in saved.team] == [("farmer", 3), ("hunter", 1)]
        assert saved.assumptions["mgmt_change_monthly"].value == 0.012
        scenario_file.write_text(scenario_file.read_text(encoding="utf-8") + "\n# changed\n")
        changed = scenario_file.read_text(encoding="utf-8")
        await pilot.press("plus")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert scenario_file.read_text(encoding="utf-8") == changed
        await pilot.press("ctrl+s")
        await pilot.press("y")
        await pilot.pause()
        first = load_scenario(scenario_file).team[0]
        assert (first.archetype, first.count) == ("farmer", 4)
        await pilot.press("ctrl+c")


def _report_data(page: str) -> Any:
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page)
    assert found is not None, "the page embeds no report data"
    return json.loads(found.group(1).replace("<\\/", "</"))


async def wait_for_exports(pilot: Pilot[Any], app: DashboardApp, exports: int) -> None:
    """Wait until ``e`` has written ``exports`` reports (the page is drawn in a thread)."""
    waited = 0.0
    while app.exports < exports:
        assert waited < 120, "the report was not written"
        await pilot.pause(0.05)
        waited += 0.05


@run_async
async def test_e_exports_the_html_report_of_simulate_run_and_the_palette_lists_every_action(
    scenario_file: Path, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    app = make_dashboard_app(load_scenario(scenario_file), scenario_file)
    exported = scenario_file.with_name("scenario.report.html")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_runs(pilot, app, 1)
        await pilot.press("e")
        await wait_for_exports(pilot, app, 1)
        notes = [n.message for n in app._notifications]
        assert any(f"Wrote the HTML report to {exported}" in note for note in notes), notes
        callbacks = {c.callback for c in app.get_system_commands(app.screen)}
        names = {getattr(c, "__name__", "") for c in callbacks}
        for binding in app.BINDINGS:
            assert not isinstance(binding, tuple)
            action = binding.action.split("(")[0]
            if action == "interrupt":
                continue
            assert f"action_{action}" in names, f"{action} is not in the command palette"
        await pilot.press("ctrl+c")
    page = exported.read_text(encoding="utf-8")
    assert not scenario_file.with_name("scenario.report.txt").exists()
    cli_page_path = tmp_path / "cli.html"
    assert (
        main(
            [
                "run",
                str(scenario_file),
                "--report",
                str(cli_page_path),
                "-o",
                str(tmp_path / "run.txt"),
            ]
        )
        == 0
    )
    cli_page = cli_page_path.read_text(encoding="utf-8")
    ours, theirs = _report_data(page), _report_data(cli_page)
    assert ours["headline"] == theirs["headline"]
    assert ours["provenance"] == theirs["provenance"]
    assert ours["provenance"]["trials"] == 40
    assert ours == theirs
    title = re.compile(r"<h1>.*?</h1>", re.S)
    assert title.findall(page) == title.findall(cli_page)
    assert "Demo book, two farmers and a hunter" in page
    assert page == cli_page, "the same scenario and seed give the same page"


@run_async
async def test_e_without_matplotlib_writes_the_text_report_and_says_why(
    scenario_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> None:
        raise MissingExtraError("no matplotlib here")

    monkeypatch.setattr("simulate.tui.app.require_matplotlib", missing)
    app = make_dashboard_app(load_scenario(scenario_file), scenario_file)
    text_path = scenario_file.with_name("scenario.report.txt")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_runs(pilot, app, 1)
        await pilot.press("e")
        await wait_for_exports(pilot, app, 1)
        notes = [n.message for n in app._notifications]
        await pilot.press("ctrl+c")
    assert any(
        "HTML reports need Matplotlib" in note
        and "repfit[reports]" in note
        and f"wrote the text report to {text_path} instead" in note
        for note in notes
    ), notes
    report = text_path.read_text(encoding="utf-8")
    assert "Demo book, two farmers and a hunter" in report
    assert not scenario_file.with_name("scenario.report.html").exists()
