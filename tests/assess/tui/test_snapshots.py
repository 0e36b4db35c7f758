"""How the screens look (pytest-textual-snapshot), at 80×24 and 120×40.

Time is frozen (:class:`~assess.tui.clock.FrozenClock`), cursors do not blink and
paths are relative to a temporary working folder, so the pictures are stable.
Update with ``pytest tests/assess/tui/test_snapshots.py --snapshot-update`` and
look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from assess.model import Questionnaire
from assess.profiles import load_profile, save_answers
from assess.tui.app import make_review_app, make_take_app
from assess.tui.clock import FrozenClock
from assess.tui.results_model import results_view
from tests.assess.tui.conftest import (
    CANDIDATES,
    answer_value_keys,
    press_answers,
    synthetic_answers,
    write_profiles,
)

pytestmark = pytest.mark.tui

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

SnapCompare = Callable[..., bool]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder so that paths shown on screen are short and stable."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(
    snap_compare: SnapCompare, bundled: Questionnaire, workdir: Path, size: tuple[int, int]
) -> None:
    app = make_take_app(
        bundled,
        Path("out"),
        candidate_id="c-001",
        name="Jane Doe",
        role="farmer",
        clock=FrozenClock(),
    )
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_item_screen_after_22_answers(
    snap_compare: SnapCompare, bundled: Questionnaire, workdir: Path, size: tuple[int, int]
) -> None:
    clock = FrozenClock()
    app = make_take_app(bundled, Path("out"), candidate_id="c-001", clock=clock)

    async def answer_22(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        await press_answers(pilot, clock, answer_value_keys(app, [4, 2] * 11))
        await pilot.press("left")

    assert snap_compare(app, terminal_size=size, run_before=answer_22)


def test_situational_item(snap_compare: SnapCompare, bundled: Questionnaire, workdir: Path) -> None:
    answers = synthetic_answers(bundled, "c-001", {}, seed=1)
    likert_only = {
        item_id: record
        for item_id, record in answers.answers.items()
        if not item_id.startswith("sjt")
    }
    save_answers(
        Path("out/c-001.answers.yaml"),
        answers.model_copy(update={"answers": likert_only, "finished": None}),
    )
    app = make_take_app(bundled, Path("out"), candidate_id="c-001", clock=FrozenClock())
    assert snap_compare(app, terminal_size=(80, 24), press=["enter"])


@pytest.mark.parametrize("size", SIZES)
def test_results_screen(
    snap_compare: SnapCompare, bundled: Questionnaire, workdir: Path, size: tuple[int, int]
) -> None:
    candidate_id, name, levels = CANDIDATES[1]
    answers = synthetic_answers(bundled, candidate_id, levels, seed=1, name=name)
    save_answers(
        Path(f"out/{candidate_id}.answers.yaml"),
        answers.model_copy(update={"finished": None}),
    )
    app = make_take_app(
        bundled, Path("out"), candidate_id=candidate_id, role="farmer", clock=FrozenClock()
    )

    async def submit(pilot: Pilot[Any]) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=submit)


def test_results_screen_light_theme(
    snap_compare: SnapCompare, bundled: Questionnaire, workdir: Path
) -> None:
    candidate_id, name, levels = CANDIDATES[2]
    answers = synthetic_answers(bundled, candidate_id, levels, seed=2, name=name)
    save_answers(Path(f"out/{candidate_id}.answers.yaml"), answers)
    app = make_take_app(bundled, Path("out"), candidate_id=candidate_id, clock=FrozenClock())

    async def submit_in_light_theme(pilot: Pilot[Any]) -> None:
        await pilot.press("ctrl+t", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=submit_in_light_theme)


@pytest.mark.parametrize("size", SIZES)
def test_review_screen(
    snap_compare: SnapCompare, bundled: Questionnaire, workdir: Path, size: tuple[int, int]
) -> None:
    paths = write_profiles(bundled, Path("profiles"))
    views = [results_view(load_profile(path), path) for path in paths]
    app = make_review_app(views)
    assert snap_compare(app, terminal_size=size, press=["r"])
