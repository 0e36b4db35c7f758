"""The team panel's rows: an archetype's seat count (``+``/``-`` keys and clickable − and +
buttons) and an assessed candidate's seat (``x``/Delete or its × button)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Label


class SeatRow(Horizontal, can_focus=True):
    """A focusable one-line row of the team panel, with small borderless buttons."""

    DEFAULT_CSS = """
    SeatRow {
        height: 1;
        width: 1fr;
    }
    SeatRow:focus {
        background: $accent 40%;
    }
    SeatRow Button {
        min-width: 3;
        width: 3;
        height: 1;
        border: none;
        margin: 0 1;
    }
    """


class TeamRow(SeatRow):
    """``farmer  [−] 2 [+]``; posts :class:`TeamRow.Changed` with the requested change."""

    DEFAULT_CSS = """
    TeamRow .name {
        width: 1fr;
    }
    TeamRow .count {
        width: 4;
        content-align: right middle;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign,right", "change(1)", "+1 seat", id="seat-add"),
        Binding("minus,left", "change(-1)", "−1 seat", id="seat-remove"),
    ]

    class Changed(Message):
        """The user asked for ``delta`` seats more of ``archetype``."""

        def __init__(self, archetype: str, delta: int) -> None:
            super().__init__()
            self.archetype = archetype
            self.delta = delta

    def __init__(self, archetype: str, count: int) -> None:
        super().__init__(id=f"team-{archetype}")
        self.archetype = archetype
        self.count = count

    def compose(self) -> ComposeResult:
        yield Label(self.archetype, classes="name")
        minus = Button("−", id=f"remove-{self.archetype}", compact=True)
        plus = Button("+", id=f"add-{self.archetype}", compact=True)
        minus.can_focus = plus.can_focus = False
        yield minus
        yield Label(str(self.count), classes="count")
        yield plus

    def show(self, count: int) -> None:
        """Show ``count`` seats."""
        self.count = count
        self.query_one(".count", Label).update(str(count))

    def action_change(self, delta: int) -> None:
        """Ask for ``delta`` seats more."""
        self.post_message(self.Changed(self.archetype, delta))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.focus()
        self.action_change(1 if (event.button.id or "").startswith("add-") else -1)


class CandidateRow(SeatRow):
    """``⚠ Ana Ruiz (c-003)  farmer  [×]``: an assessed candidate's seat; ``x``/Delete (or the
    × button) posts :class:`CandidateRow.Removed`. The ⚠ marks a profile with validity flags
    (they are in the row's tooltip)."""

    DEFAULT_CSS = """
    CandidateRow .name {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    CandidateRow .flag {
        width: 2;
        color: $warning;
    }
    CandidateRow .role {
        width: auto;
        margin-left: 1;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x,delete", "remove", "Remove candidate", id="candidate-remove"),
    ]

    class Removed(Message):
        """The user asked to remove the ``index``-th candidate's seat."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, index: int, label: str, role: str, flags: tuple[str, ...]) -> None:
        super().__init__(id=f"candidate-{index + 1}")
        self.index = index
        self.label = label
        self.role = role
        self.flags = flags
        if flags:
            self.tooltip = f"validity flags: {', '.join(flags)}"

    def compose(self) -> ComposeResult:
        yield Label("⚠" if self.flags else "", classes="flag")
        yield Label(self.label, classes="name", markup=False)
        yield Label(self.role, classes="role")
        drop = Button("×", id=f"drop-{self.index + 1}", compact=True)
        drop.can_focus = False
        yield drop

    def action_remove(self) -> None:
        """Ask to remove this candidate's seat."""
        self.post_message(self.Removed(self.index))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_remove()
