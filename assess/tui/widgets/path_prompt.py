"""Ask for a file path in a modal dialog; dismisses with the path, or None when cancelled."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PathPromptScreen(ModalScreen[Path | None]):
    """One input prefilled with a default path; Enter accepts, Escape cancels."""

    DEFAULT_CSS = """
    PathPromptScreen {
        align: center middle;
    }
    PathPromptScreen > Vertical {
        width: 70;
        max-width: 95%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    PathPromptScreen #prompt-error {
        color: $error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-prompt")
    ]

    def __init__(self, question: str, default: Path) -> None:
        super().__init__()
        self.question = question
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            yield Input(str(self.default), id="path")
            yield Static("Enter saves · Escape cancels", id="prompt-hint")
            yield Static("", id="prompt-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#prompt-error", Static).update("Enter a file path.")
            return
        self.dismiss(Path(text).expanduser())

    def action_cancel(self) -> None:
        """Close without a path."""
        self.dismiss(None)
