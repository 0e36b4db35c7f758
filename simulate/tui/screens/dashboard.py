"""The dashboard screen: the editable inputs on the left, the outcomes on the right.

The screen only draws and forwards: edits go to the app as messages (the app
owns the :class:`~simulate.tui.view.Edits` and the runs), and the app calls
:meth:`DashboardScreen.show_stage` and friends with what to draw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, Label, Select, Static

from simulate.assumptions import Assumption
from simulate.report import format_count, format_money, format_share, format_value
from simulate.tui.view import (
    POLICIES,
    CandidateView,
    Delta,
    Edits,
    Fan,
    Kpi,
    key_month,
    quadrant_rows,
    revenue_by_archetype,
)
from simulate.tui.widgets.fan import FanChart
from simulate.tui.widgets.footer import KeyBar
from simulate.tui.widgets.team import CandidateRow, TeamRow

KPI_KEYS = ("revenue", "target", "accounts_lost", "new_logos", "wallet_share", "team_cost")


class KpiCard(Static):
    """One KPI: label, value, detail (or the delta against the baseline)."""

    def __init__(self, key: str) -> None:
        super().__init__(id=f"kpi-{key}", classes="kpi")
        self.key = key
        self.kpi: Kpi | None = None

    def show(self, kpi: Kpi, delta: Delta | None) -> None:
        """Draw ``kpi``, with ``delta`` in place of the detail when a baseline is pinned."""
        self.kpi = kpi
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(kpi.label + "\n", style="dim")
        text.append(kpi.value + "\n", style="bold")
        if delta is not None:
            text.append(delta.text, style="bold green" if delta.difference >= 0 else "bold red")
            if not delta.paired:
                text.append(" ≈", style="dim")
        else:
            text.append(kpi.detail, style="dim")
        self.update(text, layout=False)  # a card's size never depends on its text


class FieldInput(Input):
    """A text field of the left panel (Escape leaves it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave field", show=False),
    ]

    def action_leave(self) -> None:
        """Give the focus back to the team."""
        self.screen.focus_next(TeamRow)


class ControlsPanel(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The left panel: scrolls to the focused field (and with the mouse wheel), and leaves
    PageUp/PageDown to the screen, which scrolls the outcomes with them."""


class DashboardScreen(Screen[None]):
    """Inputs left, outcomes right."""

    AUTO_FOCUS = "TeamRow"
    """Focus starts on the first team row (not a text field, not a scroll container)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "scroll_outcomes(-1)", "Scroll outcomes up", show=False),
        Binding("pagedown", "scroll_outcomes(1)", "Scroll outcomes down", show=False),
    ]
    """The two panels are not Tab stops (focusing a panel restyled everything in it, the
    slowest Tab there was); the left one scrolls to the focused field, the outcomes with
    PageUp/PageDown from anywhere, and both with the mouse wheel."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """As :attr:`Screen.focused`, without repainting the whole screen on every focus move:
    the widgets that gain and lose focus repaint themselves (their ``:focus`` styles), and
    a full repaint made each Tab cost a whole-screen render (``python -m benchmarks tui``)."""

    class Edited(Message):
        """A field of the left panel was submitted: ``field`` is ``horizon_months``,
        ``trials`` or ``assumptions.NAME``."""

        def __init__(self, field: str, text: str) -> None:
            super().__init__()
            self.field = field
            self.text = text

    class PolicyChosen(Message):
        """A policy was chosen."""

        def __init__(self, name: str, value: str) -> None:
            super().__init__()
            self.name = name
            self.value = value

    def __init__(
        self,
        edits: Edits,
        assumptions: Mapping[str, Assumption],
        candidates: Sequence[CandidateView] = (),
    ) -> None:
        super().__init__()
        self.edits = edits
        self.assumptions = assumptions
        self.candidates = tuple(candidates)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with ControlsPanel(id="controls"):
                yield Label("Team (seats)", classes="section")
                for archetype, count in self.edits.team.items():
                    yield TeamRow(archetype, count)
                with Vertical(id="candidates"):
                    for i, row in enumerate(self.candidates):
                        yield CandidateRow(i, row.label, row.role, row.flags)
                yield Label("Policies", classes="section")
                for name, choices in POLICIES.items():
                    yield Label(name, classes="field-label")
                    yield Select(
                        [(choice, choice) for choice in choices],
                        value=self.edits.policies[name],
                        allow_blank=False,
                        compact=True,
                        id=f"policy-{name}",
                    )
                yield Label("Run", classes="section")
                yield Label("horizon (months)", classes="field-label")
                yield FieldInput(
                    str(self.edits.horizon_months), id="field-horizon_months", compact=True
                )
                yield Label("trials", classes="field-label")
                yield FieldInput(str(self.edits.trials), id="field-trials", compact=True)
                yield Label("Assumptions", classes="section")
                for name, value in self.edits.assumptions.items():
                    unit = self.assumptions[name].unit
                    yield Label(f"{name}\n[dim]{unit}[/dim]", classes="field-label")
                    yield FieldInput(
                        format_value(value), id=f"field-assumptions-{name}", compact=True
                    )
                yield Static("", id="field-error")
            with VerticalScroll(id="main", can_focus=False):
                yield Static("starting…", id="status")
                with Grid(id="kpis"):
                    for key in KPI_KEYS:
                        yield KpiCard(key)
                yield FanChart(id="fan")
                yield Static("", id="accounts")
                with Vertical(id="tables"):
                    yield Static("", id="by-archetype")
                    yield Static("", id="quadrants")
        yield KeyBar()

    def action_scroll_outcomes(self, pages: int) -> None:
        """Scroll the outcomes (cards, fan chart, tables) a page down (1) or up (-1)."""
        outcomes = self.query_one("#main", VerticalScroll)
        if pages > 0:
            outcomes.scroll_page_down(animate=False)
        else:
            outcomes.scroll_page_up(animate=False)

    def scroll_to_center(self, widget: Widget, animate: bool = True, **kwargs: Any) -> None:
        """Bring a newly focused widget into view with a jump, not a glide: a glide repaints
        the whole left panel for a dozen frames, which delayed the next key."""
        super().scroll_to_center(widget, False, **kwargs)

    def on_mount(self) -> None:
        first = next(iter(self.query(TeamRow)), None)
        if first is not None:
            first.focus()

    # ---------------------------------------------------------------- forwarding edits

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        field = (
            (event.input.id or "").removeprefix("field-").replace("assumptions-", "assumptions.")
        )
        self.post_message(self.Edited(field, event.value))

    @on(Select.Changed)
    def _policy(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("policy-")
        if isinstance(event.value, str) and event.value != self.edits.policies.get(name):
            self.post_message(self.PolicyChosen(name, event.value))

    # ---------------------------------------------------------------- drawing

    def show_field_error(self, message: str | None) -> None:
        """Show why the last edit was refused (None clears it)."""
        error = self.query_one("#field-error", Static)
        error.update(message or "")
        error.set_class(bool(message), "visible")

    def show_team(self) -> None:
        """Redraw the seat counts."""
        for row in self.query(TeamRow):
            row.show(self.edits.team.get(row.archetype, 0))

    def show_candidates(self, rows: Sequence[CandidateView]) -> None:
        """Redraw the candidates' rows (one per seat, in team order)."""
        box = self.query_one("#candidates", Vertical)
        focused = self.focused
        index = focused.index if isinstance(focused, CandidateRow) else None
        box.remove_children()
        widgets = [CandidateRow(i, row.label, row.role, row.flags) for i, row in enumerate(rows)]
        if widgets:
            box.mount(*widgets)
        if index is not None:
            if widgets:
                self.call_after_refresh(widgets[min(index, len(widgets) - 1)].focus)
            else:
                first = next(iter(self.query(TeamRow)), None)
                if first is not None:
                    first.focus()

    def show_field(self, field: str, text: str) -> None:
        """Put ``text`` (the applied value) back into a field."""
        widget = self.query_one(f"#field-{field.replace('.', '-')}", Input)
        widget.value = text

    def show_status(self, text: Text | str) -> None:
        """The line above the cards: run progress, baseline."""
        update_in_place(self.query_one("#status", Static), text)

    def show_stage(
        self,
        data: Mapping[str, Any],
        cards: Sequence[Kpi],
        deltas: Mapping[str, Delta],
    ) -> None:
        """Draw a result: cards, fan, active accounts, archetype and quadrant tables."""
        for kpi in cards:
            self.query_one(f"#kpi-{kpi.key}", KpiCard).show(kpi, deltas.get(kpi.key))
        self.query_one(FanChart).show(Fan.of(data))
        update_in_place(self.query_one("#accounts", Static), _accounts_line(data))
        month = key_month(data)
        update_in_place(self.query_one("#by-archetype", Static), _archetype_table(data, month))
        update_in_place(self.query_one("#quadrants", Static), _quadrant_table(data, month))


def update_in_place(widget: Static, content: RenderableType) -> None:
    """Show ``content`` in ``widget``, laying the screen out again only if its height changes.

    :meth:`Static.update` lays out the whole screen by default (about 50–190 ms here
    on every stage of a run, during which keys wait); the figures of a new stage
    almost always take the lines the last ones took, so a repaint is enough.
    """
    widget.update(content, layout=False)
    width = widget.size.width
    parent = widget.parent
    if not width or not isinstance(parent, Widget):
        widget.refresh(layout=True)
        return
    height = widget.get_content_height(parent.size, widget.app.size, width)
    if height != widget.size.height:
        widget.refresh(layout=True)


def _accounts_line(data: Mapping[str, Any]) -> Text:
    active = data["metrics"]["active_accounts"]
    horizon = int(data["months"][-1])
    text = Text("Active accounts (P50, P10–P90): ", style="bold")
    parts = []
    for month in sorted({m for m in (12, 24) if m < horizon} | {horizon}):
        i = month - 1
        parts.append(
            f"m{month} {format_count(active['p50'][i])} "
            f"({format_count(active['p10'][i])}–{format_count(active['p90'][i])})"
        )
    text.append(" · ".join(parts))
    return text


def _table(title: str) -> Table:
    return Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, expand=False
    )


def _archetype_table(data: Mapping[str, Any], month: int) -> Table:
    table = _table(f"Revenue in month {month} by archetype (means)")
    table.add_column("archetype")
    table.add_column("owned", justify="right")
    table.add_column("sourced", justify="right")
    for row in revenue_by_archetype(data, month):
        table.add_row(
            row.name,
            "" if row.owned != row.owned else format_money(row.owned),
            "n/a" if row.sourced is None else format_money(row.sourced),
        )
    return table


def _quadrant_table(data: Mapping[str, Any], month: int) -> Table:
    table = _table(f"Key-account quadrants, month {month} (means)")
    table.add_column("quadrant")
    table.add_column("revenue", justify="right")
    table.add_column("share", justify="right")
    table.add_column("lost", justify="right")
    for row in quadrant_rows(data, month):
        table.add_row(
            row.name,
            format_money(row.revenue),
            format_share(row.wallet_share),
            format_count(row.accounts_lost),
        )
    return table
