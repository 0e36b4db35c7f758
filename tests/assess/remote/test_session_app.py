"""The process a link runs: the take app in candidate mode, locked to the invited candidate."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input

from assess.errors import AssessError
from assess.profiles import load_answers
from assess.remote import store
from assess.remote.session_app import build_app, main
from assess.tui.screens.question import QuestionScreen
from assess.tui.screens.start import CandidateEntry, StartScreen
from tests.assess.remote.helpers import invite, submitted_answers
from tests.assess.tui.conftest import run_async

pytestmark = pytest.mark.tui


@run_async
async def test_the_start_screen_is_locked_to_the_invited_candidate(tmp_path: Path) -> None:
    out = tmp_path / "interviews"
    invite(out, "c-001", name="Jane Doe")
    invite(out, "c-002", name="Other Person")
    submitted_answers(out, "c-002", finished=False)
    other_before = (out / "c-002.answers.yaml").read_bytes()
    app = build_app(out, "c-001", datetime.now(UTC))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        fields = list(app.screen.query(Input))
        assert fields
        assert all(field.disabled for field in fields)
        # Even a forged "begin" naming another candidate opens only the invited one.
        assert app.begin(CandidateEntry("c-002", "Mallory", None)) is None
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("4")
        await pilot.pause()
        app.flush_answers()
        assert app.config.candidate_mode
    answers = load_answers(out / "c-001.answers.yaml")
    assert answers.candidate.name == "Jane Doe"
    assert len(answers.answers) == 1
    assert (out / "c-002.answers.yaml").read_bytes() == other_before


def test_a_closed_invitation_starts_no_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "interviews"
    invite(out, "c-001")
    store.revoke(out, "c-001", datetime.now(UTC))
    with pytest.raises(AssessError, match="revoked"):
        build_app(out, "c-001", datetime.now(UTC))
    assert main(["--out", str(out), "--candidate-id", "c-001"]) == 2
    assert "revoked" in capsys.readouterr().err
    assert main(["--out", str(out), "--candidate-id", "c-404"]) == 2
