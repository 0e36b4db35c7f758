"""Profile YAML text straight from score columns, for ``assess score --out DIR``.

Writing a folder of profiles built a pydantic :class:`~assess.model.Profile` per
candidate, dumped it to plain data and emitted that as YAML: about 1.5 ms a profile.
:class:`ProfileTexts` writes the same text from the batch's score columns instead:
each number column is formatted once (:func:`assess.bulk_export.number_cells`, the
``repr`` that YAML's representer also writes), the parts every profile shares (the
questionnaire, norms, notes, provenance, names of traits and roles, interpretations)
are emitted once by :class:`~assess.profile_yaml.ProfileEmitter`, and each profile is
a join of those strings.

It does this for the rows it is sure of: rows of a bulk CSV (no start or finish time, no
order shown) whose traits are all scored and whose fits and intervals are all there, that
IRT does not drive; their validity flags and every red flag but ``insufficient:<trait>``
are written here, worded by the same helpers as the profile's
(:func:`assess.scoring.band_reason` and its siblings). For any other row it gives ``None``
and the caller builds that profile the general way. The text is the general way's byte for
byte (``tests/assess/test_profile_text.py`` compares the two on odd and on varied answers
with hypothesis; ``assess score --out`` also compares the first row of every batch, and
writes the whole batch the general way should they ever differ).

Pure: columns in, text out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.bulk_export import number_cells
from assess.model import (
    Candidate,
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
    band_reason,
    careless_reason,
    careless_reason_parts,
    mismatch_reason,
    order_taker_band_reason,
    order_taker_fit_reason,
    order_taker_traits_text,
    polished_reason,
)

_SEQ = ProfileEmitter.SEQUENCE_STEP
_SEQ_PATH = ("red_flags", _SEQ)

BAND_FLAGS_KEPT = 50_000
"""Risky-band red flags remembered by their values before the memory is cleared."""

_INDICATORS = [name for name in ValidityIndicators.model_fields if name != "flags"]
"""The validity indicators of a profile, in its order."""


def _number_texts(values: npt.NDArray[Any], digits: int) -> list[str]:
    """Each value as the YAML representer writes it (``null`` for NaN): the ``repr`` that
    :func:`~assess.bulk_export.number_cells` gives, except for the values whose ``repr``
    has an exponent or is not a number."""
    if len(values) == 0:
        return []
    texts = b"\n".join(number_cells(values, digits).tolist()).decode("ascii").split("\n")
    if values.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            size = np.abs(values)
            odd = ~np.isfinite(values) | (size >= 1e16) | ((size < 1e-4) & (size > 0))
        for i in np.flatnonzero(odd).tolist():
            value = float(values[i])
            texts[i] = "null" if value != value else float_text(value)
    return texts


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
        self._band_flags: dict[tuple[Any, ...], str] = {}
        self._plain_candidate = list(Candidate.model_fields) == ["id", "name", "role"] and all(
            field.alias is None for field in Candidate.model_fields.values()
        )
        self._rule_names: list[str] = []
        self._rule_columns: list[int] = []
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
            found = self._section(
                "schema", Profile.model_fields["schema_"].default
            ) + self._section("questionnaire", ref.model_dump(mode="json", by_alias=True))
            self._head[key] = found
        return found

    def _interpretation(self, trait_id: str, band: str | None) -> str:
        key = (trait_id, band)
        found = self._interpretations.get(key)
        if found is None:
            texts = {str(k): v for k, v in (self.q.interpretation or {}).get(trait_id, {}).items()}
            text = texts.get(band) if band else None
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
        with np.errstate(invalid="ignore"):
            whole_high = a.t_low > T_HIGH
            whole_low = a.t_high < T_LOW
            band_high = a.t > T_HIGH
            band_low = a.t < T_LOW
        rule = ORDER_TAKER_RULE
        rule_ids = (rule.nurturing, rule.asking, rule.closing, rule.approval)
        rule_columns = [trait_ids.index(t_id) for t_id in rule_ids if t_id in trait_ids]
        by_bands = np.zeros(count, dtype=bool)
        if len(rule_columns) == len(rule_ids):
            n, s_, c_, p = rule_columns
            by_bands = whole_high[:, n] & whole_low[:, s_] & whole_low[:, c_] & whole_high[:, p]
        by_fits = (
            np.array(scored.order_taker, dtype=bool)
            if scored.order_taker is not None
            else np.zeros(count, dtype=bool)
        )
        if drives is not None:
            regular &= ~drives
        irt_traits: list[int] = []
        blocks: dict[str, Any] = {}
        if irt_scores is not None:
            from assess.irt_scoring import block_arrays

            blocks = block_arrays(irt_scores, classical_t)
            irt_traits = [k for k in range(len(trait_ids)) if irt_scores.has_parameters[k]]
            if not irt_traits:  # an empty block ("traits: {}"): the general way
                return [None] * count
            for name in ("t_low", "t_high"):
                regular &= ~np.isnan(blocks[name][:, irt_traits]).any(axis=1)

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
        mismatch = known & (best != applied_index) & (best_fit - applied_fit >= ROLE_MISMATCH_GAP)

        # Risky-band red flags (the applied role's pole, else the trait's).
        pole_rows = {role: self._poles(role) for role in set(roles_applied)}
        poles = np.array([pole_rows[role] for role in roles_applied], dtype=np.int8).reshape(
            count, len(trait_ids)
        )
        flag_high = (poles == 1) & band_high & whole_high
        flag_low = (poles == 2) & band_low & whole_low

        # From here on, only the rows written from the columns.
        sel = np.flatnonzero(regular)
        out: list[str | None] = [None] * count
        if len(sel) == 0:
            return out
        c = scored.columns
        records = [respondents[row] for row in sel.tolist()]
        roles_sel = [roles_applied[row] for row in sel.tolist()]

        def numbers(values: npt.NDArray[Any], digits: int) -> list[str]:
            return _number_texts(values[sel], digits)

        bands_text = [
            "".join(
                text
                for bit, text in ((1, "    - low\n"), (2, "    - average\n"), (4, "    - high\n"))
                if code & bit
            )
            for code in range(8)
        ]
        band_names = ["average", "low", "high"]
        totals = [str(int(x)) for x in a.total.tolist()]
        trait_blocks: list[list[str]] = []
        for k, trait in enumerate(q.traits):
            t, lo, hi = a.t[sel, k], a.t_low[sel, k], a.t_high[sel, k]
            band = np.where(t < T_LOW, 1, np.where(t > T_HIGH, 2, 0)).tolist()
            reached = (
                (lo < T_LOW).astype(np.int8)
                + 2 * ((lo <= T_HIGH) & (hi >= T_LOW))
                + 4 * (hi > T_HIGH)
            ).tolist()
            applied = {role: self._applied_text(trait.id, role) for role in set(roles_sel)}
            tail = [
                f"    status: ok\n{self._interpretation(trait.id, name)}\n" for name in band_names
            ]
            head = (
                f"  {trait.id}:\n    name: "
                + self._scalar(trait.name, ("traits", trait.id, "name"), 10)
                + "\n    risk_pole: "
                + self._scalar(trait.risk_pole, ("traits", trait.id, "risk_pole"), 15)
                + "\n    raw: "
            )
            total = totals[k]
            trait_blocks.append(
                [
                    f"{head}{raw}\n    likert: {likert}\n    judgement: {judgement}\n"
                    f"    z: {z}\n    t: {t_text}\n    sem: {sem}\n"
                    f"    t_interval:\n    - {low}\n    - {high}\n"
                    f"    interval_bands:\n{bands_text[code]}{applied[role]}"
                    f"    percentile: {percentile}\n    band: {band_names[b]}\n"
                    f"    items_answered: {answered}\n    items_total: {total}\n{tail[b]}"
                    for (
                        raw,
                        likert,
                        judgement,
                        z,
                        t_text,
                        sem,
                        low,
                        high,
                        code,
                        role,
                        percentile,
                        b,
                        answered,
                    ) in zip(
                        numbers(a.raw[:, k], 3),
                        numbers(a.likert[:, k], 3),
                        numbers(a.judgement[:, k], 3),
                        numbers(a.z[:, k], 3),
                        numbers(a.t[:, k], 1),
                        numbers(a.sem[:, k], 1),
                        numbers(a.t_low[:, k], 1),
                        numbers(a.t_high[:, k], 1),
                        reached,
                        roles_sel,
                        numbers(a.percentile[:, k], 1),
                        band,
                        numbers(a.answered[:, k], 0),
                        strict=True,
                    )
                ]
            )

        role_entries: list[list[str]] = []
        best_lines = []
        for j, role_id in enumerate(role_ids):
            head = (
                "- role: "
                + self._scalar(role_id, ("role_fit", _SEQ, "role"), 8)
                + "\n  name: "
                + self._scalar((q.roles or {})[role_id].name, ("role_fit", _SEQ, "name"), 8)
                + "\n  fit: "
            )
            role_entries.append(
                [
                    f"{head}{fit}\n  fit_interval:\n  - {low}\n  - {high}\n"
                    for fit, low, high in zip(
                        numbers(a.fit[:, j], 1),
                        numbers(a.fit_low[:, j], 1),
                        numbers(a.fit_high[:, j], 1),
                        strict=True,
                    )
                ]
            )
            best_lines.append("best_fit: " + self._scalar(role_id, ("best_fit",), 10) + "\n")
        order_sel = order[sel].tolist()

        validity_rows = [
            "".join(cells)
            for cells in zip(
                *(
                    [f"  {name}: {text}\n" for text in numbers(a.indicators[name], digits)]
                    for name, digits in ((n, 1 if n == "median_ms" else 3) for n in _INDICATORS)
                ),
                strict=True,
            )
        ]

        irt_rows: list[str] = [""] * len(sel)
        if irt_scores is not None and self.irt is not None:
            irt_head = (
                "irt:\n  parameters: "
                + self._scalar(self.irt.source, ("irt", "parameters"), 14)
                + "\n  parameters_sha256: "
                + self._scalar(self.irt.sha256(), ("irt", "parameters_sha256"), 21)
                + "\n  provisional: "
                + ("true" if self.irt.provisional else "false")
                + "\n  drives: false\n  traits:\n"
            )
            per_trait = []
            for k in irt_traits:
                classical = (
                    numbers(blocks["classical_t"][:, k], 1)
                    if blocks["classical_t"] is not None
                    else ["null"] * len(sel)
                )
                per_trait.append(
                    [
                        f"    {trait_ids[k]}:\n      theta: {theta}\n      sd: {sd}\n"
                        f"      t: {t}\n      t_interval:\n      - {low}\n      - {high}\n"
                        f"      items_answered: {answered}\n      classical_t: {classic}\n"
                        for theta, sd, t, low, high, answered, classic in zip(
                            numbers(blocks["theta"][:, k], 3),
                            numbers(blocks["sd"][:, k], 3),
                            numbers(blocks["t"][:, k], 1),
                            numbers(blocks["t_low"][:, k], 1),
                            numbers(blocks["t_high"][:, k], 1),
                            numbers(blocks["answered"][:, k], 0),
                            classical,
                            strict=True,
                        )
                    ]
                )
            irt_rows = [irt_head + "".join(parts) for parts in zip(*per_trait, strict=True)]

        head = self._header(first_ref, scored)
        between = (
            self._section("started", None)
            + self._section("finished", None)
            + self._section("scorer_version", SCORER_VERSION)
        )
        norms_notes = (
            self._section("norms", scored.norms_used.model_dump(mode="json", by_alias=True))
            + self._section("notes", list(scored.notes))
            + "traits:\n"
        )
        flag_rows = {name: mask[sel].tolist() for name, mask in a.flags.items()}
        any_flag = (
            np.column_stack([mask[sel] for mask in a.flags.values()]).any(axis=1)
            if a.flags
            else np.zeros(len(sel), dtype=bool)
        )
        red_any = (
            any_flag
            | by_fits[sel]
            | by_bands[sel]
            | mismatch[sel]
            | flag_high[sel].any(axis=1)
            | flag_low[sel].any(axis=1)
        ).tolist()
        self._rule_names = [q.traits[k].name for k in rule_columns]
        self._rule_columns = rule_columns
        for index, row in enumerate(sel.tolist()):
            candidate = records[index].candidate
            parts = [
                head,
                self._candidate(candidate),
                between,
                "forced: true\n" if forced[row] else "forced: false\n",
                norms_notes,
            ]
            parts.extend(block[index] for block in trait_blocks)
            parts.append("role_fit:\n")
            ranked = order_sel[index]
            parts.extend(role_entries[j][index] for j in ranked)
            parts.append(best_lines[ranked[0]])
            parts.append("validity:\n")
            parts.append(validity_rows[index])
            if not red_any[index]:
                parts.append("  flags: []\nred_flags: []\n")
            else:
                raised = [name for name, mask in flag_rows.items() if mask[index]]
                if raised:
                    parts.append("  flags:\n")
                    parts.extend(self._flag_line(name) for name in raised)
                else:
                    parts.append("  flags: []\n")
                red = [
                    *self._validity_flags(raised, row, c),
                    *self._order_taker_flag(row, c, by_fits, by_bands, role_ids),
                ]
                role = candidate.role
                for k, trait in enumerate(q.traits):
                    if flag_high[row, k] or flag_low[row, k]:
                        red.append(
                            self._band_flag(
                                trait.id,
                                "high" if flag_high[row, k] else "low",
                                float(a.t[row, k]),
                                float(a.t_low[row, k]),
                                float(a.t_high[row, k]),
                                role,
                            )
                        )
                if mismatch[row]:
                    red.append(self._mismatch_flag(row, c, role_ids, role, ranked[0]))
                parts.append("red_flags:\n" if red else "red_flags: []\n")
                parts.extend(red)
            parts.append(irt_rows[index])
            parts.append(self._provenance)
            out[row] = "".join(parts)
        return out

    def _flag_line(self, name: str) -> str:
        return "  - " + self._scalar(name, ("validity", "flags", _SEQ), 4) + "\n"

    def _red_flag(self, code: str, reason: str) -> str:
        return (
            "- code: "
            + self._scalar(code, (*_SEQ_PATH, "code"), 8)
            + "\n  reason: "
            + self._scalar(reason, (*_SEQ_PATH, "reason"), 10)
            + "\n"
        )

    def _validity_flags(self, raised: list[str], row: int, c: Any) -> list[str]:
        """The careless and polished red flags of ``row`` (``raised``: its validity flags)."""
        if not raised:
            return []
        ind = c.indicators
        out = []
        careless = careless_reason_parts(
            raised,
            ind["attention_checks_failed"][row],
            ind["attention_checks_answered"][row],
            ind["longstring"][row],
            ind["irv"][row],
            ind["consistency_disagreement"][row],
            ind["too_fast_share"][row],
        )
        if careless:
            out.append(self._red_flag("careless_responding", careless_reason(careless)))
        if "faking" in raised or "social_desirability" in raised:
            reason = polished_reason(
                self.q, raised, ind["faking_index"][row], ind["social_desirability"][row]
            )
            out.append(self._red_flag("socially_desirable_responding", reason))
        return out

    def _order_taker_flag(
        self,
        row: int,
        c: Any,
        by_fits: npt.NDArray[np.bool_],
        by_bands: npt.NDArray[np.bool_],
        role_ids: list[str],
    ) -> list[str]:
        """The ``likely_order_taker_as_farmer`` red flag of ``row``, if raised."""
        if not (by_fits[row] or by_bands[row]):
            return []
        rule = ORDER_TAKER_RULE
        t_row = c.t[row]
        traits = order_taker_traits_text(
            [(self.q.traits[k].name, t_row[k]) for k in self._rule_columns]
        )
        roles = self.q.roles or {}
        if by_fits[row]:
            ot, farmer = role_ids.index(rule.order_taker_role), role_ids.index(rule.farmer_role)
            reason = order_taker_fit_reason(
                roles[rule.order_taker_role].name,
                roles[rule.farmer_role].name,
                c.fit[row][ot],
                c.fit[row][farmer],
                traits,
            )
        else:
            reason = order_taker_band_reason(self._rule_names, traits)
        return [self._red_flag("likely_order_taker_as_farmer", reason)]

    def _mismatch_flag(
        self, row: int, c: Any, role_ids: list[str], applied: str | None, best: int
    ) -> str:
        roles = self.q.roles or {}
        if applied is None:
            raise ValueError("a mismatch needs a role applied for")
        reason = mismatch_reason(
            roles[applied].name,
            c.fit[row][role_ids.index(applied)],
            roles[role_ids[best]].name,
            c.fit[row][best],
        )
        return self._red_flag("best_fit_differs_from_role", reason)

    def _poles(self, role: str | None) -> list[int]:
        """Per trait, the risk pole that applies (0 none, 1 high, 2 low): the applied role's
        own, else the trait's."""
        roles = self.q.roles or {}
        own = (roles[role].risk_poles if role is not None and role in roles else None) or {}
        code = {"none": 0, "high": 1, "low": 2}
        return [code[own.get(trait.id) or trait.risk_pole] for trait in self.q.traits]

    def _candidate(self, candidate: Candidate) -> str:
        """The ``candidate:`` section."""
        if not self._plain_candidate:
            return self._section("candidate", candidate.model_dump(mode="json", by_alias=True))
        return (
            "candidate:\n  id: "
            + self._scalar(candidate.id, ("candidate", "id"), 6)
            + "\n  name: "
            + self._scalar(candidate.name, ("candidate", "name"), 8)
            + "\n  role: "
            + self._scalar(candidate.role, ("candidate", "role"), 8)
            + "\n"
        )

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
        """One risky-band red flag (remembered: the same T and interval recur)."""
        key = (trait_id, band, t, low, high, role)
        found = self._band_flags.get(key)
        if found is None:
            found = self._band_flag_text(trait_id, band, t, low, high, role)
            if len(self._band_flags) > BAND_FLAGS_KEPT:
                self._band_flags.clear()
            self._band_flags[key] = found
        return found

    def _band_flag_text(
        self, trait_id: str, band: str, t: float, low: float, high: float, role: str | None
    ) -> str:
        q = self.q
        trait = next(x for x in q.traits if x.id == trait_id)
        roles = q.roles or {}
        own = roles[role].risk_poles if role is not None and role in roles else None
        applied = (own or {}).get(trait_id)
        texts = {str(k): v for k, v in (q.interpretation or {}).get(trait_id, {}).items()}
        interpretation = texts.get(band) or trait.description
        reason = band_reason(trait.name, band, t, (low, high), applied is not None, interpretation)
        return self._red_flag(f"{band}_{trait_id}", reason)
