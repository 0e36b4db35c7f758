"""First screen of ``assess take``: who is taking it, the instructions, Enter begins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.validation import Function, ValidationResult, Validator
from textual.widgets import Button, Footer, Input, Label, Static

from assess.tui.session import candidate_id_problem


@dataclass(frozen=True)
class CandidateEntry:
    """What the start screen collected."""

    candidate_id: str
    """The candidate's id (also the file name)."""
    name: str | None
    """The candidate's name, if given."""
    role: str | None
    """The role applied for, if given (a questionnaire role id)."""


class _CandidateIdValidator(Validator):
    def validate(self, value: str) -> ValidationResult:
        problem = candidate_id_problem(value.strip())
        return self.failure(problem) if problem else self.success()


class StartScreen(Screen[None]):
    """Candidate id, name and role (validated, prefilled from the options) and the instructions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "begin", "Begin", id="begin", priority=True),
        # The same key when a saved sitting is resumed, so the footer says what Enter does;
        # check_action shows exactly one of the two.
        Binding("enter", "resume", "Resume", id="resume", priority=True),
        Binding("ctrl+q", "app.request_quit", "Quit", id="quit"),
    ]

    class Begin(Message):
        """The user asked to begin with the entered candidate details."""

        def __init__(self, entry: CandidateEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(
        self,
        title: str,
        instructions: str,
        roles: dict[str, str],
        candidate_id: str | None,
        name: str | None,
        role: str | None,
        item_count: int,
        candidate_mode: bool,
    ) -> None:
        super().__init__()
        self.questionnaire_title = title
        self.instructions = instructions
        self.roles = roles
        self.defaults = (candidate_id or "", name or "", role or "")
        self.item_count = item_count
        self.candidate_mode = candidate_mode
        self.resuming = False
        """Whether the entered candidate id has saved answers (Enter resumes them)."""

    def compose(self) -> ComposeResult:
        candidate_id, name, role = self.defaults
        role_ids = list(self.roles)
        with VerticalScroll(id="start"):
            yield Static(f"{self.questionnaire_title} · {self.item_count} items", id="start-title")
            with Horizontal(classes="field"):
                yield Label("Candidate id", classes="field-label")
                yield Input(
                    candidate_id,
                    compact=True,
                    placeholder="e.g. c-001 (letters, digits, . _ -)",
                    id="candidate-id",
                    validators=[_CandidateIdValidator()],
                    validate_on=["changed", "submitted"],
                )
            with Horizontal(classes="field"):
                yield Label("Name", classes="field-label")
                yield Input(name, placeholder="optional", id="name", compact=True)
            with Horizontal(classes="field"):
                yield Label("Role applied for", classes="field-label")
                yield Input(
                    role,
                    compact=True,
                    placeholder=("optional: " + ", ".join(role_ids)) if role_ids else "optional",
                    id="role",
                    suggester=SuggestFromList(role_ids, case_sensitive=False) if role_ids else None,
                    validators=[
                        Function(
                            lambda value: (
                                not value.strip() or not role_ids or value.strip() in role_ids
                            ),
                            "Choose one of: " + ", ".join(role_ids),
                        )
                    ],
                    validate_on=["changed", "submitted"],
                )
            yield Static("", id="start-note")
            yield Static("", id="start-error")
            with Vertical(id="instructions-box"):
                yield Static("Instructions", classes="heading")
                yield Static(
                    self.instructions or "Answer each item as it applies to you.", id="instructions"
                )
                yield Static(
                    "Keys: 1-9 answer · ←/Backspace back · → skip · Ctrl+S save · ? help · q quit",
                    id="start-keys",
                )
            yield Button("Begin (Enter)", id="begin", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        first_empty = next(
            (field for field in self.query(Input) if not field.value),
            self.query_one("#candidate-id", Input),
        )
        first_empty.focus()

    @on(Input.Changed, "#candidate-id")
    def _candidate_id_changed(self, event: Input.Changed) -> None:
        from assess.tui.app import TakeApp

        note = ""
        saved = None
        if isinstance(self.app, TakeApp):
            note = self.app.existing_summary(event.value.strip()) or ""
            saved = self.app.saved_candidate(event.value.strip())
        self._show("#start-note", note)
        # Resuming or reopening: show the saved name and role instead of empty "optional"
        # fields, and say what Enter does.
        if saved is not None:
            for selector, value in (("#name", saved.name), ("#role", saved.role)):
                field = self.query_one(selector, Input)
                if value and not field.value:
                    field.value = value
        button = self.query_one("#begin", Button)
        button.label = "Resume (Enter)" if saved is not None else "Begin (Enter)"
        if self.resuming != (saved is not None):
            self.resuming = saved is not None
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter is shown as Begin or as Resume, never both."""
        if action == "begin":
            return not self.resuming
        if action == "resume":
            return self.resuming
        return True

    def show_error(self, message: str) -> None:
        """Show why the assessment cannot begin (nothing when ``message`` is empty)."""
        self._show("#start-error", message)

    def _show(self, selector: str, message: str) -> None:
        widget = self.query_one(selector, Static)
        widget.update(message)
        widget.display = bool(message)

    @on(Button.Pressed, "#begin")
    def _begin_pressed(self) -> None:
        self.action_begin()

    def action_resume(self) -> None:
        """Enter when the candidate id has saved answers: the same as beginning."""
        self.action_begin()

    def action_begin(self) -> None:
        """Validate the fields and ask the app to begin."""
        candidate_id = self.query_one("#candidate-id", Input).value.strip()
        name = self.query_one("#name", Input).value.strip()
        role = self.query_one("#role", Input).value.strip()
        problem = candidate_id_problem(candidate_id)
        if problem is None and role and self.roles and role not in self.roles:
            problem = (
                f"Unknown role '{role}': choose one of {', '.join(self.roles)} or leave it empty."
            )
        if problem:
            self.show_error(problem)
            field = "#candidate-id" if candidate_id_problem(candidate_id) else "#role"
            self.query_one(field, Input).focus()
            return
        self.show_error("")
        self.post_message(self.Begin(CandidateEntry(candidate_id, name or None, role or None)))
