"""One candidate's report as a self-contained HTML page (``assess show --report``).

Pure: a :class:`~assess.model.Profile` in, a string out. The page opens with the
verdict in plain words, then a chart of the trait T-scores, then the tables
(traits, role fit, red flags, validity) and the provenance (repfit version,
questionnaire and norms hashes).
"""

from __future__ import annotations

import hashlib
from typing import Any

from assess import __version__, jsonout
from assess.model import Profile
from assess.reports import html
from assess.reports.figures import COLORS, new_figure, svg_text

DECISION_NOTE = "Scores support, and must not replace, a structured hiring decision."
T_AVERAGE = (40.0, 60.0)
"""The average band of T-scores (mean 50, SD 10): within one SD of the norm group."""


def _canonical_hash(data: Any) -> str:
    text = jsonout.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def candidate_provenance(profile: Profile) -> dict[str, Any]:
    """What produced the profile and from which inputs."""
    q = profile.questionnaire
    norms = profile.norms
    return {
        "repfit_version": __version__,
        "scorer_version": profile.scorer_version,
        "questionnaire": f"{q.id} {q.version}",
        "questionnaire_sha256": q.sha256,
        "norms": "none" if norms is None else f"{norms.source}, n = {norms.n}",
        "norms_sha256": (None if norms is None else _canonical_hash(norms.model_dump(mode="json"))),
        "forced": profile.forced,
    }


def verdict_lines(profile: Profile) -> list[str]:
    """The executive summary: who, best fit, red flags, validity, in plain sentences."""
    c = profile.candidate
    who = f"{c.name} ({c.id})" if c.name else c.id
    applied = f", applied as {c.role}" if c.role else ""
    fits = {f.role: f for f in profile.role_fit}
    best = fits.get(profile.best_fit or "")
    if best is not None and best.fit is not None:
        head = f"{who}{applied}: best fit {best.name} ({best.fit:.0f} of 100)"
        applied_fit = fits.get(c.role or "")
        if (
            applied_fit is not None
            and applied_fit.role != best.role
            and applied_fit.fit is not None
        ):
            head += f"; fit for the role applied for, {applied_fit.name}: {applied_fit.fit:.0f}"
    else:
        head = f"{who}{applied}: no role fit (it needs norms and roles)"
    flags = profile.red_flags
    lines = [
        head + ".",
        (
            "No red flags."
            if not flags
            else f"{len(flags)} red flag{'s' if len(flags) != 1 else ''} "
            f"({', '.join(flag.code for flag in flags)}): the reasons are under Red flags."
        ),
    ]
    validity = profile.validity.flags
    lines.append(
        "Answers look valid (no response-quality flag)."
        if not validity
        else "Response quality flagged: " + ", ".join(validity) + "."
    )
    lines.append(DECISION_NOTE)
    return lines


def trait_chart(profile: Profile) -> str | None:
    """Horizontal bars of the T-scores with the average band shaded; None without norms."""
    scored = [(s.name, s.t, s) for s in profile.traits.values() if s.t is not None]
    if not scored:
        return None
    figure = new_figure(7.0, 0.35 * len(scored) + 1.0)
    axes = figure.add_subplot()
    names = [name for name, _, _ in scored][::-1]
    values = [float(t) for _, t, _ in scored][::-1]
    risky = [
        (s.risk_pole == "high" and (s.t or 50) >= T_AVERAGE[1])
        or (s.risk_pole == "low" and (s.t or 50) <= T_AVERAGE[0])
        for _, _, s in scored
    ][::-1]
    axes.axvspan(*T_AVERAGE, color="#e3e7ee", label="average band (T 40–60)")
    axes.barh(
        names,
        [v - 50 for v in values],
        left=50,
        color=[COLORS[3] if r else COLORS[0] for r in risky],
    )
    axes.axvline(50, color="#59627a", linewidth=0.8)
    axes.set_xlim(20, 80)
    axes.set_xlabel("T-score (norm group mean 50, SD 10); red: toward the trait's risk pole")
    axes.legend(loc="lower right", frameon=False)
    return svg_text(figure, "traits")


def candidate_data(profile: Profile) -> dict[str, Any]:
    """The numbers the page shows (embedded in it as JSON; pinned by the golden test)."""
    return {
        "candidate": profile.candidate.id,
        "best_fit": profile.best_fit,
        "role_fit": {f.role: f.fit for f in profile.role_fit},
        "traits": {
            trait: {"t": s.t, "band": s.band, "percentile": s.percentile}
            for trait, s in profile.traits.items()
        },
        "red_flags": [f.code for f in profile.red_flags],
        "validity_flags": list(profile.validity.flags),
        "provenance": candidate_provenance(profile),
    }


def _number(value: float | None, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


def render_candidate_html(profile: Profile) -> str:
    """The whole candidate report as one HTML document."""
    c = profile.candidate
    sections: list[str] = []
    chart = trait_chart(profile)
    if chart is not None:
        sections.append(
            html.section("Traits at a glance", html.figure(chart, "T-scores by trait.", "traits"))
        )
    trait_rows = [
        [
            s.name,
            _number(s.t, ".0f"),
            s.band or "—",
            _number(s.percentile, ".0f"),
            f"{s.items_answered}/{s.items_total}",
            {"high": "when high", "low": "when low"}.get(s.risk_pole, ""),
        ]
        for s in profile.traits.values()
    ]
    sections.append(
        html.section(
            "Traits",
            html.table(
                ["trait", "T", "band", "percentile", "items", "risk"],
                trait_rows,
                numeric=(1, 3, 4),
            ),
        )
    )
    fit_rows = [
        [f.name + (" (best fit)" if f.role == profile.best_fit else ""), _number(f.fit, ".0f")]
        for f in profile.role_fit
    ]
    sections.append(
        html.section(
            "Role fit (0–100)",
            html.table(["role", "fit"], fit_rows, numeric=(1,))
            if fit_rows
            else html.paragraph("None: role fit needs norms and roles.", "note"),
        )
    )
    flags = [[f.code, f.reason] for f in profile.red_flags]
    sections.append(
        html.section(
            "Red flags",
            html.table(["flag", "reason"], flags) if flags else html.paragraph("None."),
        )
    )
    v = profile.validity
    validity_rows = [
        [
            "attention checks failed",
            f"{v.attention_checks_failed} of {v.attention_checks_answered}",
        ],
        ["consistency-pair disagreement (points)", _number(v.consistency_disagreement, ".2f")],
        ["social desirability (mean answer)", _number(v.social_desirability, ".2f")],
        ["longest run of identical answers", str(v.longstring)],
        ["answer variability (SD)", _number(v.irv, ".2f")],
    ]
    if v.too_fast_share is not None:
        validity_rows.append(["answers too fast to read", f"{v.too_fast_share:.0%}"])
    sections.append(
        html.section(
            "Validity",
            html.table(["indicator", "value"], validity_rows, numeric=(1,)),
            html.paragraph(
                "Flagged: " + ", ".join(v.flags) if v.flags else "No indicator flagged.", "note"
            ),
            *(html.paragraph(f"Note: {note}", "note") for note in profile.notes),
        )
    )
    provenance = candidate_provenance(profile)
    q = profile.questionnaire
    subtitle = f"Questionnaire {q.id} {q.version}" + (
        f"; norms {profile.norms.source} (n = {profile.norms.n})" if profile.norms else "; no norms"
    )
    return html.page(
        f"Candidate report: {c.name or c.id}",
        subtitle,
        verdict_lines(profile),
        sections,
        provenance,
        jsonout.dumps(candidate_data(profile), sort_keys=True),
    )
