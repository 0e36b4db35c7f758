"""The Textual apps: :class:`TakeApp` (``assess take``), :class:`ReviewApp` (``assess review``).

Build them with :func:`make_take_app` and :func:`make_review_app`; the CLI and
the tests use the same factories. The apps hold the state and do the file work
(through :mod:`assess.profiles`, atomic); the screens only draw and forward keys.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import App
from textual.binding import Binding, BindingType

from assess.adaptive import AdaptiveSettings
from assess.errors import AssessError
from assess.fileio import RepfitError
from assess.irt_params import IrtParameters
from assess.model import Answers, Candidate, Questionnaire
from assess.profiles import (
    bundled_irt_for,
    check_answers,
    load_answers,
    profile_filename,
    save_answers,
    save_profile,
)
from assess.score_output import score_provenance
from assess.scoring import score_answers
from assess.tui.adaptive_session import AdaptiveTakeSession
from assess.tui.autosave import AnswersAutosaver
from assess.tui.clock import Clock, SystemClock
from assess.tui.results_model import ResultsView, results_view
from assess.tui.screens.comparison import ComparisonScreen
from assess.tui.screens.help import REVIEW_KEYS, TAKE_KEYS, HelpScreen
from assess.tui.screens.question import QuestionScreen
from assess.tui.screens.results import ResultsScreen
from assess.tui.screens.start import CandidateEntry, StartScreen
from assess.tui.screens.submit import SubmitScreen
from assess.tui.screens.thanks import ThankYouScreen
from assess.tui.session import TakeSession, answers_filename, candidate_id_problem
from assess.tui.widgets.confirm import ConfirmScreen

DARK_THEME = "textual-dark"
"""Theme used by default."""
LIGHT_THEME = "textual-light"
"""Theme Ctrl+T switches to."""


def finished_refusal(candidate_id: str, path: Path) -> str:
    """The message shown when candidate mode meets an assessment that was already submitted."""
    return (
        f"the assessment of candidate {candidate_id} was already submitted ({path}); "
        "in candidate mode a finished assessment cannot be reopened. The hiring manager can "
        "read it with `assess show` or `assess review`, or start it without --candidate."
    )


@dataclass
class TakeConfig:
    """Everything ``assess take`` was started with."""

    questionnaire: Questionnaire
    """The questionnaire to take."""
    out_dir: Path
    """Folder for ``<candidate-id>.answers.yaml`` and ``<candidate-id>.profile.yaml``."""
    candidate_id: str | None = None
    """Prefilled candidate id."""
    name: str | None = None
    """Prefilled candidate name."""
    role: str | None = None
    """Prefilled role applied for."""
    shuffle_seed: int | None = None
    """Seed for shuffling the whole questionnaire; None keeps the default interleaved order."""
    candidate_mode: bool = False
    """True when the candidate takes it alone: no results shown, no reopening once submitted."""
    clock: Clock = field(default_factory=SystemClock)
    """Time source (a frozen clock in tests and screenshots)."""
    irt: IrtParameters | None = None
    """Item parameters: IRT scores in the profile, and the adaptive plan's parameters."""
    adaptive: AdaptiveSettings | None = None
    """Adaptive sitting (``--adaptive``): stopping rule; None gives every item."""


@dataclass(frozen=True)
class TakeOutcome:
    """What a sitting of ``assess take`` left behind."""

    answers_path: Path
    """The answers file (always written once the assessment began)."""
    profile_path: Path | None
    """The profile file, when the answers were submitted."""
    answered: int
    """Items answered."""
    total: int
    """Items in the questionnaire."""
    save_error: str | None = None
    """Why the last write of the answers file failed, if it did."""


class TakeApp(App[TakeOutcome | None]):
    """``assess take``: start screen, one item at a time, review, results (or thanks)."""

    CSS_PATH = "take.tcss"
    TITLE = "assess take"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_theme", "Theme", id="theme", priority=True),
        Binding("ctrl+q", "request_quit", "Quit", id="app-quit", show=False, priority=True),
    ]

    def __init__(self, config: TakeConfig) -> None:
        super().__init__()
        self.config = config
        self.clock = config.clock
        self.session: TakeSession | None = None
        self.answers_path: Path | None = None
        self.autosaver: AnswersAutosaver | None = None
        self.profile_path: Path | None = None
        self.profile_view: ResultsView | None = None
        self.return_to_review = False
        self._base_ms = 0
        self._begin_ms = 0
        self.theme = DARK_THEME
        self.sub_title = config.questionnaire.title

    def on_mount(self) -> None:
        q = self.config.questionnaire
        roles = {role_id: role.name for role_id, role in (q.roles or {}).items()}
        self.push_screen(
            StartScreen(
                title=q.title,
                instructions=q.instructions,
                roles=roles,
                candidate_id=self.config.candidate_id,
                name=self.config.name,
                role=self.config.role,
                item_count=len(q.items),
                candidate_mode=self.config.candidate_mode,
            )
        )

    # ------------------------------------------------------------------ starting

    @on(StartScreen.Begin)
    def _begin(self, message: StartScreen.Begin) -> None:
        problem = self.begin(message.entry)
        if problem is not None and isinstance(self.screen, StartScreen):
            self.screen.show_error(problem)

    def begin(self, entry: CandidateEntry) -> str | None:
        """Start or resume the assessment of ``entry``; a message when it cannot begin."""
        config = self.config
        path = config.out_dir / answers_filename(entry.candidate_id)
        try:
            config.out_dir.mkdir(parents=True, exist_ok=True)
            if path.exists():
                saved = load_answers(path)
                if saved.finished is not None and config.candidate_mode:
                    return finished_refusal(entry.candidate_id, path).capitalize()
                candidate = Candidate(
                    id=entry.candidate_id,
                    name=entry.name or saved.candidate.name,
                    role=entry.role or saved.candidate.role,
                )
                session = _resume(config, saved, candidate)
                check_answers(config.questionnaire, saved, str(path))
                if config.shuffle_seed is not None:
                    self.notify("Resuming: the saved item order is kept (--shuffle ignored).")
                elif session.first_unanswered() is not None:
                    self.notify(
                        f"Resuming {entry.candidate_id}: {session.answered_count()} answers kept."
                    )
            else:
                candidate = Candidate(id=entry.candidate_id, name=entry.name, role=entry.role)
                session = _new_session(config, candidate)
            save_answers(path, session.to_answers())
            self.session = session
            self.answers_path = path
            loop = asyncio.get_running_loop()

            def report_from_thread(message: str) -> None:
                loop.call_soon_threadsafe(self._save_failed, message)

            self.autosaver = AnswersAutosaver(path, report_from_thread)
        except RepfitError as exc:
            return exc.message
        except OSError as exc:
            return f"Cannot write to {config.out_dir}: {exc.strerror or exc}."
        self._base_ms = session.recorded_ms()
        self._begin_ms = self.clock.monotonic_ms()
        self.switch_screen(QuestionScreen())
        if session.finished is not None or session.first_unanswered() is None:
            self.call_after_refresh(self.show_submit)
        return None

    def saved_candidate(self, candidate_id: str) -> Candidate | None:
        """The candidate header of saved answers for ``candidate_id``, if readable (to fill in
        the start screen when an assessment is resumed or reopened)."""
        if candidate_id_problem(candidate_id) is not None:
            return None
        path = self.config.out_dir / answers_filename(candidate_id)
        if not path.is_file():
            return None
        try:
            return load_answers(path).candidate
        except RepfitError:
            return None

    def existing_summary(self, candidate_id: str) -> str | None:
        """What Enter will do with the saved answers of ``candidate_id``, if there are any."""
        if candidate_id_problem(candidate_id) is not None:
            return None
        path = self.config.out_dir / answers_filename(candidate_id)
        if not path.is_file():
            return None
        try:
            saved = load_answers(path)
        except RepfitError as exc:
            return f"{path} cannot be read: {exc.message}"
        total = len(self.config.questionnaire.items)
        if saved.finished is not None:
            if self.config.candidate_mode:
                return f"{candidate_id} has already submitted this assessment."
            return (
                f"{candidate_id} submitted on {saved.finished:%Y-%m-%d}: Enter reopens the review."
            )
        return f"{candidate_id} has answered {len(saved.answers)} of {total}: Enter resumes."

    def elapsed_ms(self) -> int:
        """Time spent on the assessment: recorded before this sitting plus this sitting."""
        return self._base_ms + self.clock.monotonic_ms() - self._begin_ms

    # ------------------------------------------------------------------ answering

    def _question_screen(self) -> QuestionScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, QuestionScreen):
                return screen
        return None

    def autosave(self) -> None:
        """Queue the answers for writing (atomic, in the background)."""
        assert self.session is not None
        assert self.autosaver is not None
        self.autosaver.save(self.session.to_answers())

    def flush_answers(self) -> bool:
        """Wait until the answers file holds every answer; False (and a message) if it failed."""
        if self.autosaver is None:
            return True
        error = self.autosaver.flush()
        if error is not None:
            self._save_failed(error)
            return False
        return True

    def _save_failed(self, message: str) -> None:
        self.notify(f"Could not save the answers: {message}", severity="error", timeout=10)

    def on_unmount(self) -> None:
        if self.autosaver is not None:
            self.autosaver.close()

    def answer(self, value: int, ms: int) -> None:
        """Record an answer to the current item, save, and move on."""
        assert self.session is not None
        self.session.record(value, ms)
        self._advance()
        self.autosave()  # after advancing: an adaptive sitting plans (and records) the next item

    def skip(self) -> None:
        """Move on without answering."""
        self._advance()

    def _advance(self) -> None:
        session = self.session
        assert session is not None
        if self.return_to_review or session.at_end():
            self.return_to_review = False
            self.show_submit()
            return
        session.go_to(session.position + 1)
        screen = self._question_screen()
        if screen is not None:
            screen.show_current()

    def back(self) -> None:
        """Go to the previous item."""
        session = self.session
        assert session is not None
        self.return_to_review = False
        if session.position == 0:
            self.notify("This is the first item.")
            return
        session.go_to(session.position - 1)
        screen = self._question_screen()
        if screen is not None:
            screen.show_current()

    def action_save(self) -> None:
        """Save the answers now and say where."""
        if self.session is None or self.profile_path is not None:
            return
        self.autosave()
        if self.flush_answers():
            self.notify(f"Saved to {self.answers_path}")

    # ------------------------------------------------------------------ review and submit

    def show_submit(self) -> None:
        """Show the review screen (unanswered items, Enter submits)."""
        session = self.session
        assert session is not None
        if isinstance(self.screen, SubmitScreen):
            return
        unanswered = [
            (item_id, session.order.index(item_id) + 1, session.questionnaire.item(item_id).text)
            for item_id in session.unanswered()
        ]
        self.push_screen(SubmitScreen(unanswered, session.total))

    @on(SubmitScreen.Jump)
    def _jump(self, message: SubmitScreen.Jump) -> None:
        assert self.session is not None
        self.pop_screen()
        self.session.go_to_item(message.item_id)
        self.return_to_review = True
        screen = self._question_screen()
        if screen is not None:
            screen.show_current()

    @on(SubmitScreen.Back)
    def _back_from_review(self) -> None:
        assert self.session is not None
        self.pop_screen()
        self.session.go_to(self.session.total - 1)
        screen = self._question_screen()
        if screen is not None:
            screen.show_current()

    @on(SubmitScreen.Submit)
    def _submit_requested(self) -> None:
        assert self.session is not None
        missing = len(self.session.unanswered())
        if missing == 0:
            self.submit()
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.submit()
            elif self.session is not None and self.session.unanswered():
                self.post_message(SubmitScreen.Jump(self.session.unanswered()[0]))

        self.push_screen(
            ConfirmScreen(
                f"{missing} item{'s are' if missing != 1 else ' is'} still unanswered. "
                "Submit anyway? Traits with too few answers cannot be scored. "
                "(Keep answering goes to the first unanswered item.)",
                yes="Submit",
                no="Keep answering",
            ),
            confirmed,
        )

    def submit(self) -> None:
        """Finish: save the answers with the finish time, score them, save and show the profile."""
        session = self.session
        assert session is not None
        assert self.answers_path is not None
        if not self.flush_answers():
            return
        session.finished = self.clock.now()
        answers = session.to_answers()
        try:
            save_answers(self.answers_path, answers)
            q = self.config.questionnaire
            profile = score_answers(q, [answers], irt=self.config.irt)[0]
            profile.provenance = score_provenance(q, q.norms, self.config.irt)  # as assess score
            profile_path = self.config.out_dir / profile_filename(session.candidate.id)
            save_profile(profile_path, profile)
        except (RepfitError, OSError) as exc:
            session.finished = None
            message = exc.message if isinstance(exc, RepfitError) else str(exc)
            self.notify(f"Could not submit: {message}", severity="error", timeout=15)
            return
        self.profile_path = profile_path
        self.pop_screen()
        if self.config.candidate_mode:
            self.switch_screen(ThankYouScreen(session.answered_count(), session.total))
        else:
            self.profile_view = results_view(profile, profile_path)
            self.switch_screen(ResultsScreen(self.profile_view))

    # ------------------------------------------------------------------ app-wide actions

    def action_help(self) -> None:
        """Show the keyboard contract."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen("assess take: keys", TAKE_KEYS))

    def action_toggle_theme(self) -> None:
        """Switch between the dark and the light theme."""
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME

    def action_request_quit(self) -> None:
        """Quit after a confirmation; the answers so far are saved first."""
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
                f"Quit now? Your answers so far are saved in {self.answers_path}; "
                "run the same command again to continue where you left off.",
                yes="Quit",
                no="Stay",
            ),
            confirmed,
        )

    async def action_quit(self) -> None:
        """Quit (after a confirmation while answers are not submitted)."""
        self.action_request_quit()

    def outcome(self) -> TakeOutcome | None:
        """What this sitting left behind (None when it never began)."""
        if self.session is None or self.answers_path is None:
            return None
        return TakeOutcome(
            answers_path=self.answers_path,
            profile_path=self.profile_path,
            answered=self.session.answered_count(),
            total=self.session.total,
            save_error=self.autosaver.flush() if self.autosaver is not None else None,
        )


def _new_session(config: TakeConfig, candidate: Candidate) -> TakeSession:
    """A fresh sitting: adaptive when configured, else the whole questionnaire."""
    if config.adaptive is not None and config.irt is not None:
        return AdaptiveTakeSession.start(
            config.questionnaire, candidate, config.clock.now(), config.irt, config.adaptive
        )
    return TakeSession.new(config.questionnaire, candidate, config.clock.now(), config.shuffle_seed)


def _resume(config: TakeConfig, saved: Answers, candidate: Candidate) -> TakeSession:
    """Resume saved answers the way they were begun (an adaptive sitting stays adaptive)."""
    if saved.adaptive is None:
        return TakeSession.resume(config.questionnaire, saved, candidate)
    if config.irt is None:
        raise AssessError(
            f"the saved answers of candidate {candidate.id} come from an adaptive sitting, "
            "but no item parameters are loaded; resume with the same --irt FILE."
        )
    return AdaptiveTakeSession.resume_adaptive(config.questionnaire, saved, config.irt, candidate)


def make_take_app(
    questionnaire: Questionnaire,
    out_dir: Path,
    *,
    candidate_id: str | None = None,
    name: str | None = None,
    role: str | None = None,
    shuffle_seed: int | None = None,
    candidate_mode: bool = False,
    clock: Clock | None = None,
    irt: IrtParameters | None = None,
    adaptive: AdaptiveSettings | None = None,
) -> TakeApp:
    """The ``assess take`` app, as the CLI and the tests build it. Without ``irt`` the
    questionnaire's bundled item parameters are used, when it has them (as ``assess
    score`` does)."""
    if irt is None:
        irt = bundled_irt_for(questionnaire)
    return TakeApp(
        TakeConfig(
            questionnaire=questionnaire,
            out_dir=out_dir,
            candidate_id=candidate_id,
            name=name,
            role=role,
            shuffle_seed=shuffle_seed,
            candidate_mode=candidate_mode,
            clock=clock or SystemClock(),
            irt=irt,
            adaptive=adaptive,
        )
    )


class ReviewApp(App[None]):
    """``assess review``: candidates side by side; sort by role fit; open one; export CSV."""

    CSS_PATH = "review.tcss"
    TITLE = "assess review"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_theme", "Theme", id="theme", priority=True),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(self, views: list[ResultsView], default_export: Path) -> None:
        super().__init__()
        self.views = views
        self.default_export = default_export
        self.theme = DARK_THEME

    def on_mount(self) -> None:
        self.push_screen(ComparisonScreen(self.views, self.default_export))

    def action_help(self) -> None:
        """Show the keyboard contract."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen("assess review: keys", REVIEW_KEYS))

    def action_toggle_theme(self) -> None:
        """Switch between the dark and the light theme."""
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME


def make_review_app(views: list[ResultsView], default_export: Path | None = None) -> ReviewApp:
    """The ``assess review`` app over already-loaded profiles (as results views)."""
    if not views:
        raise AssessError("assess review needs at least one profile.")
    return ReviewApp(views, default_export or Path("comparison.csv"))
