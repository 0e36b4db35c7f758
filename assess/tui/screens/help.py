"""The ``?`` help screen: the keyboard contract of the current app."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

TAKE_KEYS: tuple[tuple[str, str], ...] = (
    ("1 … 9", "pick the option with that number and go to the next item"),
    ("number + Enter", "on scales with more than nine points: type the number, then Enter"),
    ("↑ ↓ then Enter", "move through the options, then pick the highlighted one"),
    ("mouse click", "pick an option"),
    ("← or Backspace", "previous item (your earlier answer is shown with ●; change it or keep it)"),
    ("→", "skip this item (you can come back to it from the review screen)"),
    ("Ctrl+S", "save now (answers are also saved after every answer)"),
    ("Enter (review)", "on the review screen: submit (asks first if items are unanswered)"),
    ("Space (review)", "on the review screen: answer the highlighted unanswered item"),
    ("q", "quit after a confirmation; run the same command again to resume"),
    ("Ctrl+T", "switch between dark and light theme"),
    ("?", "this help"),
)
"""The keyboard contract of ``assess take`` (also in the README)."""

REVIEW_KEYS: tuple[tuple[str, str], ...] = (
    ("← → ↑ ↓", "move between candidates (columns) and traits (rows)"),
    ("Enter or click", "open the selected candidate's full results (Escape closes them)"),
    ("r", "sort candidates by fit for the next role (cycles through the roles)"),
    ("s", "sort candidates by their best fit"),
    ("e", "export the comparison to CSV (asks for the file, with a default)"),
    ("Ctrl+T", "switch between dark and light theme"),
    ("?", "this help"),
    ("q", "quit"),
)
"""The keyboard contract of ``assess review`` (also in the README)."""


class HelpScreen(ModalScreen[None]):
    """Keys and what they do; any of Escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="close-help")
    ]

    def __init__(self, title: str, keys: tuple[tuple[str, str], ...]) -> None:
        super().__init__()
        self.help_title = title
        self.keys = keys

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, meaning in self.keys:
            table.add_row(key, meaning)
        with VerticalScroll():
            yield Static(f"[b]{self.help_title}[/b]  (Escape closes)")
            yield Static(table)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
