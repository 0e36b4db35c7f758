"""A footer that redraws only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` recomposes itself, and with it the
screen's layout, on every focus change, even when the focused widget offers the
same keys as the last one. On the dashboard that full layout pass was most of
the time a Tab press took while a run was in flight (``python -m benchmarks tui``).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """A :class:`Footer` that skips the recompose when the shown keys are unchanged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def _signature(self, screen: Screen[Any]) -> tuple[tuple[str, str, str, bool, str], ...]:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip or "")
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Recompose (as Footer does) only when the keys on show differ from the last time."""
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = self._signature(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
