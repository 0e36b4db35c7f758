"""``assess review``'s export asks before replacing a file, and writes it 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from assess.profiles import load_profile
from assess.tui.app import make_review_app
from assess.tui.results_model import results_view
from assess.tui.screens.comparison import ComparisonScreen
from assess.tui.widgets.confirm import ConfirmScreen
from tests.assess.tui.conftest import cached_questionnaire, run_async, write_profiles

pytestmark = pytest.mark.tui


@run_async
async def test_export_over_an_existing_file_asks_and_keeps_it_on_no(tmp_path: Path) -> None:
    paths = write_profiles(cached_questionnaire(), tmp_path / "p")
    views = [results_view(load_profile(path), path) for path in paths]
    target = tmp_path / "comparison.csv"
    target.write_text("the analyst's own notes\n", encoding="utf-8")
    os.chmod(target, 0o644)
    app = make_review_app(views, target)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, ComparisonScreen)
        assert target.read_text(encoding="utf-8") == "the analyst's own notes\n"
        await pilot.press("e", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert isinstance(app.screen, ComparisonScreen)
    assert target.read_text(encoding="utf-8").startswith("rank,candidate_id,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
