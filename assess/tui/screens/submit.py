"""After the last item: the unanswered items (select one to go back to it); Enter submits."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option


class SubmitScreen(Screen[None]):
    """Lists unanswered items; selecting one jumps back to it; Enter submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Submit", id="submit", priority=True),
        Binding("left,backspace", "back", "Back to last item", id="back"),
        Binding("question_mark", "app.help", "Help", id="help"),
        Binding("q", "app.request_quit", "Quit", id="quit"),
    ]

    class Jump(Message):
        """Go back to the item with this id."""

        def __init__(self, item_id: str) -> None:
            super().__init__()
            self.item_id = item_id

    class Submit(Message):
        """The user asked to submit."""

    class Back(Message):
        """The user asked to return to the last item."""

    def __init__(self, unanswered: list[tuple[str, int, str]], total: int) -> None:
        """``unanswered``: (item id, position from 1, text) of each unanswered item."""
        super().__init__()
        self.unanswered = unanswered
        self.total = total

    def compose(self) -> ComposeResult:
        missing = len(self.unanswered)
        with Vertical(id="submit-box"):
            yield Static("Ready to submit", classes="heading")
            if missing:
                yield Static(
                    f"{self.total - missing} of {self.total} items answered. "
                    f"{missing} unanswered: choose one with ↑↓ and Space (or click it) to answer "
                    "it now, or press Enter to submit.",
                    id="submit-summary",
                )
                yield OptionList(
                    *(
                        # One line each, cut with … at the width actually available (issue 12:
                        # at 80×24 a fixed 68-character cut both wrapped and truncated).
                        Option(
                            Text(f"{position:>3}. {text}", no_wrap=True, overflow="ellipsis"),
                            id=item_id,
                        )
                        for item_id, position, text in self.unanswered
                    ),
                    id="unanswered",
                )
            else:
                yield Static(
                    f"All {self.total} items answered. Press Enter to submit, "
                    "or ← to go back and change an answer.",
                    id="submit-summary",
                )
        yield Footer()

    @on(OptionList.OptionSelected, "#unanswered")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Jump(event.option.id))

    def key_space(self) -> None:
        """Space jumps to the highlighted unanswered item."""
        if not self.unanswered:
            return
        options = self.query_one("#unanswered", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id is not None:
                self.post_message(self.Jump(option.id))

    def action_submit(self) -> None:
        """Submit the answers (the app asks for confirmation when items are unanswered)."""
        self.post_message(self.Submit())

    def action_back(self) -> None:
        """Return to the last item."""
        self.post_message(self.Back())
