"""Tables, heat maps and CSV of the analyses (compare, sweep, sensitivity, calibrate, book).

Like :mod:`simulate.report`, everything here renders plain JSON-like data (the
analyses' ``to_dict()``) into rich renderables or strings; nothing prints or
touches files.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from assess import csvsafe
from simulate.report import format_count, format_money, format_share
from simulate.reports.terminal import FirstFit, Words

OUTCOME_LABELS: Mapping[str, tuple[str, str]] = {
    "revenue": ("revenue (month)", "money"),
    "revenue_cumulative": ("revenue to date", "money"),
    "revenue_minus_cost": ("revenue − cost", "money"),
    "accounts_lost": ("accounts lost", "count"),
    "new_logos": ("new logos", "count"),
    "wallet_share": ("share of wallet", "share"),
}


def _formatter(kind: str) -> Callable[[float], str]:
    return {"money": format_money, "count": format_count, "share": format_share}[kind]


def signed(value: float, kind: str) -> str:
    """A difference with its sign (``+12.3 k``, ``−4.1``, ``+0.8 pt``)."""
    if not math.isfinite(value):
        return "n/a"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    if kind == "share":
        return f"{sign}{100 * abs(value):.2f}pt"
    return sign + _formatter(kind)(abs(value))


def unsigned(value: float, kind: str) -> str:
    """A standard error in the outcome's unit."""
    if kind == "share":
        return f"{100 * value:.2f}pt"
    if kind == "count":
        return f"{value:,.2f}"
    return format_money(value)


def table(title: str, caption: str | None = None, *, compact: bool = False) -> Table:
    """A report table in the style of ``simulate run``.

    ``compact``: one space between columns and none at the edges (for 80 columns).
    """
    return Table(
        show_edge=not compact,
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        pad_edge=False,
        padding=(0, 0, 0, 0) if compact else (0, 1, 0, 0),
        min_width=min(len(title), 80),
    )


def csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with a header row; numbers written in full."""
    out = io.StringIO()
    writer = csvsafe.writer(out)  # formulas neutralised, cells quoted (assess.csvsafe)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            ["" if v is None else (repr(round(v, 6)) if isinstance(v, float) else v) for v in row]
        )
    return out.getvalue()


# ---------------------------------------------------------------- compare


def render_comparison(data: Mapping[str, Any]) -> RenderableType:
    """One table per variant: difference from the baseline, paired SE, CI, P(better).

    On a terminal too narrow for the wide table (about 100 columns), the headers are
    shorter, the interval's ends get a column each and a legend under the table says
    what each header means.
    """
    parts: list[RenderableType] = []
    intro = f"Compared with '{data['baseline']}'"
    parts.append(
        Words(
            f"{intro}  ({data['trials']:,} trials each, seed {data['seed']}, common random "
            "numbers)",
            bold=len(intro),
        )
    )
    for variant in data["comparisons"]:
        title = f"{variant['name']} − {data['baseline']}"
        wide = _comparison_table(data, variant, title, narrow=False)
        narrow = _comparison_table(data, variant, title, narrow=True)
        parts.append(
            FirstFit(
                Group(wide, Words(COMPARE_LEGEND)),
                Group(narrow, Text(), Words(COMPARE_LEGEND_NARROW)),
            )
        )
    return Group(*parts)


COMPARE_LEGEND = (
    "difference = variant − baseline, trial by trial, with its paired standard error and "
    "95\N{NO-BREAK SPACE}% confidence interval; P(better) = share of trials in which the "
    "variant does better; indep. SE = the standard error two separate runs would give"
)
COMPARE_LEGEND_NARROW = (
    "diff. = variant − baseline, trial by trial, with its paired standard error "
    "(±\N{NO-BREAK SPACE}SE) and "
    "95\N{NO-BREAK SPACE}% confidence interval (CI low to CI high); better = share of trials "
    "in which the variant does better; SE ind. = the standard error two separate runs "
    "would give"
)


def _comparison_table(
    data: Mapping[str, Any], variant: Mapping[str, Any], title: str, *, narrow: bool
) -> Table:
    t = table(title, compact=narrow)
    columns = (
        ("outcome", "month", "baseline", "diff.", "± SE", "CI low", "CI high", "better",
         "SE ind.")
        if narrow
        else ("outcome", "month", "baseline", "difference", "± SE", "95 % CI", "P(better)",
              "indep. SE")
    )  # fmt: skip
    for column in columns:
        t.add_column(column, justify="left" if column == "outcome" else "right", no_wrap=True)
    months = data["months"]
    means = data["means"]
    for d in variant["differences"]:
        label, kind = OUTCOME_LABELS.get(d["outcome"], (d["outcome"], "count"))
        fmt = _formatter(kind)
        index = months.index(d["month"])
        first = d["month"] == months[0]
        low, high = signed(d["ci95"][0], kind), signed(d["ci95"][1], kind)
        t.add_row(
            label if first else "",
            str(d["month"]),
            fmt(means[data["baseline"]][d["outcome"]][index]),
            signed(d["difference"], kind),
            unsigned(d["se"], kind),
            *((low, high) if narrow else (f"{low} to {high}",)),
            f"{100 * d['p_better']:.0f} %",
            unsigned(d["se_independent"], kind),
        )
    return t


def comparison_csv(data: Mapping[str, Any]) -> str:
    """One row per variant, outcome and month."""
    header = [
        "variant",
        "outcome",
        "month",
        "baseline_mean",
        "variant_mean",
        "difference",
        "se",
        "se_independent",
        "ci95_low",
        "ci95_high",
        "p_better",
    ]
    rows = [
        [
            v["name"],
            d["outcome"],
            d["month"],
            d["baseline_mean"],
            d["variant_mean"],
            d["difference"],
            d["se"],
            d["se_independent"],
            d["ci95"][0],
            d["ci95"][1],
            d["p_better"],
        ]
        for v in data["comparisons"]
        for d in v["differences"]
    ]
    return csv_text(header, rows)
