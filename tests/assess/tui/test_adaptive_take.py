"""``assess take --adaptive`` by key presses (Pilot): plan, files, resume, rescore."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from assess.adaptive import AdaptiveSettings, fixed_items
from assess.model import Questionnaire
from assess.profiles import load_answers, questionnaire_irt
from assess.tui.adaptive_session import AdaptiveTakeSession
from assess.tui.app import TakeApp, make_take_app
from assess.tui.clock import FrozenClock
from assess.tui.screens.question import QuestionScreen
from assess.tui.screens.results import ResultsScreen
from assess.tui.screens.submit import SubmitScreen
from assess.tui.session import options_of
from tests.assess.tui.conftest import run_async
from tests.conftest import CliRunner

pytestmark = pytest.mark.tui


def _app(q: Questionnaire, out: Path, clock: FrozenClock) -> TakeApp:
    return make_take_app(
        q,
        out,
        candidate_id="cat-1",
        clock=clock,
        irt=questionnaire_irt(None, q),
        adaptive=AdaptiveSettings(),
    )


def _key(app: TakeApp, digits: itertools.cycle[int]) -> str:
    session = app.session
    assert session is not None
    options = options_of(session.questionnaire, session.current_item)
    return str(min(next(digits), len(options)))


@run_async
async def test_an_adaptive_sitting_stops_early_records_its_decisions_and_rescores_exactly(
    bundled: Questionnaire, clock: FrozenClock, tmp_path: Path, assess_inproc: CliRunner
) -> None:
    app = _app(bundled, tmp_path, clock)
    digits = itertools.cycle([4, 2, 5, 3, 1, 4, 4, 2])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.session, AdaptiveTakeSession)
        for _ in range(len(bundled.items)):
            if not isinstance(app.screen, QuestionScreen):
                break
            clock.advance(2500)
            await pilot.press(_key(app, digits))
        assert isinstance(app.screen, SubmitScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("q")
    answers = load_answers(tmp_path / "cat-1.answers.yaml")
    assert answers.finished is not None
    assert answers.adaptive is not None
    assert answers.order is not None
    assert answers.order == list(answers.answers)
    assert set(fixed_items(bundled)) <= set(answers.order)
    trait_items = len(answers.order) - len(fixed_items(bundled))
    assert trait_items < 0.7 * 108
    assert sorted(stop.trait for stop in answers.adaptive.stops) == sorted(bundled.trait_ids())
    assert {stop.reason for stop in answers.adaptive.stops} <= {"precision", "max_items"}

    scored = tmp_path / "scored"
    result = assess_inproc("score", tmp_path / "cat-1.answers.yaml", "--out", scored)
    assert result.returncode == 0, result.stderr
    saved = (tmp_path / "cat-1.profile.yaml").read_text(encoding="utf-8")
    assert saved == (scored / "cat-1.profile.yaml").read_text(encoding="utf-8")
    assert "drives: true" in saved


@run_async
async def test_an_adaptive_sitting_resumes_with_its_order_and_decisions(
    bundled: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(bundled, tmp_path, clock)
    digits = itertools.cycle([5, 4, 5, 4, 3])
    async with app.run_test() as pilot:
        await pilot.press("enter")
        for _ in range(30):
            await pilot.press(_key(app, digits))
        await pilot.press("q", "y")
    saved = load_answers(tmp_path / "cat-1.answers.yaml")
    assert saved.adaptive is not None
    assert saved.order is not None
    assert len(saved.answers) == 30
    assert len(saved.order) == 31  # the next item was planned and recorded when shown

    later = FrozenClock()
    resumed = _app(bundled, tmp_path, later)
    async with resumed.run_test() as pilot:
        await pilot.press("enter")
        session = resumed.session
        assert isinstance(session, AdaptiveTakeSession)
        assert session.order[:31] == saved.order
        assert session.stops == saved.adaptive.stops
        assert session.position == 30
        for _ in range(len(bundled.items)):
            if not isinstance(resumed.screen, QuestionScreen):
                break
            await pilot.press(_key(resumed, digits))
        assert isinstance(resumed.screen, SubmitScreen)
    final = load_answers(tmp_path / "cat-1.answers.yaml")
    assert final.adaptive is not None
    assert final.order is not None
    assert final.order[:31] == saved.order
    assert sorted(s.trait for s in final.adaptive.stops) == sorted(bundled.trait_ids())
