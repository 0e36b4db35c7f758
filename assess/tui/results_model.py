"""What the results and comparison screens show, extracted from a profile.

The widgets draw a :class:`ResultsView`, never a profile directly, so the screens
depend on one small, stable shape; :func:`results_view` is the only place that
knows how a :class:`~assess.model.Profile` is laid out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assess.behaviour import projection_command
from assess.model import Profile

Band = Literal["low", "average", "high"]
RiskPole = Literal["high", "low", "none"]


@dataclass(frozen=True)
class TraitLine:
    """One trait's score as shown."""

    trait_id: str
    """The trait's id."""
    name: str
    """The trait's display name."""
    t: float | None
    """T-score (50 = norm mean, 10 per sd); None without norms or with too few answers."""
    percentile: float | None
    """Percentile rank (0-100); None when T is None."""
    band: Band | None
    """low (T < 40), average, high (T > 60); None when T is None."""
    risk_pole: RiskPole
    """Which end of the trait is the risk."""
    raw: float | None
    """Raw score (Likert mean plus judgement); None when insufficient."""
    note: str | None = None
    """Why there is no score (e.g. too few items answered), if so."""
    t_interval: tuple[float, float] | None = None
    """90 % interval on the true T-score; None when T is None."""
    uncertain_band: bool = False
    """True when the interval reaches another band (the band is not certain)."""
    risk_flagged: bool | None = None
    """True when the profile raised this trait's risky-trait flag (None: unknown, judged from
    the band)."""

    @property
    def at_risk(self) -> bool:
        """True when this trait's risky-trait flag was raised (its interval lies in the risk
        band); for views built without flags, when the band is the trait's risk pole."""
        if self.risk_flagged is not None:
            return self.risk_flagged
        return self.band is not None and self.band == self.risk_pole


@dataclass(frozen=True)
class FitLine:
    """Fit to one role, 0-100."""

    role_id: str
    """The role's id (hunter, farmer, ...)."""
    name: str
    """The role's display name."""
    fit: float | None
    """Fit 0-100; None without norms."""
    best: bool
    """True for the best-fitting role."""
    interval: tuple[float, float] | None = None
    """90 % interval on the fit; None when the fit is None."""
    note: str | None = None
    """Why there is no fit, when there is none."""


@dataclass(frozen=True)
class FlagLine:
    """A red flag and its plain-language reason."""

    title: str
    """Short name of the flag."""
    reason: str
    """Why it was raised, in plain language."""


@dataclass(frozen=True)
class ValidityLine:
    """One validity indicator (value and whether it is out of bounds)."""

    name: str
    """What is measured."""
    value: str
    """The measured value, formatted."""
    flagged: bool
    """True when the value crosses its threshold."""


@dataclass(frozen=True)
class ResultsView:
    """Everything the results screen shows for one candidate."""

    candidate_id: str
    """The candidate's id."""
    name: str | None
    """The candidate's name, if given."""
    role: str | None
    """The role applied for, if given."""
    traits: tuple[TraitLine, ...]
    """Trait scores in questionnaire order."""
    fits: tuple[FitLine, ...]
    """Role fits, best first."""
    flags: tuple[FlagLine, ...]
    """Red flags with reasons."""
    validity: tuple[ValidityLine, ...]
    """Validity indicators."""
    norm_source: str | None
    """Where the norms come from; None when scored without norms."""
    norm_n: int | None
    """Sample size of the norms."""
    provisional: bool
    """True when the norms are provisional."""
    notes: tuple[str, ...] = ()
    """Other messages to show (no norms, forced scoring, likely order-taker, ...)."""
    saved_to: Path | None = None
    """Where the profile file is."""
    hire_command: str | None = None
    """The ``simulate hire`` command that projects this candidate's hire (None without a
    profile file or without T-scores)."""
    opened: bool = False
    """True when the profile was opened from a file (``assess review``), False when it was
    just scored and saved (``assess take``): the panel says "Profile file" or "Profile saved
    to" accordingly."""

    @property
    def title(self) -> str:
        """``Name (id)`` or just the id."""
        return f"{self.name} ({self.candidate_id})" if self.name else self.candidate_id

    def fit_for(self, role_id: str) -> float | None:
        """The fit for ``role_id`` (None when unknown)."""
        for line in self.fits:
            if line.role_id == role_id:
                return line.fit
        return None

    def best_fit(self) -> FitLine | None:
        """The best-fitting role, if any."""
        return next((line for line in self.fits if line.best), None)


def flag_title(code: str, trait_names: dict[str, str]) -> str:
    """A readable title for a red-flag code.

    ``insufficient:closing_urgency`` becomes ``Insufficient: Closing urgency`` and
    ``low_comfort_asking`` becomes ``Low comfort asking``.
    """
    head, _, subject = code.partition(":")
    for pole in ("low", "high"):
        trait_id = head.removeprefix(f"{pole}_")
        if head.startswith(f"{pole}_") and trait_id in trait_names:
            return f"{pole.capitalize()} {trait_names[trait_id].lower()}"
    title = head.replace("_", " ").strip().capitalize()
    if subject:
        title += ": " + trait_names.get(subject, subject.replace("_", " "))
    return title


def validity_lines(profile: Profile) -> tuple[ValidityLine, ...]:
    """The profile's validity indicators as readable lines, flagged where beyond threshold."""
    v = profile.validity
    flags = set(v.flags)
    lines = []
    if v.consistency_disagreement is not None:
        lines.append(
            ValidityLine(
                "Consistency",
                f"pairs differ by {v.consistency_disagreement:.2f} scale points on average "
                f"({v.consistency_pairs_answered} pairs)",
                "inconsistent" in flags,
            )
        )
    if v.attention_checks_answered:
        lines.append(
            ValidityLine(
                "Attention checks",
                f"{v.attention_checks_failed} of {v.attention_checks_answered} failed",
                "attention" in flags,
            )
        )
    if v.social_desirability is not None:
        lines.append(
            ValidityLine(
                "Social desirability",
                f"{v.social_desirability:.2f} on the answer scale",
                "social_desirability" in flags,
            )
        )
    if v.faking_index is not None:
        lines.append(
            ValidityLine(
                "Faking index",
                f"{v.faking_index:+.2f} scale points",
                "faking" in flags,
            )
        )
    lines.append(
        ValidityLine("Same answer in a row", f"at most {v.longstring}", "longstring" in flags)
    )
    if v.irv is not None:
        lines.append(ValidityLine("Answer variability (sd)", f"{v.irv:.2f}", "low_irv" in flags))
    if v.median_ms is not None:
        share = f", {v.too_fast_share:.0%} too fast" if v.too_fast_share is not None else ""
        median = f"{v.median_ms / 1000:.1f} s" if v.median_ms >= 1000 else f"{v.median_ms:.0f} ms"
        lines.append(ValidityLine("Answer speed", f"median {median}{share}", "too_fast" in flags))
    return tuple(lines)


def results_view(
    profile: Profile, saved_to: Path | None = None, *, opened: bool = False
) -> ResultsView:
    """What the results screen shows for ``profile`` (saved at ``saved_to``, if known;
    ``opened``: read from that file rather than just saved there)."""
    codes = {flag.code for flag in profile.red_flags}
    traits = tuple(
        TraitLine(
            trait_id=trait_id,
            name=score.name,
            t=score.t,
            percentile=score.percentile,
            band=score.band,
            risk_pole=score.risk_pole_applied or score.risk_pole,
            raw=score.raw,
            note=(
                f"too few answers ({score.items_answered}/{score.items_total} items)"
                if score.status == "insufficient"
                else None
            ),
            t_interval=score.t_interval,
            uncertain_band=len(score.interval_bands or []) > 1,
            risk_flagged=f"{score.band}_{trait_id}" in codes if score.band else False,
        )
        for trait_id, score in profile.traits.items()
    )
    fits = tuple(
        FitLine(
            role_id=fit.role,
            name=fit.name,
            fit=fit.fit,
            best=fit.role == profile.best_fit,
            interval=fit.fit_interval,
            note=(
                None
                if fit.fit is not None
                else "no fit: a trait it needs has too few answers"
                if profile.norms is not None
                else "no fit without norms"
            ),
        )
        for fit in profile.role_fit
    )
    names = {trait_id: score.name for trait_id, score in profile.traits.items()}
    flags = tuple(FlagLine(flag_title(flag.code, names), flag.reason) for flag in profile.red_flags)
    notes = list(profile.notes)
    if "socially_desirable_responding" in codes:
        notes.insert(
            0,
            "The answers look polished (faking index): read the role fit as an upper bound.",
        )
    if profile.forced:
        notes.append("Scored with --force: the answers were given to a different questionnaire.")
    norms = profile.norms
    return ResultsView(
        candidate_id=profile.candidate.id,
        name=profile.candidate.name,
        role=profile.candidate.role,
        traits=traits,
        fits=fits,
        flags=flags,
        validity=validity_lines(profile),
        norm_source=norms.source if norms else None,
        norm_n=norms.n if norms else None,
        provisional=norms.provisional if norms else False,
        notes=tuple(notes),
        saved_to=saved_to,
        hire_command=(
            projection_command(str(saved_to), profile)
            if saved_to is not None and norms is not None
            else None
        ),
        opened=opened,
    )
