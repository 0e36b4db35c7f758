"""The README's dashboard section stays true: options, keys and the screenshot."""

from __future__ import annotations

import click
import pytest

from simulate.commands.tui import tui_command
from simulate.tui.screens.help import DASHBOARD_KEYS
from tests.conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("### The dashboard: staffing what-ifs in the terminal", 1)[1].split(
    "\n### ", 1
)[0]
SNAPSHOT = (
    REPO_ROOT
    / "tests/simulate/tui/__snapshots__/test_snapshots/test_dashboard_with_a_baseline[120x40].svg"
)

README_SPELLING = {
    "Tab / Shift+Tab": "| `Tab` / `Shift+Tab` |",
    "+ / − (or → / ←)": "| `+` / `−` (or `→` / `←`) |",
    "Enter (in a field)": "| `Enter` (in a field) |",
    "x / Delete": "| `x` / `Delete` |",
    "PageUp / PageDown": "| `PageUp` / `PageDown` |",
}
"""How keys whose README spelling is not simply `KEY` are written in the key table."""


def test_every_option_is_documented() -> None:
    assert isinstance(tui_command, click.Command)
    for param in tui_command.params:
        if isinstance(param, click.Option):
            assert f"`{param.opts[0]}" in SECTION, f"{param.opts[0]} is not in the README"


@pytest.mark.parametrize("key", [key for key, _ in DASHBOARD_KEYS])
def test_help_screen_keys_are_in_the_readme_table(key: str) -> None:
    assert README_SPELLING.get(key, f"| `{key}` |") in SECTION


def test_readme_screenshot_is_the_current_snapshot() -> None:
    assert "(docs/images/dashboard.svg)" in SECTION
    image = (REPO_ROOT / "docs/images/dashboard.svg").read_text(encoding="utf-8")
    assert image == SNAPSHOT.read_text(encoding="utf-8"), (
        "copy the updated 120x40 dashboard snapshot to docs/images/dashboard.svg"
    )
