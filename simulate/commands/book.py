"""``simulate book``: the key-account view of a book (quadrants, single threads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Group, RenderableType
from rich.table import Table

from assess import jsonout
from assess.fileio import CsvRows, read_text
from simulate import __version__
from simulate.analysis.book_view import book_view
from simulate.analysis_report import csv_text, table
from simulate.assumptions import DEFAULT_ASSUMPTIONS, monthly_probability
from simulate.book import read_book_csv
from simulate.commands.common import CONTEXT, emit, show
from simulate.quadrants import QUADRANT_LABELS
from simulate.report import format_money
from simulate.reports.headline import NBSP
from simulate.reports.html import render_book_html
from simulate.reports.options import check_outputs, report_options, write_outputs
from simulate.reports.provenance import book_sha256
from simulate.reports.terminal import FirstFit, Words

AT_RISK_SHOWN = 10
"""Single-threaded accounts listed in the table (all of them are in the JSON)."""


@click.command(
    "book",
    context_settings=CONTEXT,
    epilog="Example: simulate book examples/book.csv --format json",
)
@click.argument("book_path", metavar="BOOK.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--size-threshold",
    type=click.FloatRange(min=0),
    help="Monthly revenue at or above which an account is large (default: the book's median).",
)
@click.option(
    "--potential-threshold",
    type=click.FloatRange(min=0),
    help="Monthly uncaptured wallet at or above which potential is high (default: the median).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table: readable; json: quadrants and every single-threaded account; csv: per quadrant.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file (atomically).",
)
@report_options(None)
def book_command(
    book_path: Path,
    size_threshold: float | None,
    potential_threshold: float | None,
    output_format: str,
    output: Path | None,
    report_path: Path | None,
) -> None:
    """Show a book by size × potential and its single-threaded accounts at risk."""
    check_outputs(report_path)
    book = read_book_csv(
        book_path,
        default_contacts=int(DEFAULT_ASSUMPTIONS["default_contacts"].value),
        default_health=DEFAULT_ASSUMPTIONS["default_health"].value,
        default_theta=monthly_probability(DEFAULT_ASSUMPTIONS["base_churn_annual"].value),
    )
    header = next(CsvRows(read_text(book_path, "book CSV"), str(book_path), "book CSV"), [])
    view = book_view(
        book.account_id,
        book.revenue,
        book.wallet,
        book.contacts,
        size=size_threshold,
        potential=potential_threshold,
        contacts_known="contacts" in [c.strip() for c in header],
    )
    data = view.to_dict()
    data["provenance"] = {
        "repfit_version": __version__,
        "book": str(book_path),
        "book_sha256": book_sha256(book),
    }
    if output_format == "json":
        emit(jsonout.dumps(data, indent=2) + "\n", output, "the JSON book view")
    elif output_format == "csv":
        emit(book_csv(data), output, "the CSV book view")
    else:
        show(render_book(data, str(book_path)), output)
    write_outputs(report_path, lambda: render_book_html(data, str(book_path)))


def book_csv(data: dict[str, Any]) -> str:
    """One row per quadrant."""
    keys = [
        "quadrant",
        "accounts",
        "revenue_monthly",
        "wallet_monthly",
        "uncaptured_monthly",
        "wallet_share",
        "single_threaded",
        "single_threaded_revenue_monthly",
    ]
    return csv_text(keys, [[q[k] for k in keys] for q in data["quadrants"]])


def render_book(data: dict[str, Any], source: str) -> RenderableType:
    """Quadrant table, single threads and the book's share of wallet.

    Where the quadrant table with its long labels does not fit (about 100 columns),
    the quadrants go by their short names with a legend under the table.
    """
    intro = f"Book: {source}"
    head = Words(
        f"{intro}  ({data['accounts']:,} accounts, {_money(data['revenue_monthly'])} a month "
        f"of a {_money(data['wallet_monthly'])} wallet: "
        f"{100 * data['wallet_share']:.1f}{NBSP}% share)",
        bold=len(intro),
    )
    th = data["thresholds"]
    thresholds = Words(
        f"large: revenue ≥{NBSP}{_money(th['size_revenue_monthly'])}; high potential: "
        f"uncaptured wallet ≥{NBSP}{_money(th['potential_uncaptured_monthly'])} "
        "(the book's medians unless set)"
    )
    names = "; ".join(
        f"{q['quadrant']}: {QUADRANT_LABELS[q['quadrant']].split(' (', 1)[-1].rstrip(')')}"
        for q in data["quadrants"]
    )
    parts: list[RenderableType] = [
        head,
        FirstFit(
            Group(_quadrants(data, long_names=True), thresholds),
            Group(_quadrants(data, long_names=False), Words(names), thresholds),
        ),
    ]
    single = data["single_threaded"]
    if not data["contacts_known"]:
        parts.append(
            Words("The book has no contacts column: single-threaded accounts cannot be told.")
        )
    elif single["accounts"]:
        parts.append(
            Words(
                f"Single-threaded accounts at risk: {single['accounts']:,} carry "
                f"{_money(single['revenue_monthly'])} a month "
                f"({100 * single['share_of_revenue']:.1f}{NBSP}% of revenue)"
            )
        )
        risk = table("")
        for column in ("account", "quadrant", "revenue", "wallet"):
            risk.add_column(
                column,
                justify="left" if column in ("account", "quadrant") else "right",
                no_wrap=True,
            )
        for a in single["list"][:AT_RISK_SHOWN]:
            risk.add_row(
                a["account_id"],
                a["quadrant"],
                format_money(a["revenue_monthly"]),
                format_money(a["wallet_monthly"]),
            )
        parts.append(risk)
        parts.append(
            Words(
                f"the {min(AT_RISK_SHOWN, single['accounts'])} largest; --format json "
                "lists them all"
            )
        )
    return Group(*parts)


def _money(value: float) -> str:
    """Money whose number and unit stay on one line (``3.09 M``)."""
    return format_money(value).replace(" ", NBSP)


def _quadrants(data: dict[str, Any], *, long_names: bool) -> Table:
    """The quadrants, named in full (``key (large, high potential)``) or by short name."""
    quads = table("By size × potential (money per month)")
    for column in ("quadrant", "accounts", "revenue", "uncaptured", "share", "1 contact",
                   "their revenue"):  # fmt: skip
        quads.add_column(column, justify="left" if column == "quadrant" else "right", no_wrap=True)
    for q in data["quadrants"]:
        quads.add_row(
            QUADRANT_LABELS[q["quadrant"]] if long_names else q["quadrant"],
            f"{q['accounts']:,}",
            format_money(q["revenue_monthly"]),
            format_money(q["uncaptured_monthly"]),
            f"{100 * q['wallet_share']:.1f} %",
            f"{q['single_threaded']:,}",
            format_money(q["single_threaded_revenue_monthly"]),
        )
    return quads
