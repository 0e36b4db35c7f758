"""``simulate hire``'s outputs from its ``repfit.hire/1`` document: headline, tables, CSV, HTML.

Data in, strings or rich renderables out (nothing prints or touches files).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from assess import jsonout
from assess.reports import html
from simulate.analysis.hire import HIRE_OUTCOMES
from simulate.analysis_report import csv_text, signed, table, unsigned
from simulate.reports import charts, headline
from simulate.reports.headline import NBSP

KIND = {o.name: o.kind for o in HIRE_OUTCOMES}
LABEL = {o.name: o.label for o in HIRE_OUTCOMES}
SHORT = {
    "revenue": "revenue (month)",
    "revenue_cumulative": "revenue to date",
    "revenue_minus_cost": "revenue − cost",
    "accounts_lost": "accounts lost",
    "reset_meetings": "reset meetings",
    "wallet_share": "share of wallet",
    "new_logos": "new logos",
}
"""Row labels of the terminal table (cumulative outcomes are to date)."""


def who(option: Mapping[str, Any]) -> str:
    """``c-002 (Bram de Vries)`` or just the id."""
    name = option.get("name")
    return f"{option['candidate']} ({name})" if name else str(option["candidate"])


def _money(value: float) -> str:
    return headline.signed_money(value)


def _difference(option: Mapping[str, Any], outcome: str, month: int) -> Mapping[str, Any]:
    return next(d for d in option["differences"] if d["outcome"] == outcome and d["month"] == month)


def payback_text(payback: Mapping[str, Any], horizon: int) -> str:
    """``month 14 (9–22)``, ``not within 36 months`` and the like."""
    month, early, late = payback["month"], payback["early"], payback["late"]
    if month is None:
        if early is None:
            return f"not within{NBSP}{horizon}{NBSP}months"
        return f"after month{NBSP}{early} at the earliest, likely beyond {horizon}"
    end = f"{late}" if late is not None else f">{horizon}"
    return f"month{NBSP}{month} ({early}–{end})"


def behaviour_text(option: Mapping[str, Any]) -> str:
    """The candidate's behaviour at their T-scores, in words (docs/bridge.md)."""
    b = option.get("behaviour") or {}
    if not b:
        return "Behaviour not recorded"
    text = (
        f"As {option['role']}: {b['proactive_rate']:.2f} reset meetings and "
        f"{b['ask_rate']:.2f} asks per account-month, close rate {100 * b['close_rate']:.0f} %, "
        f"service {b['service_quality']:.2f}, neglect {b['neglect']:.2f}"
    )
    if b.get("prospecting_rate", 0.0) > 0:
        text += f", {b['prospecting_rate']:.2f} new logos a month prospecting"
    return text


def hire_headline(data: Mapping[str, Any]) -> list[str]:
    """The answer first: the best option's 24-month impact and payback, then the rest."""
    month = data["rank_month"]
    horizon = data["months"][-1]
    options = data["options"]
    lines: list[str] = []
    for option in options:
        lines.extend(f"warning: {w}" for w in option["warnings"])
    impact = {
        (o["candidate"], o["role"]): _difference(o, data["rank_outcome"], month) for o in options
    }
    best = max(options, key=lambda o: impact[(o["candidate"], o["role"])]["difference"])
    d = impact[(best["candidate"], best["role"])]
    single = len(options) == 1
    lead = (
        f"Hiring {who(best)} as {best['role']}"
        if single
        else (f"Best projection: {who(best)} as {best['role']}")
    )
    lines.append(
        f"{lead}: revenue − team cost to month{NBSP}{month} {_money(d['difference'])} against "
        f"the current team (95{NBSP}% interval {_money(d['ci95'][0])} to "
        f"{_money(d['ci95'][1])}); pays back {payback_text(best['payback'], horizon)}."
    )
    for role, rows in data["rankings"].items():
        if len(rows) < 2:
            continue
        top = rows[0]
        if top["distinguishable_from_next"]:
            lines.append(
                f"As {role}, {top['candidate']} leads {rows[1]['candidate']} by "
                f"{_money(top['difference_to_next'])} (95{NBSP}% interval "
                f"{_money(top['difference_to_next_ci95'][0])} to "
                f"{_money(top['difference_to_next_ci95'][1])}, paired on the same futures)."
            )
        else:
            lines.append(
                f"As {role}, {top['candidate']} and {rows[1]['candidate']} are not "
                f"distinguishable at month{NBSP}{month} (their paired difference's 95{NBSP}% "
                "interval includes 0)."
            )
    if len(data["rankings"]) > 1:
        for candidate, best_role in data["best_role"].items():
            if best_role.get("distinguishable_from_runner_up") is False:
                lines.append(
                    f"{candidate} adds about the same as {best_role['role']} and as "
                    f"{best_role['runner_up']} ({_money(best_role['impact'])} to "
                    f"month{NBSP}{month}; not distinguishable on the same futures)."
                )
                continue
            lines.append(
                f"{candidate} adds most as {best_role['role']} "
                f"({_money(best_role['impact'])} to month{NBSP}{month})."
            )
    return lines


def render_hire(data: Mapping[str, Any]) -> RenderableType:
    """The ranking (per role) and one table of differences per option, 80 columns wide."""
    parts: list[RenderableType] = []
    month = data["rank_month"]
    horizon = data["months"][-1]
    header = Text()
    header.append(f"Against '{data['baseline']}'", style="bold")
    header.append(f"  ({data['trials']:,} trials, seed {data['seed']}, same futures)")
    parts.append(header)
    options = {(o["candidate"], o["role"]): o for o in data["options"]}
    for role, rows in data["rankings"].items():
        t = table(
            f"As {role}: revenue − team cost to month {month}, against the current team",
            caption=(
                "≈ next: not distinguishable from the candidate below (the paired "
                "difference's 95 % interval includes 0)"
                if any(row["distinguishable_from_next"] is False for row in rows)
                else None
            ),
        )
        for column in ("#", "candidate", "impact", "95 % interval", "payback month", ""):
            t.add_column(column, justify="left" if column in ("candidate", "") else "right")
        for row in rows:
            option = options[(row["candidate"], role)]
            t.add_row(
                str(row["rank"]),
                who(option)[:26],
                _money(row["impact"]).replace(NBSP, " "),
                f"{_money(row['ci95'][0])}…{_money(row['ci95'][1])}".replace(NBSP, " "),
                payback_text(option["payback"], horizon).replace(NBSP, " "),
                "≈ next" if row["distinguishable_from_next"] is False else "",
            )
        parts.append(t)
    months = data["months"]
    for option in data["options"]:
        t = table(
            f"{who(option)} as {option['role']} − current team",
            caption="difference trial by trial ± half its 95 % interval (to date except revenue "
            f"in the month and share of wallet). {behaviour_text(option)}; traits' mean "
            f"standard error {option['trait_sem_mean']:.1f} T points",
        )
        t.add_column("outcome", no_wrap=True)
        for m in months:
            t.add_column(f"month {m}", justify="right", no_wrap=True)
        for outcome in data["outcomes"]:
            kind = KIND[outcome]
            cells = []
            for m in months:
                d = _difference(option, outcome, m)
                half = (d["ci95"][1] - d["ci95"][0]) / 2
                cells.append(f"{signed(d['difference'], kind)} ±{unsigned(half, kind)}")
            t.add_row(SHORT[outcome], *cells)
        parts.append(t)
    return Group(*parts)


def hire_csv(data: Mapping[str, Any]) -> str:
    """One row per option, outcome and month."""
    header = ["candidate", "role", "outcome", "month", "baseline_mean", "with_hire_mean",
              "difference", "se", "ci95_low", "ci95_high", "p_better"]  # fmt: skip
    rows: list[Sequence[Any]] = []
    for option in data["options"]:
        for d in option["differences"]:
            rows.append(
                [option["candidate"], option["role"], d["outcome"], d["month"],
                 d["baseline_mean"], d["variant_mean"], d["difference"], d["se"],
                 d["ci95"][0], d["ci95"][1], d["p_better"]]
            )  # fmt: skip
    return csv_text(header, rows)


def render_hire_html(data: Mapping[str, Any], runs: Mapping[str, Mapping[str, Any]]) -> str:
    """``simulate hire --report``: the headline, the ranking, each option's differences and
    the revenue fan chart of the team with each hire."""
    lines = hire_headline(data)
    figures = "".join(
        html.figure(
            charts.chart_svg(figure, f"fan-{i}"), f"Revenue in each month: {name}.", f"fan-{i}"
        )
        for i, (name, run) in enumerate(runs.items())
        if (figure := charts.fan_chart(run)) is not None
    )
    horizon = data["months"][-1]
    ranking_rows = []
    for role, rows in data["rankings"].items():
        for row in rows:
            option = next(
                o
                for o in data["options"]
                if o["candidate"] == row["candidate"] and o["role"] == role
            )
            ranking_rows.append(
                [role, row["rank"], who(option), _money(row["impact"]),
                 f"{_money(row['ci95'][0])} to {_money(row['ci95'][1])}",
                 payback_text(option["payback"], horizon),
                 "" if row["distinguishable_from_next"] is not False else "not distinguishable"]
            )  # fmt: skip
    ranking = html.table(
        ["role", "rank", "candidate", "impact", "95 % interval", "payback month", "vs next"],
        ranking_rows,
        numeric=(1, 3, 4),
        caption=f"Revenue − team cost to month {data['rank_month']}, each hire minus the current "
        f"team, trial by trial on the same futures ({data['trials']:,} trials, seed "
        f"{data['seed']}).",
    )
    detail_rows = []
    for option in data["options"]:
        for d in option["differences"]:
            kind = KIND[d["outcome"]]
            detail_rows.append(
                [who(option), option["role"], LABEL[d["outcome"]], d["month"],
                 signed(d["difference"], kind),
                 f"{signed(d['ci95'][0], kind)} to {signed(d['ci95'][1], kind)}"]
            )  # fmt: skip
    details = html.table(
        ["candidate", "role", "outcome", "month", "difference", "95 % interval"],
        detail_rows,
        numeric=(3, 4, 5),
        caption="Each hire minus the current team, paired trial by trial.",
    )
    sections = [html.section("Ranking", ranking), html.section("Paired differences", details)]
    if figures:
        sections.insert(0, html.section("Charts", figures))
    report = {"headline": headline.plain(lines), "hire": data}
    return html.page(
        "What the hire does to the book",
        f"Baseline: {data['baseline']}; {len(data['options'])} option(s), {data['trials']:,} "
        "trials each on common random numbers",
        lines,
        sections,
        data.get("provenance") or {},
        jsonout.dumps(report, sort_keys=True, default=str),
    )
