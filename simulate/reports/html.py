"""One self-contained HTML report per command (pure ``render_*_html``) and the one writer.

Each page opens with the headline of :mod:`simulate.reports.headline` (the answer in
plain words), then the charts (inline SVG from :mod:`simulate.reports.charts`), then the
tables and, for runs, every assumption with its unit and source, then the provenance.
The functions take the commands' JSON dictionaries, so a saved result renders exactly
like a fresh one (``simulate dash`` calls them for its export).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess import jsonout
from assess.fileio import atomic_write
from assess.reports import html
from simulate.report import format_money, format_share, format_value
from simulate.reports import charts, headline

if TYPE_CHECKING:
    from matplotlib.figure import Figure

REPORT_MONTHS = (1, 6, 12, 18, 24, 30, 36, 48, 60)
"""Months listed in a run report's tables (those within the horizon, and the horizon)."""


def _figure(figure: Figure | None, name: str, caption: str) -> str:
    return "" if figure is None else html.figure(charts.chart_svg(figure, name), caption, name)


def _data_json(data: Mapping[str, Any]) -> str:
    return jsonout.dumps(data, sort_keys=True, default=str)


def _months(result: Mapping[str, Any]) -> list[int]:
    months: Sequence[int] = result["months"]
    horizon = int(months[-1])
    shown = [m for m in REPORT_MONTHS if m <= horizon]
    if horizon not in shown:
        shown.append(horizon)
    return shown


def _at(series: Sequence[float], months: Sequence[int], month: int) -> float:
    return float(series[list(months).index(month)])


def assumptions_section(assumptions: Mapping[str, Any]) -> str:
    """Every assumption: value, unit, who set it, meaning and source."""
    rows = [
        [
            name,
            format_value(float(a["value"])) if a.get("value") is not None else "n/a",
            a.get("unit", ""),
            "scenario" if a.get("overridden") else "default",
            a.get("description", ""),
            a.get("source", ""),
        ]
        for name, a in assumptions.items()
    ]
    return html.section(
        "Assumptions, with units and sources",
        html.table(["name", "value", "unit", "set by", "meaning", "source"], rows, numeric=(1,)),
    )


def run_report_data(result: Mapping[str, Any]) -> dict[str, Any]:
    """The numbers a run report shows (embedded in the page; pinned by golden tests)."""
    months: Sequence[int] = result["months"]
    metrics: Mapping[str, Any] = result["metrics"]
    return {
        "headline": headline.plain(headline.run_headline(result)),
        "target": result.get("target"),
        "months": {
            str(m): {
                name: {k: _at(metrics[name][k], months, m) for k in ("p10", "p50", "p90")}
                for name in ("revenue", "active_accounts", "wallet_share")
                if name in metrics
            }
            for m in _months(result)
        },
        "provenance": result.get("provenance"),
    }


def render_run_html(result: Mapping[str, Any]) -> str:
    """``simulate run --report``: the run's headline, charts, tables and assumptions."""
    months: Sequence[int] = result["months"]
    metrics: Mapping[str, Any] = result["metrics"]
    figures = "".join(
        _figure(build(result), name, caption)
        for name, (build, caption) in charts.RUN_CHARTS.items()
    )
    rows = []
    for m in _months(result):
        rev = metrics["revenue"]
        row: list[object] = [m] + [
            format_money(_at(rev[k], months, m)) for k in ("p10", "p50", "p90")
        ]
        if "active_accounts" in metrics:
            row.append(f"{_at(metrics['active_accounts']['p50'], months, m):.0f}")
        if "wallet_share" in metrics:
            row.append(format_share(_at(metrics["wallet_share"]["p50"], months, m)))
        rows.append(row)
    headers = ["month", "revenue P10", "revenue P50", "revenue P90"]
    headers += ["active accounts P50"] if "active_accounts" in metrics else []
    headers += ["wallet share P50"] if "wallet_share" in metrics else []
    tables = html.table(headers, rows, numeric=range(len(headers)))
    owned: Mapping[str, Any] = result.get("by_archetype") or {}
    sourced: Mapping[str, Any] = result.get("sourced_by") or {}
    horizon = int(months[-1])
    archetype_rows = [
        [f"owned by {name}s", format_money(_at(d["revenue"]["mean"], months, horizon))]
        for name, d in owned.items()
    ] + [
        [
            "from the starting book" if name == "book" else f"sourced by {name}s",
            format_money(_at(d["revenue"]["mean"], months, horizon)),
        ]
        for name, d in sourced.items()
    ]
    if archetype_rows:
        tables += html.table(["revenue", f"mean in month {horizon}"], archetype_rows, numeric=(1,))
    sections = [
        html.section("Charts", figures),
        html.section("Month by month", tables),
        assumptions_section(result.get("assumptions") or {}),
    ]
    return html.page(
        f"Staffing projection: {result.get('scenario', 'scenario')}",
        f"{int(result['trials']):,} simulated futures, seed {result['seed']}, {horizon} months",
        headline.run_headline(result),
        sections,
        result.get("provenance") or {},
        _data_json(run_report_data(result)),
    )


def render_compare_html(
    data: Mapping[str, Any], runs: Mapping[str, Mapping[str, Any]] | None = None
) -> str:
    """``simulate compare --report``: paired differences, each option's fan chart."""
    runs = runs or {}
    first = next(iter(runs.values()), None)
    month = headline.target_month(first) if first is not None else None
    lines = headline.compare_headline(data, month)
    targets = headline.targets_line(runs)
    if targets:
        lines.insert(0, targets)
    figures = "".join(
        _figure(charts.fan_chart(run), f"fan-{i}", f"Revenue in each month: {name}.")
        for i, (name, run) in enumerate(runs.items())
    )
    rows = []
    for comparison in data["comparisons"]:
        for d in comparison["differences"]:
            if d["outcome"] not in ("revenue", "revenue_cumulative", "accounts_lost"):
                continue
            money = d["outcome"] != "accounts_lost"
            show = headline.signed_money if money else (lambda v: f"{v:+.1f}")
            rows.append(
                [
                    comparison["name"],
                    d["outcome"],
                    d["month"],
                    show(d["difference"]),
                    f"{show(d['ci95'][0])} to {show(d['ci95'][1])}",
                    format_share(d["p_better"]),
                ]
            )
    table = html.table(
        ["option", "outcome", "month", "difference (mean)", "95 % interval", "better in"],
        rows,
        numeric=(2, 3, 4, 5),
        caption=f"Each option minus '{data['baseline']}', trial by trial on the same futures "
        f"({data['trials']:,} trials, seed {data['seed']}).",
    )
    sections = [html.section("Charts", figures)] if figures else []
    sections.append(html.section("Paired differences", table))
    report = {
        "headline": headline.plain(lines),
        "comparisons": data["comparisons"],
        "provenance": data.get("provenance"),
    }
    return html.page(
        "Staffing options compared",
        f"Baseline: {data['baseline']}; {len(data['variants']) - 1} option(s), "
        f"{data['trials']:,} trials each on common random numbers",
        lines,
        sections,
        data.get("provenance") or {},
        _data_json(report),
    )


def render_sweep_html(data: Mapping[str, Any]) -> str:
    """``simulate sweep --report``: heat map, cost frontier and every point."""
    lines = headline.sweep_headline(data)
    figures = _figure(charts.sweep_heatmap(data), "heatmap", "Each cell is one team.") + _figure(
        charts.cost_frontier(data),
        "frontier",
        "Median revenue against cost; the line joins the teams nothing cheaper beats.",
    )
    rows = [
        [
            ", ".join(f"{k}={v}" for k, v in p["settings"].items()),
            format_money(p["revenue"]["p10"]),
            format_money(p["revenue"]["p50"]),
            format_money(p["revenue"]["p90"]),
            "—" if p.get("p_target") is None else format_share(p["p_target"]),
            format_money(p["team_cost_yearly"]) if p.get("team_cost_yearly") is not None else "—",
            "yes" if p.get("pareto") else "",
        ]
        for p in data["points"]
    ]
    table = html.table(
        ["team", "revenue P10", "P50", "P90", "P(target)", "cost a year", "frontier"],
        rows,
        numeric=(1, 2, 3, 4, 5),
        caption=str(data.get("revenue", "")),
    )
    sections = [html.section("Charts", figures), html.section("Every team", table)]
    return html.page(
        "Staffing sweep",
        f"{len(data['points'])} teams, {data['trials']:,} trials each, seed {data['seed']}",
        lines,
        sections,
        data.get("provenance") or {},
        _data_json(
            {
                "headline": headline.plain(lines),
                "points": data["points"],
                "provenance": data.get("provenance"),
            }
        ),
    )


def render_sensitivity_html(data: Mapping[str, Any]) -> str:
    """``simulate sensitivity --report``: tornado chart and table (or Sobol indices)."""
    lines = headline.sensitivity_headline(data)
    figures = _figure(
        charts.tornado_chart(data),
        "tornado",
        "Median revenue at the low and high end of each assumption.",
    )
    sections = [html.section("Charts", figures)] if figures else []
    if data.get("tornado"):
        rows = [
            [
                b["name"],
                format_value(b["low"]),
                format_value(b["high"]),
                format_money(b["p50_low"]),
                format_money(b["p50_high"]),
                format_money(b["swing"]),
            ]
            for b in data["tornado"]
        ]
        sections.append(
            html.section(
                "One at a time",
                html.table(
                    ["assumption", "low", "high", "median at low", "median at high", "swing"],
                    rows,
                    numeric=(1, 2, 3, 4, 5),
                ),
            )
        )
    sobol: Mapping[str, Any] = data.get("sobol") or {}
    if sobol.get("indices"):
        rows = [
            [i["name"], f"{float(i['first_order']):.2f}", f"{float(i['total_order']):.2f}"]
            for i in sobol["indices"]
        ]
        sections.append(
            html.section(
                "Sobol indices",
                html.table(["assumption", "first order", "total"], rows, numeric=(1, 2)),
            )
        )
    return html.page(
        f"Sensitivity: {data.get('scenario', '')}",
        f"Revenue in month {data.get('month')}, seed {data.get('seed')}",
        lines,
        sections,
        data.get("provenance") or {},
        _data_json(
            {
                "headline": headline.plain(lines),
                "tornado": data.get("tornado"),
                "sobol": sobol or None,
                "provenance": data.get("provenance"),
            }
        ),
    )


def render_calibrate_html(data: Mapping[str, Any]) -> str:
    """``simulate calibrate --report``: fitted against observed survival."""
    lines = headline.calibrate_headline(data)
    figures = _figure(charts.fit_chart(data), "fit", "Observed survival and the fitted curve.")
    rows = [
        [s["period"], format_share(s["observed"]), format_share(s["fitted"])]
        for s in data.get("survival") or []
    ]
    parameters = html.table(
        ["parameter", "estimate", "standard error"],
        [
            ["a", f"{data['a']:.3f}", f"{data['a_se']:.3f}"],
            ["b", f"{data['b']:.3f}", f"{data['b_se']:.3f}"],
        ],
        numeric=(1, 2),
    )
    sections = [
        html.section("Charts", figures),
        html.section(
            "Fit",
            parameters,
            html.table(
                [data.get("period", "period"), "observed", "fitted"], rows, numeric=(0, 1, 2)
            ),
        ),
    ]
    return html.page(
        "Churn calibration",
        f"Shifted-beta-geometric fit to {data.get('source', 'history')}",
        lines,
        sections,
        data.get("provenance") or {},
        _data_json(
            {
                "headline": headline.plain(lines),
                "a": data["a"],
                "b": data["b"],
                "survival": data.get("survival"),
                "provenance": data.get("provenance"),
            }
        ),
    )


def render_uncertainty_html(data: Mapping[str, Any]) -> str:
    """``simulate uncertainty --report``: pooled fan chart and the variance split."""
    lines = headline.uncertainty_headline(data)
    figures = _figure(charts.fan_chart(data), "fan", "Revenue pooled over every draw.")
    rows = [
        [s["outcome"], s["month"], format_money(s["p50"]), format_share(s["assumption_share"])]
        for s in data["split"]
    ]
    sections = [
        html.section("Charts", figures),
        html.section(
            "Where the spread comes from",
            html.table(
                ["outcome", "month", "median", "share from the assumptions"],
                rows,
                numeric=(1, 2, 3),
            ),
        ),
    ]
    return html.page(
        f"Uncertainty: {data['scenario']}",
        f"{data['draws']} draws × {data['trials_per_draw']:,} trials, seed {data['seed']}",
        lines,
        sections,
        data.get("provenance") or {},
        _data_json(
            {
                "headline": headline.plain(lines),
                "split": data["split"],
                "provenance": data.get("provenance"),
            }
        ),
    )


def render_book_html(data: Mapping[str, Any], source: str) -> str:
    """``simulate book --report``: the book's quadrants."""
    lines = [
        f"{source}: {int(data['accounts']):,} accounts billing "
        f"{format_money(float(data['revenue_monthly']))} a month, "
        f"{format_share(float(data['wallet_share']))} of their category spending."
    ]
    rows = [
        [
            q["label"],
            q["accounts"],
            format_money(q["revenue_monthly"]),
            format_money(q["uncaptured_monthly"]),
            format_share(q["wallet_share"]),
        ]
        for q in data.get("quadrants") or []
    ]
    sections = [
        html.section(
            "Quadrants",
            html.table(
                ["quadrant", "accounts", "revenue a month", "uncaptured a month", "wallet share"],
                rows,
                numeric=(1, 2, 3, 4),
            ),
        )
    ]
    return html.page(
        "Book of accounts",
        source,
        lines,
        sections,
        data.get("provenance") or {"book": source},
        _data_json({"headline": headline.plain(lines), "quadrants": data.get("quadrants")}),
    )


def write_report(path: Path, page: str) -> None:
    """Write an HTML report atomically, mode 0600 (a hire report names candidates)."""
    atomic_write(path, page, private=True)


Renderer = Callable[..., str]
