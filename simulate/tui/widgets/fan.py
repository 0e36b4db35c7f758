"""The revenue fan chart: P10–P90 band, P50 line and the target line, at any size."""

from __future__ import annotations

from itertools import groupby

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from simulate.tui.view import BAND, MEDIAN, TARGET, Fan, fan_cells

LABEL_WIDTH = 9
"""Columns for the money labels on the left."""

STYLES = {BAND: "dark_cyan", MEDIAN: "bold bright_white", TARGET: "bold yellow"}


class FanChart(Widget):
    """Draws a :class:`~simulate.tui.view.Fan` to fill the widget; empty until one is set."""

    DEFAULT_CSS = """
    FanChart {
        height: 12;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fan: Fan | None = None

    def show(self, fan: Fan | None) -> None:
        """Draw ``fan`` (None: nothing yet)."""
        self.fan = fan
        self.refresh()

    def render(self) -> RenderableType:
        width, height = self.size.width, self.size.height
        if self.fan is None:
            return Text("revenue fan chart: waiting for the first trials…", style="dim")
        title = Text("Revenue ", style="bold")
        title.append(BAND * 2, style=STYLES[BAND])
        title.append(" P10–90 ")
        title.append(MEDIAN * 2, style=STYLES[MEDIAN])
        title.append(" P50")
        if self.fan.target is not None:
            title.append(" ")
            title.append(TARGET * 2, style=STYLES[TARGET])
            title.append(" target")
        picture = fan_cells(self.fan, max(width - LABEL_WIDTH, 2), max(height - 2, 2))
        text = Text(no_wrap=True, overflow="crop")
        text.append_text(title)
        for label, row in zip(picture.y_labels, picture.rows, strict=True):
            text.append("\n")
            text.append(f"{label:>{LABEL_WIDTH - 1}} ", style="dim")
            for char, run in groupby(row):  # one span per run: a span per cell made a stage's
                text.append(char * len(list(run)), style=STYLES.get(char, ""))  # repaint slow
        text.append("\n" + " " * LABEL_WIDTH + picture.x_axis, style="dim")
        return text
