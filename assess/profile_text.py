"""Profile YAML text straight from score columns, for ``assess score --out DIR``.

Writing a folder of profiles built a pydantic :class:`~assess.model.Profile` per
candidate, dumped it to plain data and emitted that as YAML: about 1.5 ms a profile.
:class:`ProfileTexts` writes the same text from the batch's score columns instead:
each number column is formatted once (:func:`assess.bulk_export.number_cells`, the
``repr`` that YAML's representer also writes), the parts every profile shares (the
questionnaire, norms, notes, provenance, names of traits and roles, interpretations)
are emitted once by :class:`~assess.profile_yaml.ProfileEmitter`, and each profile is
a join of those strings.

It does this for the rows it is sure of: a bulk CSV's rows whose traits are all scored,
whose fits and intervals are all there, that raise no validity flag and no red flag
other than a risky trait band, and that IRT does not drive. For any other row it gives
``None`` and the caller builds that profile the general way. The text is the general
way's byte for byte (``tests/assess/test_profile_text.py`` compares the two on varied
answers with hypothesis; the CLI also compares the first row of every batch).

Pure: columns in, text out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.bulk_export import number_cells
from assess.model import (
    Profile,
    Questionnaire,
    QuestionnaireRef,
    RiskPole,
    ScoreProvenance,
    ValidityIndicators,
)
from assess.profile_yaml import ProfileEmitter, UnsureError, float_text
from assess.scoring import (
    ORDER_TAKER_RULE,
    ROLE_MISMATCH_GAP,
    SCORER_VERSION,
    T_HIGH,
    T_LOW,
    Respondent,
    ScoredColumns,
)

_SEQ = ProfileEmitter.SEQUENCE_STEP
_SEQ_PATH = ("red_flags", _SEQ)

_INDICATORS = [name for name in ValidityIndicators.model_fields if name != "flags"]
"""The validity indicators of a profile, in its order."""


def _number_texts(values: npt.NDArray[Any], digits: int) -> list[str]:
    """Each value as the YAML representer writes it (``null`` for NaN)."""
    cells = number_cells(values, digits).astype(str).tolist()
    if values.dtype.kind == "f":
        odd = [i for i, cell in enumerate(cells) if cell == "" or "e" in cell or "n" in cell]
        for i in odd:
            value = float(values[i])
            cells[i] = "null" if value != value else float_text(value)
    return cells


class ProfileTexts:
    """Makes the YAML text of the profiles of one ``assess score`` run from its columns."""

    def __init__(
        self,
        q: Questionnaire,
        provenance: ScoreProvenance | None,
        irt: Any = None,
        emitter: ProfileEmitter | None = None,
    ) -> None:
        self.q = q
        self.emitter = emitter or ProfileEmitter()
        self.irt = irt
        self._provenance = (
            self.emitter.dump({"provenance": provenance.model_dump(mode="json", by_alias=True)})
            if provenance is not None
            else ""
        )
        self._head: dict[tuple[Any, ...], str] = {}
        self._interpretations: dict[tuple[str, str | None], str] = {}
        self._applied: dict[tuple[str, RiskPole | None], str] = {}

    # ------------------------------------------------------------------ helpers

    def _scalar(self, value: Any, path: tuple[Any, ...], column: int) -> str:
        return self.emitter.scalar_text(value, path, column)

    def _section(self, key: str, value: Any) -> str:
        return self.emitter.dump({key: value})

    def _header(self, ref: QuestionnaireRef, scored: ScoredColumns) -> str:
        """From ``schema`` to ``finished``, without the candidate: the part before and after."""
        key = (ref.id, ref.version, ref.sha256)
        found = self._head.get(key)
        if found is None:
            found = self._section("schema", Profile.model_fields["schema_"].default) + self._section(
                "questionnaire", ref.model_dump(mode="json", by_alias=True)
            )
            self._head[key] = found
        return found

    def _interpretation(self, trait_id: str, band: str | None) -> str:
        key = (trait_id, band)
        found = self._interpretations.get(key)
        if found is None:
            text = (self.q.interpretation or {}).get(trait_id, {}).get(band) if band else None
            found = "    interpretation: " + self._scalar(
                text, ("traits", trait_id, "interpretation"), 20
            )
            self._interpretations[key] = found
        return found

    # ------------------------------------------------------------------ the batch

    def texts(
        self,
        respondents: Sequence[Respondent],
        scored: ScoredColumns,
        forced: Sequence[bool],
        irt_scores: Any = None,
        drives: npt.NDArray[np.bool_] | None = None,
        classical_t: npt.NDArray[np.float64] | None = None,
    ) -> list[str | None]:
        """Each row's profile text, or None for a row to build the general way."""
        try:
            return self._texts(respondents, scored, forced, irt_scores, drives, classical_t)
        except UnsureError:  # a name or text the emitter leaves to PyYAML's whole-document path
            return [None] * len(respondents)

    def _texts(
        self,
        respondents: Sequence[Respondent],
        scored: ScoredColumns,
        forced: Sequence[bool],
        irt_scores: Any = None,
        drives: npt.NDArray[np.bool_] | None = None,
        classical_t: npt.NDArray[np.float64] | None = None,
    ) -> list[str | None]:
        q = self.q
        a = scored.arrays
        count = len(respondents)
        if (
            count == 0
            or a.t is None
            or a.fit is None
            or a.t_low is None
            or a.t_high is None
            or a.sem is None
            or a.z is None
            or a.percentile is None
            or a.fit_low is None
            or a.fit_high is None
            or scored.norms_used is None
            or not scored.role_ids
            or (self.irt is None) != (irt_scores is None)
        ):
            return [None] * count
        trait_ids = [trait.id for trait in q.traits]
        role_ids = scored.role_ids

        # Which rows this writes: the rest take the general way.
        regular = a.sufficient.all(axis=1)
        for values in (a.t, a.t_low, a.t_high, a.fit, a.fit_low, a.fit_high):
            regular &= ~np.isnan(values).any(axis=1)
        for mask in a.flags.values():
            regular &= ~mask
        if scored.order_taker is not None:
            regular &= ~np.array(scored.order_taker, dtype=bool)
        with np.errstate(invalid="ignore"):
            whole_high = a.t_low > T_HIGH
            whole_low = a.t_high < T_LOW
            band_high = a.t > T_HIGH
            band_low = a.t < T_LOW
        rule = ORDER_TAKER_RULE
        if all(t_id in trait_ids for t_id in (rule.nurturing, rule.asking, rule.closing)) and (
            rule.approval in trait_ids
        ):
            n, s, c, p = (
                trait_ids.index(t_id)
                for t_id in (rule.nurturing, rule.asking, rule.closing, rule.approval)
            )
            regular &= ~(whole_high[:, n] & whole_low[:, s] & whole_low[:, c] & whole_high[:, p])
        if drives is not None:
            regular &= ~drives
        irt_cols: dict[str, list[str]] = {}
        irt_traits: list[int] = []
        if irt_scores is not None:
            from assess.irt_scoring import block_arrays

            blocks = block_arrays(irt_scores, classical_t)
            irt_traits = [k for k in range(len(trait_ids)) if irt_scores.has_parameters[k]]
            for name in ("t_low", "t_high"):
                regular &= ~np.isnan(blocks[name][:, irt_traits]).any(axis=1)
            for k in irt_traits:
                for name, digits in (
                    ("theta", 3),
                    ("sd", 3),
                    ("t", 1),
                    ("t_low", 1),
                    ("t_high", 1),
                    ("answered", 0),
                    ("classical_t", 1),
                ):
                    if blocks[name] is None:
                        irt_cols[f"{name}{k}"] = ["null"] * count
                    else:
                        irt_cols[f"{name}{k}"] = _number_texts(blocks[name][:, k], digits)

        # Role fit, best first (ties in questionnaire order, as a stable sort by -fit).
        order = np.argsort(-a.fit, axis=1, kind="stable")
        rows = np.arange(count)
        best = order[:, 0]
        roles_applied: list[str | None] = []
        header_ok: list[bool] = []
        first_ref = respondents[0].questionnaire
        for record in respondents:
            roles_applied.append(record.candidate.role)
            header_ok.append(
                record.started is None
                and record.finished is None
                and record.questionnaire == first_ref
                and getattr(record, "order", None) is None
            )
        regular &= np.array(header_ok, dtype=bool)
        applied_index = np.array(
            [role_ids.index(r) if r in role_ids else -1 for r in roles_applied], dtype=np.int64
        )
        known = applied_index >= 0
        applied_fit = a.fit[rows, np.where(known, applied_index, 0)]
        best_fit = a.fit[rows, best]
        regular &= ~(known & (best != applied_index) & (best_fit - applied_fit >= ROLE_MISMATCH_GAP))

        # Risky-band red flags (the applied role's pole, else the trait's).
        poles = np.array(
            [[self._pole(role, trait_id) for trait_id in trait_ids] for role in roles_applied],
            dtype=object,
        ).reshape(count, len(trait_ids))
        flag_high = (poles == "high") & band_high & whole_high
        flag_low = (poles == "low") & band_low & whole_low

        fmt = {
            "raw": [_number_texts(a.raw[:, k], 3) for k in range(len(trait_ids))],
            "likert": [_number_texts(a.likert[:, k], 3) for k in range(len(trait_ids))],
            "judgement": [_number_texts(a.judgement[:, k], 3) for k in range(len(trait_ids))],
            "z": [_number_texts(a.z[:, k], 3) for k in range(len(trait_ids))],
            "t": [_number_texts(a.t[:, k], 1) for k in range(len(trait_ids))],
            "sem": [_number_texts(a.sem[:, k], 1) for k in range(len(trait_ids))],
            "t_low": [_number_texts(a.t_low[:, k], 1) for k in range(len(trait_ids))],
            "t_high": [_number_texts(a.t_high[:, k], 1) for k in range(len(trait_ids))],
            "percentile": [_number_texts(a.percentile[:, k], 1) for k in range(len(trait_ids))],
            "answered": [_number_texts(a.answered[:, k], 0) for k in range(len(trait_ids))],
        }
        fits = [_number_texts(a.fit[:, j], 1) for j in range(len(role_ids))]
        fit_lows = [_number_texts(a.fit_low[:, j], 1) for j in range(len(role_ids))]
        fit_highs = [_number_texts(a.fit_high[:, j], 1) for j in range(len(role_ids))]
        indicators = {
            name: _number_texts(a.indicators[name], 3 if name != "median_ms" else 1)
            for name in _INDICATORS
        }

        head = self._header(first_ref, scored)
        between = (
            self._section("started", None)
            + self._section("finished", None)
            + self._section("scorer_version", SCORER_VERSION)
        )
        norms_notes = self._section(
            "norms", scored.norms_used.model_dump(mode="json", by_alias=True)
        ) + self._section("notes", list(scored.notes))
        role_parts = [
            (
                "- role: " + self._scalar(role_id, ("role_fit", _SEQ, "role"), 8) + "\n"
                "  name: "
                + self._scalar((q.roles or {})[role_id].name, ("role_fit", _SEQ, "name"), 8)
                + "\n  fit: ",
                "best_fit: " + self._scalar(role_id, ("best_fit",), 10) + "\n",
            )
            for role_id in role_ids
        ]
        trait_heads = []
        for trait in q.traits:
            trait_heads.append(
                f"  {trait.id}:\n    name: "
                + self._scalar(trait.name, ("traits", trait.id, "name"), 10)
                + "\n    risk_pole: "
                + self._scalar(trait.risk_pole, ("traits", trait.id, "risk_pole"), 15)
                + "\n    raw: "
            )
        irt_head = ""
        if self.irt is not None:
            irt_head = (
                "irt:\n  parameters: "
                + self._scalar(self.irt.source, ("irt", "parameters"), 14)
                + "\n  parameters_sha256: "
                + self._scalar(self.irt.sha256(), ("irt", "parameters_sha256"), 21)
                + "\n  provisional: "
                + ("true" if self.irt.provisional else "false")
                + "\n  drives: false\n  traits:\n"
            )

        out: list[str | None] = [None] * count
        t_rows = a.t.tolist()
        t_lows = a.t_low.tolist()
        t_highs = a.t_high.tolist()
        regular_rows = np.flatnonzero(regular).tolist()
        order_rows = order.tolist()
        flag_high_rows = flag_high.tolist()
        flag_low_rows = flag_low.tolist()
        totals = [str(int(x)) for x in a.total.tolist()]
        for row in regular_rows:
            record = respondents[row]
            candidate = record.candidate
            role = candidate.role
            parts = [
                head,
                self._section("candidate", candidate.model_dump(mode="json", by_alias=True)),
                between,
                "forced: true\n" if forced[row] else "forced: false\n",
                norms_notes,
                "traits:\n",
            ]
            red: list[str] = []
            t_row, lo_row, hi_row = t_rows[row], t_lows[row], t_highs[row]
            for k, trait in enumerate(q.traits):
                t_value, lo, hi = t_row[k], lo_row[k], hi_row[k]
                band = "low" if t_value < T_LOW else "high" if t_value > T_HIGH else "average"
                bands = (
                    ("    - low\n" if lo < T_LOW else "")
                    + ("    - average\n" if lo <= T_HIGH and hi >= T_LOW else "")
                    + ("    - high\n" if hi > T_HIGH else "")
                )
                applied = self._applied_text(trait.id, role)
                parts.append(
                    f"{trait_heads[k]}{fmt['raw'][k][row]}\n"
                    f"    likert: {fmt['likert'][k][row]}\n"
                    f"    judgement: {fmt['judgement'][k][row]}\n"
                    f"    z: {fmt['z'][k][row]}\n"
                    f"    t: {fmt['t'][k][row]}\n"
                    f"    sem: {fmt['sem'][k][row]}\n"
                    f"    t_interval:\n    - {fmt['t_low'][k][row]}\n    - {fmt['t_high'][k][row]}\n"
                    f"    interval_bands:\n{bands}"
                    f"{applied}"
                    f"    percentile: {fmt['percentile'][k][row]}\n"
                    f"    band: {band}\n"
                    f"    items_answered: {fmt['answered'][k][row]}\n"
                    f"    items_total: {totals[k]}\n"
                    f"    status: ok\n"
                    f"{self._interpretation(trait.id, band)}\n"
                )
                if flag_high_rows[row][k] or flag_low_rows[row][k]:
                    red.append(self._band_flag(trait.id, band, t_value, lo, hi, role))
            parts.append("role_fit:\n")
            for j in order_rows[row]:
                parts.append(
                    f"{role_parts[j][0]}{fits[j][row]}\n  fit_interval:\n"
                    f"  - {fit_lows[j][row]}\n  - {fit_highs[j][row]}\n"
                )
            parts.append(role_parts[order_rows[row][0]][1])
            parts.append("validity:\n")
            for name, cells in indicators.items():
                parts.append(f"  {name}: {cells[row]}\n")
            parts.append("  flags: []\n")
            if red:
                parts.append("red_flags:\n")
                parts.extend(red)
            else:
                parts.append("red_flags: []\n")
            if irt_head:
                parts.append(irt_head)
                for k in irt_traits:
                    parts.append(
                        f"    {trait_ids[k]}:\n"
                        f"      theta: {irt_cols[f'theta{k}'][row]}\n"
                        f"      sd: {irt_cols[f'sd{k}'][row]}\n"
                        f"      t: {irt_cols[f't{k}'][row]}\n"
                        f"      t_interval:\n"
                        f"      - {irt_cols[f't_low{k}'][row]}\n"
                        f"      - {irt_cols[f't_high{k}'][row]}\n"
                        f"      items_answered: {irt_cols[f'answered{k}'][row]}\n"
                        f"      classical_t: {irt_cols[f'classical_t{k}'][row]}\n"
                    )
            parts.append(self._provenance)
            out[row] = "".join(parts)
        return out

    def _pole(self, role: str | None, trait_id: str) -> str:
        """The risk pole that applies: the applied role's own, else the trait's."""
        roles = self.q.roles or {}
        own = roles[role].risk_poles if role is not None and role in roles else None
        found = (own or {}).get(trait_id)
        return found or next(t.risk_pole for t in self.q.traits if t.id == trait_id)

    def _applied_text(self, trait_id: str, role: str | None) -> str:
        roles = self.q.roles or {}
        own = roles[role].risk_poles if role is not None and role in roles else None
        pole = (own or {}).get(trait_id)
        key = (trait_id, pole)
        found = self._applied.get(key)
        if found is None:
            found = (
                "    risk_pole_applied: "
                + self._scalar(pole, ("traits", trait_id, "risk_pole_applied"), 23)
                + "\n"
            )
            self._applied[key] = found
        return found

    def _band_flag(
        self, trait_id: str, band: str, t: float, low: float, high: float, role: str | None
    ) -> str:
        """One risky-band red flag, as :func:`assess.scoring._red_flags` words it."""
        q = self.q
        trait = next(x for x in q.traits if x.id == trait_id)
        roles = q.roles or {}
        own = roles[role].risk_poles if role is not None and role in roles else None
        applied = (own or {}).get(trait_id)
        interpretation = (q.interpretation or {}).get(trait_id, {}).get(band) or trait.description
        for_role = " for this role" if applied is not None else ""
        reason = (
            f"{trait.name} is {band} (T {t:.1f}, 90 % interval {low:.1f}–{high:.1f}, all of it "
            f"{band}), the risky end of this trait{for_role}. {interpretation}"
        ).strip()
        code = f"{band}_{trait_id}"
        return (
            "- code: "
            + self._scalar(code, (*_SEQ_PATH, "code"), 8)
            + "\n  reason: "
            + self._scalar(reason, (*_SEQ_PATH, "reason"), 10)
            + "\n"
        )
