"""Reports of a simulation result: terminal tables, a fan chart, CSV and JSON.

Everything here renders the plain ``repfit.result/1`` dictionary that
:meth:`simulate.results.SimulationResult.to_dict` produces (and that
``simulate run --format json`` writes), so a saved result renders exactly like a
fresh one. The functions return rich renderables or strings; they never print
or touch files: the CLI decides where output goes.

Optional keys, all tolerated when absent: ``target.metric``, ``target.value``
and ``target.period`` (or ``target.month`` / ``target.year``) describe the
target; ``assumptions.<name>.overridden`` (added by the CLI) is true for an
assumption the scenario set; ``mgmt_changes_by_contacts`` counts the management
changes behind each share of ``lost_after_mgmt_change_by_contacts``.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assess import csvsafe
from simulate.quadrants import QUADRANT_LABELS

if TYPE_CHECKING:
    # rich is imported by the functions that draw: a run that writes JSON or CSV (through
    # this module's writers) does not import it.
    from rich.console import Group, RenderableType
    from rich.table import Table
    from rich.text import Text

STATISTICS = ("mean", "se", "p10", "p50", "p90")
"""The per-month statistics of every metric, in the order of the CSV columns."""

DEFAULT_REPORT_MONTHS = (6, 12, 24)
"""Months shown in the run table besides the horizon (those within the horizon)."""

Formatter = Callable[[float], str]


# ---------------------------------------------------------------- Number formats


def format_money(value: float) -> str:
    """Money in at most about 8 characters: ``6,120``, ``612.3 k``, ``2.61 M``, ``1.23 B``."""
    size = abs(value)
    if size < 10_000:
        return f"{value:,.0f}"
    if size < 1_000_000:
        return f"{value / 1e3:,.1f} k"
    if size < 1_000_000_000:
        return f"{value / 1e6:,.2f} M"
    return f"{value / 1e9:,.2f} B"


def format_count(value: float) -> str:
    """A count averaged over trials, with one decimal: ``287.4``."""
    return f"{value:,.1f}"


def format_count_se(value: float) -> str:
    """The standard error of a count, with two decimals."""
    return f"{value:,.2f}"


def format_share(value: float) -> str:
    """A fraction as a percentage with one decimal: ``41.3 %``."""
    return f"{100 * value:.1f} %"


def format_share_se(value: float) -> str:
    """The standard error of a fraction, in percentage points with two decimals."""
    return f"{100 * value:.2f} %"


def format_ratio(value: float) -> str:
    """A small ratio (e.g. contacts per account) with two decimals."""
    return f"{value:.2f}"


def format_ratio_se(value: float) -> str:
    """The standard error of a small ratio, with three decimals."""
    return f"{value:.3f}"


def format_value(value: float) -> str:
    """An assumption's value: up to six significant digits, no exponent for everyday sizes."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.6g}"


def _missing_safe(formatter: Formatter) -> Callable[[float | None], str]:
    def safe(value: float | None) -> str:
        if value is None or not math.isfinite(value):
            return "n/a"
        return formatter(value)

    return safe


@dataclass(frozen=True)
class MetricView:
    """How one metric of the result is labelled and formatted in the run table."""

    key: str
    """The metric's key under ``metrics`` in the result."""
    label: str
    """What the row says, in words a sales leader uses."""
    value: Formatter
    """Formatter for the mean and the percentiles."""
    error: Formatter
    """Formatter for the standard error."""


MONEY = (format_money, format_money)
COUNT = (format_count, format_count_se)
SHARE = (format_share, format_share_se)
RATIO = (format_ratio, format_ratio_se)

RUN_TABLE_METRICS: tuple[MetricView, ...] = (
    MetricView("revenue", "revenue in the month", *MONEY),
    MetricView("revenue_cumulative", "revenue to date", *MONEY),
    MetricView("active_accounts", "active accounts", *COUNT),
    MetricView("accounts_lost", "accounts lost to date", *COUNT),
    MetricView("new_logos", "new logos to date", *COUNT),
    MetricView("wallet_share", "share of wallet", *SHARE),
    MetricView("contacts_per_account", "contacts per account", *RATIO),
    MetricView("reset_meetings", "reset meetings (month)", *COUNT),
    MetricView("lost_after_mgmt_change", "lost to mgmt changes", *COUNT),
)
"""The metrics of the run table, in display order; those missing from a result are skipped."""


# ---------------------------------------------------------------- Helpers


def report_months(horizon: int, months: Iterable[int] = DEFAULT_REPORT_MONTHS) -> list[int]:
    """The months a table shows: ``months`` within 1..horizon plus the horizon, sorted, unique."""
    chosen = {month for month in months if 1 <= month <= horizon}
    chosen.add(horizon)
    return sorted(chosen)


def _horizon(result: Mapping[str, Any]) -> int:
    months: Sequence[int] = result["months"]
    return int(months[-1])


def _at(values: Sequence[float | None], months: Sequence[int], month: int) -> float | None:
    return values[list(months).index(month)]


def _header(result: Mapping[str, Any]) -> Text:
    trials = int(result["trials"])
    seed = result.get("seed")
    parts = [f"{trials:,} trials", f"seed {seed}" if seed is not None else "no seed"]
    parts.append(f"{_horizon(result)} months")
    from rich.text import Text

    text = Text()
    text.append(f"Scenario: {result.get('scenario', '(unnamed)')}", style="bold")
    text.append(f"  ({', '.join(parts)})")
    return text


def _table(title: str, caption: str | None = None) -> Table:
    """A report table: a left-aligned title it is never narrower than, light rules."""
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
        pad_edge=False,
        min_width=min(len(title), 80),
    )


# ---------------------------------------------------------------- The run table


def render_metrics_table(result: Mapping[str, Any], months: Iterable[int] | None = None) -> Table:
    """Mean ± SE and P10/P50/P90 of each metric at the report months."""
    shown = report_months(_horizon(result), DEFAULT_REPORT_MONTHS if months is None else months)
    all_months: Sequence[int] = result["months"]
    metrics: Mapping[str, Mapping[str, Sequence[float | None]]] = result["metrics"]
    table = _table(
        "Outcomes across trials",
        caption=(
            "mean ± its standard error; P10, P50, P90: percentiles across trials; "
            '"to date" and "lost to mgmt changes" count from the start'
        ),
    )
    table.add_column("metric", min_width=12, overflow="fold")
    table.add_column("month", justify="right", no_wrap=True)
    for name in ("mean", "± SE", "P10", "P50", "P90"):
        table.add_column(name, justify="right", no_wrap=True)
    views = [view for view in RUN_TABLE_METRICS if view.key in metrics]
    for position, view in enumerate(views):
        value = _missing_safe(view.value)
        error = _missing_safe(view.error)
        summary = metrics[view.key]
        for row, month in enumerate(shown):
            stats = {stat: _at(summary[stat], all_months, month) for stat in STATISTICS}
            table.add_row(
                view.label if row == 0 else "",
                str(month),
                value(stats["mean"]),
                error(stats["se"]),
                value(stats["p10"]),
                value(stats["p50"]),
                value(stats["p90"]),
                end_section=row == len(shown) - 1 and position < len(views) - 1,
            )
    return table


def render_archetype_table(
    result: Mapping[str, Any], months: Iterable[int] | None = None
) -> Table | None:
    """Mean monthly revenue by archetype at the report months, with each one's share."""
    by_archetype: Mapping[str, Mapping[str, Mapping[str, Sequence[float | None]]]] = (
        result.get("by_archetype") or {}
    )
    if not by_archetype:
        return None
    horizon = _horizon(result)
    shown = report_months(horizon, DEFAULT_REPORT_MONTHS if months is None else months)
    all_months: Sequence[int] = result["months"]
    table = _table("Revenue in the month by archetype (mean)")
    table.add_column("archetype", overflow="fold")
    for month in shown:
        table.add_column(f"month {month}", justify="right", no_wrap=True)
    table.add_column(f"share, month {horizon}", justify="right", no_wrap=True)
    money = _missing_safe(format_money)
    share = _missing_safe(format_share)
    means = {name: data["revenue"]["mean"] for name, data in by_archetype.items()}
    total = sum(_at(values, all_months, horizon) or 0.0 for values in means.values())
    for name, values in means.items():
        at_horizon = _at(values, all_months, horizon)
        fraction = at_horizon / total if at_horizon is not None and total > 0 else None
        table.add_row(
            name, *(money(_at(values, all_months, month)) for month in shown), share(fraction)
        )
    return table


def render_quadrant_table(result: Mapping[str, Any]) -> Table | None:
    """Key-account quadrants at the horizon: revenue, wallet share, accounts lost, meetings."""
    quadrants: Mapping[str, Any] = result.get("quadrants") or {}
    rows = {name: data for name, data in quadrants.items() if name != "thresholds"}
    if not rows:
        return None
    horizon = _horizon(result)
    all_months: Sequence[int] = result["months"]
    thresholds = quadrants.get("thresholds") or {}
    caption = None
    if thresholds:
        caption = (
            f"large: revenue ≥ {format_money(thresholds['size'])} a month; high potential: "
            f"uncaptured wallet ≥ {format_money(thresholds['potential'])} a month (at entry)"
        )
    table = _table(f"Key-account quadrants, month {horizon} (mean ± standard error)", caption)
    table.add_column("quadrant", overflow="fold")
    for label in ("revenue in the month", "wallet share", "accounts lost", "reset meetings"):
        table.add_column(label, justify="right", no_wrap=True)

    def cell(data: Mapping[str, Any], metric: str, value: Formatter, error: Formatter) -> str:
        summary = data.get(metric) or {}
        mean = _at(summary.get("mean", []), all_months, horizon)
        se = _at(summary.get("se", []), all_months, horizon)
        return f"{_missing_safe(value)(mean)} ± {_missing_safe(error)(se)}"

    for name, data in rows.items():
        table.add_row(
            QUADRANT_LABELS.get(name, name),
            cell(data, "revenue", format_money, format_money),
            cell(data, "wallet_share", format_share, format_share_se),
            cell(data, "accounts_lost", format_count, format_count_se),
            cell(data, "reset_meetings", format_count, format_count_se),
        )
    return table


def render_sourced_and_costs_table(result: Mapping[str, Any]) -> Table | None:
    """Revenue by who sourced the account, and team cost, at the horizon (mean ± SE)."""
    sourced: Mapping[str, Any] = result.get("sourced_by") or {}
    costs: Mapping[str, Any] = result.get("costs") or {}
    if not sourced and not costs:
        return None
    horizon = _horizon(result)
    all_months: Sequence[int] = result["months"]
    table = _table(f"Revenue sourced and team cost, month {horizon} (mean ± standard error)")
    table.add_column("", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    money = _missing_safe(format_money)

    def row(label: str, summary: Mapping[str, Any], end: bool = False) -> None:
        mean = _at(summary.get("mean", []), all_months, horizon)
        se = _at(summary.get("se", []), all_months, horizon)
        table.add_row(label, f"{money(mean)} ± {money(se)}", end_section=end)

    items = list(sourced.items())
    for i, (name, data) in enumerate(items):
        label = "revenue from the book" if name == "book" else f"revenue sourced by {name}"
        row(label, data.get("revenue") or {}, end=i == len(items) - 1)
    labels = {
        "team_cost": "team cost in the month",
        "revenue_minus_cost": "revenue minus team cost in the month",
        "team_cost_cumulative": f"team cost, months 1–{horizon}",
        "revenue_minus_cost_cumulative": f"revenue minus team cost, months 1–{horizon}",
    }
    for name, label in labels.items():
        if name in costs:
            row(label, costs[name])
    return table


def describe_target(target: Mapping[str, Any], horizon: int) -> str | None:
    """The target in words (``revenue in month 24 of at least 2,150,000``), if the result says."""
    metric = target.get("metric")
    value = target.get("value")
    if metric is None or value is None:
        return None
    amount = f"{value:,.0f}"
    if metric == "revenue_month":
        month = target.get("month", target.get("period"))
        return f"revenue in month {month} of at least {amount}"
    if metric == "revenue_year":
        year = int(target.get("year", target.get("period")) or 0)
        return f"revenue in year {year} (months {12 * year - 11}–{12 * year}) of at least {amount}"
    if metric == "revenue_total":
        return f"revenue over all {horizon} months of at least {amount}"
    return f"{metric} of at least {amount}"


def render_target(result: Mapping[str, Any]) -> Text:
    """The probability of meeting the target with its standard error, or that there is none."""
    target: Mapping[str, Any] | None = result.get("target")
    from rich.text import Text

    text = Text()
    text.append("Target: ", style="bold")
    if not target:
        text.append("none set in the scenario (add `target:` to see the chance of meeting one).")
        return text
    described = describe_target(target, _horizon(result))
    probability = _missing_safe(format_share)(target.get("probability"))
    error = _missing_safe(format_share_se)(target.get("se"))
    text.append(f"{described}.\n" if described else "as set in the scenario.\n")
    text.append("Probability of meeting it: ")
    text.append(probability, style="bold")
    text.append(f" ± {error} (standard error over {int(result['trials']):,} trials).")
    return text


def render_contacts_table(result: Mapping[str, Any]) -> Table | None:
    """Share of accounts lost in the month of a management change, by contacts at the time.

    When the result counts the changes (``mgmt_changes_by_contacts``), the table
    shows the count and the share's binomial standard error, √(p(1 − p)/n).
    """
    by_contacts: Mapping[str, float | None] | None = result.get(
        "lost_after_mgmt_change_by_contacts"
    )
    if not by_contacts:
        return None
    counts: Mapping[str, int] = result.get("mgmt_changes_by_contacts") or {}
    table = _table("Accounts lost in the month of a management change")
    table.add_column("contacts at the change", justify="right")
    if counts:
        table.add_column("changes seen", justify="right", no_wrap=True)
    table.add_column("share lost that month", justify="right", no_wrap=True)
    share = _missing_safe(format_share)
    for contacts, fraction in by_contacts.items():
        cells = [contacts]
        lost = share(fraction)
        if counts:
            seen = int(counts.get(contacts, 0))
            cells.append(f"{seen:,}")
            if seen > 0 and fraction is not None and math.isfinite(fraction):
                lost += f" ± {format_share_se(math.sqrt(fraction * (1 - fraction) / seen))}"
        table.add_row(*cells, lost)
    return table


def _assumption_fields(assumption: Any) -> dict[str, Any]:
    if isinstance(assumption, Mapping):
        return dict(assumption)
    return {
        field: getattr(assumption, field)
        for field in ("value", "unit", "description", "source", "minimum", "maximum")
        if hasattr(assumption, field)
    }


def render_assumptions(
    assumptions: Mapping[str, Any],
    *,
    detail: bool = False,
    overridden: Collection[str] = (),
    title: str = "Assumptions used",
) -> RenderableType:
    """Assumptions by name with value and unit, marking those the scenario set.

    ``assumptions`` maps names to result entries (dicts) or
    :class:`simulate.assumptions.Assumption` objects. Compact (the run report):
    one table row each, with who set it. With ``detail`` (``simulate
    assumptions``): each assumption's line is followed by its description and
    source, indented. An assumption counts as set by the scenario when its name
    is in ``overridden`` or its entry has ``overridden: true``.
    """
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    def is_set(name: str, fields: Mapping[str, Any]) -> bool:
        return name in overridden or bool(fields.get("overridden"))

    def value_of(fields: Mapping[str, Any]) -> str:
        value = fields.get("value")
        return format_value(value) if value is not None else "n/a"

    if detail:
        blocks: list[RenderableType] = [Text(title, style="bold"), Text()]
        for name, assumption in assumptions.items():
            fields = _assumption_fields(assumption)
            line = Text()
            line.append(name, style="bold")
            line.append(f" = {value_of(fields)} {fields.get('unit', '')}")
            if is_set(name, fields):
                line.append("  (set by the scenario)", style="bold")
            blocks.append(line)
            about = Text(str(fields.get("description", "")))
            about.append(f"\nSource: {fields.get('source', 'not stated')}", style="dim")
            blocks.append(Padding(about, (0, 0, 1, 4), expand=False))
        return Group(*blocks)
    table = _table(title)
    table.add_column("assumption", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("unit", overflow="fold")
    table.add_column("set by", no_wrap=True)
    for name, assumption in assumptions.items():
        fields = _assumption_fields(assumption)
        table.add_row(
            name,
            value_of(fields),
            str(fields.get("unit", "")),
            Text("scenario", style="bold") if is_set(name, fields) else "default",
        )
    return table


def render_run_table(
    result: Mapping[str, Any],
    months: Iterable[int] | None = None,
    *,
    chart: RenderableType | None = None,
) -> Group:
    """The ``simulate run`` report: outcomes, archetypes, target, losses by contacts, assumptions.

    ``months`` defaults to 6, 12, 24 and the horizon (those within the horizon).
    ``chart`` (e.g. the fan chart as text) is placed before the assumptions.
    """
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [_header(result), render_metrics_table(result, months)]
    archetypes = render_archetype_table(result, months)
    if archetypes is not None:
        parts.append(archetypes)
    for extra in (render_sourced_and_costs_table(result), render_quadrant_table(result)):
        if extra is not None:
            parts.append(extra)
    parts.append(render_target(result))
    parts.append(Text())
    contacts = render_contacts_table(result)
    if contacts is not None:
        parts.append(contacts)
    if chart is not None:
        parts.extend([chart, Text()])
    assumptions = result.get("assumptions") or {}
    if assumptions:
        parts.append(render_assumptions(assumptions))
    return Group(*parts)


# ---------------------------------------------------------------- The fan chart


FAN_SERIES = (
    ("p90", "P90", "dot", "blue"),
    ("p10", "P10", "dot", "blue"),
    ("mean", "mean", "braille", "orange"),
    ("p50", "P50 (median)", "●", "cyan"),
)
"""The fan chart's lines: statistic, legend label, plotext marker, colour. The median is
drawn last, so no other line hides it, with a one-character marker, so the legend shows
the very glyph the line is drawn with."""


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if not high > low:
        return [low]
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min(
        (m * magnitude for m in (1, 2, 2.5, 5, 10)), key=lambda step: abs(math.log(step / raw))
    )
    first = math.ceil(low / step) * step
    ticks = []
    tick = first
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def render_fan_chart(
    result: Mapping[str, Any], width: int = 100, height: int = 20, *, color: bool = False
) -> str:
    """A terminal fan chart of monthly revenue: P10, P50, P90 and the mean, month by month.

    Returns the chart as text (ANSI colour codes only when ``color``). The chart
    is built with plotext, whose figure state is global: it is cleared before
    and after, so the function has no side effects. (plotext is imported here, not with
    the module: a run that writes JSON or CSV draws no chart.)
    """
    import plotext

    revenue: Mapping[str, Sequence[float | None]] = result["metrics"]["revenue"]
    months = [int(month) for month in result["months"]]
    plotext.clear_figure()
    try:
        plotext.plotsize(width, height)
        plotext.theme("clear" if not color else "pro")
        shown: list[float] = []
        for stat, label, marker, colour in FAN_SERIES:
            values = revenue.get(stat)
            if values is None:
                continue
            points = [
                (month, float(value))
                for month, value in zip(months, values, strict=True)
                if value is not None and math.isfinite(value)
            ]
            if not points:
                continue
            xs, ys = zip(*points, strict=True)
            shown.extend(ys)
            plotext.plot(
                list(xs), list(ys), marker=marker, label=label, color=colour if color else None
            )
        plotext.title("Revenue in the month across trials (fan: P10 to P90)")
        plotext.xlabel("month")
        plotext.xticks(report_months(months[-1], (1, *DEFAULT_REPORT_MONTHS)))
        if shown:
            ticks = _nice_ticks(min(shown), max(shown))
            plotext.yticks(ticks, [format_money(tick) for tick in ticks])
        chart: str = plotext.build()
    finally:
        plotext.clear_figure()
    if not color:
        chart = plotext.uncolorize(chart)
    return "\n".join(line.rstrip() for line in chart.splitlines())


# ---------------------------------------------------------------- Files


def _csv_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    number = float(value)
    return repr(number) if math.isfinite(number) else ""


def csv_columns(result: Mapping[str, Any]) -> list[tuple[str, Sequence[Any]]]:
    """The CSV's columns in order, each as (header, one value per month).

    ``month``; then ``<metric>_<stat>`` for every metric of the result in its
    order and every statistic present of mean, se, p10, p50, p90; then
    ``<archetype>_<metric>_<stat>`` for the by-archetype series.
    """
    columns: list[tuple[str, Sequence[Any]]] = [("month", result["months"])]
    for metric, summary in result["metrics"].items():
        columns.extend(
            (f"{metric}_{stat}", summary[stat]) for stat in STATISTICS if stat in summary
        )
    for archetype, series in (result.get("by_archetype") or {}).items():
        for metric, summary in series.items():
            columns.extend(
                (f"{archetype}_{metric}_{stat}", summary[stat])
                for stat in STATISTICS
                if stat in summary
            )
    return columns


def result_to_csv(result: Mapping[str, Any]) -> str:
    """The per-month series as wide CSV: one row per month, one column per metric statistic.

    Columns (see :func:`csv_columns`): ``month``; ``<metric>_mean``,
    ``<metric>_se``, ``<metric>_p10``, ``<metric>_p50``, ``<metric>_p90`` for
    each metric (revenue, revenue_cumulative, active_accounts, accounts_lost,
    new_logos, wallet_share, contacts_per_account, reset_meetings,
    lost_after_mgmt_change, and any the engine adds); then
    ``<archetype>_revenue_mean`` (and ``_se`` etc. when present) per archetype.
    Numbers are written in full precision; a missing value is an empty cell.
    Figures that are not per month (target probability, losses by contacts,
    assumptions) are in the JSON output only.
    """
    columns = csv_columns(result)
    rows = len(result["months"])
    for header, values in columns:
        if len(values) != rows:
            raise ValueError(f"result column {header} has {len(values)} values, expected {rows}")
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)  # formulas neutralised, cells quoted (assess.csvsafe)
    writer.writerow([header for header, _ in columns])
    for row in range(rows):
        writer.writerow([_csv_number(values[row]) for _, values in columns])
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _plain(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def result_to_json(result: Mapping[str, Any]) -> str:
    """The result as indented JSON (``json.dumps(result, indent=2)`` plus a final newline).

    Non-finite numbers become ``null`` so the output is strict JSON.
    """
    return json.dumps(_plain(result), indent=2, allow_nan=False) + "\n"


# ---------------------------------------------------------------- Plain text


def render_text(*renderables: RenderableType, width: int = 100, color: bool = False) -> str:
    """Render rich renderables to a string at a fixed width (no colour unless asked)."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    for renderable in renderables:
        console.print(renderable)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def run_report_text(result: Mapping[str, Any], *, width: int = 100, chart: bool = True) -> str:
    """The whole ``simulate run`` table report as plain text (what ``-o FILE`` writes)."""
    from rich.text import Text

    fan = Text(render_fan_chart(result, width=min(width, 100))) if chart else None
    return render_text(render_run_table(result, chart=fan), width=width)
