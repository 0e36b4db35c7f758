"""The flat CSV export written straight from score columns, with no object per candidate.

``assess score --format csv`` of 100,000 candidates spent most of its time building
and collecting a :class:`~assess.model.Profile` per candidate only to flatten it again.
:class:`CsvExport` takes the columns :func:`assess.scoring.score_matrix_columns`
returns, batch by batch, and gives exactly the text
:func:`assess.profiles.profiles_csv` gives for the same candidates (a test compares
the two): the same header, cells, red-flag codes and "not distinguishable" marks.
Pure: data in, text out; cells go through :mod:`assess.csvsafe`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assess import csvsafe
from assess.model import Questionnaire, RiskPole
from assess.scoring import (
    ORDER_TAKER_RULE,
    ROLE_MISMATCH_GAP,
    SCORER_VERSION,
    Respondent,
    ScoredColumns,
    band_of,
    inside_risk_band,
    not_distinguishable_from_next,
)

TRAIT_PARTS = ("raw", "t", "t_low", "t_high", "sem", "percentile", "band", "status")
"""The CSV columns of each trait, after its id."""

VALIDITY_COLUMNS = (
    "attention_checks_failed",
    "longstring",
    "irv",
    "consistency_disagreement",
    "social_desirability",
    "too_fast_share",
    "faking_index",
)
"""The validity indicators in the CSV, in order."""

CARELESS_FLAGS = {
    "attention": None,
    "longstring": None,
    "low_irv": "irv",
    "inconsistent": "consistency_disagreement",
    "too_fast": "too_fast_share",
}
"""Validity flags that make a profile's answers careless, each with the indicator that must
be present for the flag to count (as :func:`assess.scoring._careless_reasons` reads them)."""


def _num(value: object) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def csv_header(trait_ids: Sequence[str], roles: Sequence[str]) -> list[str]:
    """The header of the flat CSV for ``roles`` (sorted) and ``trait_ids`` (the one header of
    both writers: this export and :func:`assess.profiles.profiles_csv`)."""
    header = ["candidate_id", "name", "role", "questionnaire", "best_fit"]
    for role in roles:
        header += [f"fit_{role}", f"fit_{role}_low", f"fit_{role}_high", f"fit_{role}_vs_next"]
    for trait_id in trait_ids:
        header += [f"{trait_id}_{part}" for part in TRAIT_PARTS]
    header += [
        *VALIDITY_COLUMNS,
        "validity_flags",
        "red_flags",
        "norms_source",
        "norms_n",
        "norms_provisional",
        "forced",
        "scorer_version",
    ]
    return header


@dataclass
class CsvExport:
    """Collects batches of scored candidates; :meth:`text` gives the whole CSV."""

    q: Questionnaire
    roles: list[str] | None = None
    _heads: list[str] = field(default_factory=list)
    _fits: list[list[str]] = field(default_factory=list)
    _tails: list[str] = field(default_factory=list)
    _fit_values: dict[str, list[float | None]] = field(default_factory=dict)
    _fit_intervals: dict[str, list[tuple[float, float] | None]] = field(default_factory=dict)

    def add(
        self, respondents: Sequence[Respondent], scored: ScoredColumns, forced: Sequence[bool]
    ) -> None:
        """Add one batch (``forced``: per candidate, as the profile would record it)."""
        q = self.q
        c = scored.columns
        role_ids = scored.role_ids
        roles = sorted(role_ids)
        if self.roles is None:
            self.roles = roles
            for role in roles:
                self._fit_values[role] = []
                self._fit_intervals[role] = []
        elif roles != self.roles:  # every batch of a run is scored against the same roles
            raise ValueError("batches scored against different roles")
        csv_column = {role: role_ids.index(role) for role in roles}
        trait_ids = [trait.id for trait in q.traits]
        default_poles = [trait.risk_pole for trait in q.traits]
        role_poles = _role_poles(q)
        rule = ORDER_TAKER_RULE
        rule_traits = [
            trait_ids.index(t) if t in trait_ids else None
            for t in (rule.nurturing, rule.asking, rule.closing, rule.approval)
        ]
        rule_poles = ("high", "low", "low", "high")
        taker = role_ids.index(rule.order_taker_role) if rule.order_taker_role in role_ids else None
        farmer = role_ids.index(rule.farmer_role) if rule.farmer_role in role_ids else None
        flag_names = list(c.flags)
        norms = scored.norms_used
        norms_cells = (
            f"{csvsafe.text_cell(norms.source)},{_num(norms.n)},{_num(norms.provisional)}"
            if norms is not None
            else ",,"
        )
        indicators = c.indicators
        for row, record in enumerate(respondents):
            candidate = record.candidate
            fit_row = c.fit[row] if c.fit is not None else None
            low_row = c.fit_low[row] if c.fit_low is not None else None
            high_row = c.fit_high[row] if c.fit_high is not None else None
            # Best fit: the first highest fit in role order, only when every role is scored.
            best: int | None = None
            if fit_row:
                scored_fits = [(value, i) for i, value in enumerate(fit_row) if value is not None]
                if scored_fits:
                    top = max(value for value, _ in scored_fits)
                    best = next(i for value, i in scored_fits if value == top)
            best_fit = role_ids[best] if best is not None and None not in (fit_row or []) else None

            fits: list[str] = []
            for role in roles:
                column = csv_column[role]
                value = fit_row[column] if fit_row is not None else None
                interval: tuple[float, float] | None = None
                if value is not None and low_row is not None and high_row is not None:
                    low, high = low_row[column], high_row[column]
                    if low is not None and high is not None:
                        interval = (low, high)
                self._fit_values[role].append(value)
                self._fit_intervals[role].append(interval)
                fits.append(
                    f"{_num(value)},{_num(interval[0] if interval else None)},"
                    f"{_num(interval[1] if interval else None)}"
                )

            t_row = c.t[row] if c.t is not None else None
            t_low = c.t_low[row] if c.t_low is not None else None
            t_high = c.t_high[row] if c.t_high is not None else None
            sem_row = c.sem[row] if c.sem is not None else None
            pct_row = c.percentile[row] if c.percentile is not None else None
            raw_row = c.raw[row]
            sufficient = c.sufficient[row]
            poles = role_poles.get(candidate.role or "", {})
            trait_cells: list[str] = []
            insufficient: list[str] = []
            band_flags: list[str] = []
            intervals: list[tuple[float, float] | None] = []
            for column, trait_id in enumerate(trait_ids):
                t = t_row[column] if t_row is not None else None
                band = band_of(t) if t is not None else None
                interval = None
                if t is not None and t_low is not None and t_high is not None:
                    low, high = t_low[column], t_high[column]
                    if low is not None and high is not None:
                        interval = (low, high)
                intervals.append(interval)
                ok = sufficient[column]
                if not ok:
                    insufficient.append(f"insufficient:{trait_id}")
                pole = poles.get(trait_id) or default_poles[column]
                if (
                    band is not None
                    and band == pole
                    and interval is not None
                    and inside_risk_band(pole, interval)
                ):
                    band_flags.append(f"{band}_{trait_id}")
                trait_cells.append(
                    f"{_num(raw_row[column])},{_num(t)},"
                    f"{_num(interval[0] if interval else None)},"
                    f"{_num(interval[1] if interval else None)},"
                    f"{_num(sem_row[column] if sem_row is not None else None)},"
                    f"{_num(pct_row[column] if pct_row is not None else None)},"
                    f"{band or ''},{'ok' if ok else 'insufficient'}"
                )

            raised = [name for name in flag_names if c.flags[name][row]]
            codes: list[str] = []
            if any(
                name in raised and (needs is None or indicators[needs][row] is not None)
                for name, needs in CARELESS_FLAGS.items()
            ):
                codes.append("careless_responding")
            if "faking" in raised or "social_desirability" in raised:
                codes.append("socially_desirable_responding")
            codes += insufficient
            if (
                scored.order_taker is not None
                and scored.order_taker[row]
                and taker is not None
                and farmer is not None
                and fit_row is not None
                and fit_row[taker] is not None
                and fit_row[farmer] is not None
            ) or all(
                index is not None
                and intervals[index] is not None
                and inside_risk_band(pole, intervals[index])  # type: ignore[arg-type]
                for index, pole in zip(rule_traits, rule_poles, strict=True)
            ):
                codes.append("likely_order_taker_as_farmer")
            codes += band_flags
            applied = candidate.role
            if best is not None and applied in role_ids and fit_row is not None:
                applied_fit = fit_row[role_ids.index(applied)]
                best_value = fit_row[best]
                if (
                    role_ids[best] != applied
                    and applied_fit is not None
                    and best_value is not None
                    and best_value - applied_fit >= ROLE_MISMATCH_GAP
                ):
                    codes.append("best_fit_differs_from_role")

            self._heads.append(
                f"{csvsafe.text_cell(candidate.id)},{csvsafe.text_cell(candidate.name)},"
                f"{csvsafe.text_cell(candidate.role)},"
                f"{csvsafe.text_cell(f'{record.questionnaire.id} {record.questionnaire.version}')},"
                f"{csvsafe.text_cell(best_fit)}"
            )
            self._fits.append(fits)
            validity = ",".join(_num(indicators[name][row]) for name in VALIDITY_COLUMNS)
            self._tails.append(
                ",".join(trait_cells) + f",{validity},{csvsafe.text_cell(';'.join(raised))},"
                f"{csvsafe.text_cell(';'.join(codes))},{norms_cells},"
                f"{_num(bool(forced[row]))},{SCORER_VERSION}"
            )

    def text(self) -> str:
        """The whole CSV (header and one row per candidate, in the order added)."""
        roles = self.roles or []
        ties = {
            role: not_distinguishable_from_next(self._fit_values[role], self._fit_intervals[role])
            for role in roles
        }
        header = csv_header([trait.id for trait in self.q.traits], roles)
        lines = [",".join(csvsafe.text_cell(name) for name in header)]
        for number, (head, fits, tail) in enumerate(
            zip(self._heads, self._fits, self._tails, strict=True)
        ):
            parts = [head]
            for role, fit in zip(roles, fits, strict=True):
                parts.append(f"{fit},{'not distinguishable' if ties[role][number] else ''}")
            parts.append(tail)
            lines.append(",".join(parts))
        lines.append("")
        return "\n".join(lines)


def _role_poles(q: Questionnaire) -> dict[str, dict[str, RiskPole]]:
    """Each role's own risk poles (see :func:`assess.scoring._role_risk_poles`)."""
    return {role_id: dict(role.risk_poles or {}) for role_id, role in (q.roles or {}).items()}
