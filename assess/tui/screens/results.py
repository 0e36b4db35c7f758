"""A candidate's results: trait bars, role fit, red flags, validity, norms, where it was saved."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from assess.tui.results_model import ResultsView
from assess.tui.widgets.results_panel import ResultsPanel


class ResultsScreen(Screen[None]):
    """Full results of one candidate (after ``assess take``, or opened in ``assess review``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close"),
        Binding("question_mark", "app.help", "Help", id="help"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, view: ResultsView, closable: bool = False) -> None:
        super().__init__()
        self.view = view
        self.closable = closable

    def compose(self) -> ComposeResult:
        yield ResultsPanel(self.view, id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ResultsPanel).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return self.closable
        return True

    def action_close(self) -> None:
        """Back to where the results were opened from."""
        self.dismiss(None)
