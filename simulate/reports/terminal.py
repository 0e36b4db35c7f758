"""The headline block at the top of every command's terminal output, and layouts that fit it."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text

from simulate.reports.headline import NBSP

WIDTH = 80
"""Widest headline line: the block fits an 80-column terminal."""


def headline_lines(lines: Sequence[str], width: int = WIDTH) -> list[str]:
    """The sentences wrapped at ``width`` between words, never inside ``2.90 M`` or ``61 %``."""
    wrapped: list[str] = []
    for line in lines:
        # textwrap breaks on ASCII whitespace only, so the no-break spaces hold.
        wrapped += [row.replace(NBSP, " ") for row in textwrap.wrap(line, width)]
    return wrapped


def headline_block(lines: Sequence[str], width: int = WIDTH) -> Text:
    """The headline: the first sentence in bold, then a blank line before the details."""
    text = Text(no_wrap=True, overflow="ignore")
    first = len(textwrap.wrap(lines[0], width)) if lines else 0
    for index, row in enumerate(headline_lines(lines, width)):
        text.append(row + "\n", style="bold" if index < first else "")
    return text


class Words:
    """A paragraph wrapped between words at the console's width, never inside ``3.00 M``.

    Rich wraps on any whitespace, the no-break space included, so a title such as
    ``(base 3.00 M)`` could end a line with ``3.00`` and start the next with ``M``;
    this wraps with :func:`textwrap.wrap` (ASCII whitespace only) instead. The first
    ``bold`` characters of the text are drawn in bold.
    """

    def __init__(self, text: str, *, bold: int = 0, style: str = "") -> None:
        self.text = text
        self.bold = bold
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width, 20)
        lines = textwrap.wrap(self.text, width, break_long_words=False, break_on_hyphens=False)
        out = Text(no_wrap=True, overflow="ignore", style=self.style)
        remaining = len(self.text[: self.bold].replace(" ", ""))
        for index, line in enumerate(lines):
            for char in line.replace(NBSP, " "):
                out.append(char, style="bold" if remaining > 0 else "")
                if char != " ":
                    remaining -= 1
            if index < len(lines) - 1:
                out.append("\n")
        yield out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((len(word) for word in self.text.split()), default=0)
        return Measurement(longest, max(longest, len(self.text))).clamp(max_width=options.max_width)


def natural_width(console: Console, options: ConsoleOptions, renderable: RenderableType) -> int:
    """How wide ``renderable`` draws when the console is wide enough for all of it.

    Paragraphs (:class:`Words`) wrap to any width, so they count as fitting anywhere.
    """
    if isinstance(renderable, Words):
        return 0
    if isinstance(renderable, Group):
        return max((natural_width(console, options, r) for r in renderable.renderables), default=0)
    return Measurement.get(console, options.update_width(10_000), renderable).maximum


class FirstFit:
    """The first of several layouts that fits the console's width, else the last one.

    The analyses' tables come in a wide layout (one table, every column) and narrower
    ones (shorter headers with a legend, a wide table split into stacked tables), so a
    120-column terminal keeps the wide layout and an 80-column one gets a layout whose
    every cell fits, with no ``…`` and no value broken across lines.
    """

    def __init__(self, *layouts: RenderableType) -> None:
        if not layouts:
            raise ValueError("FirstFit needs at least one layout")
        self.layouts = layouts

    def choose(self, console: Console, options: ConsoleOptions) -> RenderableType:
        for layout in self.layouts[:-1]:
            if natural_width(console, options, layout) <= options.max_width:
                return layout
        return self.layouts[-1]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.choose(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.choose(console, options))
