"""``assess criterion``: do the scores predict later outcomes? (issue 12, point 7).

Thin: reads profiles and an outcomes CSV, calls :func:`assess.criterion.criterion_report`
and prints a table (or JSON). The statistics live in :mod:`assess.criterion`.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from pathlib import Path

import click

from assess import jsonout
from assess.criterion import SMALL_N, CriterionReport, criterion_report
from assess.errors import AssessError, closest
from assess.fileio import CsvRows, finite_number, read_text
from assess.model import Profile


def read_outcomes(path: Path) -> dict[str, dict[str, float]]:
    """Outcomes CSV: a ``candidate_id`` column and any numeric columns (empty = missing)."""
    text = read_text(path, "outcomes CSV")
    reader = CsvRows(text, str(path), "outcomes CSV")
    header = next(reader, None)
    if not header or "candidate_id" not in header:
        # The columns are not quoted back: the file may not be an outcomes table at all.
        near = closest("candidate_id", header or [])
        found = (
            f"{len(header)} column{'s' if len(header) != 1 else ''}, none named candidate_id"
            + (f" (is '{near[0]}' meant to be candidate_id?)" if near else "")
            if header
            else "an empty file"
        )
        raise AssessError(
            f"{path}: row 1 (header): expected a 'candidate_id' column and one column per "
            f"outcome; found {found}."
        )
    id_column = header.index("candidate_id")
    names = [name for index, name in enumerate(header) if index != id_column]
    if not names:
        raise AssessError(
            f"{path}: row 1 (header): no outcome column besides candidate_id; add at least one "
            "numeric column (e.g. quota_attainment)."
        )
    outcomes: dict[str, dict[str, float]] = {}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise AssessError(
                f"{path}: row {number}: expected {len(header)} cells; found {len(row)}."
            )
        candidate_id = row[id_column].strip()
        if not candidate_id:
            raise AssessError(f"{path}: row {number}, column candidate_id: the id is empty.")
        if candidate_id in outcomes:
            raise AssessError(
                f"{path}: row {number}: candidate '{candidate_id}' appears twice; give one row "
                "per candidate."
            )
        values: dict[str, float] = {}
        for index, cell in enumerate(row):
            if index == id_column:
                continue
            text_value = cell.strip()
            number_value = finite_number(text_value) if text_value else math.nan
            if number_value is None:
                shown = text_value if len(text_value) <= 40 else text_value[:37] + "..."
                raise AssessError(
                    f"{path}: row {number}, column {header[index]}: expected a finite number "
                    f"(or an empty cell for a missing outcome); found '{shown}'."
                )
            value = number_value
            values[header[index]] = value
        outcomes[candidate_id] = values
    return outcomes


def _number(value: float | None, pattern: str = ".2f") -> str:
    return "—" if value is None else format(value, pattern)


def _print_table(report: CriterionReport) -> None:
    from rich.table import Table

    from assess.report import PipeConsole

    console = PipeConsole(highlight=False)
    console.print(
        f"{report.n_matched} of {report.n_profiles} profiles matched an outcome row; "
        f"outcomes: {', '.join(report.outcomes)}."
    )
    for warning in report.warnings:
        console.print(f"Warning: {warning}", style="yellow")
    table = Table(title="Correlations (Pearson r, 95 % interval)", title_justify="left")
    table.add_column("predictor")
    for outcome in report.outcomes:
        table.add_column(outcome, justify="right", no_wrap=True)
    rows: dict[str, list[str]] = {}
    for c in report.correlations:
        cell = (
            f"{c.r:+.2f} [{c.low:+.2f}, {c.high:+.2f}] n={c.n}"
            if c.r is not None and c.low is not None and c.high is not None
            else f"— n={c.n}"
        )
        rows.setdefault(c.predictor, []).append(cell)
    for predictor, cells in rows.items():
        table.add_row(predictor, *cells)
    console.print(table)
    for role, by_outcome in report.expectancy.items():
        for outcome, expectancy_rows in by_outcome.items():
            if not expectancy_rows:
                continue
            small = sum(row.n for row in expectancy_rows) < SMALL_N
            title = f"Mean {outcome} by {role} fit quintile" + (
                " (few candidates)" if small else ""
            )
            expectancy_table = Table(title=title, title_justify="left")
            for name in ("quintile", "fit range", "n", f"mean {outcome}"):
                expectancy_table.add_column(name, justify="right")
            for row in expectancy_rows:
                expectancy_table.add_row(
                    str(row.quintile),
                    f"{row.fit_low:.0f}–{row.fit_high:.0f}",
                    str(row.n),
                    _number(row.mean),
                )
            console.print(expectancy_table)


@click.command(
    epilog="Example: assess criterion profiles/ outcomes.csv\n\n"
    "Example: assess criterion all.yaml outcomes.csv --format json"
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: readable tables; json: every figure.",
)
def criterion(paths: tuple[Path, ...], fmt: str) -> None:
    """Do the scores predict? Correlate trait scores and role fit with outcomes.

    PATHS are profile files or folders, then the outcomes CSV last: one row per candidate,
    a candidate_id column and any numeric columns (quota attainment, tenure in months,
    account growth, ...). Prints each correlation with its 95 % interval and n, and the mean
    outcome by role-fit quintile; warns when there are too few candidates to say anything.
    """
    from assess.cli import _profile_paths
    from assess.profiles import load_profiles

    if len(paths) < 2:
        raise AssessError(
            "assess criterion needs one or more profiles (files or folders) and then the "
            "outcomes CSV; found only one path."
        )
    *profile_paths, outcomes_path = paths
    if outcomes_path.suffix.lower() != ".csv":
        raise AssessError(
            f"{outcomes_path}: the last path must be the outcomes CSV (a .csv file); found "
            f"'{outcomes_path.name}'."
        )
    outcomes = read_outcomes(outcomes_path)
    profiles: list[Profile] = []
    seen: dict[str, str] = {}
    for path in _profile_paths(profile_paths):
        for source, profile in load_profiles(path):
            if profile.candidate.id in seen:
                raise AssessError(
                    f"{source}: a second profile for candidate '{profile.candidate.id}' (also "
                    f"{seen[profile.candidate.id]}); give each candidate once."
                )
            seen[profile.candidate.id] = source
            profiles.append(profile)
    report = criterion_report(profiles, outcomes)
    if fmt == "json":
        data = asdict(report)
        click.echo(jsonout.dumps(data, indent=2, default=str))
    else:
        _print_table(report)
