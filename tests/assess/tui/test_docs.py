"""The README's TUI section stays true: options, keys and the results screenshot."""

from __future__ import annotations

import pytest

from assess.tui.commands import review, take
from assess.tui.screens.help import REVIEW_KEYS, TAKE_KEYS
from tests.conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Hiring manager: assess a candidate", 1)[1].split("\n## ", 1)[0]
SNAPSHOT = (
    REPO_ROOT / "tests/assess/tui/__snapshots__/test_snapshots/test_results_screen[120x40].svg"
)


@pytest.mark.parametrize("command", [take, review], ids=["take", "review"])
def test_every_option_is_documented(command: object) -> None:
    import click

    assert isinstance(command, click.Command)
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.opts[0] in SECTION, f"{param.opts[0]} is not in the README"


README_SPELLING = {
    "1 … 9": "| `1` … `9` |",
    "number + Enter": "| number + `Enter` |",
    "↑ ↓ then Enter": "| `↑` `↓` then `Enter` |",
    "mouse click": "| mouse click |",
    "← or Backspace": "| `←` or `Backspace` |",
    "→": "| `→` |",
    "Ctrl+S": "| `Ctrl+S` |",
    "Enter (review)": "| `Enter` (review screen) |",
    "Space (review)": "| `Space` (review screen) |",
    "q": "| `q` |",
    "Ctrl+T": "| `Ctrl+T` |",
    "?": "| `?` |",
    "← → ↑ ↓": "| `←` `→` `↑` `↓` |",
    "Enter or click": "| `Enter` or click |",
    "r": "| `r` |",
    "s": "| `s` |",
    "e": "| `e` |",
}
"""How each key of the help screens is written in the README's key tables."""


@pytest.mark.parametrize(
    ("key", "table"),
    [(key, "take") for key, _ in TAKE_KEYS] + [(key, "review") for key, _ in REVIEW_KEYS],
)
def test_help_screen_keys_are_in_the_readme_tables(key: str, table: str) -> None:
    part = SECTION.split("### Comparing candidates")[0 if table == "take" else 1]
    if table == "review" and key in ("?", "q"):
        assert "| `?` / `q` |" in part
        return
    assert key in README_SPELLING, f"add the README spelling of {key!r}"
    assert README_SPELLING[key] in part


def test_readme_screenshot_is_the_current_results_snapshot() -> None:
    assert "(docs/images/results.svg)" in SECTION
    image = (REPO_ROOT / "docs/images/results.svg").read_text(encoding="utf-8")
    assert image == SNAPSHOT.read_text(encoding="utf-8"), (
        "copy the updated results snapshot to docs/images/results.svg"
    )
