"""The dashboard's key bar: the keys on offer, redrawn in place when they change.

Textual's :class:`~textual.widgets.Footer` is a container of one widget per key.
Whenever the keys on offer change (focus entering a text field hides the
single-letter keys, a seat row adds ``+``/``−``), it recomposes those widgets,
and mounting them lays out the whole screen again: on the dashboard that layout
pass was most of the time a Tab press took while a run was in flight
(``python -m benchmarks tui``). This bar is one widget of fixed size (a row at
the bottom, full width) that draws the keys itself, so a change of keys is a
repaint of one line and never a layout.

It looks and behaves like the footer: the key in the footer's key colours, the
description beside it, unavailable keys dimmed, the command palette's key on
the right, and a click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class ShownKey:
    """One key on the bar: what to press, how it is shown, what it does."""

    key: str
    display: str
    description: str
    enabled: bool


class KeyBar(Widget, can_focus=False):
    """A one-line footer that repaints, and never relays out, when the keys on offer change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: tuple[ShownKey, ...] = ()
        self.palette: ShownKey | None = None
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Take the screen's keys on show; repaint only when they differ from the last ones."""
        if not (self.is_attached and screen is self.screen and screen.app.app_focus):
            return
        keys, palette = self._shown(screen)
        if (keys, palette) != (self.keys, self.palette):
            self.keys, self.palette = keys, palette
            self.refresh()

    def _shown(self, screen: Screen[Any]) -> tuple[tuple[ShownKey, ...], ShownKey | None]:
        app = screen.app
        active = screen.active_bindings
        keys: list[ShownKey] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            keys.append(
                ShownKey(binding.key, app.get_key_display(binding), binding.description, enabled)
            )
        palette: ShownKey | None = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = ShownKey(
                binding.key, app.get_key_display(binding), binding.description, enabled
            )
        return tuple(keys), palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        spans: list[tuple[int, int, str]] = []

        def add(line: Text, shown: ShownKey) -> None:
            start = line.cell_len
            dim = Style(dim=not shown.enabled)
            line.append(f" {shown.display} ", key_style + dim)
            line.append(f"{shown.description} ", description_style + dim)
            spans.append((start, line.cell_len, shown.key))

        line = Text(no_wrap=True, overflow="crop", end="")
        for shown in self.keys:
            add(line, shown)
        if self.palette is not None:  # on the right, as the footer docks it; the keys crop
            room = (
                self.size.width
                - 1
                - cell_len(f" {self.palette.display} {self.palette.description} ")
            )
            if room > 0:
                line.truncate(room, pad=True)
                spans = [(start, min(end, room), key) for start, end, key in spans if start < room]
                line.append("▏")
                add(line, self.palette)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it (as the footer's keys do); unavailable keys ring the bell."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                shown = next((k for k in (*self.keys, self.palette) if k and k.key == key), None)
                if shown is not None and shown.enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
