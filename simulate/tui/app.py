"""``simulate tui``: the dashboard app (:class:`DashboardApp`, built by :func:`make_dashboard_app`).

The app owns the edits and the runs. A run is a daemon thread calling the pure
engine stage by stage (:func:`simulate.tui.runner.run_in_stages`); each stage's
result is summarised in that thread and posted to the app as a message. A change
sets the running thread's cancel event (checked by the engine between batches of
32 trials) and starts a new run after a short pause, so a burst of key presses
starts one run. Quitting never waits for a run: the thread is a daemon.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import os
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from assess.behaviour import BehaviourError, trait_measures
from assess.errors import RepfitError
from assess.fileio import atomic_write, dump_yaml
from assess.profiles import load_profile
from assess.reports.figures import INSTALL_HINT, MissingExtraError, require_matplotlib
from assess.tui.screens.help import HelpScreen
from assess.tui.widgets.confirm import ConfirmScreen
from simulate.model import Scenario, ScenarioFile
from simulate.overrides import apply_overrides
from simulate.report import run_report_text
from simulate.reports.provenance import run_document
from simulate.results import SimulationResult
from simulate.tui.runner import Stage, run_in_stages, stage_trials
from simulate.tui.screens.candidate import CandidatePicker
from simulate.tui.screens.dashboard import DashboardScreen
from simulate.tui.screens.help import DASHBOARD_KEYS
from simulate.tui.view import CandidateView, Edits, Kpi, candidate_view, kpi_deltas, kpis
from simulate.tui.widgets.team import CandidateRow, TeamRow
from simulate.variants import apply_to_scenario, override_schema

RESTART_DELAY = 0.15
"""Seconds an edit waits before its run starts (a burst of key presses starts one run)."""

INTERRUPTED = 130
"""Exit status after Ctrl+C (as for every repfit command)."""


@dataclass
class DashboardConfig:
    """What ``simulate tui`` was started with."""

    scenario: Scenario
    """The scenario as loaded (the edits are applied on top of it)."""
    save_path: Path
    """Where Ctrl+S writes the edited scenario."""
    loaded_digest: str | None
    """SHA-256 of ``save_path``'s bytes when loaded (None: not loaded from it)."""
    export_path: Path
    """Where ``e`` writes the HTML report (``simulate run --report``'s page)."""
    text_export_path: Path
    """Where ``e`` writes the text report instead when Matplotlib (``repfit[reports]``) is
    not installed."""


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


class RunUpdate(Message):
    """A stage of run ``run_id`` finished (or the run failed with ``error``)."""

    def __init__(
        self,
        run_id: int,
        stage: Stage | None = None,
        scenario: Scenario | None = None,
        data: Mapping[str, Any] | None = None,
        cards: tuple[Kpi, ...] = (),
        error: str | None = None,
        seconds: float = 0.0,
    ) -> None:
        super().__init__()
        self.run_id = run_id
        self.stage = stage
        self.scenario = scenario
        self.data = data
        self.cards = cards
        self.error = error
        self.seconds = seconds


class DashboardApp(App[int]):
    """Change the team, policies and assumptions; watch the outcomes' spread move."""

    CSS_PATH = "dashboard.tcss"
    TITLE = "simulate tui"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "request_quit", "Quit", id="quit"),
        Binding("ctrl+c", "interrupt", "Quit now", id="interrupt", show=False, priority=True),
        Binding("ctrl+q", "request_quit", "Quit", id="ctrl-quit", show=False, priority=True),
        Binding("a", "add_candidate", "Add candidate", id="add-candidate"),
        Binding("b", "pin_baseline", "Baseline", id="baseline"),
        Binding("c", "clear_baseline", "Clear baseline", id="clear-baseline", show=False),
        Binding("r", "rerun", "Rerun", id="rerun", show=False),
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("e", "export", "Export", id="export"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(self, config: DashboardConfig) -> None:
        super().__init__()
        self.config = config
        self.edits = Edits.of(config.scenario)
        self.run_id = 0
        self.cancel = threading.Event()
        self.restart_timer: Timer | None = None
        self.result: SimulationResult | None = None
        self.data: Mapping[str, Any] | None = None
        self.cards: tuple[Kpi, ...] = ()
        self.stage: Stage | None = None
        self.run_scenario: Scenario | None = None
        """The scenario the result shown was run on (the edits applied; all its trials)."""
        self.exports = 0
        """Reports written by ``e`` (tests wait for this)."""
        self.baseline: SimulationResult | None = None
        self.baseline_label = ""
        self.running = False
        self.run_error = False
        """True while the message under the panel is why the last run failed."""
        self.run_started = 0.0
        self.first_stage_seconds: float | None = None
        """Seconds from the start of the last run to its first stage (benchmarks read it)."""
        self.finished_runs = 0
        """Runs whose last stage arrived (tests wait for this)."""
        self.sub_title = config.scenario.name
        self.candidate_views: dict[str, CandidateView] = {}
        """What each candidate's row shows, by the profile's path as in the team entry."""

    def get_default_screen(self) -> Screen[Any]:
        return DashboardScreen(self.edits, self.config.scenario.assumptions, self.candidate_rows())

    @property
    def dashboard(self) -> DashboardScreen:
        """The dashboard (the screen under any dialog)."""
        screen = self._dashboard()
        if screen is None:
            raise LookupError("no dashboard screen")
        return screen

    def _dashboard(self) -> DashboardScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, DashboardScreen) and screen.is_mounted:
                return screen
        return None

    def on_mount(self) -> None:
        self.call_after_refresh(self._settled)

    def _settled(self) -> None:
        """The screen is up: keep its objects out of the collector's way, then run.

        A full garbage collection walks every object the interpreter tracks; with the
        dashboard's widgets, the engine and its libraries that was 60–110 ms on the UI
        thread, a few times a run (the engine's results set it off), and a key pressed
        then waited (``python -m benchmarks tui``). Freezing what exists once the screen
        is up (:func:`gc.freeze`) leaves the collections only the new objects to walk;
        :meth:`on_unmount` gives them back.
        """
        gc.freeze()
        self.start_run()

    def on_unmount(self) -> None:
        gc.unfreeze()

    # ---------------------------------------------------------------- runs

    def start_run(self) -> None:
        """Cancel the run in flight and start one on the current edits."""
        self.cancel.set()
        if self.restart_timer is not None:
            self.restart_timer.stop()
            self.restart_timer = None
        if self._dashboard() is None:
            return
        self.run_id += 1
        run_id = self.run_id
        cancel = threading.Event()
        self.cancel = cancel
        base = self.config.scenario
        overrides = self.edits.overrides()
        self.running = True
        self.run_started = time.perf_counter()
        self._status()

        def work() -> None:
            started = time.perf_counter()
            try:
                scenario = apply_to_scenario(base, overrides)

                def on_stage(stage: Stage) -> None:
                    data = stage.result.to_dict()
                    self.post_message(
                        RunUpdate(
                            run_id,
                            stage=stage,
                            scenario=scenario,
                            data=data,
                            cards=kpis(data),
                            seconds=time.perf_counter() - started,
                        )
                    )

                run_in_stages(scenario, on_stage, cancel.is_set)
            except RepfitError as exc:
                self.post_message(RunUpdate(run_id, error=exc.message))
            except Exception as exc:  # shown, never a traceback over the screen
                self.post_message(RunUpdate(run_id, error=f"internal error: {exc!r}"))

        threading.Thread(target=work, name=f"simulate-tui-run-{run_id}", daemon=True).start()

    def schedule_run(self) -> None:
        """Cancel the run in flight now; start the next one after :data:`RESTART_DELAY`."""
        self.cancel.set()
        self.running = True
        if self.restart_timer is not None:
            self.restart_timer.stop()
        self.restart_timer = self.set_timer(RESTART_DELAY, self.start_run)
        self._status()

    @on(RunUpdate)
    def _run_update(self, message: RunUpdate) -> None:
        if message.run_id != self.run_id or self._dashboard() is None:
            return
        if message.error is not None:
            self.running = False
            self.run_error = True
            self.dashboard.show_field_error(message.error)
            self._status()
            return
        stage = message.stage
        assert stage is not None
        assert message.data is not None
        if stage.trials == stage_trials(stage.total)[0]:
            self.first_stage_seconds = time.perf_counter() - self.run_started
        self.stage = stage
        self.run_scenario = message.scenario
        self.result = stage.result
        self.data = message.data
        self.cards = message.cards
        if stage.final:
            self.running = False
            self.finished_runs += 1
        if self.run_error:
            self.run_error = False
            self.dashboard.show_field_error(None)
        self._draw()

    def _draw(self) -> None:
        if self.data is None or self.result is None or self._dashboard() is None:
            return
        deltas = kpi_deltas(self.baseline, self.result) if self.baseline is not None else {}
        self.dashboard.show_stage(self.data, self.cards, deltas)
        self._status()

    def _status(self) -> None:
        dashboard = self._dashboard()
        if dashboard is None:
            return
        text = Text()
        if self.stage is not None:
            s = self.stage
            text.append(f"{s.trials:,} of {s.total:,} trials", style="bold")
            text.append(f" · seed {s.result.seed}")
        if self.running:
            text.append("  running…" if self.stage is None else "  sharpening…", style="yellow")
        elif self.stage is not None:
            text.append("  done", style="green")
        if self.edits.dirty:
            text.append("  · edited", style="magenta")
        if self.baseline is not None:
            text.append(f"\nΔ ± 95 % CI vs baseline {self.baseline_label}", style="cyan")
        dashboard.show_status(text)

    # ---------------------------------------------------------------- edits

    @on(TeamRow.Changed)
    def _team_changed(self, message: TeamRow.Changed) -> None:
        problem = self.edits.adjust_team(message.archetype, message.delta)
        self._problem(problem)
        if problem is None:
            self.dashboard.show_team()
            self.schedule_run()

    @on(DashboardScreen.PolicyChosen)
    def _policy(self, message: DashboardScreen.PolicyChosen) -> None:
        problem = self.edits.set_policy(message.name, message.value)
        self._problem(problem)
        if problem is None:
            self.schedule_run()

    @on(DashboardScreen.Edited)
    def _edited(self, message: DashboardScreen.Edited) -> None:
        field = message.field
        if field.startswith("assumptions."):
            name = field.split(".", 1)[1]
            before = self.edits.assumptions[name]
            problem = self.edits.set_assumption(
                self.config.scenario.assumptions[name], name, message.text
            )
            changed = self.edits.assumptions[name] != before
        else:
            before_value = getattr(self.edits, field)
            problem = self.edits.set_whole(field, message.text)
            changed = getattr(self.edits, field) != before_value
        self._problem(problem)
        if problem is None and changed:
            self.schedule_run()

    # ---------------------------------------------------------------- candidates

    def _profile_path(self, profile: str) -> Path:
        path = Path(profile)
        return path if path.is_absolute() else self.config.scenario.base_dir / path

    def candidate_rows(self) -> list[CandidateView]:
        """The candidates' rows, in team order (each profile read once)."""
        rows = []
        for hire in self.edits.hires:
            profile, role = hire["profile"], hire["role"]
            if profile not in self.candidate_views:
                try:
                    read = load_profile(self._profile_path(profile))
                except (RepfitError, OSError, ValueError):
                    view = candidate_view(None, None, role, (), profile)
                else:
                    view = candidate_view(
                        read.candidate.id, read.candidate.name, role, read.validity.flags, profile
                    )
                self.candidate_views[profile] = view
            view = self.candidate_views[profile]
            rows.append(CandidateView(view.label, role, view.flags))
        return rows

    def action_add_candidate(self) -> None:
        """Pick a candidate's profile and the role they would take; the run restarts."""
        if isinstance(self.screen, CandidatePicker) or self._dashboard() is None:
            return
        self.push_screen(CandidatePicker(Path.cwd()), self._picked)

    def _picked(self, answer: tuple[Path, str] | None) -> None:
        if answer is None:
            return
        path, role = answer
        try:
            profile = load_profile(path)
            trait_measures(profile)  # the traits the behaviour mapping reads are there
        except RepfitError as exc:
            self._not_added(exc.message)
            return
        except BehaviourError as exc:
            self._not_added(f"{path}: {exc}")
            return
        except (OSError, ValueError) as exc:
            self._not_added(f"{path}: {exc}")
            return
        base = self.config.scenario.base_dir.resolve()
        entry = Path(os.path.relpath(path.resolve(), base)).as_posix()
        taken = {self._profile_path(h["profile"]).resolve() for h in self.edits.hires}
        if path.resolve() in taken:
            self._not_added(f"{profile.candidate.id} ({path}) already has a seat in the team.")
            return
        problem = self.edits.add_hire(entry, role)
        if problem is not None:
            self._not_added(problem)
            return
        view = candidate_view(
            profile.candidate.id, profile.candidate.name, role, profile.validity.flags, entry
        )
        self.candidate_views[entry] = view
        self.dashboard.show_candidates(self.candidate_rows())
        flagged = f" (validity flags: {', '.join(view.flags)})" if view.flags else ""
        self.notify(f"Added {view.label} as {role}{flagged}.", timeout=4)
        self.schedule_run()

    def _not_added(self, message: str) -> None:
        self.notify("Not added: " + " ".join(message.split()), severity="error", timeout=10)

    @on(CandidateRow.Removed)
    def _candidate_removed(self, message: CandidateRow.Removed) -> None:
        problem = self.edits.remove_hire(message.index)
        self._problem(problem)
        if problem is None:
            self.dashboard.show_candidates(self.candidate_rows())
            self.schedule_run()

    def _problem(self, problem: str | None) -> None:
        self.run_error = False
        self.dashboard.show_field_error(problem)

    # ---------------------------------------------------------------- baseline

    def action_pin_baseline(self) -> None:
        """Pin the result shown as the baseline."""
        if self.result is None:
            self.notify("No result yet to pin; wait for the first trials.")
            return
        self.baseline = self.result
        team = ", ".join(
            [f"{n} {a}" for a, n in self.edits.team.items() if n > 0]
            + [f"{c.label} as {c.role}" for c in self.candidate_rows()]
        )
        self.baseline_label = f"[{team}; {self.result.trials:,} trials]"
        self.notify(f"Baseline pinned: {team}. Cards now show the change from it.")
        self._draw()

    def action_clear_baseline(self) -> None:
        """Forget the baseline."""
        self.baseline = None
        self._draw()

    def action_rerun(self) -> None:
        """Run again from the first trials."""
        self.start_run()

    # ---------------------------------------------------------------- files

    def edited_document(self) -> dict[str, Any]:
        """The scenario file's document with the edits applied (validated)."""
        scenario = self.config.scenario
        assert scenario.spec is not None
        document = scenario.spec.model_dump(by_alias=True, exclude_unset=True, mode="json")
        changed = apply_overrides(document, self.edits.overrides(), override_schema(scenario))
        ScenarioFile.model_validate(changed)
        return changed

    def action_save(self) -> None:
        """Save the edited scenario (atomic); ask first if the file changed since it was loaded."""
        path = self.config.save_path
        now = file_digest(path)
        if now is not None and now != self.config.loaded_digest:
            why = (
                "was changed on disk since it was loaded"
                if self.config.loaded_digest is not None
                else "already exists"
            )

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._write_scenario()

            self.push_screen(
                ConfirmScreen(f"{path} {why}. Overwrite it?", yes="Overwrite", no="Keep it"),
                confirmed,
            )
            return
        self._write_scenario()

    def _write_scenario(self) -> None:
        path = self.config.save_path
        try:
            document = self.edited_document()
            text = (
                "# Saved by `simulate tui` (comments of the original are not kept).\n"
                + dump_yaml(document)
            )
            atomic_write(path, text)
        except RepfitError as exc:
            self.notify(f"Not saved: {exc.message}", severity="error", timeout=10)
            return
        except OSError as exc:
            self.notify(f"Not saved: {path}: {exc.strerror or exc}", severity="error", timeout=10)
            return
        self.config.loaded_digest = file_digest(path)
        self.edits.mark_saved()
        self.notify(f"Saved the scenario to {path}")
        self._status()

    def action_export(self) -> None:
        """Write the HTML report of the result shown (``simulate run --report``'s page).

        Without Matplotlib (the ``repfit[reports]`` extra) it writes the text report
        instead and says so. The page is drawn in a thread: charts take a moment.
        """
        if self.data is None or self.stage is None or self.run_scenario is None:
            self.notify("No result yet to export; wait for the first trials.")
            return
        stage = self.stage
        ran = self.run_scenario
        if not stage.final:
            ran = ran.with_overrides(trials=stage.trials)
        result = run_document(copy.deepcopy(dict(self.data)), ran)
        partial = "" if stage.final else f" ({stage.trials:,} trials so far)"
        try:
            require_matplotlib()
        except MissingExtraError:
            self._export_text(result, partial)
            return
        self.notify(f"Writing the HTML report{partial}…", timeout=3)
        self.run_worker(
            lambda: self._export_html(result, partial),
            thread=True,
            group="export",
            exit_on_error=False,
        )

    def _export_html(self, result: dict[str, Any], partial: str) -> None:
        """Worker thread: render the page and write it atomically (as ``--report`` does)."""
        from simulate.reports.html import render_run_html, write_report

        path = self.config.export_path
        try:
            write_report(path, render_run_html(result))
        except OSError as exc:
            message = f"Not exported: {path}: {exc.strerror or exc}"
            self.call_from_thread(self._exported, message, "error")
            return
        self.call_from_thread(self._exported, f"Wrote the HTML report{partial} to {path}")

    def _export_text(self, result: Mapping[str, Any], partial: str) -> None:
        path = self.config.text_export_path
        try:
            atomic_write(path, run_report_text(result), private=True)
        except OSError as exc:
            self._exported(f"Not exported: {path}: {exc.strerror or exc}", "error")
            return
        self._exported(
            f"HTML reports need Matplotlib, which is not installed ({INSTALL_HINT}); "
            f"wrote the text report{partial} to {path} instead.",
            "warning",
        )

    def _exported(self, message: str, severity: SeverityLevel = "information") -> None:
        self.exports += 1
        self.notify(message, severity=severity, timeout=10 if severity != "information" else 5)

    # ---------------------------------------------------------------- app-wide

    def action_help(self) -> None:
        """Show the keyboard contract."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen("simulate tui: keys", DASHBOARD_KEYS))

    def action_request_quit(self) -> None:
        """Quit now; with unsaved edits, after a confirmation."""
        if isinstance(self.screen, ConfirmScreen):
            return
        if not self.edits.dirty:
            self._leave(0)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._leave(0)

        self.push_screen(
            ConfirmScreen(
                "Quit without saving your edits? (Ctrl+S saves them.)", yes="Quit", no="Stay"
            ),
            confirmed,
        )

    def action_interrupt(self) -> None:
        """Ctrl+C: quit at once."""
        self._leave(INTERRUPTED)

    def _leave(self, code: int) -> None:
        self.cancel.set()
        if self.restart_timer is not None:
            self.restart_timer.stop()
        self.exit(code, return_code=code)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Add candidate",
            "A candidate's profile from a file, in the role they would take (a)",
            self.action_add_candidate,
        )
        yield SystemCommand(
            "Pin baseline", "Cards show the change from this result (b)", self.action_pin_baseline
        )
        yield SystemCommand(
            "Clear baseline", "Cards show plain values again (c)", self.action_clear_baseline
        )
        yield SystemCommand("Rerun", "Run again from the first trials (r)", self.action_rerun)
        yield SystemCommand("Save scenario", "Save the edited scenario (Ctrl+S)", self.action_save)
        yield SystemCommand(
            "Export report", "Write the HTML report of this result (e)", self.action_export
        )
        yield SystemCommand("Keys", "The keyboard contract (?)", self.action_help)
        yield SystemCommand("Quit", "Quit (q; asks with unsaved edits)", self.action_request_quit)


def make_dashboard_app(
    scenario: Scenario, source: Path | None, *, export_path: Path | None = None
) -> DashboardApp:
    """The dashboard over ``scenario`` loaded from ``source`` (None: the bundled starter,
    saved to ``scenario.yaml`` in the working folder)."""
    save_path = source if source is not None else Path("scenario.yaml")
    stem = save_path.name.removesuffix(".yaml").removesuffix(".yml")
    html_path = export_path or save_path.with_name(f"{stem}.report.html")
    return DashboardApp(
        DashboardConfig(
            scenario=scenario,
            save_path=save_path,
            loaded_digest=file_digest(source) if source is not None else None,
            export_path=html_path,
            text_export_path=html_path.with_suffix(".txt"),
        )
    )
