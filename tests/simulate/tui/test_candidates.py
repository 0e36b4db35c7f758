"""The dashboard's candidates (issue 16, the bridge): add from the file picker, remove, bad files.

Two example candidates are scored once (the ``scored`` fixture: c-003, clean; c-015, with
validity flags); the dashboard runs on the example scenario with 40 trials.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from simulate.cli import main
from simulate.model import Scenario, load_scenario
from simulate.tui.app import DashboardApp, make_dashboard_app
from simulate.tui.screens.candidate import CandidatePicker, ProfileTree
from simulate.tui.screens.dashboard import KpiCard
from simulate.tui.view import Edits, kpi_deltas, kpis
from simulate.tui.widgets.team import CandidateRow, TeamRow
from tests.simulate.tui.conftest import CANDIDATES, run_async, wait_for_runs

pytestmark = pytest.mark.tui


@pytest.fixture
def project(scenario_file: Path, scored: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The scenario's folder as the working folder, with the profiles in ``profiles/``."""
    profiles = scenario_file.parent / "profiles"
    profiles.mkdir()
    for name in CANDIDATES:
        profile = f"{name}.profile.yaml"
        (profiles / profile).write_bytes((scored / profile).read_bytes())
    monkeypatch.chdir(scenario_file.parent)
    return scenario_file


def cards(app: DashboardApp) -> dict[str, str]:
    return {card.key: str(card.render()) for card in app.dashboard.query(KpiCard)}


@run_async
async def test_add_a_candidate_from_the_picker_then_remove_them(
    project: Path, tmp_path: Path
) -> None:
    app = make_dashboard_app(load_scenario(project), project)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_runs(pilot, app, 1)
        before = cards(app)
        await pilot.press("b")  # the baseline: the scenario's own team
        await pilot.press("a")
        assert isinstance(app.screen, CandidatePicker)
        tree = app.screen.query_one(ProfileTree)
        assert app.focused is tree
        shown = {str(node.data.path.name) for node in tree.root.children if node.data}
        assert shown == {"profiles", "scenario.yaml"}, "folders and YAML files only"
        await pilot.press("down", "enter")  # open profiles/
        await pilot.pause(0.3)
        await pilot.press("down", "enter")  # c-003.profile.yaml
        await pilot.pause()
        assert app.screen.chosen == Path.cwd() / "profiles" / "c-003.profile.yaml"
        await pilot.press("enter")  # the first role: farmer
        await pilot.pause()
        assert not isinstance(app.screen, CandidatePicker)
        assert app.edits.hires == ({"profile": "profiles/c-003.profile.yaml", "role": "farmer"},)
        row = app.dashboard.query_one(CandidateRow)
        assert (row.label, row.role, row.flags) == ("Carla Mendes (c-003)", "farmer", ())
        await wait_for_runs(pilot, app, 2)
        shown_kpis = [card.kpi for card in app.dashboard.query(KpiCard)]
        texts = cards(app)
        assert app.baseline is not None
        assert app.result is not None
        deltas = kpi_deltas(app.baseline, app.result)
        assert deltas["revenue"].text in texts["revenue"], "cards show the candidate's delta"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.edits.dirty

        # remove the candidate again: the scenario's own team and figures come back
        await pilot.click("#drop-1")
        await pilot.pause()
        assert not app.edits.hires
        assert not app.dashboard.query(CandidateRow)
        await wait_for_runs(pilot, app, 3)
        await pilot.press("c")
        await pilot.pause()
        assert cards(app) == before
        await pilot.press("ctrl+c")

    saved = project.read_text(encoding="utf-8")
    assert "profile: profiles/c-003.profile.yaml" in saved, "saved relative to the scenario"
    out = tmp_path / "run.json"
    assert main(["run", str(project), "--format", "json", "-o", str(out)]) == 0
    expected = kpis(json.loads(out.read_text(encoding="utf-8")))
    assert shown_kpis == list(expected), "the cards are simulate run's on the saved scenario"


@run_async
async def test_a_flagged_candidate_is_marked_and_bad_files_are_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[Scenario] = []

    def record(scenario: Scenario, on_stage: object, should_stop: object) -> None:
        ran.append(scenario)  # the runs themselves are the other test's business

    monkeypatch.setattr("simulate.tui.app.run_in_stages", record)
    app = make_dashboard_app(load_scenario(project), project)
    async with app.run_test(size=(80, 24)) as pilot:
        picked: list[tuple[Path, str] | None] = []

        async def pick(path: str, role_steps: int = 0) -> None:
            await pilot.press("a")
            screen = app.screen
            assert isinstance(screen, CandidatePicker)
            field = screen.query_one("#picker-path", Input)
            field.focus()
            field.value = path
            await pilot.press("enter")
            await pilot.pause()
            if isinstance(app.focused, Input):  # not a file: the dialog says so and stays
                picked.append(None)
                await pilot.press("escape", "escape")
                return
            await pilot.press(*["down"] * role_steps, "enter")
            await pilot.pause()

        await pick("profiles/c-015.profile.yaml", role_steps=1)  # hunter
        row = app.dashboard.query_one(CandidateRow)
        assert row.label.endswith("(c-015)")
        assert row.role == "hunter"
        assert row.flags, "c-015's profile has validity flags"
        assert "⚠" in str(row.query_one(".flag").render())
        await pilot.pause(0.3)
        seat = ran[-1].seats[-1]
        assert seat.seat_id == "hire-1"
        assert seat.candidate is not None
        assert (seat.candidate.candidate_id, seat.candidate.role) == ("c-015", "hunter")

        await pick("no-such-file.yaml")
        assert picked == [None]
        assert app.screen is app.dashboard
        await pick("scenario.yaml")  # YAML, but not a profile
        await pick("profiles/c-015.profile.yaml")  # already has a seat
        notes = [n.message for n in app._notifications if n.severity == "error"]
        assert len(notes) == 2, notes
        assert notes[0].startswith("Not added: ")
        assert "scenario.yaml" in notes[0]
        assert "\n" not in notes[0]
        assert "already has a seat" in notes[1]
        assert len(app.edits.hires) == 1

        await pilot.press("a", "escape")  # cancelled: nothing changes
        assert app.screen is app.dashboard
        assert len(app.edits.hires) == 1
        app.dashboard.query_one(CandidateRow).focus()
        await pilot.press("x")
        await pilot.pause()
        assert not app.edits.hires
        assert isinstance(app.focused, TeamRow), "the focus goes back to the team"
        await pilot.press("ctrl+c")


def test_edits_add_and_remove_candidates() -> None:
    from tests.simulate.tui.conftest import example_scenario

    edits = Edits.of(example_scenario())
    assert edits.add_hire("p/a.yaml", "manager") is not None
    assert edits.add_hire("p/a.yaml", "farmer") is None
    assert edits.dirty
    (team,) = edits.overrides()
    assert team.value[-1] == {"profile": "p/a.yaml", "role": "farmer"}
    assert "farmer:p/a.yaml" in team.text
    assert edits.remove_hire(1) is not None
    for archetype in list(edits.team):
        edits.team[archetype] = 0
    assert edits.remove_hire(0) is not None, "the candidate is the last seat"
    edits.team["farmer"] = 2
    assert edits.remove_hire(0) is None
    assert not edits.hires
