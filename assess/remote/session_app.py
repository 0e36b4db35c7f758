"""The process the server starts for one browser visit: ``assess take --candidate``, locked.

Started as ``python -m assess.remote.session_app --out DIR --candidate-id ID``
(an argument list, no shell; the candidate's name and role are read from the
invitation file, never passed on a command line). It runs the same take app as
``assess take --candidate`` (no scores shown, no reopening once submitted) with
the start screen's fields locked to the invitation: whatever is typed there,
only the invited candidate's answers file is opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Input

from assess.fileio import RepfitError
from assess.profiles import load_questionnaire, questionnaire_irt
from assess.remote.invitations import Invitation
from assess.remote.store import invitation_path, load_invitation, status_of
from assess.tui import app as tui_app
from assess.tui.app import TakeApp, TakeConfig
from assess.tui.screens.start import CandidateEntry, StartScreen
from assess.tui.widgets.confirm import ConfirmScreen

SITTING_UMASK = 0o077
"""Files a sitting writes (answers, profile) are readable by the server's account only (0600)."""


class InvitedTakeApp(TakeApp):
    """The take app in candidate mode for one invited candidate."""

    CSS_PATH = str(Path(tui_app.__file__).parent / "take.tcss")
    """The take app's stylesheet (a relative path would be looked up beside this module)."""

    def __init__(self, config: TakeConfig, invitation: Invitation) -> None:
        super().__init__(config)
        self.invitation = invitation

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._lock_start_fields)

    def _lock_start_fields(self) -> None:
        if isinstance(self.screen, StartScreen):
            for field in self.screen.query(Input):
                field.disabled = True

    def begin(self, entry: CandidateEntry) -> str | None:
        """Begin or resume the invited candidate's assessment (``entry`` is not trusted)."""
        candidate = self.invitation.candidate
        return super().begin(CandidateEntry(candidate.id, candidate.name, candidate.role))

    def action_save(self) -> None:
        """Save now (the server's file path is not shown to the candidate)."""
        if self.session is None or self.profile_path is not None:
            return
        self.autosave()
        if self.flush_answers():
            self.notify("Your answers are saved.")

    def action_request_quit(self) -> None:
        """Leave after a confirmation; the same link resumes later."""
        if isinstance(self.screen, ConfirmScreen):
            return
        if self.session is None or self.profile_path is not None:
            self.exit(self.outcome())
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.autosave()
                self.flush_answers()
                self.exit(self.outcome())

        self.push_screen(
            ConfirmScreen(
                "Leave now? Your answers so far are saved; open the same link again to "
                "continue where you left off.",
                yes="Leave",
                no="Stay",
            ),
            confirmed,
        )


def build_app(out_dir: Path, candidate_id: str, now: datetime) -> InvitedTakeApp:
    """The app for ``candidate_id``'s invitation in ``out_dir``; AssessError-like
    :class:`RepfitError` when the invitation is missing, bad or no longer open."""
    invitation = load_invitation(invitation_path(out_dir, candidate_id))
    status = status_of(out_dir, invitation, now)
    if not status.open:
        from assess.errors import AssessError

        raise AssessError(f"the invitation of candidate {candidate_id} is {status.state}.")
    candidate = invitation.candidate
    questionnaire = load_questionnaire(invitation.questionnaire)
    config = TakeConfig(
        questionnaire=questionnaire,
        # the questionnaire's item parameters, as assess score uses them (same profile)
        irt=questionnaire_irt(invitation.questionnaire, questionnaire),
        out_dir=out_dir,
        candidate_id=candidate.id,
        name=candidate.name,
        role=candidate.role,
        candidate_mode=True,
    )
    return InvitedTakeApp(config, invitation)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one candidate's sitting (the server starts this; not meant to be run by hand)."""
    parser = argparse.ArgumentParser(prog="python -m assess.remote.session_app")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--candidate-id", required=True)
    args = parser.parse_args(argv)
    os.umask(SITTING_UMASK)
    try:
        app = build_app(args.out, args.candidate_id, datetime.now(UTC))
    except RepfitError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
