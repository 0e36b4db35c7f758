"""Candidates side by side: traits as rows, candidates as columns, coloured bands, fit, flags."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from assess.tui.comparison import fit_ties, role_choices
from assess.tui.results_model import ResultsView, TraitLine

BAND_STYLES = {"low": "bold #3fa7d6", "average": "#59b85a", "high": "bold #a37be0"}
"""Cell colours by band (the results screen's colours; readable on dark and light themes)."""
BAND_SHORT = {"low": "low", "average": "avg", "high": "high"}
"""Band names short enough for a candidate column."""
RISK_STYLE = "bold #e0475b"
"""Cell colour of a trait in its risk band."""
COLUMN_WIDTH = 14
"""Width of a candidate column (names longer than this are shortened; 14 fits most full
names, e.g. "Hiroshi Tanaka")."""
LABEL_WIDTH = 25
"""Width of the trait-name column (fits every bundled trait name)."""


def _short(text: str, width: int = COLUMN_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _trait_cell(line: TraitLine | None) -> Text:
    if line is None:
        return Text("")
    if line.t is None or line.band is None:
        return Text("n/a", "dim")
    style = RISK_STYLE if line.at_risk else BAND_STYLES[line.band]
    mark = " ⚠" if line.at_risk else "?" if line.uncertain_band else ""
    return Text(f"{line.t:4.1f} {BAND_SHORT[line.band]}{mark}", style)


class ComparisonTable(DataTable[Text]):
    """The comparison grid; one column per candidate (column cursor = the selected candidate)."""

    DEFAULT_CSS = """
    ComparisonTable {
        height: 1fr;
    }
    """

    def show(self, views: Sequence[ResultsView], sort_role: str | None) -> None:
        """Rebuild the grid for ``views`` in this order, marking the role sorted by."""
        self.clear(columns=True)
        self.add_column(Text("Trait", "bold"), key="label", width=LABEL_WIDTH)
        for index, view in enumerate(views):
            label = view.name or view.candidate_id
            self.add_column(
                Text(_short(label), "bold"), key=f"candidate-{index}", width=COLUMN_WIDTH
            )
        self.add_row(
            Text("Candidate id", "bold"),
            *[Text(_short(view.candidate_id), "dim") for view in views],
            key="candidate-id",
        )
        self.add_row(
            Text("Applied for", "bold"),
            *[Text(_short(view.role or "—"), "" if view.role else "dim") for view in views],
            key="applied-for",
        )
        trait_ids: list[str] = []
        names: dict[str, str] = {}
        for view in views:
            for line in view.traits:
                if line.trait_id not in names:
                    trait_ids.append(line.trait_id)
                    names[line.trait_id] = line.name
        for trait_id in trait_ids:
            cells = [
                _trait_cell(next((t for t in v.traits if t.trait_id == trait_id), None))
                for v in views
            ]
            self.add_row(
                Text(_short(names[trait_id], LABEL_WIDTH)), *cells, key=f"trait:{trait_id}"
            )
        for role_id, role_name in role_choices(views):
            marker = "▼ " if role_id == sort_role else ""
            cells = []
            ties = fit_ties(views, role_id)
            for number, view in enumerate(views):
                fit = view.fit_for(role_id)
                best = view.best_fit()
                is_best = best is not None and best.role_id == role_id
                if fit is None:
                    cells.append(Text("n/a", "dim"))
                else:
                    # ≈: this fit's 90 % interval overlaps the next-ranked candidate's.
                    tie = " ≈" if ties[number] else ""
                    cells.append(
                        Text(f"{fit:3.0f}{' ★' if is_best else ''}{tie}", "bold" if is_best else "")
                    )
            self.add_row(
                Text(_short(f"{marker}Fit: {role_name}", LABEL_WIDTH), "bold"),
                *cells,
                key=f"fit:{role_id}",
            )
        best_cells = []
        for view in views:
            best = view.best_fit()
            best_cells.append(Text(_short(best.name) if best else "n/a", "bold" if best else "dim"))
        self.add_row(Text("Best fit", "bold"), *best_cells, key="best")
        flag_cells = [
            Text(f"{len(view.flags)} ⚑", RISK_STYLE) if view.flags else Text("none", "green")
            for view in views
        ]
        self.add_row(Text("Red flags", "bold"), *flag_cells, key="flags")
