"""``assess review``'s main screen: the comparison grid, sorting, opening, CSV export."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from assess.fileio import RepfitError, atomic_write
from assess.tui.comparison import (
    BEST_FIT,
    comparison_csv,
    duplicate_candidates,
    role_choices,
    sort_views,
)
from assess.tui.results_model import ResultsView
from assess.tui.screens.results import ResultsScreen
from assess.tui.widgets.comparison_table import ComparisonTable
from assess.tui.widgets.confirm import ConfirmScreen
from assess.tui.widgets.path_prompt import PathPromptScreen


class ComparisonScreen(Screen[None]):
    """Candidates side by side; r cycles the role to sort by; Enter opens one; e exports CSV."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "cycle_role", "Sort: role", id="sort-role"),
        Binding("s", "sort_best", "Sort: best", id="sort-best"),
        Binding("enter", "open", "Open", id="open", priority=True),
        Binding("e", "export", "Export", id="export"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, views: list[ResultsView], default_export: Path) -> None:
        super().__init__()
        self.views = views
        self.default_export = default_export
        self.roles = role_choices(views)
        self.sort_key: str | None = None
        self.shown: list[ResultsView] = list(views)
        self.duplicates = duplicate_candidates(views)

    def compose(self) -> ComposeResult:
        yield Static("", id="review-title")
        yield ComparisonTable(
            id="comparison", cursor_type="column", zebra_stripes=True, fixed_columns=1
        )
        yield Static("", id="review-status")
        yield Footer()

    def on_mount(self) -> None:
        self.redraw()
        for warning in self.duplicates.values():
            # Short-lived: the header line keeps the warning on screen (issue 12: 30 s toasts
            # covered the grid).
            self.notify(warning, title="Duplicate candidate id", severity="warning", timeout=6)
        table = self.query_one(ComparisonTable)
        table.focus()
        if len(self.shown) > 0:
            table.move_cursor(column=1)

    def sort_label(self) -> str:
        """How the candidates are ordered, in words."""
        if self.sort_key is None:
            return "in the order given"
        if self.sort_key == BEST_FIT:
            return "by best fit"
        name = dict(self.roles).get(self.sort_key, self.sort_key)
        return f"by fit for {name}"

    def redraw(self) -> None:
        """Sort and rebuild the grid; the first (best) candidate is selected and in view."""
        table = self.query_one(ComparisonTable)
        self.shown = sort_views(self.views, self.sort_key)
        table.show(self.shown, self.sort_key if self.sort_key != BEST_FIT else None)
        table.scroll_home(animate=False)
        if self.shown:
            table.move_cursor(column=1, scroll=False)
        title = (
            f"{len(self.views)} candidate{'s' if len(self.views) != 1 else ''}, "
            f"sorted {self.sort_label()}"
        )
        if self.duplicates:
            listed = ", ".join(self.duplicates)
            title += f"\n⚠ candidate id in more than one file: {listed} (one column per file)"
        self.query_one("#review-title", Static).update(title)

    def selected(self) -> ResultsView | None:
        """The candidate under the column cursor, if any."""
        column = self.query_one(ComparisonTable).cursor_column
        if 1 <= column <= len(self.shown):
            return self.shown[column - 1]
        return None

    def action_cycle_role(self) -> None:
        """Sort by fit for the next role."""
        if not self.roles:
            self.notify("These profiles have no role fit (scored without norms or roles).")
            return
        ids = [role_id for role_id, _ in self.roles]
        if self.sort_key in ids:
            self.sort_key = ids[(ids.index(self.sort_key) + 1) % len(ids)]
        else:
            self.sort_key = ids[0]
        self.redraw()

    def action_sort_best(self) -> None:
        """Sort by each candidate's best fit."""
        self.sort_key = BEST_FIT
        self.redraw()

    @on(DataTable.ColumnHighlighted)
    def _column_highlighted(self, event: DataTable.ColumnHighlighted) -> None:
        table = self.query_one(ComparisonTable)
        if event.cursor_column == 0 and table.cursor_column == 0 and self.shown:
            table.move_cursor(column=1)

    @on(DataTable.ColumnSelected)
    def _column_selected(self, event: DataTable.ColumnSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the selected candidate's full results."""
        view = self.selected()
        if view is None:
            self.notify("Select a candidate's column first (← →).")
            return
        self.app.push_screen(ResultsScreen(view, closable=True))

    def action_export(self) -> None:
        """Ask for a path (with a default) and write the comparison there as CSV."""

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if not path.exists():
                self.export_to(path)
                return

            def confirmed(replace: bool | None) -> None:
                if replace:
                    self.export_to(path)
                else:
                    self.notify(f"Not exported: {path} was left as it was.")

            self.app.push_screen(
                ConfirmScreen(f"{path} already exists. Replace it?", yes="Replace", no="Keep"),
                confirmed,
            )

        self.app.push_screen(
            PathPromptScreen("Export the comparison (CSV) to:", self.default_export), chosen
        )

    def export_to(self, path: Path) -> None:
        """Write the comparison CSV to ``path`` atomically and say where it went."""
        try:
            atomic_write(path, comparison_csv(self.views, self.sort_key), private=True)
        except (RepfitError, OSError) as exc:
            message = exc.message if isinstance(exc, RepfitError) else str(exc)
            self.notify(f"Could not export: {message}", severity="error", timeout=10)
            return
        where = path.resolve()
        self.query_one("#review-status", Static).update(f"Exported to {where}")
        self.notify(f"Comparison of {len(self.views)} candidates saved to {where}")
