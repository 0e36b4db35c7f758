"""The headline block at the top of every command's terminal output."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

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
