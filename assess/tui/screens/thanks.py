"""Candidate mode's last screen: thanks, and nothing about the scores."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static


class ThankYouScreen(Screen[None]):
    """Shown instead of the results in ``--candidate`` mode."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,enter,escape", "app.quit", "Close", id="close"),
    ]

    def __init__(self, answered: int, total: int) -> None:
        super().__init__()
        self.answered = answered
        self.total = total

    def compose(self) -> ComposeResult:
        with Vertical(id="thanks-box"):
            yield Static("Thank you!", classes="heading")
            yield Static(
                f"Your answers ({self.answered} of {self.total} items) have been submitted. "
                "The hiring manager will go through the results with you.\n\n"
                "You can close this window now (press Enter).",
                id="thanks-text",
            )
        yield Footer()
