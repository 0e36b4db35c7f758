"""The results of one candidate: trait bars, role fit, red flags, validity and norms.

Used by ``assess take`` after submitting and by ``assess review`` to open one
candidate. Widths adapt to the terminal; nothing overflows at 80 columns.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from assess.report import percentile_text
from assess.tui.results_model import FitLine, ResultsView, TraitLine

T_MIN = 20.0
"""Left end of the trait bars (T-score; 3 sd below the norm mean)."""
T_MAX = 80.0
"""Right end of the trait bars (T-score; 3 sd above the norm mean)."""
BAND_LOW_BELOW = 40.0
"""T below this is the low band."""
BAND_HIGH_ABOVE = 60.0
"""T above this is the high band."""


def _fraction(t: float) -> float:
    return min(max((t - T_MIN) / (T_MAX - T_MIN), 0.0), 1.0)


class TraitBars(Widget):
    """One row per trait: name, a T-score bar with the risk side shaded, T, band and percentile."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "trait-bars--low",
        "trait-bars--average",
        "trait-bars--high",
        "trait-bars--risk",
        "trait-bars--track",
        "trait-bars--risk-track",
        "trait-bars--muted",
    }

    DEFAULT_CSS = """
    TraitBars {
        height: auto;
        width: 100%;
    }
    TraitBars > .trait-bars--low { color: #3fa7d6; }
    TraitBars > .trait-bars--average { color: #59b85a; }
    TraitBars > .trait-bars--high { color: #a37be0; }
    TraitBars > .trait-bars--risk { color: #e0475b; text-style: bold; }
    TraitBars > .trait-bars--track { color: $foreground 25%; }
    TraitBars > .trait-bars--risk-track { color: $error 50%; }
    TraitBars > .trait-bars--muted { color: $text-muted; }
    """

    NAME_WIDTH = 25
    """Columns for the trait name."""

    def __init__(self, traits: tuple[TraitLine, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.traits = traits

    def bar_width(self) -> int:
        """Bar cells that fit beside the name and the numbers."""
        return max(10, self.size.width - self.NAME_WIDTH - 23)

    def _bar(self, line: TraitLine, width: int) -> Text:
        style = self.get_component_rich_style
        low_cells = round(_fraction(BAND_LOW_BELOW) * width)
        high_cells = round(_fraction(BAND_HIGH_ABOVE) * width)
        filled = max(1, round(_fraction(line.t) * width)) if line.t is not None else 0
        if line.band is not None:
            fill_style = style("trait-bars--risk" if line.at_risk else f"trait-bars--{line.band}")
        else:
            fill_style = style("trait-bars--muted")
        bar = Text()
        for cell in range(width):
            on_risk_side = (line.risk_pole == "low" and cell < low_cells) or (
                line.risk_pole == "high" and cell >= high_cells
            )
            if cell < filled:
                bar.append("█", fill_style)
            elif cell in (low_cells, high_cells):
                bar.append("┊", style("trait-bars--track"))
            else:
                track = "trait-bars--risk-track" if on_risk_side else "trait-bars--track"
                bar.append("░", style(track))
        return bar

    def render(self) -> RenderableType:
        style = self.get_component_rich_style
        width = self.bar_width()
        table = Table.grid(padding=(0, 1))
        table.add_column(width=self.NAME_WIDTH, no_wrap=True, overflow="ellipsis")
        table.add_column(width=width, no_wrap=True)
        table.add_column(width=4, justify="right")
        table.add_column(width=9, no_wrap=True)
        table.add_column(width=4, justify="right")
        for line in self.traits:
            if line.t is None:
                if line.note:
                    why = line.note
                elif line.raw is not None:
                    why = f"raw {line.raw:.2f} (no norms)"
                else:
                    why = "no score"
                table.add_row(
                    line.name,
                    Text(why, style("trait-bars--muted")),
                    "",
                    "",
                    "",
                )
                continue
            band = line.band or ""
            band_style = style("trait-bars--risk" if line.at_risk else f"trait-bars--{band}")
            # "?" marks a band the 90 % interval does not settle (it reaches another band).
            mark = " ⚠" if line.at_risk else " ?" if line.uncertain_band else ""
            band_text = Text(band + mark, band_style)
            percentile = (
                f"{percentile_text(line.percentile)}%" if line.percentile is not None else ""
            )
            table.add_row(line.name, self._bar(line, width), f"{line.t:.1f}", band_text, percentile)
        return table

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.traits)


class RoleFit(Widget):
    """Role fit 0-100, ranked, with the best fit highlighted."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "role-fit--best",
        "role-fit--bar",
        "role-fit--track",
        "role-fit--muted",
    }

    DEFAULT_CSS = """
    RoleFit {
        height: auto;
        width: 100%;
    }
    RoleFit > .role-fit--best { color: $accent; text-style: bold; }
    RoleFit > .role-fit--bar { color: $primary; }
    RoleFit > .role-fit--track { color: $foreground 25%; }
    RoleFit > .role-fit--muted { color: $text-muted; }
    """

    NAME_WIDTH = 24
    """Columns for the role name."""

    def __init__(self, fits: tuple[FitLine, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fits = fits

    def render(self) -> RenderableType:
        style = self.get_component_rich_style
        width = max(10, self.size.width - self.NAME_WIDTH - 21)
        table = Table.grid(padding=(0, 1))
        table.add_column(width=self.NAME_WIDTH, no_wrap=True, overflow="ellipsis")
        table.add_column(width=width, no_wrap=True)
        table.add_column(width=3, justify="right")
        table.add_column(width=7, no_wrap=True)
        table.add_column(width=6, no_wrap=True)
        for line in self.fits:
            name_style = style("role-fit--best") if line.best else None
            if line.fit is None:
                table.add_row(
                    Text(line.name),
                    Text(line.note or "no fit", style("role-fit--muted")),
                )
                continue
            filled = round(line.fit / 100 * width)
            bar = Text("█" * filled, style("role-fit--best" if line.best else "role-fit--bar"))
            bar.append("░" * (width - filled), style("role-fit--track"))
            interval = f"{line.interval[0]:.0f}–{line.interval[1]:.0f}" if line.interval else ""
            table.add_row(
                Text(line.name, name_style or ""),
                bar,
                f"{line.fit:.0f}",
                Text(interval, style("role-fit--muted")),
                Text("★ best" if line.best else "", style("role-fit--best")),
            )
        return table

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return max(1, len(self.fits))


class ResultsPanel(VerticalScroll):
    """A candidate's full results, scrollable: header, traits, fit, flags, validity, norms."""

    DEFAULT_CSS = """
    ResultsPanel {
        height: 1fr;
        padding: 0 1;
    }
    ResultsPanel .heading {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    ResultsPanel #results-title {
        text-style: bold;
    }
    ResultsPanel .flag {
        color: $error;
    }
    ResultsPanel .ok {
        color: $success;
    }
    ResultsPanel .muted {
        color: $text-muted;
    }
    ResultsPanel .note {
        color: $warning;
    }
    """

    def __init__(self, view: ResultsView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

    def compose(self) -> ComposeResult:
        view = self.view
        role_names = {line.role_id: line.name for line in view.fits}
        role = f" · applied for: {role_names.get(view.role, view.role)}" if view.role else ""
        yield Static(f"Results: {view.title}{role}", id="results-title")
        if view.saved_to is not None:
            label = "Profile file:" if view.opened else "Profile saved to"
            yield Static(f"{label} {view.saved_to}", id="saved-to", classes="muted")
        if view.hire_command is not None:
            yield Static(
                f"Project the hire: {view.hire_command}", id="hire-command", classes="muted"
            )
        yield Static(
            "Traits (T-score: 50 = norm average; ░ shaded = risk side; ? = band not settled)",
            classes="heading",
        )
        yield TraitBars(view.traits, id="trait-bars")
        yield Static("Role fit (0-100 score, not a percentage; 90 % range)", classes="heading")
        if view.fits:
            yield RoleFit(view.fits, id="role-fit")
        else:
            yield Static("No role fit (it needs norms and roles).", classes="muted")
        for note in view.notes:
            yield Static(f"• {note}", classes="note")
        yield Static(f"Red flags ({len(view.flags)})", classes="heading")
        if view.flags:
            for flag in view.flags:
                yield Static(
                    Text.assemble(("⚑ " + flag.title, "bold"), f": {flag.reason}"), classes="flag"
                )
        else:
            yield Static("None.", classes="ok")
        yield Static("Validity", classes="heading")
        for indicator in view.validity:
            mark = "⚑" if indicator.flagged else "✓"
            yield Static(
                f"{mark} {indicator.name}: {indicator.value}",
                classes="flag" if indicator.flagged else "ok",
            )
        yield Static("Norms", classes="heading")
        if view.norm_source is None:
            yield Static("Scored without norms: no T-scores, bands or role fit.", classes="note")
        else:
            n = f", n = {view.norm_n}" if view.norm_n is not None else ""
            provisional = " (provisional)" if view.provisional else ""
            yield Static(f"{view.norm_source}{n}{provisional}", classes="muted")
