"""One questionnaire, one sample: reliability per trait, careless respondents, fairness, norms.

Pure: takes a :class:`~assess.model.Questionnaire` and answer arrays, returns
frozen dataclasses and the ``repfit.analysis/1`` dictionary; no files, no
terminal. ``assess analyze`` and ``assess norms`` are thin layers over
:func:`analyze_sample` and :func:`sample_norms`.

The per-person validity indices (long-string, intra-individual variability,
consistency-pair disagreement, attention checks, too-fast answers) are the
same functions the profiles use (:mod:`assess.validity`); only Mahalanobis
distance needs the sample, so it lives here and never in a profile.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from assess import jsonout, scoring, validity
from assess import psychometrics as psy
from assess.model import Norms, NormsFile, Questionnaire, TraitNorm
from assess.validity import CARELESS_FLAGS, DEFAULT_THRESHOLDS, ValidityThresholds

FloatArray = npt.NDArray[np.float64]

ANALYSIS_SCHEMA = "repfit.analysis/1"
"""Schema name and major version of the JSON ``assess analyze`` writes."""

DECISION_NOTE = (
    "These scores support, and must not replace, a structured hiring decision: use them "
    "next to structured interviews, work samples and references, never as the only gate."
)
"""Said by every analysis report and the README."""

SAMPLE_FLAGS = ("even_odd", "synonyms", "mahalanobis")
"""Careless-responding flags computed here, beyond the per-person ones of the profiles."""

FLAG_NAMES = (*CARELESS_FLAGS, *SAMPLE_FLAGS)
"""Every careless-responding flag, in the order a respondent's flags are listed."""


@dataclass(frozen=True)
class AnalysisOptions:
    """How to analyse a sample; every threshold is overridable."""

    missing: psy.MissingPolicy = "pairwise"
    """Missing answers in reliability: pairwise-complete covariances, or complete respondents."""
    careless: psy.CarelessThresholds = field(default_factory=psy.CarelessThresholds)
    """Cut-offs for even-odd, synonyms and Mahalanobis distance."""
    validity: ValidityThresholds = DEFAULT_THRESHOLDS
    """Cut-offs for the per-person indices (the profiles' own thresholds)."""
    fit_threshold: float = 60.0
    """Role fit (0–100) at or above which a respondent counts as selected (fairness)."""


@dataclass(frozen=True)
class RespondentCareless:
    """Careless-responding indicators of one respondent."""

    candidate_id: str
    """The respondent."""
    longstring: int
    """Longest run of identical consecutive Likert answers."""
    irv: float
    """Intra-individual response variability: sd of the Likert answers (profiles' definition)."""
    even_odd: float
    """Even-odd consistency (Spearman–Brown corrected; higher = more consistent)."""
    synonyms: float
    """Within-person correlation over the declared consistency pairs."""
    consistency_disagreement: float
    """Mean absolute difference over the consistency pairs after keying (scale points)."""
    attention_failed: int
    """Failed attention checks."""
    median_ms: float
    """Median answer time in milliseconds (``NaN`` without times)."""
    too_fast_share: float
    """Share of timed answers below the too-fast threshold (``NaN`` without times)."""
    mahalanobis_d2: float
    """Mahalanobis D² over the trait items (``NaN`` when the sample is too small)."""
    mahalanobis_p: float
    """Chi-square p-value of D² (df = number of items)."""
    flags: tuple[str, ...]
    """Names of the indicators beyond their threshold."""


@dataclass(frozen=True)
class CarelessArrays:
    """Every careless-responding indicator of a sample as arrays, one entry per respondent in
    input order (the fields of :class:`RespondentCareless`; no object per respondent)."""

    candidate_ids: list[str]
    """The respondents."""
    longstring: npt.NDArray[np.int64]
    """Longest run of identical consecutive Likert answers."""
    irv: FloatArray
    """Intra-individual response variability (sd of the Likert answers)."""
    even_odd: FloatArray
    """Even-odd consistency (Spearman–Brown corrected)."""
    synonyms: FloatArray
    """Within-person correlation over the declared consistency pairs."""
    consistency_disagreement: FloatArray
    """Mean absolute difference over the consistency pairs after keying (scale points)."""
    attention_failed: npt.NDArray[np.int64]
    """Failed attention checks."""
    median_ms: FloatArray
    """Median answer time in milliseconds (``NaN`` without times)."""
    too_fast_share: FloatArray
    """Share of timed answers below the too-fast threshold (``NaN`` without times)."""
    mahalanobis_d2: FloatArray
    """Mahalanobis D² over the trait items (``NaN`` when not computed)."""
    mahalanobis_p: FloatArray
    """Chi-square p-value of D²."""
    raised: npt.NDArray[np.bool_]
    """Respondents × :data:`FLAG_NAMES`: True where the indicator is beyond its threshold."""

    def __len__(self) -> int:
        return len(self.candidate_ids)

    def flagged_mask(self) -> npt.NDArray[np.bool_]:
        """True for each respondent with at least one flag."""
        return np.asarray(self.raised.any(axis=1), dtype=np.bool_)

    def flag_counts(self) -> dict[str, int]:
        """Flag name -> how many respondents have it (in :data:`FLAG_NAMES` order)."""
        counts = self.raised.sum(axis=0).tolist()
        return dict(zip(FLAG_NAMES, counts, strict=True))

    def flag_lists(self) -> list[list[str]]:
        """Each respondent's flag names (an empty list for most)."""
        flagged: list[list[str]] = [[] for _ in range(len(self))]
        for row in np.flatnonzero(self.flagged_mask()).tolist():
            on = self.raised[row].tolist()
            flagged[row] = [name for name, up in zip(FLAG_NAMES, on, strict=True) if up]
        return flagged

    def record(self, row: int) -> RespondentCareless:
        """One respondent's indicators as a record."""
        return RespondentCareless(
            candidate_id=self.candidate_ids[row],
            longstring=int(self.longstring[row]),
            irv=float(self.irv[row]),
            even_odd=float(self.even_odd[row]),
            synonyms=float(self.synonyms[row]),
            consistency_disagreement=float(self.consistency_disagreement[row]),
            attention_failed=int(self.attention_failed[row]),
            median_ms=float(self.median_ms[row]),
            too_fast_share=float(self.too_fast_share[row]),
            mahalanobis_d2=float(self.mahalanobis_d2[row]),
            mahalanobis_p=float(self.mahalanobis_p[row]),
            flags=tuple(
                name for name, up in zip(FLAG_NAMES, self.raised[row].tolist(), strict=True) if up
            ),
        )

    def json_columns(self) -> jsonout.RecordColumns:
        """The ``careless.respondents`` block of the JSON document (candidate id -> the
        fields of :func:`_careless_dict`), column by column."""
        return jsonout.RecordColumns(
            keys=self.candidate_ids,
            columns={
                "longstring": self.longstring.tolist(),
                "irv": jsonout.Rounded(self.irv, 6),
                "even_odd": jsonout.Rounded(self.even_odd, 6),
                "synonyms": jsonout.Rounded(self.synonyms, 6),
                "consistency_disagreement": jsonout.Rounded(self.consistency_disagreement, 6),
                "attention_failed": self.attention_failed.tolist(),
                "median_ms": jsonout.Rounded(self.median_ms, 6),
                "too_fast_share": jsonout.Rounded(self.too_fast_share, 6),
                "mahalanobis_d2": jsonout.Rounded(self.mahalanobis_d2, 6),
                "mahalanobis_p": jsonout.Rounded(self.mahalanobis_p, 8),
                "flags": self.flag_lists(),
            },
        )


@dataclass(frozen=True)
class TraitFairness:
    """Standardised differences of one trait's raw score between groups."""

    trait_id: str
    """The trait."""
    differences: tuple[psy.MeanDifference, ...]
    """Each group against the reference group (group_b), a − b."""


@dataclass(frozen=True)
class RoleFairness:
    """Selection rates of one role at the fit threshold."""

    role_id: str
    """The role."""
    groups: tuple[psy.GroupSelection, ...]
    """Per group: rate and ratio to the highest rate, four-fifths rule flagged."""


@dataclass(frozen=True)
class FairnessReport:
    """Group comparisons for ``--group``."""

    column: str
    """The answers-table column holding the groups."""
    reference: str
    """The reference group for the mean differences (the largest group)."""
    unlabelled: int
    """Respondents with an empty group cell, left out."""
    traits: tuple[TraitFairness, ...]
    """Per trait, in questionnaire order."""
    roles: tuple[RoleFairness, ...]
    """Per role (empty without norms or roles)."""
    fit_threshold: float
    """Role fit at or above which a respondent counts as selected."""
    notes: tuple[str, ...]
    """Why a part is empty, if it is."""


@dataclass(frozen=True)
class SampleAnalysis:
    """Everything ``assess analyze`` reports."""

    questionnaire: Questionnaire
    """The questionnaire analysed."""
    respondents: int
    """Rows in the sample."""
    missing: psy.MissingPolicy
    """Missing-answer policy used for reliability."""
    traits: dict[str, psy.ScaleReliability]
    """Trait id -> reliability and item statistics (questionnaire order)."""
    per_respondent: CarelessArrays
    """Careless-responding indicators, one entry per respondent in input order."""
    mahalanobis_df: int | None
    """Degrees of freedom of the Mahalanobis p-values (``None`` when not computed)."""
    fairness: FairnessReport | None
    """Group comparisons, when a group column was given."""
    norms: Norms | None
    """The norms used for role fit (the questionnaire's unless others were given)."""
    warnings: tuple[str, ...]
    """Problems found in the sample, in plain language."""

    @cached_property
    def careless(self) -> tuple[RespondentCareless, ...]:
        """One record per respondent, in input order (built on first use: slow for very large
        samples, where :attr:`per_respondent` holds the same figures as arrays)."""
        return tuple(self.per_respondent.record(row) for row in range(self.respondents))

    @property
    def flagged(self) -> int:
        """Respondents with at least one careless-responding flag."""
        return int(self.per_respondent.flagged_mask().sum())

    def careless_mask(self) -> npt.NDArray[np.bool_]:
        """True for each flagged respondent (input order)."""
        return self.per_respondent.flagged_mask()

    def to_dict(self) -> dict[str, Any]:
        """The ``repfit.analysis/1`` JSON document (``NaN`` becomes ``null``)."""
        document = self.json_document()
        careless = document["careless"]
        careless["respondents"] = careless["respondents"].to_dict()
        return document

    def json_text(self, extra: Mapping[str, Any] | None = None) -> str:
        """The JSON document as ``jsonout.dumps(to_dict(), indent=2, ensure_ascii=False)``
        writes it (to the byte), with ``extra`` keys added at the end, written column by
        column for the per-respondent block."""
        document = self.json_document()
        document.update(extra or {})
        return jsonout.dumps_indented(document)

    def json_document(self) -> dict[str, Any]:
        """:meth:`to_dict` with the per-respondent block as :class:`jsonout.RecordColumns`."""
        q = self.questionnaire
        norms = self.norms
        return {
            "schema": ANALYSIS_SCHEMA,
            "questionnaire": {"id": q.id, "version": q.version},
            "respondents": self.respondents,
            "missing": self.missing,
            "note": DECISION_NOTE,
            "norms": None
            if norms is None
            else {
                "source": norms.source,
                "n": norms.n,
                "date": norms.date,
                "provisional": norms.provisional,
            },
            "traits": {trait_id: _trait_dict(result) for trait_id, result in self.traits.items()},
            "careless": {
                "flagged": self.flagged,
                "flag_counts": self.per_respondent.flag_counts(),
                "mahalanobis_df": self.mahalanobis_df,
                "respondents": self.per_respondent.json_columns(),
            },
            "fairness": None if self.fairness is None else _fairness_dict(self.fairness),
            "warnings": list(self.warnings),
        }


def _number(value: float, digits: int = 6) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def _trait_dict(result: psy.ScaleReliability) -> dict[str, Any]:
    return {
        "n": result.n,
        "n_items": result.n_items,
        "alpha": _number(result.alpha),
        "alpha_ci95": [_number(result.alpha_ci95[0]), _number(result.alpha_ci95[1])],
        "alpha_standardized": _number(result.alpha_standardized),
        "omega_total": _number(result.omega_total),
        "mean_inter_item_r": _number(result.mean_inter_item_r),
        "low_alpha": result.low_alpha,
        "items": {
            item.item_id: {
                "n": item.n,
                "mean": _number(item.mean),
                "sd": _number(item.sd),
                "r_drop": _number(item.r_drop),
                "alpha_if_dropped": _number(item.alpha_if_dropped),
                "weak": item.weak,
                "no_variance": item.no_variance,
                "distribution": {str(k): v for k, v in item.distribution.items()},
            }
            for item in result.items
        },
        "warnings": list(result.warnings),
    }


def _careless_dict(person: RespondentCareless) -> dict[str, Any]:
    """One respondent's entry of the JSON document, built from its record: the definition
    :meth:`CarelessArrays.json_columns` reproduces column by column (the tests compare)."""
    return {
        "longstring": person.longstring,
        "irv": _number(person.irv),
        "even_odd": _number(person.even_odd),
        "synonyms": _number(person.synonyms),
        "consistency_disagreement": _number(person.consistency_disagreement),
        "attention_failed": person.attention_failed,
        "median_ms": _number(person.median_ms),
        "too_fast_share": _number(person.too_fast_share),
        "mahalanobis_d2": _number(person.mahalanobis_d2),
        "mahalanobis_p": _number(person.mahalanobis_p, 8),
        "flags": list(person.flags),
    }


def _fairness_dict(report: FairnessReport) -> dict[str, Any]:
    return {
        "column": report.column,
        "reference": report.reference,
        "unlabelled": report.unlabelled,
        "fit_threshold": report.fit_threshold,
        "traits": {
            trait.trait_id: [
                {
                    "group": d.group_a,
                    "reference": d.group_b,
                    "n": d.n_a,
                    "n_reference": d.n_b,
                    "mean": _number(d.mean_a),
                    "mean_reference": _number(d.mean_b),
                    "cohen_d": _number(d.cohen_d),
                    "hedges_g": _number(d.hedges_g),
                    "hedges_g_ci95": [_number(d.g_ci95[0]), _number(d.g_ci95[1])],
                }
                for d in trait.differences
            ]
            for trait in report.traits
        },
        "roles": {
            role.role_id: [
                {
                    "group": g.group,
                    "n": g.n,
                    "selected": g.selected,
                    "rate": _number(g.rate),
                    "ratio": _number(g.ratio),
                    "adverse_impact": g.adverse_impact,
                }
                for g in role.groups
            ]
            for role in report.roles
        },
        "notes": list(report.notes),
    }


# ------------------------------------------------------------------ analysis


def _trait_columns(q: Questionnaire) -> dict[str, list[int]]:
    column = {item_id: index for index, item_id in enumerate(q.item_ids())}
    return {
        trait_id: [column[item.id] for item in q.likert_items_of(trait_id)]
        for trait_id in q.trait_ids()
    }


def _keyed_rows(
    q: Questionnaire, matrix: FloatArray, columns: Sequence[int]
) -> Callable[[int, int], FloatArray]:
    """``rows(start, stop)``: the keyed answers of those rows to the items ``columns`` (a
    block at a time, so that the whole keyed matrix is never made)."""
    index = np.asarray(columns, dtype=np.intp)

    def rows(start: int, stop: int) -> FloatArray:
        block: FloatArray = scoring.keyed_likert_matrix(q, matrix[start:stop])[:, index]
        return block

    return rows


def careless_indicators(
    q: Questionnaire,
    matrix: FloatArray,
    times: FloatArray | None,
    candidate_ids: Sequence[str],
    options: AnalysisOptions,
    *,
    moments: psy.PairwiseSums | None = None,
) -> tuple[CarelessArrays, int | None, tuple[str, ...]]:
    """Every careless-responding indicator per respondent, its flags, the Mahalanobis df and
    warnings. ``matrix`` holds raw answers (questionnaire item order); ``times`` ``None``:
    nobody has answer times; ``moments``: the pairwise moments of the keyed trait items
    (questionnaire order), when already added up.

    Worked through in blocks of :data:`~assess.psychometrics.BLOCK_ROWS` respondents: every
    indicator is computed row by row, so the figures are those of the whole matrix at once."""
    columns = _trait_columns(q)
    n = len(matrix)
    warnings: list[str] = []
    scales = [cols for cols in columns.values() if cols]
    if len(scales) < psy.MIN_EVEN_ODD_TRAITS:
        warnings.append(
            f"Even-odd consistency needs at least {psy.MIN_EVEN_ODD_TRAITS} traits (with "
            f"{len(scales)}, the correlation of the half scores across traits is always ±1 or "
            "undefined); it is left empty."
        )
    index = {item_id: i for i, item_id in enumerate(q.item_ids())}
    pairs = [(index[a], index[b]) for a, b in (q.validity.consistency_pairs if q.validity else [])]
    even_odd = np.full(n, np.nan)
    synonyms = np.full(n, np.nan)
    blocks: list[validity.ValidityArrays] = []
    for start in range(0, max(n, 1), psy.BLOCK_ROWS):
        stop = min(start + psy.BLOCK_ROWS, n)
        raw = matrix[start:stop]
        keyed = scoring.keyed_likert_matrix(q, raw)
        # Faking is not careless responding: its indicators are not computed here.
        blocks.append(
            scoring.validity_arrays(
                q, raw, None if times is None else times[start:stop], keyed=keyed, faking=False
            )
        )
        if len(scales) >= psy.MIN_EVEN_ODD_TRAITS:
            even_odd[start:stop] = psy.even_odd_consistency(keyed, scales)
        synonyms[start:stop] = psy.synonym_consistency(keyed, pairs, options.careless.min_pairs)
    per_person = _joined(blocks)
    flags = validity.validity_flags(per_person, q.scale.min, q.scale.max, options.validity)

    trait_items = [col for cols in columns.values() for col in cols]
    d2 = np.full(n, np.nan)
    p = np.full(n, np.nan)
    df: int | None = None
    if n <= len(trait_items) + 1:
        warnings.append(
            f"Mahalanobis distance needs more respondents ({n}) than trait items "
            f"({len(trait_items)}) plus one; it is left empty."
        )
    else:
        rows = _keyed_rows(q, matrix, trait_items)
        try:
            result = psy.mahalanobis_from_sums(
                moments if moments is not None else psy.PairwiseSums.of(rows, n), rows, n
            )
        except ValueError as exc:
            warnings.append(f"Mahalanobis distance is left empty: {exc}.")
        else:
            d2, p, df = result.d2, result.p, result.df
            if result.repaired:
                warnings.append(
                    "The pairwise item covariance matrix was not positive definite (items "
                    "answered by different people disagree); its negative eigenvalues were "
                    "set to 0 before computing Mahalanobis distance."
                )
            if result.singular:
                warnings.append(
                    f"The item covariance matrix is singular (rank {result.df} of "
                    f"{len(trait_items)}); Mahalanobis distance used its pseudo-inverse."
                )
    thresholds = options.careless
    with np.errstate(invalid="ignore"):
        flags["even_odd"] = even_odd < thresholds.even_odd_min
        flags["synonyms"] = synonyms < thresholds.synonym_min
        flags["mahalanobis"] = p < thresholds.mahalanobis_p
    people = CarelessArrays(
        candidate_ids=list(candidate_ids),
        longstring=per_person.longstring.astype(np.int64),
        irv=np.asarray(per_person.irv, dtype=np.float64),
        even_odd=np.asarray(even_odd, dtype=np.float64),
        synonyms=np.asarray(synonyms, dtype=np.float64),
        consistency_disagreement=np.asarray(per_person.consistency_disagreement, dtype=np.float64),
        attention_failed=per_person.attention_checks_failed.astype(np.int64),
        median_ms=np.asarray(per_person.median_ms, dtype=np.float64),
        too_fast_share=np.asarray(per_person.too_fast_share, dtype=np.float64),
        mahalanobis_d2=np.asarray(d2, dtype=np.float64),
        mahalanobis_p=np.asarray(p, dtype=np.float64),
        raised=np.column_stack(
            [np.asarray(flags[name], dtype=bool).reshape(n) for name in FLAG_NAMES]
        ).reshape(n, len(FLAG_NAMES)),
    )
    return people, df, tuple(warnings)


def _joined(blocks: Sequence[validity.ValidityArrays]) -> validity.ValidityArrays:
    """The indicators of consecutive blocks of respondents as one batch."""
    return validity.ValidityArrays(
        **{
            name.name: np.concatenate([getattr(block, name.name) for block in blocks])
            for name in dataclasses.fields(validity.ValidityArrays)
        }
    )


@dataclass(frozen=True)
class _TraitItemSums:
    """What reliability needs of every keyed trait item, added up in one pass of blocks."""

    moments: psy.PairwiseSums
    """Pairwise moments of the trait items (questionnaire order)."""
    answering: npt.NDArray[np.int64]
    """Per trait: respondents with at least one answer to its items."""
    distributions: list[dict[int, int]]
    """Per trait item: how many gave each answer value."""


def _trait_item_sums(
    q: Questionnaire, matrix: FloatArray, columns: Mapping[str, Sequence[int]]
) -> _TraitItemSums:
    """The pairwise moments, answer counts and answering respondents of every trait's keyed
    items (``columns``: trait id -> its item columns), in one pass of blocks of rows."""
    trait_items = [col for cols in columns.values() for col in cols]
    n = len(matrix)
    rows = _keyed_rows(q, matrix, trait_items)
    first_block = rows(0, min(psy.BLOCK_ROWS, n))
    # The shift only reduces cancellation: the first block's means do that as well as all
    # rows' means, without a pass of their own.
    moments = psy.PairwiseSums.zeros(psy.block_means(first_block))
    values = list(range(q.scale.min, q.scale.max + 1))
    sizes = [len(cols) for cols in columns.values()]
    starts = np.cumsum([0, *sizes[:-1]])
    answering = np.zeros(len(sizes), dtype=np.int64)
    counts = np.zeros((len(values), len(trait_items)), dtype=np.int64)
    answered = np.zeros(len(trait_items), dtype=np.int64)
    for start in range(0, n, psy.BLOCK_ROWS):
        block = first_block if start == 0 else rows(start, min(start + psy.BLOCK_ROWS, n))
        moments.add(block)
        observed = ~np.isnan(block)
        answered += observed.sum(axis=0)
        for position, value in enumerate(values):
            counts[position] += (block == value).sum(axis=0)
        for trait, (first, size) in enumerate(zip(starts.tolist(), sizes, strict=True)):
            if size:
                answering[trait] += int(observed[:, first : first + size].any(axis=1).sum())
    distributions: list[dict[int, int]] = []
    for position, column in enumerate(trait_items):
        if counts[:, position].sum() == answered[position]:
            distributions.append(dict(zip(values, counts[:, position].tolist(), strict=True)))
        else:  # an answer off the scale's whole points: counted as the straightforward way
            keyed = _keyed_rows(q, matrix, [column])(0, n)[:, 0]
            distributions.append(psy.answer_distribution(keyed, values))
    return _TraitItemSums(moments, answering, distributions)


def _fairness(
    q: Questionnaire,
    matrix: FloatArray,
    groups: Sequence[str],
    column: str,
    norms: Norms | None,
    fit_threshold: float,
) -> FairnessReport:
    labels = np.array([g.strip() for g in groups], dtype=object)
    labelled = labels != ""
    present = sorted({str(g) for g in labels[labelled]})
    sizes = {g: int((labels == g).sum()) for g in present}
    reference = min(present, key=lambda g: (-sizes[g], g)) if present else ""
    raw = scoring.trait_arrays(q, matrix).raw
    notes: list[str] = []
    if len(present) < 2:
        notes.append(f"Column '{column}' has fewer than two groups; nothing to compare.")
    traits = tuple(
        TraitFairness(
            trait_id=trait_id,
            differences=tuple(
                psy.mean_difference(
                    raw[labels == group, position],
                    raw[labels == reference, position],
                    group,
                    reference,
                )
                for group in present
                if group != reference
            ),
        )
        for position, trait_id in enumerate(q.trait_ids())
    )
    roles: tuple[RoleFairness, ...] = ()
    if norms is None:
        notes.append("No norms: role fit, and so selection rates, cannot be computed.")
    elif not q.roles:
        notes.append("The questionnaire defines no roles: no selection rates.")
    else:
        t = scoring.norm_scores(q, raw, norms).t
        role_ids, fit = scoring.role_fit_matrix(q, t)
        kept = np.flatnonzero(labelled)
        roles = tuple(
            RoleFairness(
                role_id=role_id,
                groups=psy.selection_rates(
                    fit[kept, position], [str(labels[i]) for i in kept], fit_threshold
                ),
            )
            for position, role_id in enumerate(role_ids)
        )
    return FairnessReport(
        column=column,
        reference=reference,
        unlabelled=int((~labelled).sum()),
        traits=traits,
        roles=roles,
        fit_threshold=fit_threshold,
        notes=tuple(notes),
    )


def analyze_sample(
    q: Questionnaire,
    matrix: FloatArray,
    candidate_ids: Sequence[str],
    *,
    times: FloatArray | None = None,
    groups: Sequence[str] | None = None,
    group_column: str = "group",
    norms: Norms | None = None,
    options: AnalysisOptions | None = None,
) -> SampleAnalysis:
    """Reliability per trait, careless responding per respondent and, with ``groups``,
    fairness. ``matrix``: respondents × items in questionnaire order, raw answers (reverse
    keying is applied here), ``NaN`` = unanswered. ``norms`` default to the questionnaire's."""
    options = options or AnalysisOptions()
    matrix = np.ascontiguousarray(matrix, dtype=np.float64)
    norms = norms if norms is not None else q.norms
    item_ids = q.item_ids()
    answer_values = list(range(q.scale.min, q.scale.max + 1))
    traits: dict[str, psy.ScaleReliability] = {}
    warnings: list[str] = []
    columns_of = _trait_columns(q)
    moments: psy.PairwiseSums | None = None
    if options.missing == "pairwise":
        # One pass of blocks adds up the moments of every trait item; each trait's are a
        # sub-matrix of them, and Mahalanobis distance uses them all.
        sums = _trait_item_sums(q, matrix, columns_of)
        moments = sums.moments
        first = 0
        for trait, (trait_id, columns) in enumerate(columns_of.items()):
            positions = list(range(first, first + len(columns)))
            first += len(columns)
            result = psy.scale_reliability_from_sums(
                moments.take(positions),
                [item_ids[c] for c in columns],
                int(sums.answering[trait]),
                [sums.distributions[position] for position in positions],
            )
            traits[trait_id] = result
            warnings.extend(f"{trait_id}: {message}" for message in result.warnings)
    else:
        keyed = scoring.keyed_likert_matrix(q, matrix)
        for trait_id, columns in columns_of.items():
            result = psy.scale_reliability(
                keyed[:, columns],
                [item_ids[c] for c in columns],
                missing=options.missing,
                answer_values=answer_values,
            )
            traits[trait_id] = result
            warnings.extend(f"{trait_id}: {message}" for message in result.warnings)
    careless, df, careless_warnings = careless_indicators(
        q, matrix, times, candidate_ids, options, moments=moments
    )
    warnings.extend(careless_warnings)
    fairness = (
        None
        if groups is None
        else _fairness(q, matrix, groups, group_column, norms, options.fit_threshold)
    )
    return SampleAnalysis(
        questionnaire=q,
        respondents=len(matrix),
        missing=options.missing,
        traits=traits,
        per_respondent=careless,
        mahalanobis_df=df,
        fairness=fairness,
        norms=norms,
        warnings=tuple(warnings),
    )


MIN_NORM_SAMPLE = 200
"""Norms from fewer respondents than this are marked provisional (count): with 200 people
the 5th and 95th percentiles rest on about ten people each, and a trait mean's standard
error is 0.07 SD (0.7 T points); smaller samples move T-scores and bands noticeably when
re-normed. A modelling assumption in line with the usual advice of a few hundred for local
norms."""


def sample_norms(
    q: Questionnaire,
    matrix: FloatArray,
    *,
    source: str,
    date: str | None,
    exclude: npt.NDArray[np.bool_] | None = None,
) -> NormsFile:
    """A ``repfit.norms/1`` document from a sample's raw trait scores.

    ``exclude`` marks respondents left out (by default the caller passes the
    careless flags). ``n`` is the number of respondents kept; each trait also
    records its own n (respondents with a sufficient score). Raises
    ``ValueError`` naming the trait when its scores cannot make norms.
    """
    values = np.asarray(matrix, dtype=np.float64)
    raw = scoring.trait_arrays(q, values).raw
    kept = len(raw) if exclude is None else int((~exclude).sum())
    statistics = psy.build_norms(raw, q.trait_ids(), exclude)
    keyed = scoring.keyed_likert_matrix(q, values)
    if exclude is not None:
        keyed = keyed[~np.asarray(exclude, dtype=bool)]
    column = {item_id: index for index, item_id in enumerate(q.item_ids())}
    reliability: dict[str, float | None] = {}
    for trait_id in q.trait_ids():
        columns = [column[item.id] for item in q.likert_items_of(trait_id)]
        alpha = psy.cronbach_alpha(keyed[:, columns]).alpha if len(columns) >= 2 else math.nan
        # The SEM needs 0 < alpha < 1; anything else is left to the scorer's default.
        reliability[trait_id] = round(alpha, 3) if 0.0 < alpha < 1.0 else None
    return NormsFile(
        questionnaire=q.ref(),
        source=source,
        n=kept,
        date=date,
        provisional=kept < MIN_NORM_SAMPLE,
        traits={
            trait_id: TraitNorm(
                mean=stat.mean,
                sd=stat.sd,
                n=stat.n,
                percentiles=dict(stat.percentiles),
                reliability=reliability[trait_id],
            )
            for trait_id, stat in statistics.items()
        },
    )
