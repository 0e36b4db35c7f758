"""Widgets of the item screen: the progress header and the numbered answer options.

Both are updated in place when the candidate moves to another item, so advancing
never rebuilds the screen (no flicker).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, OptionList, ProgressBar
from textual.widgets.option_list import Option

from assess.tui.session import OptionView


def format_elapsed(ms: int) -> str:
    """``mm:ss`` (or ``h:mm:ss`` past an hour) for a duration in milliseconds."""
    seconds = max(0, ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class ProgressHeader(Horizontal):
    """Overall progress bar with ``23 / 120``, the part (section) progress and elapsed time."""

    DEFAULT_CSS = """
    ProgressHeader {
        height: 1;
        width: 100%;
    }
    ProgressHeader ProgressBar {
        width: 1fr;
        min-width: 12;
    }
    ProgressHeader ProgressBar Bar {
        width: 1fr;
    }
    ProgressHeader #count {
        width: auto;
        margin: 0 1;
        text-style: bold;
    }
    ProgressHeader #part {
        width: auto;
        color: $text-muted;
        margin-right: 1;
    }
    ProgressHeader #elapsed {
        width: auto;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=1, show_percentage=False, show_eta=False, id="bar")
        yield Label("", id="count")
        yield Label("", id="part")
        yield Label("", id="elapsed")

    def show(
        self,
        position: int,
        total: int,
        answered: int,
        part: tuple[int, int, int, int],
    ) -> None:
        """Show item ``position`` (1-based) of ``total``; the bar shows how many are answered."""
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=answered)
        self.query_one("#count", Label).update(f"{position} / {total}")
        number, parts, index, size = part
        self.query_one("#part", Label).update(f"part {number} of {parts} · {index}/{size}")

    def show_elapsed(self, ms: int) -> None:
        """Show the time spent so far."""
        self.query_one("#elapsed", Label).update(format_elapsed(ms))


SHORT_OPTION = 40
"""Option texts up to this length are drawn as one line of text (cheaper than a table)."""


def _option_label(marker: str, option: OptionView) -> Text | Table:
    """``● 2 text``; long texts wrap under the text, not under the number."""
    if len(option.text) <= SHORT_OPTION:
        return Text.assemble((f"{marker} {option.key:>2} ", "bold"), option.text)
    label = Table.grid(padding=(0, 1))
    label.add_column(width=1)
    label.add_column(width=2, justify="right")
    label.add_column(ratio=1)
    label.add_row(Text(marker, "bold"), Text(str(option.key), "bold"), option.text)
    return label


class AnswerOptions(OptionList):
    """Numbered options; the earlier answer (if any) is marked and highlighted.

    Clicking an option selects it (``OptionList.OptionSelected``); the screen maps
    digit keys to the options' numbers.
    """

    DEFAULT_CSS = """
    AnswerOptions {
        height: auto;
        max-height: 100%;
        border: none;
        padding: 0;
        background: transparent;
    }
    AnswerOptions:focus {
        border: none;
    }
    """

    chosen: int | None = None
    """The value of the earlier answer shown as selected (None when unanswered)."""

    def show(self, options: list[OptionView], chosen: int | None) -> None:
        """Replace the options in place; mark and highlight the one with value ``chosen``."""
        self.chosen = chosen
        self.clear_options()
        rendered = []
        highlight = None
        for index, option in enumerate(options):
            is_chosen = chosen is not None and option.value == chosen
            marker = "●" if is_chosen else " "
            label = _option_label(marker, option)
            if is_chosen:
                highlight = index
            rendered.append(Option(label, id=f"opt-{index}"))
        self.add_options(rendered)
        self.highlighted = highlight
