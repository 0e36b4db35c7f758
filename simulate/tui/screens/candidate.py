"""The "add a candidate" dialog of ``simulate tui``: a profile from a file picker, then the role.

Keyboard first and usable at 80×24: the folder tree (only folders and ``*.yaml`` /
``*.yml`` files; hidden folders left out) starts in the working folder with the
cursor in it; ↑/↓ move, Enter opens a folder or picks a file. A path typed in the
field above it (Tab goes there) and Enter picks that file, or shows that folder in
the tree. Then the role list takes the focus: ↑/↓ and Enter. Escape goes back a
step (from the roles to the files), or cancels. The dialog answers ``(path, role)``
or None; the app reads and checks the profile.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Label, OptionList
from textual.widgets.option_list import Option

PROFILE_SUFFIXES = (".yaml", ".yml")
"""File endings the picker lists (profiles are YAML: ``assess score`` writes ``*.profile.yaml``)."""

ROLE_HELP: tuple[tuple[str, str], ...] = (
    ("farmer", "keeps and grows the accounts they own"),
    ("hunter", "wins new logos"),
    ("hybrid", "does some of both"),
    ("order_taker", "serves what customers ask for"),
)
"""The roles a candidate can be hired into, with a few words each (``ProfileEntry.role``)."""


class ProfileTree(DirectoryTree):
    """A folder tree that lists folders and YAML files only (no hidden folders)."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith(".")
            and (path.is_dir() or path.suffix.lower() in PROFILE_SUFFIXES)
        ]


class CandidatePicker(ModalScreen[tuple[Path, str] | None]):
    """Pick a profile file, then the role; answers ``(path, role)`` or None (cancelled)."""

    DEFAULT_CSS = """
    CandidatePicker {
        align: center middle;
    }
    CandidatePicker > Vertical {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    CandidatePicker .title {
        text-style: bold;
        width: 1fr;
    }
    CandidatePicker #picker-path {
        width: 1fr;
    }
    CandidatePicker ProfileTree {
        height: 1fr;
    }
    CandidatePicker #picker-chosen {
        width: 1fr;
        height: auto;
    }
    CandidatePicker #picker-role {
        height: auto;
        max-height: 6;
        display: none;
    }
    CandidatePicker.choosing-role #picker-role {
        display: block;
    }
    CandidatePicker .hint {
        color: $text-muted;
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back / cancel"),
    ]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.chosen: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Add a candidate: pick their profile, then the role", classes="title")
            yield Input(
                placeholder="type a profile's path + Enter, or pick it below",
                id="picker-path",
                compact=True,
            )
            yield ProfileTree(self.root, id="picker-tree")
            yield Label("", id="picker-chosen", markup=False)
            yield OptionList(
                *(Option(f"{role:<12} {what}", id=role) for role, what in ROLE_HELP),
                id="picker-role",
                compact=True,
            )
            yield Label(
                "↑↓ move · Enter open/pick · Tab: type a path · Esc back/cancel", classes="hint"
            )

    def on_mount(self) -> None:
        self.query_one(ProfileTree).focus()

    def choose(self, path: Path) -> None:
        """``path`` is the profile: ask for the role."""
        self.chosen = path
        try:
            shown = path.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            shown = path
        self.query_one("#picker-chosen", Label).update(f"{shown}\nHired as:")
        self.add_class("choosing-role")
        roles = self.query_one("#picker-role", OptionList)
        roles.highlighted = 0
        roles.focus()

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.choose(event.path)

    @on(Input.Submitted, "#picker-path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        path = Path(text).expanduser()
        chosen = self.query_one("#picker-chosen", Label)
        if path.is_dir():
            tree = self.query_one(ProfileTree)
            tree.path = path
            tree.focus()
            chosen.update("")
        elif path.is_file():
            self.choose(path)
        else:
            chosen.update(f"{path}: no such file or folder")

    @on(OptionList.OptionSelected, "#picker-role")
    def _role(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.chosen is not None and event.option.id is not None:
            self.dismiss((self.chosen, event.option.id))

    def action_back(self) -> None:
        """From the roles back to the files; from the files, cancel."""
        if self.has_class("choosing-role"):
            self.remove_class("choosing-role")
            self.chosen = None
            self.query_one("#picker-chosen", Label).update("")
            self.query_one(ProfileTree).focus()
            return
        self.dismiss(None)
