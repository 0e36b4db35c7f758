"""Terminal rendering of one profile (``assess show``) with rich.

The helpers that decide colours and bar lengths (:func:`band_style`,
:func:`t_bar`, :func:`fit_bar`) are plain functions so other views can reuse
them; :func:`render_profile` builds the whole report as rich renderables.
"""

from __future__ import annotations

import math

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from assess.model import Band, Profile, TraitScore
from assess.termsafe import visible

DECISION_NOTE = "Scores support, and must not replace, a structured hiring decision."
"""Shown under every rendered profile."""

BAND_STYLES: dict[Band, str] = {"low": "cyan", "average": "green", "high": "magenta"}
"""Colour of each band when it is not the trait's risk pole."""

RISK_STYLE = "bold red"
"""Colour of a band that sits at the trait's risk pole."""

T_MIN, T_MAX = 20.0, 80.0
"""The T range a trait bar spans (three norm SDs either side of the mean)."""


def at_risk(score: TraitScore) -> bool:
    """True when the trait's risky-trait flag applies: its band is the risky end (the applied
    role's, else the trait's) and the whole 90 % interval lies in that band."""
    pole = score.risk_pole_applied or score.risk_pole
    if score.band is None or score.band != pole:
        return False
    if score.t_interval is None:
        return True
    low, high = score.t_interval
    return low > 60.0 if pole == "high" else high < 40.0


def band_style(band: Band | None, risk_pole: str = "none") -> str:
    """Rich style for a band: red at the risk pole, otherwise the band's own colour."""
    if band is None:
        return "dim"
    if band == risk_pole:
        return RISK_STYLE
    return BAND_STYLES[band]


def t_bar(t: float, width: int = 30) -> str:
    """A bar of ``width`` cells whose filled length is T between 20 and 80, with the norm
    mean (T 50) marked ``│`` when the bar does not reach it."""
    share = (min(max(t, T_MIN), T_MAX) - T_MIN) / (T_MAX - T_MIN)
    filled = round(share * width)
    middle = width // 2
    cells = ["█" if index < filled else "·" for index in range(width)]
    if filled <= middle:
        cells[middle] = "│"
    return "".join(cells)


def percentile_text(percentile: float) -> str:
    """A percentile rank for display: whole numbers, but never 0 or 100 (nobody scores
    higher, or lower, than everyone): ``>99`` and ``<1`` instead."""
    if percentile >= 99.5:
        return ">99"
    if percentile < 0.5:
        return "<1"
    return f"{percentile:.0f}"


def fit_bar(fit: float, width: int = 30) -> str:
    """A bar of ``width`` cells filled in proportion to a 0–100 fit."""
    filled = round(max(0.0, min(fit, 100.0)) / 100 * width)
    return "█" * filled + "·" * (width - filled)


def _header(profile: Profile) -> RenderableType:
    c = profile.candidate
    lines = Text()
    lines.append(c.name or c.id, style="bold")
    if c.name:
        lines.append(f"  ({c.id})")
    if c.role:
        lines.append(f"  applied for: {c.role}")
    q = profile.questionnaire
    lines.append(f"\nQuestionnaire: {q.id} {q.version}")
    if profile.finished is not None:
        lines.append(f"   finished {profile.finished:%Y-%m-%d %H:%M}")
    lines.append("\nNorms: ")
    if profile.norms is None:
        lines.append("none (raw scores only)", style="yellow")
    else:
        n = profile.norms
        lines.append(f"{n.source}, n = {n.n}")
        if n.date:
            lines.append(f", {n.date}")
        if n.provisional:
            lines.append("  PROVISIONAL", style="yellow bold")
    if profile.forced:
        lines.append(
            "\nForced: scored against a questionnaire whose content differs from the one answered.",
            style="yellow bold",
        )
    return lines


def _traits_table(profile: Profile) -> Table:
    normed = profile.norms is not None
    table = Table(title="Traits", title_justify="left", expand=False)
    table.add_column("Trait")
    if normed:
        table.add_column("T", justify="right")
        table.add_column("90 %", justify="right", no_wrap=True)
        table.add_column("20 ─ 50 ─ 80", no_wrap=True)
        table.add_column("Band")
        table.add_column("Pct", justify="right")
    else:
        table.add_column("Raw", justify="right")
    table.add_column("Items", justify="right")
    table.add_column("Risk")
    for score in profile.traits.values():
        pole = score.risk_pole_applied or score.risk_pole
        risk = {"high": "▲ if high", "low": "▼ if low"}.get(pole, "")
        style = band_style(score.band, pole) if at_risk(score) else band_style(score.band)
        items = f"{score.items_answered}/{score.items_total}"
        name = Text(score.name, style=RISK_STYLE if at_risk(score) else "")
        risk_text = Text(risk, style=RISK_STYLE if at_risk(score) else "dim")
        if score.status == "insufficient":
            blanks = ["—"] * (5 if normed else 1)
            table.add_row(name, *blanks, Text(items, style="yellow"), risk_text)
        elif normed and score.t is not None:
            interval = score.t_interval
            # The interval is shown outward-rounded, so it never looks narrower than it is;
            # "?" marks a band the interval does not settle.
            span = f"{math.floor(interval[0])}–{math.ceil(interval[1])}" if interval else ""
            unsettled = len(score.interval_bands or []) > 1
            table.add_row(
                name,
                f"{score.t:.1f}",
                Text(span, style="dim"),
                Text(t_bar(score.t, 12), style=style),
                Text((score.band or "") + (" ?" if unsettled else ""), style=style),
                percentile_text(score.percentile) if score.percentile is not None else "",
                items,
                risk_text,
            )
        else:
            table.add_row(name, f"{score.raw:.2f}" if score.raw is not None else "—", items, risk)
    return table


def _role_table(profile: Profile) -> RenderableType:
    if not profile.role_fit:
        return Text("Role fit: none (needs norms and roles).", style="dim")
    table = Table(title="Role fit (0–100 score, not a percentage)", title_justify="left")
    table.add_column("Role")
    table.add_column("Fit", justify="right")
    table.add_column("90 %", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for fit in profile.role_fit:
        best = fit.role == profile.best_fit
        style = "bold green" if best else ""
        label = f"{fit.name} ★ best fit" if best else fit.name
        if fit.fit is None:
            table.add_row(label, "—", "", Text("needs every targeted trait", style="dim"))
        else:
            interval = fit.fit_interval
            table.add_row(
                Text(label, style=style),
                Text(f"{fit.fit:.0f}", style=style),
                Text(f"{interval[0]:.0f}–{interval[1]:.0f}" if interval else "", style="dim"),
                Text(fit_bar(fit.fit, 24), style=style or "blue"),
            )
    if any(flag.code == "socially_desirable_responding" for flag in profile.red_flags):
        return Group(
            table,
            Text(
                "⚠ The answers look polished (faking index): read these fits as upper bounds.",
                style="bold yellow",
            ),
        )
    return table


def _red_flags(profile: Profile) -> RenderableType:
    if not profile.red_flags:
        return Text("Red flags: none.", style="green")
    parts: list[RenderableType] = [Text(f"Red flags ({len(profile.red_flags)})", style="bold red")]
    for flag in profile.red_flags:
        parts.append(Text(f"  ✖ {flag.code}", style="red"))
        parts.append(Padding(Text(flag.reason), (0, 0, 0, 4)))
    return Group(*parts)


def _validity(profile: Profile) -> RenderableType:
    v = profile.validity
    table = Table(title="Validity", title_justify="left", show_header=False)
    table.add_column("Indicator")
    table.add_column("Value", justify="right")
    table.add_column("")

    def flagged(name: str) -> Text:
        return Text("flagged", style="bold red") if name in v.flags else Text("ok", style="green")

    def number(value: float | None, pattern: str) -> str:
        return "—" if value is None else format(value, pattern)

    table.add_row(
        "Attention checks failed",
        f"{v.attention_checks_failed} of {v.attention_checks_answered}",
        flagged("attention"),
    )
    table.add_row(
        "Consistency-pair disagreement (points)",
        number(v.consistency_disagreement, ".2f"),
        flagged("inconsistent"),
    )
    table.add_row(
        "Social desirability (mean answer)",
        number(v.social_desirability, ".2f"),
        flagged("social_desirability"),
    )
    if v.faking_index is not None:
        table.add_row(
            "Faking index (scale points)", number(v.faking_index, "+.2f"), flagged("faking")
        )
    table.add_row("Longest run of identical answers", str(v.longstring), flagged("longstring"))
    table.add_row("Answer variability (SD)", number(v.irv, ".2f"), flagged("low_irv"))
    if v.too_fast_share is not None:
        table.add_row(
            "Answers too fast to read",
            f"{v.too_fast_share:.0%} (median {number(v.median_ms, '.0f')} ms)",
            flagged("too_fast"),
        )
    return table


def _irt_number(value: float | None, pattern: str) -> str:
    return "–" if value is None else format(value, pattern)


def _irt_table(profile: Profile) -> RenderableType | None:
    """IRT scores beside the classical T (only when the profile has them)."""
    number = _irt_number
    irt = profile.irt
    if irt is None or not irt.traits:
        return None
    state = "provisional " if irt.provisional else ""
    use = "these drive bands and fit" if irt.drives else "the classical T drives bands and fit"
    table = Table(
        title=f"IRT scores ({state}item parameters; {use})", title_justify="left", expand=False
    )
    for header in ("trait", "items", "θ", "SD", "T", "90 % interval", "classical T"):
        table.add_column(header, justify="left" if header == "trait" else "right")
    for trait_id, score in irt.traits.items():
        interval = (
            f"{score.t_interval[0]:.1f}–{score.t_interval[1]:.1f}" if score.t_interval else "–"
        )
        table.add_row(
            profile.traits[trait_id].name if trait_id in profile.traits else trait_id,
            str(score.items_answered),
            number(score.theta, "+.2f"),
            number(score.sd, ".2f"),
            number(score.t, ".1f"),
            interval,
            number(score.classical_t, ".1f"),
        )
    return table


def render_profile(profile: Profile) -> Group:
    """The whole report for one profile."""
    irt_table = _irt_table(profile)
    parts: list[RenderableType] = [
        Panel(_header(profile), title="repfit profile", title_align="left"),
        _traits_table(profile),
        *([irt_table] if irt_table is not None else []),
        _role_table(profile),
        _red_flags(profile),
        _validity(profile),
    ]
    for note in profile.notes:
        parts.append(Text(f"Note: {note}", style="yellow"))
    parts.append(Text(DECISION_NOTE, style="bold"))
    return Group(*parts)


class PipeConsole(Console):
    """A stdout console for command output: a closed pipe (``assess show … | head``) raises
    :class:`BrokenPipeError`, which the CLI turns into a quiet exit 0, instead of rich's own
    ``SystemExit(1)``."""

    def on_broken_pipe(self) -> None:
        """Called by rich when stdout is a closed pipe."""
        self.quiet = True
        raise BrokenPipeError


def print_profile(profile: Profile, console: Console | None = None) -> None:
    """Print the report on ``console`` (stdout by default)."""
    target = console or Console()
    for index, part in enumerate(render_profile(profile).renderables):
        if index:
            target.print()
        target.print(part)


SHORT_FLAG_LABELS: dict[str, str] = {
    "careless_responding": "careless",
    "socially_desirable_responding": "faking good",
    "likely_order_taker_as_farmer": "order-taker risk",
}
"""Short labels for the headline red flags in the one-line-per-candidate summary."""


def _flag_summary(profile: Profile) -> str:
    """Headline flags in short words; per-trait risk bands as a count. The role mismatch
    flag is left out: the summary's fit columns already show it."""
    headline: list[str] = []
    at_risk_traits = 0
    for flag in profile.red_flags:
        if flag.code.startswith(("high_", "low_")):
            at_risk_traits += 1
        elif flag.code.startswith("insufficient:"):
            headline.append(f"few answers: {flag.code.split(':', 1)[1]}")
        elif flag.code != "best_fit_differs_from_role":
            headline.append(SHORT_FLAG_LABELS.get(flag.code, flag.code))
    if at_risk_traits:
        headline.append(f"{at_risk_traits} risky trait{'s' if at_risk_traits > 1 else ''}")
    return ", ".join(headline)


def render_summary(profiles: list[Profile], title: str | None = None) -> Group:
    """One row per candidate: role applied for, best fit, fit for the applied role, flags.

    What ``assess score --format table`` prints: a first look at a batch before
    opening single profiles with ``assess show`` or comparing them in ``assess review``.
    """
    table = Table(
        title=title or f"{len(profiles)} candidates scored",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Id", no_wrap=True)
    table.add_column("Name", no_wrap=True, overflow="ellipsis", max_width=14)
    table.add_column("Applied", no_wrap=True)
    table.add_column("Best fit", no_wrap=True)
    table.add_column("Fit as\napplied", justify="right", no_wrap=True)
    table.add_column("Red flags", min_width=12, overflow="fold")
    for profile in profiles:
        fits = {fit.role: fit for fit in profile.role_fit}
        best = fits.get(profile.best_fit or "")
        applied = fits.get(profile.candidate.role or "")
        mismatch = applied is not None and best is not None and applied.role != best.role
        flags = _flag_summary(profile)
        best_text = "—"
        if best is not None and best.fit is not None:
            best_text = f"{best.role} {best.fit:.0f}"
        table.add_row(  # texts from the answers: control characters shown, markup not run
            Text(visible(profile.candidate.id)),
            Text(visible(profile.candidate.name or "")),
            Text(visible(profile.candidate.role or "")),
            Text(best_text, style="bold green" if best else "dim"),
            Text(
                f"{applied.fit:.0f}" if applied and applied.fit is not None else "—",
                style="yellow" if mismatch else "",
            ),
            Text(flags or "none", style="red" if flags else "green"),
        )
    parts: list[RenderableType] = [table]
    norms = profiles[0].norms if profiles else None
    if norms is not None:
        kind = "provisional norms" if norms.provisional else "norms"
        source = visible(norms.source)
        parts.append(Text(f"Scored against {kind}: {source} (n = {norms.n}).", style="dim"))
    parts.append(Text(DECISION_NOTE, style="bold"))
    return Group(*parts)
