"""Per-person response-quality indicators, vectorised over candidates.

Pure: takes arrays, returns arrays; no files, no terminal. Every index here is
computed from one person's own answers (no sample statistics), so a profile
never depends on which batch it was scored in. ``assess score`` and
``assess analyze`` use these same functions.

Arrays are candidates × items, float, with NaN for an unanswered item.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class ValidityThresholds:
    """When an indicator becomes a validity flag. Shares of the range scale with the answer
    scale (``max − min``: 4 points on a 1–5 scale, 6 on 1–7)."""

    attention_failures: int = 1
    """Flag ``attention`` at this many failed attention checks (count). Default 1: an
    attention check has one obviously right answer, so one miss is already a warning
    (Meade & Craig 2012, "Identifying careless responses in survey data")."""

    longstring_run: int = 10
    """Flag ``longstring`` when the longest run of identical consecutive Likert answers is at
    least this long (answers). Default 10: with mixed keying, honest runs rarely exceed
    6–8; Johnson (2005) used cut-offs of about this size for 300-item inventories."""

    irv_share_of_range: float = 0.125
    """Flag ``low_irv`` when the population standard deviation (ddof 0) of a person's Likert
    answers is below this share of the scale range (share; 0.5 points on a 1–5 scale):
    near-identical answers to items keyed both ways (Dunn et al. 2018, intra-individual
    response variability). The cut-off was set on the population SD; the reported ``irv`` is
    the sample SD (ddof 1, as R ``careless::irv``), so with n answers the flag compares
    ``irv`` with ``share × range × sqrt(n / (n − 1))`` (the same decisions as before)."""

    irv_min_answers: int = 10
    """Compute the ``low_irv`` flag only with at least this many Likert answers (count)."""

    inconsistency_share_of_range: float = 0.375
    """Flag ``inconsistent`` when consistency pairs differ, after keying, by more than this
    share of the range on average (share; 1.5 points on a 1–5 scale). Pairs are written to
    mean the same, so honest answers differ by about one point at most."""

    consistency_min_pairs: int = 3
    """Compute the ``inconsistent`` flag only with at least this many answered pairs (count)."""

    social_desirability_share_of_range: float = 0.75
    """Flag ``social_desirability`` when the mean social-desirability answer is at least
    ``min + share × range`` (share; 4.0 on a 1–5 scale): agreeing on average with claims
    almost nobody can truthfully make (Paulhus 1991, impression management)."""

    faking_trait_weight: float = 0.75
    """Weight of the trait-desirability part in the faking index (ratio; see
    :func:`faking_index`). Calibrated on the simulation of docs/scoring.md (issue 12): the
    balanced desirability scale alone catches about a third of moderate fakers; adding the
    traits' desirable direction at this weight catches about two thirds at a 3.5 % false-alarm
    rate, while keeping the false alarms on simulated strong farmers near 10 %."""

    faking_share_of_range: float = 0.02
    """Flag ``faking`` when the faking index is at least this share of the range (share; 0.08
    scale points on 1–5): about the 96.5th percentile of simulated honest respondents
    (docs/scoring.md, "Faking")."""

    faking_min_items: int = 4
    """Compute the ``faking`` flag only with at least this many answered desirability items
    (count): the cut-off was calibrated on a 14-item balanced scale."""

    too_fast_ms: float = 2000.0
    """An answer faster than this is too fast to have been read (milliseconds). Default
    2 s per item (Huang et al. 2012, "Detecting and deterring insufficient effort
    responding to surveys")."""

    too_fast_share: float = 0.3
    """Flag ``too_fast`` when at least this share of the timed answers is too fast (share)."""


DEFAULT_THRESHOLDS = ValidityThresholds()
"""The documented defaults."""


def longstring(matrix: FloatArray) -> IntArray:
    """Longest run of identical consecutive answers per person; a missing answer ends a run."""
    values = np.asarray(matrix, dtype=np.float64)
    candidates, items = values.shape
    longest = np.zeros(candidates, dtype=np.int64)
    if items == 0:
        return longest
    answered = ~np.isnan(values)
    run = answered[:, 0].astype(np.int64)
    longest = run.copy()
    for column in range(1, items):
        same = values[:, column] == values[:, column - 1]  # NaN never equals anything
        run = np.where(same, run + 1, answered[:, column].astype(np.int64))
        np.maximum(longest, run, out=longest)
    return longest


def _row_counts(matrix: FloatArray) -> IntArray:
    return np.asarray((~np.isnan(matrix)).sum(axis=1), dtype=np.int64)


def _row_mean(matrix: FloatArray) -> FloatArray:
    counts = _row_counts(matrix)
    sums = np.nansum(matrix, axis=1)
    mean: FloatArray = np.divide(sums, counts, out=np.full(len(counts), np.nan), where=counts > 0)
    return mean


def intra_individual_variability(matrix: FloatArray) -> FloatArray:
    """Sample standard deviation (ddof 1, n − 1 in the denominator) of each person's
    answered items; NaN below 2 answers. This is R ``careless::irv``, which uses ``sd``."""
    values = np.asarray(matrix, dtype=np.float64)
    # _row_counts, _row_mean and nansum with the missing-answer mask made once: the same
    # sums of the same numbers (NaN as 0), so the same figures.
    answered = ~np.isnan(values)
    counts = np.asarray(answered.sum(axis=1), dtype=np.int64)
    sums = np.where(answered, values, 0.0).sum(axis=1)
    mean = np.divide(sums, counts, out=np.full(len(counts), np.nan), where=counts > 0)
    deviation_squared = values - mean[:, None]
    np.square(deviation_squared, out=deviation_squared)
    squared = np.where(answered, deviation_squared, 0.0).sum(axis=1)
    variance = np.divide(squared, counts - 1, out=np.full(len(counts), np.nan), where=counts >= 2)
    deviation: FloatArray = np.sqrt(variance)
    return deviation


def consistency_disagreement(
    keyed_first: FloatArray, keyed_second: FloatArray
) -> tuple[FloatArray, IntArray]:
    """Mean absolute difference over each person's answered pairs (after keying), and the
    number of pairs with both items answered. Inputs are candidates × pairs."""
    difference = np.abs(np.asarray(keyed_first) - np.asarray(keyed_second))
    return _row_mean(difference), _row_counts(difference)


def attention_check_failures(
    answers: FloatArray, expected: npt.ArrayLike
) -> tuple[IntArray, IntArray]:
    """Failed and answered attention checks per person (candidates × checks; ``expected`` is
    the right answer per check). An unanswered check is neither."""
    values = np.asarray(answers, dtype=np.float64)
    answered = ~np.isnan(values)
    wrong = answered & (values != np.asarray(expected, dtype=np.float64)[None, :])
    return wrong.sum(axis=1).astype(np.int64), answered.sum(axis=1).astype(np.int64)


def social_desirability(keyed_answers: FloatArray) -> FloatArray:
    """Mean keyed answer to the social-desirability items per person (NaN when none answered)."""
    return _row_mean(np.asarray(keyed_answers, dtype=np.float64))


def faking_index(
    desirability_keyed: FloatArray,
    trait_keyed: FloatArray,
    desirable_sign: npt.ArrayLike,
    scale_min: int,
    scale_max: int,
    weight: float = DEFAULT_THRESHOLDS.faking_trait_weight,
) -> FloatArray:
    """Faking-good index per person, in scale points (issue 12).

    ``(mean keyed desirability answer − mid) + weight × (mean trait answer − mid)``, where
    the trait answers are keyed and turned toward each trait's desirable end
    (``desirable_sign`` per column: +1 when high is desirable, −1 when low is) and ``mid`` is
    the middle of the scale. The desirability scale is balanced (virtues nobody has keyed
    ``+``, faults everybody has keyed ``-``), so a yes-sayer's agreement cancels out in the
    first part and mostly in the second (each trait is keyed both ways); a faker moves both.
    NaN without answered desirability items.
    """
    mid = (scale_min + scale_max) / 2.0
    desirability = _row_mean(np.asarray(desirability_keyed, dtype=np.float64)) - mid
    sign = np.asarray(desirable_sign, dtype=np.float64)[None, :]
    traits = _row_mean((np.asarray(trait_keyed, dtype=np.float64) - mid) * sign)
    index: FloatArray = desirability + weight * np.nan_to_num(traits, nan=0.0)
    return index


def too_fast(
    times_ms: FloatArray, threshold_ms: float = DEFAULT_THRESHOLDS.too_fast_ms
) -> tuple[FloatArray, FloatArray]:
    """Share of timed answers faster than ``threshold_ms`` and the median time, per person
    (both NaN for a person without times)."""
    times = np.asarray(times_ms, dtype=np.float64)
    counts = _row_counts(times)
    fast = np.where(np.isnan(times), 0.0, times < threshold_ms).sum(axis=1)
    share = np.divide(fast, counts, out=np.full(len(counts), np.nan), where=counts > 0)
    median = np.full(len(counts), np.nan)
    timed = counts > 0
    if timed.any():
        median[timed] = np.nanmedian(times[timed], axis=1)
    return share, median


@dataclass(frozen=True)
class ValidityArrays:
    """Every per-person indicator for a batch of candidates (one entry per candidate)."""

    consistency_disagreement: FloatArray
    """Mean absolute pair difference after keying (scale points; NaN without pairs)."""
    consistency_pairs_answered: IntArray
    """Pairs with both items answered."""
    social_desirability: FloatArray
    """Mean keyed social-desirability answer (NaN without such items)."""
    attention_checks_failed: IntArray
    """Failed attention checks."""
    attention_checks_answered: IntArray
    """Answered attention checks."""
    longstring: IntArray
    """Longest run of identical consecutive Likert answers."""
    irv: FloatArray
    """Sample standard deviation (ddof 1) of the Likert answers."""
    likert_answered: IntArray
    """Likert answers given (trait and validity items)."""
    too_fast_share: FloatArray
    """Share of timed answers below the too-fast threshold (NaN without times)."""
    median_ms: FloatArray
    """Median answer time (NaN without times)."""
    faking_index: FloatArray
    """Faking-good index in scale points (:func:`faking_index`; NaN without desirability
    items)."""
    desirability_answered: IntArray
    """Social-desirability items answered."""


def validity_flags(
    indicators: ValidityArrays,
    scale_min: int,
    scale_max: int,
    thresholds: ValidityThresholds = DEFAULT_THRESHOLDS,
) -> dict[str, BoolArray]:
    """Flag name -> which candidates are beyond its threshold."""
    span = float(scale_max - scale_min)
    with np.errstate(invalid="ignore", divide="ignore"):
        # irv has ddof 1; the cut-off is on the population SD: irv × sqrt((n − 1)/n) < cut-off.
        low_irv_cutoff = (
            thresholds.irv_share_of_range
            * span
            * np.sqrt(indicators.likert_answered / (indicators.likert_answered - 1.0))
        )
        return {
            "attention": indicators.attention_checks_failed >= thresholds.attention_failures,
            "longstring": indicators.longstring >= thresholds.longstring_run,
            "low_irv": (indicators.likert_answered >= thresholds.irv_min_answers)
            & (indicators.irv < low_irv_cutoff),
            "inconsistent": (
                indicators.consistency_pairs_answered >= thresholds.consistency_min_pairs
            )
            & (
                indicators.consistency_disagreement > thresholds.inconsistency_share_of_range * span
            ),
            "too_fast": indicators.too_fast_share >= thresholds.too_fast_share,
            "social_desirability": indicators.social_desirability
            >= scale_min + thresholds.social_desirability_share_of_range * span,
            "faking": (indicators.desirability_answered >= thresholds.faking_min_items)
            & (indicators.faking_index >= thresholds.faking_share_of_range * span),
        }


CARELESS_FLAGS = ("attention", "longstring", "low_irv", "inconsistent", "too_fast")
"""Validity flags that point to careless responding (social desirability is faking, not
carelessness)."""
