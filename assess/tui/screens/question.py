"""The item screen: one item at a time, updated in place as the candidate moves.

Keyboard contract: digits pick the option with that number and advance (on scales
with more than nine points, type the number and press Enter); Left/Backspace go back
with the earlier answer shown selected; Right skips; Ctrl+S saves; q quits after
a confirmation; ? shows help. Clicking an option picks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from assess.model import SituationalItem
from assess.tui.session import OptionView, options_of, picks_by_single_digit
from assess.tui.widgets.question import AnswerOptions, ProgressHeader

if TYPE_CHECKING:
    from assess.tui.app import TakeApp


class QuestionScreen(Screen[None]):
    """Shows the session's current item; answering, back and skip update it in place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,backspace", "back", "Back", id="back", priority=True),
        Binding("right", "skip", "Skip", id="skip", priority=True),
        Binding("enter", "enter", "Pick", id="pick", priority=True),
        Binding("ctrl+s", "app.save", "Save", id="save"),
        Binding("question_mark", "app.help", "Help", id="help"),
        Binding("q", "app.request_quit", "Quit", id="quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.typed = ""
        self.shown_at_ms = 0
        self.options: list[OptionView] = []

    @property
    def take_app(self) -> TakeApp:
        """The app, typed."""
        from assess.tui.app import TakeApp

        assert isinstance(self.app, TakeApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield ProgressHeader(id="progress")
        with VerticalScroll(id="item-body"):
            yield Static("", id="item-kind")
            yield Static("", id="item-text")
            yield AnswerOptions(id="options")
        with Vertical(id="item-foot"):
            yield Static("", id="typed")
            yield Static("", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.show_current()
        self.set_interval(1.0, self.refresh_elapsed)

    # ------------------------------------------------------------------ drawing

    def show_current(self) -> None:
        """Draw the session's current item in place and restart its response timer."""
        session = self.take_app.session
        assert session is not None
        item = session.current_item
        self.options = options_of(session.questionnaire, item)
        self.typed = ""
        self.shown_at_ms = self.take_app.clock.monotonic_ms()
        earlier = session.answer_of(item.id)
        self.query_one(ProgressHeader).show(
            session.position + 1,
            session.display_total(),
            session.answered_count(),
            session.section_progress(),
        )
        situational = isinstance(item, SituationalItem)
        self.query_one("#item-kind", Static).update(
            "Situation: what would you do?" if situational else "How well does this describe you?"
        )
        self.query_one("#item-text", Static).update(item.text)
        options = self.query_one(AnswerOptions)
        options.show(self.options, earlier.value if earlier else None)
        options.focus()
        self.query_one("#item-body", VerticalScroll).scroll_home(animate=False)
        keys = f"{self.options[0].key}-{self.options[-1].key}"
        pick = f"{keys} answer" if picks_by_single_digit(self.options) else f"type {keys} + Enter"
        answered = " · answered: change it or → keep" if earlier else ""
        self.query_one("#hint", Static).update(f"{pick} · ← back · → skip · ? help{answered}")
        self.query_one("#typed", Static).update("")
        self.refresh_elapsed()

    def refresh_elapsed(self) -> None:
        """Update the elapsed-time label."""
        self.query_one(ProgressHeader).show_elapsed(self.take_app.elapsed_ms())

    # ------------------------------------------------------------------ input

    def on_key(self, event: Key) -> None:
        if event.character is None or not event.character.isdigit():
            return
        event.stop()
        event.prevent_default()
        if not picks_by_single_digit(self.options):
            self.typed = (self.typed + event.character)[-3:]
            self.query_one("#typed", Static).update(
                f"Your answer: {self.typed}  (Enter to confirm)"
            )
            return
        self.pick_key(int(event.character))

    def pick_key(self, key: int) -> None:
        """Answer the current item with the option numbered ``key`` and advance."""
        index = next((i for i, option in enumerate(self.options) if option.key == key), None)
        if index is None:
            first, last = self.options[0].key, self.options[-1].key
            self.query_one("#typed", Static).update(
                f"There is no option {key}: choose {first}-{last}."
            )
            self.app.bell()
            self.typed = ""
            return
        self.pick_index(index)

    def pick_index(self, index: int) -> None:
        """Answer the current item with the option at ``index`` (0-based) and advance."""
        elapsed = self.take_app.clock.monotonic_ms() - self.shown_at_ms
        self.take_app.answer(self.options[index].value, elapsed)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick_index(event.option_index)

    def action_enter(self) -> None:
        """Confirm a typed number, else pick the highlighted option."""
        if self.typed:
            typed, self.typed = self.typed, ""
            self.pick_key(int(typed))
            return
        highlighted = self.query_one(AnswerOptions).highlighted
        if highlighted is not None:
            self.pick_index(highlighted)

    def action_back(self) -> None:
        """Delete a typed digit, or go to the previous item."""
        if self.typed:
            self.typed = self.typed[:-1]
            self.query_one("#typed", Static).update(
                f"Your answer: {self.typed}  (Enter to confirm)" if self.typed else ""
            )
            return
        self.take_app.back()

    def action_skip(self) -> None:
        """Leave the current item as it is and go to the next one."""
        self.take_app.skip()
