"""Fixtures for the TUI tests: frozen clock, questionnaires, and a helper to drive answers."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec

import numpy as np
import pytest
from textual.pilot import Pilot

from assess.model import AnswerRecord, Answers, Candidate, LikertItem, Questionnaire
from assess.profiles import load_questionnaire, profile_filename, save_profile
from assess.scoring import score_answers
from assess.tui.app import TakeApp
from assess.tui.clock import FrozenClock
from assess.tui.session import options_of
from tests.assess.helpers import MINI

P = ParamSpec("P")


def run_async(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an ``async def`` Pilot test with asyncio (no async pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


TUI_DATA = Path(__file__).resolve().parent / "data"
WIDE = TUI_DATA / "wide-scale.questionnaire.yaml"

_CACHE: dict[str, Questionnaire] = {}


def cached_questionnaire(ref: str | Path | None = None) -> Questionnaire:
    """Questionnaires are immutable in the TUI; parse each once per worker."""
    key = str(ref)
    if key not in _CACHE:
        _CACHE[key] = load_questionnaire(ref)
    return _CACHE[key]


@pytest.fixture
def bundled() -> Questionnaire:
    """The bundled sales-traits questionnaire."""
    return cached_questionnaire(None)


@pytest.fixture
def mini() -> Questionnaire:
    """The small complete test questionnaire (17 items, roles, norms, situations)."""
    return cached_questionnaire(MINI)


@pytest.fixture
def wide() -> Questionnaire:
    """An 11-point scale questionnaire (answers are typed, then Enter)."""
    return cached_questionnaire(WIDE)


@pytest.fixture
def clock() -> FrozenClock:
    """A clock that only moves when the test says so."""
    return FrozenClock()


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Input cursors stay on instead of blinking, so screenshots are stable."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def answer_value_keys(app: TakeApp, values: Iterable[int]) -> list[str]:
    """Keys answering the items from the current one on with ``values``.

    Each key is the number of the option with that value (or the closest one, for
    situations with fewer options); single-digit numbers only.
    """
    session = app.session
    assert session is not None
    keys = []
    for offset, value in enumerate(values):
        item = session.questionnaire.item(session.order[session.position + offset])
        options = options_of(session.questionnaire, item)
        closest = min(options, key=lambda option: abs(option.value - value))
        keys.append(str(closest.key))
    return keys


async def press_answers(
    pilot: Pilot[Any], clock: FrozenClock, keys: Iterable[str], ms_per_answer: int = 4000
) -> None:
    """Press each key as an answer, with ``ms_per_answer`` on the clock before each."""
    for key in keys:
        clock.advance(ms_per_answer)
        await pilot.press(key)


def synthetic_answers(
    q: Questionnaire, candidate_id: str, levels: dict[str, int], seed: int, name: str | None = None
) -> Answers:
    """Complete, deterministic answers: each trait answered around its level (1-5), with noise.

    Validity items are answered sensibly (attention checks as expected), situations at
    random from the seed, every answer in 3.2 s.
    """
    rng = np.random.default_rng(seed)
    answers: dict[str, AnswerRecord] = {}
    low, high = q.scale.min, q.scale.max
    for item in q.items:
        if isinstance(item, LikertItem):
            if item.expect is not None:
                value = item.expect
            elif item.trait is None:
                value = 2
            else:
                level = levels.get(item.trait, 3) + int(rng.integers(-1, 2))
                level = min(max(level, low), high)
                value = level if item.keyed == "+" else low + high - level
        else:
            value = int(rng.integers(1, len(item.options) + 1))
        answers[item.id] = AnswerRecord(value=value, ms=3200)
    return Answers(
        questionnaire=q.ref(),
        candidate=Candidate(id=candidate_id, name=name),
        started=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        finished=datetime(2026, 11, 23, 9, 25, tzinfo=UTC),
        order=[item.id for item in q.items],
        answers=answers,
    )


CANDIDATES: tuple[tuple[str, str, dict[str, int]], ...] = (
    (
        "c-101",
        "Ana Hunter",
        {
            "prospecting_drive": 5,
            "rejection_resistance": 5,
            "closing_urgency": 5,
            "need_for_approval": 1,
            "relationship_nurturing": 2,
        },
    ),
    (
        "c-102",
        "Ben Farmer",
        {
            "comfort_asking": 5,
            "proactivity": 5,
            "account_planning": 5,
            "account_strategy": 5,
            "need_for_approval": 1,
            "relationship_nurturing": 4,
        },
    ),
    (
        "c-103",
        "Cy Order",
        {
            "relationship_nurturing": 5,
            "comfort_asking": 1,
            "closing_urgency": 1,
            "need_for_approval": 5,
            "proactivity": 2,
        },
    ),
    ("c-104", "Di Hybrid", {}),
)
"""Four distinct synthetic candidates for review tests and screenshots."""


def write_profiles(q: Questionnaire, folder: Path) -> list[Path]:
    """Score the four synthetic candidates and save their profiles in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    answers = [
        synthetic_answers(q, candidate_id, levels, seed, name)
        for seed, (candidate_id, name, levels) in enumerate(CANDIDATES)
    ]
    paths = []
    for profile in score_answers(q, answers):
        path = folder / profile_filename(profile.candidate.id)
        save_profile(path, profile)
        paths.append(path)
    return paths
