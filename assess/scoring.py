"""Answers -> trait scores, T-scores, role fit, validity and red flags.

Pure and vectorised: :func:`score_answers` builds one candidates × items matrix
and computes every score for the whole batch with numpy; nothing here reads
files or touches the terminal. The rules are documented, with formulas and a
worked example, in ``docs/scoring.md``; the TUI and ``assess score`` both call
:func:`score_answers`, so the same answers always give the same profile.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

from assess import validity
from assess.irt_params import IrtParameters
from assess.model import (
    Answers,
    Band,
    Candidate,
    LikertItem,
    Norms,
    NormsUsed,
    Profile,
    Questionnaire,
    QuestionnaireRef,
    RedFlag,
    RiskPole,
    RoleFit,
    TraitScore,
    ValidityIndicators,
    answers_problems,
    format_path,
)
from assess.validity import DEFAULT_THRESHOLDS, ValidityThresholds

FloatArray = npt.NDArray[np.float64]

SCORER_VERSION = "1.2.0"
"""Version of the scoring rules; bump it whenever a rule or constant below changes."""

MIN_ANSWERED_SHARE = 0.7
"""A trait is scored only when at least this share of its Likert items is answered
(share; issue 4). Below it the trait is ``insufficient``."""

T_LOW = 40.0
"""T-scores below this are in the ``low`` band (T points; one SD below the norm mean)."""

T_HIGH = 60.0
"""T-scores above this are in the ``high`` band (T points; one SD above the norm mean)."""

FIT_SCALE_T = 30.0
"""Root-mean-square shortfall (T points) at which role fit reaches 0 (three norm SDs)."""

DEFAULT_RELIABILITY = 0.80
"""Reliability of a trait's raw score when neither the norms nor the questionnaire state one
(share). A modelling assumption: a typical Cronbach's alpha for a nine-item personality scale;
the bundled scales reach about 0.83 in the simulation of docs/scoring.md (loadings 0.6)."""

INTERVAL_LEVEL = 0.90
"""Coverage of the intervals on T and on role fit (share; issue 12)."""

INTERVAL_Z = 1.6448536269514722
"""Standard normal quantile for :data:`INTERVAL_LEVEL` (two-sided 90 %: ±1.645 SEM)."""

ROLE_MISMATCH_GAP = 10.0
"""Raise ``best_fit_differs_from_role`` when the role applied for fits at least this many
fit points worse than the best role (fit points)."""


@dataclass(frozen=True)
class OrderTakerRule:
    """ "Likely order-taker if placed as a farmer" (DESIGN.md §1, points 1 and 5): the
    candidate fits the questionnaire's order-taker profile (strong at servicing, uneasy
    asking and closing, keen to be liked, reactive) distinguishably better than its farmer
    profile: the order-taker fit is higher and the two fits' 90 % intervals do not overlap
    (questionnaires with both roles); or, for questionnaires whose roles do not separate the
    two, the four traits below each have their whole 90 % interval in the stated band
    (nurturing and approval high, asking and closing low). Calibrated in docs/scoring.md (issue 12):
    it catches nearly every simulated order-taker and no simulated farmer, where the rule of
    scorer 1.1 (four bands at once) caught a third of the order-takers."""

    order_taker_role: str = "order_taker"
    """Role id of the order-taker profile."""
    farmer_role: str = "farmer"
    """Role id of the farmer profile."""
    nurturing: str = "relationship_nurturing"
    """Trait that must be high (the servicing strength)."""
    asking: str = "comfort_asking"
    """Trait that must be low."""
    closing: str = "closing_urgency"
    """Trait that must be low."""
    approval: str = "need_for_approval"
    """Trait that must be high."""


ORDER_TAKER_RULE = OrderTakerRule()
"""The bundled questionnaire's trait ids."""


class Respondent(Protocol):
    """Who answered one row of a response matrix: the header fields of :class:`Answers`
    that a profile repeats (an :class:`Answers` record is one)."""

    @property
    def questionnaire(self) -> QuestionnaireRef:
        """The questionnaire answered."""
        ...

    @property
    def candidate(self) -> Candidate:
        """Who answered."""
        ...

    @property
    def started(self) -> datetime | None:
        """When the candidate started, if known."""
        ...

    @property
    def finished(self) -> datetime | None:
        """When the candidate finished, if known."""
        ...


class InvalidAnswersError(ValueError):
    """Answers that do not fit the questionnaire were passed to :func:`score_answers`.

    File readers check answers first (with file names and rows); this guards
    callers that build :class:`Answers` in code.
    """


# ------------------------------------------------------------------ Matrices


def response_matrix(q: Questionnaire, answers: Sequence[Answers]) -> FloatArray:
    """Candidates × items (questionnaire order), float, NaN = unanswered.

    Likert columns hold the answer as given; situational columns the option number.
    Raises :class:`InvalidAnswersError` for an item id the questionnaire lacks.
    """
    return _matrices(q, answers)[0]


def response_times(q: Questionnaire, answers: Sequence[Answers]) -> FloatArray:
    """Candidates × items answer times in milliseconds, NaN where not timed or unanswered."""
    return _matrices(q, answers)[1]


def _matrices(q: Questionnaire, answers: Sequence[Answers]) -> tuple[FloatArray, FloatArray]:
    column = {item_id: index for index, item_id in enumerate(q.item_ids())}
    matrix = np.full((len(answers), len(column)), np.nan)
    times = np.full((len(answers), len(column)), np.nan)
    for row, record in enumerate(answers):
        values = matrix[row]
        timing = times[row]
        try:
            for item_id, answer in record.answers.items():
                index = column[item_id]
                values[index] = answer.value
                if answer.ms is not None:
                    timing[index] = answer.ms
        except KeyError:
            _refuse(q, record)
    return matrix, times


def _refuse(q: Questionnaire, record: Answers) -> None:
    problems = answers_problems(q, record)
    details = "; ".join(f"{format_path(loc)}: {message}" for loc, message in problems)
    raise InvalidAnswersError(f"candidate {record.candidate.id}: {details}")


def _limits(q: Questionnaire) -> tuple[FloatArray, FloatArray]:
    """Lowest and highest valid answer per item (questionnaire order)."""
    low = [q.scale.min if isinstance(i, LikertItem) else 1 for i in q.items]
    high = [q.scale.max if isinstance(i, LikertItem) else len(i.options) for i in q.items]
    return np.array(low, dtype=np.float64), np.array(high, dtype=np.float64)


def _check_ranges(q: Questionnaire, answers: Sequence[Answers], matrix: FloatArray) -> None:
    low, high = _limits(q)
    with np.errstate(invalid="ignore"):
        bad_rows = np.flatnonzero(((matrix < low) | (matrix > high)).any(axis=1))
    if len(bad_rows):
        _refuse(q, answers[int(bad_rows[0])])


def keyed_likert_matrix(q: Questionnaire, matrix: FloatArray) -> FloatArray:
    """Same shape as ``matrix``: Likert answers after reverse keying (``min + max − x`` for
    items keyed ``-``), situational columns NaN."""
    # One pass over the whole matrix: x·1 + 0 is x, and x·(−1) + (min + max) is exactly
    # min + max − x; a situational column gets x·NaN + NaN.
    likert = [isinstance(item, LikertItem) for item in q.items]
    reversed_ = [isinstance(item, LikertItem) and item.keyed == "-" for item in q.items]
    sign = np.where(likert, np.where(reversed_, -1.0, 1.0), np.nan)
    offset = np.where(likert, np.where(reversed_, float(q.scale.min + q.scale.max), 0.0), np.nan)
    keyed: FloatArray = np.multiply(matrix, sign)
    keyed += offset
    return keyed


# ------------------------------------------------------------------ Trait scores


@dataclass(frozen=True)
class TraitArrays:
    """Every trait score for a batch: candidates × traits arrays (questionnaire trait order)."""

    likert: FloatArray
    """Mean keyed Likert answer (NaN when no item answered)."""
    answered: npt.NDArray[np.int64]
    """Likert items answered."""
    total: npt.NDArray[np.int64]
    """Likert items per trait (one entry per trait)."""
    sufficient: npt.NDArray[np.bool_]
    """At least 70 % of the trait's Likert items answered."""
    judgement: FloatArray
    """Situational-judgement score in [−1, 1] (NaN without answered situational items)."""
    raw: FloatArray
    """Raw score (NaN when insufficient)."""


def trait_arrays(q: Questionnaire, matrix: FloatArray) -> TraitArrays:
    """Likert, judgement and raw scores for every candidate and trait."""
    trait_ids = q.trait_ids()
    trait_index = {trait_id: index for index, trait_id in enumerate(trait_ids)}
    n_items, n_traits = len(q.items), len(trait_ids)

    membership = np.zeros((n_items, n_traits))
    for index, item in enumerate(q.items):
        if isinstance(item, LikertItem) and item.trait is not None:
            membership[index, trait_index[item.trait]] = 1.0
    keyed = keyed_likert_matrix(q, matrix)
    answered_mask = ~np.isnan(keyed)
    answered = (answered_mask.astype(np.float64) @ membership).astype(np.int64)
    sums = np.where(answered_mask, keyed, 0.0) @ membership
    likert = np.divide(sums, answered, out=np.full(sums.shape, np.nan), where=answered > 0)
    total = membership.sum(axis=0).astype(np.int64)
    # The small tolerance keeps "exactly 70 %" (7 of 10) sufficient despite float rounding.
    sufficient = answered >= MIN_ANSWERED_SHARE * total[None, :] - 1e-9

    chosen = np.zeros((len(matrix), n_traits))
    best = np.zeros((len(matrix), n_traits))
    for index, item in enumerate(q.items):
        if isinstance(item, LikertItem):
            continue
        # One row per option, then a row of zeros for "not answered": each candidate's row
        # is looked up and added (adding the zeros is adding 0.0, as before).
        weights = np.zeros((len(item.options) + 1, n_traits))
        for option_index, option in enumerate(item.options):
            for trait_id, weight in option.weights.items():
                weights[option_index, trait_index[trait_id]] = weight
        best_of_item = np.zeros((2, n_traits))
        best_of_item[0] = np.abs(weights).max(axis=0)
        values = matrix[:, index]
        was_answered = ~np.isnan(values)
        chosen_option = np.where(was_answered, values, len(item.options) + 1).astype(np.int64) - 1
        chosen += weights[chosen_option]
        best += best_of_item[(~was_answered).view(np.int8)]
    judgement = np.divide(chosen, best, out=np.full(chosen.shape, np.nan), where=best > 0)

    half_range = (q.scale.max - q.scale.min) / 2
    contribution = q.judgement_weight * half_range * np.nan_to_num(judgement, nan=0.0)
    raw = np.where(sufficient, likert + contribution, np.nan)
    return TraitArrays(likert, answered, total, sufficient, judgement, raw)


@dataclass(frozen=True)
class NormedArrays:
    """Norm-referenced scores, candidates × traits (NaN where the raw score is missing)."""

    z: FloatArray
    """(raw − mean) / sd."""
    t: FloatArray
    """50 + 10 z, rounded to one decimal."""
    percentile: FloatArray
    """Percentile rank, 0–100."""


def norm_scores(q: Questionnaire, raw: FloatArray, norms: Norms) -> NormedArrays:
    """z, T and percentile for raw scores (candidates × traits, questionnaire trait order)."""
    trait_ids = q.trait_ids()
    mean = np.array([norms.traits[trait_id].mean for trait_id in trait_ids])
    sd = np.array([norms.traits[trait_id].sd for trait_id in trait_ids])
    z = (raw - mean) / sd
    # T is rounded once, here: the band, the interval and the role fit all read this value,
    # so the T a user sees always agrees with its band.
    t = np.round(50.0 + 10.0 * z, 1)
    percentile = 100.0 * ndtr(z)
    for column, trait_id in enumerate(trait_ids):
        table = norms.traits[trait_id].percentiles
        if table is not None:
            ranks = np.array(list(table), dtype=np.float64)
            raws = np.array(list(table.values()), dtype=np.float64)
            looked_up = np.interp(raw[:, column], raws, ranks)
            percentile[:, column] = np.where(np.isnan(raw[:, column]), np.nan, looked_up)
    return NormedArrays(z, t, percentile)


def band_of(t: float) -> Band:
    """low (T < 40), average (40 ≤ T ≤ 60) or high (T > 60)."""
    if t < T_LOW:
        return "low"
    if t > T_HIGH:
        return "high"
    return "average"


def _role_columns(
    q: Questionnaire, role_id: str
) -> tuple[list[int], FloatArray, FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    trait_index = {trait_id: index for index, trait_id in enumerate(q.trait_ids())}
    role = (q.roles or {})[role_id]
    columns = [trait_index[trait_id] for trait_id in role.targets]
    target = np.array([spec.t for spec in role.targets.values()])
    weight = np.array([spec.weight for spec in role.targets.values()])
    at_least = np.array([spec.direction == "at_least" for spec in role.targets.values()])
    at_most = np.array([spec.direction == "at_most" for spec in role.targets.values()])
    return columns, target, weight, at_least, at_most


def _fit_terms(
    t: FloatArray,
    target: FloatArray,
    weight: FloatArray,
    at_least: npt.NDArray[np.bool_],
    at_most: npt.NDArray[np.bool_],
) -> FloatArray:
    """Each targeted trait's term w_i d_i² of the fit (d_i on the wrong side only)."""
    difference = t - target
    shortfall = np.where(
        at_least,
        np.minimum(difference, 0.0),
        np.where(at_most, np.maximum(difference, 0.0), difference),
    )
    terms: FloatArray = weight * shortfall**2
    return terms


def _fit_of_sums(sums: FloatArray, weight: FloatArray) -> FloatArray:
    rms = np.sqrt(sums / weight.sum())
    fit: FloatArray = 100.0 * (1.0 - rms / FIT_SCALE_T)
    return fit


def _fit(
    t: FloatArray,
    target: FloatArray,
    weight: FloatArray,
    at_least: npt.NDArray[np.bool_],
    at_most: npt.NDArray[np.bool_],
    clip: bool = True,
) -> FloatArray:
    fit = _fit_of_sums(_fit_terms(t, target, weight, at_least, at_most).sum(axis=-1), weight)
    return np.maximum(fit, 0.0) if clip else fit


def _moved_fits(
    scores: FloatArray,
    errors: FloatArray,
    target: FloatArray,
    weight: FloatArray,
    at_least: npt.NDArray[np.bool_],
    at_most: npt.NDArray[np.bool_],
    sign: float,
) -> FloatArray:
    """Candidates × traits: the (unclipped) fit with trait i moved by ``sign`` × its SEM.

    The same numbers as :func:`_fit` of ``scores[:, None, :] + sign * eye * errors`` (a
    candidates × traits × traits array), for less work: only the moved trait's term
    changes, so the other terms are copied rather than recomputed, and the sum runs over
    the same values in the same layout (so it is the same to the last bit). A trait whose
    error is not finite makes the other terms of its row NaN, as 0 × its error does there.
    """
    k = scores.shape[1]
    base = _fit_terms(scores, target, weight, at_least, at_most)
    terms = np.repeat(base[:, None, :], k, axis=1)
    broken = ~np.isfinite(errors)
    if broken.any():  # 0 × a non-finite error is NaN off the diagonal
        terms[broken] = np.nan
    diagonal = np.arange(k)
    moved = scores - errors if sign < 0 else scores + errors
    terms[:, diagonal, diagonal] = _fit_terms(moved, target, weight, at_least, at_most)
    return _fit_of_sums(terms.sum(axis=-1), weight)


def role_fit_matrix(q: Questionnaire, t: FloatArray) -> tuple[list[str], FloatArray]:
    """Role ids and fit (candidates × roles, 0–100; NaN when a targeted trait has no T).

    d_i = T_i − t_i, counted only on the wrong side of the target (``at_least``: below,
    ``at_most``: above, ``near``: both); fit = 100 × max(0, 1 − sqrt(Σ w_i d_i² / Σ w_i) / 30).
    """
    role_ids = list(q.roles or {})
    fit = np.full((len(t), len(role_ids)), np.nan)
    for column, role_id in enumerate(role_ids):
        columns, target, weight, at_least, at_most = _role_columns(q, role_id)
        fit[:, column] = _fit(t[:, columns], target, weight, at_least, at_most)
    return role_ids, fit


def role_fit_intervals(
    q: Questionnaire, t: FloatArray, sem: FloatArray, z: float = INTERVAL_Z, clip: bool = True
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper ends of the 90 % interval on each role fit (candidates × roles).

    The traits' errors are independent, so the fit's standard error adds up trait by trait;
    the fit has kinks (a target met counts nothing), so each trait's contribution is taken
    one-sided by finite differences: moving T_i by ±SEM_i changes the fit by at most
    ``down_i`` downward and ``up_i`` upward; then
    ``[fit − z √Σ down_i², fit + z √Σ up_i²]``, held within 0–100 (``clip=False``: on the
    unclipped scale 100 × (1 − rms / 30), which keeps going below 0, so that two fits both
    held at 0 can still be told apart).
    """
    low, high, low_unclipped, high_unclipped = _fit_interval_pairs(q, t, sem, z)
    return (low, high) if clip else (low_unclipped, high_unclipped)


def _fit_interval_pairs(
    q: Questionnaire, t: FloatArray, sem: FloatArray, z: float = INTERVAL_Z
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """:func:`role_fit_intervals` with ``clip=True`` and with ``clip=False`` from one pass:
    a clipped fit is ``max(0, unclipped)`` of the very same numbers, so both give exactly
    what two separate calls give, for half the work."""
    role_ids = list(q.roles or {})
    shape = (len(t), len(role_ids))
    low, high = np.full(shape, np.nan), np.full(shape, np.nan)
    low_unclipped, high_unclipped = np.full(shape, np.nan), np.full(shape, np.nan)
    for column, role_id in enumerate(role_ids):
        columns, target, weight, at_least, at_most = _role_columns(q, role_id)
        scores = t[:, columns]
        errors = sem[:, columns]
        fit = _fit(scores, target, weight, at_least, at_most, clip=False)
        # candidates × traits × (−, +): the fit with one trait moved by one SEM.
        minus = _moved_fits(scores, errors, target, weight, at_least, at_most, -1.0)
        plus = _moved_fits(scores, errors, target, weight, at_least, at_most, 1.0)
        for clip in (False, True):
            if clip:
                fit, minus, plus = (
                    np.maximum(fit, 0.0),
                    np.maximum(minus, 0.0),
                    np.maximum(plus, 0.0),
                )
            down = np.maximum(0.0, fit[:, None] - np.minimum(minus, plus))
            up = np.maximum(0.0, np.maximum(minus, plus) - fit[:, None])
            lower = fit - z * np.sqrt((down**2).sum(axis=1))
            upper = np.minimum(100.0, fit + z * np.sqrt((up**2).sum(axis=1)))
            if clip:
                low[:, column] = np.maximum(0.0, lower)
                high[:, column] = upper
            else:
                low_unclipped[:, column] = lower
                high_unclipped[:, column] = upper
    return low, high, low_unclipped, high_unclipped


def trait_reliability(q: Questionnaire, norms: Norms | None) -> FloatArray:
    """Reliability of each trait's raw score (questionnaire trait order): the norms' value,
    else the questionnaire's, else :data:`DEFAULT_RELIABILITY`."""
    values = []
    for trait in q.traits:
        norm = norms.traits.get(trait.id) if norms is not None else None
        if norm is not None and norm.reliability is not None:
            values.append(norm.reliability)
        elif trait.reliability is not None:
            values.append(trait.reliability)
        else:
            values.append(DEFAULT_RELIABILITY)
    return np.array(values, dtype=np.float64)


def standard_errors(
    reliability: FloatArray, answered: npt.ArrayLike, total: npt.ArrayLike
) -> FloatArray:
    """Standard error of measurement of T (T points), candidates × traits.

    The reliability holds for the full scale of ``total`` items; a candidate who answered
    ``k`` of them has the Spearman–Brown reliability of the shorter scale,
    r_k = (k/K) r / (1 + (k/K − 1) r), and SEM = 10 × √(1 − r_k).
    """
    share = np.asarray(answered, dtype=np.float64) / np.asarray(total, dtype=np.float64)
    r = reliability[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        shortened = share * r / (1.0 + (share - 1.0) * r)
        sem: FloatArray = 10.0 * np.sqrt(1.0 - shortened)
    return sem


def true_score_intervals(
    t: FloatArray, sem: FloatArray, z: float = INTERVAL_Z
) -> tuple[FloatArray, FloatArray]:
    """Centre and half-width of the 90 % interval on each true T-score.

    With r = 1 − (SEM / 10)², the estimated true score is T̂ = 50 + r (T − 50) (Kelley's
    regression toward the norm mean) and its standard error SEE = SEM × √r; the interval is
    T̂ ± z × SEE. It answers "where is this person's true score?", the question a band or a
    flag asks, and is the interval test manuals report (Dudek 1979; Nunnally & Bernstein
    1994); it is not symmetric about the observed T unless T = 50.
    """
    r = 1.0 - (sem / 10.0) ** 2
    centre: FloatArray = 50.0 + r * (t - 50.0)
    half: FloatArray = z * sem * np.sqrt(r)
    return centre, half


def bands_reached(low: float, high: float) -> list[Band]:
    """The bands an interval [low, high] on T reaches, from low to high."""
    bands: list[Band] = []
    for band in ("low", "average", "high"):
        if band == "low" and low < T_LOW:
            bands.append("low")
        elif band == "average" and low <= T_HIGH and high >= T_LOW:
            bands.append("average")
        elif band == "high" and high > T_HIGH:
            bands.append("high")
    return bands


def inside_risk_band(pole: str, interval: tuple[float, float]) -> bool:
    """True when the whole interval lies in the risky band (``high``: above 60, ``low``:
    below 40): only then is a risky-trait flag raised."""
    low, high = interval
    if pole == "high":
        return low > T_HIGH
    if pole == "low":
        return high < T_LOW
    return False


# ------------------------------------------------------------------ Validity


def validity_arrays(
    q: Questionnaire,
    matrix: FloatArray,
    times: FloatArray | None,
    thresholds: ValidityThresholds = DEFAULT_THRESHOLDS,
    orders: Sequence[Sequence[str] | None] | None = None,
    *,
    keyed: FloatArray | None = None,
    faking: bool = True,
) -> validity.ValidityArrays:
    """Every per-person validity indicator for a batch.

    ``orders`` gives, per respondent, the item ids in the order shown (the answers file's
    ``order``); the long-string index follows it, since a run of identical answers is a run
    in what the person saw. Without it (or for a respondent without one) questionnaire
    order is used. ``times`` ``None``: nobody has answer times. ``keyed``: the
    :func:`keyed_likert_matrix` of ``matrix``, when the caller has it already.
    ``faking=False`` leaves out the faking indicators (``social_desirability`` and
    ``faking_index`` are then NaN and ``desirability_answered`` 0), for callers that
    look only at careless responding."""
    if keyed is None:
        keyed = keyed_likert_matrix(q, matrix)
    column = {item_id: index for index, item_id in enumerate(q.item_ids())}
    likert_columns = [column[item.id] for item in q.likert_items()]
    pairs = q.validity.consistency_pairs if q.validity is not None else []
    first = keyed[:, [column[a] for a, _ in pairs]]
    second = keyed[:, [column[b] for _, b in pairs]]
    disagreement, pairs_answered = validity.consistency_disagreement(first, second)
    checks = [item for item in q.likert_items() if item.validity == "attention_check"]
    failed, checks_answered = validity.attention_check_failures(
        matrix[:, [column[item.id] for item in checks]],
        [float(item.expect) if item.expect is not None else np.nan for item in checks],
    )
    desirability_columns = [
        column[item.id] for item in q.likert_items() if item.validity == "social_desirability"
    ]
    likert_raw = matrix[:, likert_columns]
    n = len(matrix)
    if times is None:
        share, median = np.full(n, np.nan), np.full(n, np.nan)
    else:
        share, median = validity.too_fast(times)
    desirability = keyed[:, desirability_columns]
    if faking:
        trait_items = [item for item in q.likert_items() if item.trait is not None]
        sign = {trait.id: -1.0 if trait.risk_pole == "high" else 1.0 for trait in q.traits}
        faking_index = validity.faking_index(
            desirability,
            keyed[:, [column[item.id] for item in trait_items]],
            [sign[item.trait] for item in trait_items if item.trait is not None],
            q.scale.min,
            q.scale.max,
            thresholds.faking_trait_weight,
        )
        social_desirability = validity.social_desirability(desirability)
        desirability_answered = (~np.isnan(desirability)).sum(axis=1).astype(np.int64)
    else:
        faking_index = social_desirability = np.full(n, np.nan)
        desirability_answered = np.zeros(n, dtype=np.int64)
    return validity.ValidityArrays(
        consistency_disagreement=disagreement,
        consistency_pairs_answered=pairs_answered,
        social_desirability=social_desirability,
        attention_checks_failed=failed,
        attention_checks_answered=checks_answered,
        longstring=validity.longstring(likert_raw)
        if orders is None
        else _longstring_as_shown(q, matrix, likert_columns, orders),
        irv=validity.intra_individual_variability(likert_raw),
        likert_answered=(~np.isnan(likert_raw)).sum(axis=1).astype(np.int64),
        too_fast_share=share,
        median_ms=median,
        faking_index=faking_index,
        desirability_answered=desirability_answered,
    )


def _longstring_as_shown(
    q: Questionnaire,
    matrix: FloatArray,
    likert_columns: list[int],
    orders: Sequence[Sequence[str] | None] | None,
) -> npt.NDArray[np.int64]:
    """Long string over the Likert answers in each respondent's order shown (rows with the
    same order are computed together)."""
    default = tuple(likert_columns)
    if orders is None:
        return validity.longstring(matrix[:, likert_columns])
    column = {item_id: index for index, item_id in enumerate(q.item_ids())}
    likert = set(likert_columns)
    by_order: dict[tuple[int, ...], list[int]] = {}
    for row, shown in enumerate(orders):
        key = default
        if shown:
            seen = [column[item_id] for item_id in shown if item_id in column]
            in_order = [c for c in seen if c in likert]
            # Items missing from the recorded order keep questionnaire order after it.
            in_order += [c for c in likert_columns if c not in set(in_order)]
            key = tuple(in_order)
        by_order.setdefault(key, []).append(row)
    out = np.zeros(len(matrix), dtype=np.int64)
    for key, rows in by_order.items():
        out[rows] = validity.longstring(matrix[np.ix_(rows, list(key))])
    return out


# ------------------------------------------------------------------ Profiles


def score_answers(
    questionnaire: Questionnaire,
    answers: Sequence[Answers],
    norms: Norms | None = None,
    *,
    forced: bool = False,
    thresholds: ValidityThresholds = DEFAULT_THRESHOLDS,
    irt: IrtParameters | None = None,
) -> list[Profile]:
    """Score every candidate; one :class:`Profile` per answers record, in the same order.

    ``norms`` overrides the questionnaire's own norms; without either, z, T, percentile,
    band and role fit are null and the profile says why. ``forced`` is recorded in each
    profile (the caller accepted answers whose questionnaire sha256 differs). With item
    parameters ``irt`` each profile gains an ``irt`` block (EAP θ per trait); its T drives
    bands, flags and role fit for adaptive answers and under ``scoring: irt``.
    """
    q = questionnaire
    matrix, times = _matrices(q, answers)
    _check_ranges(q, answers, matrix)
    return _score(q, answers, matrix, times, norms, forced, thresholds, irt)


def score_matrix(
    questionnaire: Questionnaire,
    respondents: Sequence[Respondent],
    matrix: FloatArray,
    times: FloatArray | None = None,
    norms: Norms | None = None,
    *,
    forced: bool = False,
    thresholds: ValidityThresholds = DEFAULT_THRESHOLDS,
    irt: IrtParameters | None = None,
) -> list[Profile]:
    """:func:`score_answers` for answers already in a response matrix (the fast path for
    bulk answers): ``matrix`` is respondents × items as :func:`response_matrix` returns it,
    ``times`` the answer times in the same shape (None = not timed). Gives the same profiles
    as :func:`score_answers` on the same answers."""
    q = questionnaire
    matrix, times = _checked_matrix(q, respondents, matrix, times)
    return _score(q, respondents, matrix, times, norms, forced, thresholds, irt)


def score_matrix_columns(
    questionnaire: Questionnaire,
    respondents: Sequence[Respondent],
    matrix: FloatArray,
    times: FloatArray | None = None,
    norms: Norms | None = None,
    *,
    thresholds: ValidityThresholds = DEFAULT_THRESHOLDS,
    irt: IrtParameters | None = None,
) -> ScoredColumns:
    """The scores :func:`score_matrix` puts in profiles, as columns (no object per
    candidate): what bulk exports are written from. With item parameters ``irt`` the
    columns carry the IRT-driven scores where they drive (the profiles' ``irt`` blocks
    themselves are not made)."""
    q = questionnaire
    matrix, times = _checked_matrix(q, respondents, matrix, times)
    return _score_columns(q, respondents, matrix, times, norms, thresholds, irt, False)[0]


def _checked_matrix(
    q: Questionnaire,
    respondents: Sequence[Respondent],
    matrix: FloatArray,
    times: FloatArray | None,
) -> tuple[FloatArray, FloatArray]:
    matrix = np.asarray(matrix, dtype=np.float64)
    shape = (len(respondents), len(q.items))
    if matrix.shape != shape:
        raise InvalidAnswersError(
            f"the response matrix is {matrix.shape[0]} × {matrix.shape[1]}; expected "
            f"{shape[0]} × {shape[1]} (respondents × items)"
        )
    if times is None:
        times = np.full(shape, np.nan)
    elif np.shape(times) != shape:
        raise InvalidAnswersError(f"the answer times are {np.shape(times)}; expected {shape}")
    low, high = _limits(q)
    with np.errstate(invalid="ignore"):
        bad = (matrix < low) | (matrix > high) | (np.round(matrix) != matrix)
    bad &= ~np.isnan(matrix)
    if bad.any():
        row, column = (int(index) for index in np.argwhere(bad)[0])
        candidate_id = respondents[row].candidate.id
        raise InvalidAnswersError(
            f"candidate {candidate_id}: answers.{q.items[column].id}: {matrix[row, column]:g} "
            f"is not a whole number from {low[column]:g} to {high[column]:g}"
        )
    return matrix, np.asarray(times, dtype=np.float64)


@dataclass(frozen=True)
class ScoredColumns:
    """A batch of candidates scored, as columns rounded as profiles store them."""

    arrays: ScoreArrays
    """The scores as arrays (candidates × traits or roles; NaN where missing)."""
    role_ids: list[str]
    """Roles of the fit columns, in questionnaire order (empty without norms or roles)."""
    norms_used: NormsUsed | None
    """The norms used, as profiles record them."""
    notes: list[str]
    """Notes every profile of the batch carries."""
    order_taker: list[bool] | None
    """Per candidate: the order-taker rule on fit intervals (None without both roles)."""

    @functools.cached_property
    def columns(self) -> _Columns:
        """The scores as Python lists (None where missing), made once when first asked for:
        fast per-candidate access for profiles; bulk exports read :attr:`arrays`."""
        return _Columns.of(self.arrays)


def _score_columns(
    q: Questionnaire,
    respondents: Sequence[Respondent],
    matrix: FloatArray,
    times: FloatArray,
    norms: Norms | None,
    thresholds: ValidityThresholds,
    irt: IrtParameters | None,
    irt_blocks: bool = True,
) -> tuple[ScoredColumns, Any, npt.NDArray[np.bool_], FloatArray | None]:
    """The batch's columns, and for item parameters the IRT arrays, the rows they drive and
    the classical T-scores. ``irt_blocks=False``: the IRT arrays only where they drive the
    scores (no profile ``irt`` block will be made)."""
    norms = norms if norms is not None else q.norms
    if norms is not None:
        missing = [trait_id for trait_id in q.trait_ids() if trait_id not in norms.traits]
        if missing:
            raise InvalidAnswersError(
                f"the norms ({norms.source}) have no entry for trait(s): {', '.join(missing)}"
            )

    traits = trait_arrays(q, matrix)
    normed = norm_scores(q, traits.raw, norms) if norms is not None else None
    classical_t = normed.t if normed is not None else None
    irt_scores, drives = None, np.zeros(len(respondents), dtype=bool)
    if irt is not None:
        from assess import irt_scoring

        drives = irt_scoring.drive_mask(q, respondents)
        if irt_blocks or drives.any():  # the EAP scores are needed
            irt_scores = irt_scoring.irt_arrays(q, matrix, irt)
        if drives.any():
            traits, normed = _irt_driven(traits, normed, irt_scores, drives)
    role_ids, fit = role_fit_matrix(q, normed.t) if normed is not None and q.roles else ([], None)
    errors: _Errors | None = None
    order_taker: npt.NDArray[np.bool_] | None = None
    if normed is not None:
        sem = standard_errors(trait_reliability(q, norms), traits.answered, traits.total)
        sem = np.where(np.isnan(normed.t), np.nan, sem)
        centre, half_width = true_score_intervals(normed.t, sem)
        if irt_scores is not None and drives.any():
            # An IRT-driven T is already an EAP (shrunk toward the mean): its standard error is
            # the posterior SD in T points and its interval is centred on it.
            posterior = 10.0 * irt_scores.sd[drives]
            sem[drives] = posterior
            centre[drives] = normed.t[drives]
            half_width[drives] = INTERVAL_Z * posterior
        fit_low = fit_high = None
        if fit is not None:
            fit_low, fit_high, low_unclipped, high_unclipped = _fit_interval_pairs(q, normed.t, sem)
            order_taker = _order_taker_mask(role_ids, low_unclipped, high_unclipped)
        errors = _Errors(sem, centre - half_width, centre + half_width, fit_low, fit_high)
    orders = [getattr(record, "order", None) for record in respondents]
    indicators = validity_arrays(q, matrix, times, thresholds, orders if any(orders) else None)
    flags = validity.validity_flags(indicators, q.scale.min, q.scale.max, thresholds)

    norms_used = (
        NormsUsed(source=norms.source, n=norms.n, date=norms.date, provisional=norms.provisional)
        if norms is not None
        else None
    )
    scored = ScoredColumns(
        arrays=ScoreArrays.of(traits, normed, fit, indicators, flags, errors),
        role_ids=role_ids,
        norms_used=norms_used,
        notes=_notes(q, norms),
        order_taker=order_taker.tolist() if order_taker is not None else None,
    )
    return scored, irt_scores, drives, classical_t


def _score(
    q: Questionnaire,
    respondents: Sequence[Respondent],
    matrix: FloatArray,
    times: FloatArray,
    norms: Norms | None,
    forced: bool,
    thresholds: ValidityThresholds,
    irt: IrtParameters | None = None,
) -> list[Profile]:
    batch = ScoredBatch(*_score_columns(q, respondents, matrix, times, norms, thresholds, irt))
    return batch_profiles(q, respondents, batch, norms, range(len(respondents)), forced, irt)


@dataclass(frozen=True)
class ScoredBatch:
    """A batch scored as columns, with what its profiles' ``irt`` blocks are made from."""

    scored: ScoredColumns
    """The scores as columns."""
    irt_scores: Any
    """The EAP scores (:class:`assess.irt_scoring.IrtArrays`), or None without parameters."""
    drives: npt.NDArray[np.bool_]
    """Per candidate: whether the IRT T drives the scores."""
    classical_t: FloatArray | None
    """The classical T-scores beside the IRT ones (None without norms)."""


def score_matrix_batch(
    questionnaire: Questionnaire,
    respondents: Sequence[Respondent],
    matrix: FloatArray,
    times: FloatArray | None = None,
    norms: Norms | None = None,
    *,
    thresholds: ValidityThresholds = DEFAULT_THRESHOLDS,
    irt: IrtParameters | None = None,
) -> ScoredBatch:
    """:func:`score_matrix` up to the columns: profiles are then made only for the rows
    that need one (:func:`batch_profiles`); the others are written from the columns."""
    q = questionnaire
    matrix, times = _checked_matrix(q, respondents, matrix, times)
    return ScoredBatch(*_score_columns(q, respondents, matrix, times, norms, thresholds, irt))


def batch_profiles(
    q: Questionnaire,
    respondents: Sequence[Respondent],
    batch: ScoredBatch,
    norms: Norms | None,
    rows: Sequence[int],
    forced: bool = False,
    irt: IrtParameters | None = None,
) -> list[Profile]:
    """The profiles of ``rows`` of a scored batch (as :func:`score_matrix` makes them)."""
    scored, irt_scores = batch.scored, batch.irt_scores
    order_taker = scored.order_taker
    profiles = [
        _profile(
            q,
            respondents[row],
            row,
            scored.columns,
            scored.role_ids,
            scored.norms_used,
            scored.notes,
            forced,
            order_taker[row] if order_taker is not None else False,
        )
        for row in rows
    ]
    if irt is not None and irt_scores is not None:
        from assess import irt_scoring

        picked = list(rows)
        if picked != list(range(len(respondents))):
            irt_scores = dataclasses.replace(
                irt_scores,
                theta=irt_scores.theta[picked],
                sd=irt_scores.sd[picked],
                answered=irt_scores.answered[picked],
            )
        classical_t = batch.classical_t[picked] if batch.classical_t is not None else None
        blocks = irt_scoring.irt_blocks(q, irt_scores, classical_t, batch.drives[picked], irt)
        no_norms = (norms if norms is not None else q.norms) is None
        profiles = [
            _with_irt(profile, block, no_norms)
            for profile, block in zip(profiles, blocks, strict=True)
        ]
    return profiles


def _irt_driven(
    traits: TraitArrays,
    normed: NormedArrays | None,
    irt_scores: Any,
    drives: npt.NDArray[np.bool_],
) -> tuple[TraitArrays, NormedArrays]:
    """Trait arrays and norm scores in which the rows of ``drives`` carry the IRT scores
    (θ as z, T = 50 + 10 θ, its percentile; sufficient = enough items for IRT)."""
    shape = traits.raw.shape
    if normed is None:
        normed = NormedArrays(
            np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
        )
    rows = drives[:, None] & irt_scores.has_parameters[None, :]
    usable = rows & irt_scores.sufficient
    z = np.where(rows, np.where(usable, irt_scores.theta, np.nan), normed.z)
    t = np.where(rows, np.where(usable, irt_scores.t, np.nan), normed.t)
    percentile = np.where(rows, np.where(usable, irt_scores.percentile, np.nan), normed.percentile)
    sufficient = np.where(rows, usable, traits.sufficient)
    return (
        dataclasses.replace(traits, sufficient=sufficient),
        NormedArrays(z=z, t=t, percentile=percentile),
    )


def _with_irt(profile: Profile, block: Any, no_norms: bool) -> Profile:
    """The profile with its ``irt`` block (and a note when IRT T-scores drive it)."""
    notes = list(profile.notes)
    if block.drives:
        if no_norms:
            notes = [note for note in notes if not note.startswith("No norms")]
        state = "provisional " if block.provisional else ""
        notes.append(
            f"Scored by item response theory ({state}item parameters: {block.parameters}): "
            "T = 50 + 10 θ drives bands, flags and role fit; raw scores are classical and "
            "empty where too few items were given for them."
        )
    return profile.model_copy(update={"irt": block, "notes": notes})


def _order_taker_mask(
    role_ids: list[str], low: FloatArray, high: FloatArray
) -> npt.NDArray[np.bool_] | None:
    """:class:`OrderTakerRule` for a batch: the order-taker fit's 90 % interval lies wholly
    above the farmer fit's, on the unclipped fit scale (``low``, ``high``: the unclipped
    interval ends, :func:`role_fit_intervals` with ``clip=False``; None without both roles)."""
    rule = ORDER_TAKER_RULE
    if rule.order_taker_role not in role_ids or rule.farmer_role not in role_ids:
        return None
    order_taker, farmer = role_ids.index(rule.order_taker_role), role_ids.index(rule.farmer_role)
    with np.errstate(invalid="ignore"):
        mask: npt.NDArray[np.bool_] = low[:, order_taker] > high[:, farmer]
    return mask


@dataclass(frozen=True)
class _Errors:
    """Standard errors and interval ends for a batch (candidates × traits or roles)."""

    sem: FloatArray
    t_low: FloatArray
    t_high: FloatArray
    fit_low: FloatArray | None
    fit_high: FloatArray | None


def _listed(values: npt.NDArray[Any]) -> list[Any]:
    """An array (already rounded) as Python lists, with None for NaN."""
    if values.dtype.kind != "f":
        return values.tolist()  # type: ignore[no-any-return]
    objects = values.astype(object)
    objects[np.isnan(values)] = None
    return objects.tolist()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ScoreArrays:
    """The batch's arrays, rounded as profiles store them (NaN where missing): what bulk
    exports format whole columns from."""

    likert: FloatArray
    judgement: FloatArray
    raw: FloatArray
    answered: npt.NDArray[np.int64]
    total: npt.NDArray[np.int64]
    sufficient: npt.NDArray[np.bool_]
    z: FloatArray | None
    t: FloatArray | None
    percentile: FloatArray | None
    fit: FloatArray | None
    indicators: dict[str, npt.NDArray[Any]]
    """Validity indicators by name: floats rounded (NaN = missing), or whole numbers."""
    flags: dict[str, npt.NDArray[np.bool_]]
    sem: FloatArray | None
    t_low: FloatArray | None
    t_high: FloatArray | None
    fit_low: FloatArray | None
    fit_high: FloatArray | None

    @classmethod
    def of(
        cls,
        traits: TraitArrays,
        normed: NormedArrays | None,
        fit: FloatArray | None,
        indicators: validity.ValidityArrays,
        flags: dict[str, npt.NDArray[np.bool_]],
        errors: _Errors | None,
    ) -> ScoreArrays:
        likert: FloatArray = np.where(~traits.sufficient, np.nan, traits.likert)
        digits = {"median_ms": 1}
        return cls(
            likert=np.round(likert, 3),
            judgement=np.round(traits.judgement, 3),
            raw=np.round(traits.raw, 3),
            answered=traits.answered,
            total=traits.total,
            sufficient=traits.sufficient,
            z=np.round(normed.z, 3) if normed is not None else None,
            t=np.round(normed.t, 1) if normed is not None else None,
            percentile=np.round(normed.percentile, 1) if normed is not None else None,
            fit=np.round(fit, 1) if fit is not None else None,
            indicators={
                name: (
                    np.round(values, digits.get(name, 3)) if values.dtype.kind == "f" else values
                )
                for name, values in vars(indicators).items()
            },
            flags=dict(flags),
            sem=np.round(errors.sem, 1) if errors is not None else None,
            t_low=np.round(errors.t_low, 1) if errors is not None else None,
            t_high=np.round(errors.t_high, 1) if errors is not None else None,
            fit_low=(
                np.round(errors.fit_low, 1)
                if errors is not None and errors.fit_low is not None
                else None
            ),
            fit_high=(
                np.round(errors.fit_high, 1)
                if errors is not None and errors.fit_high is not None
                else None
            ),
        )


@dataclass(frozen=True)
class _Columns:
    """The batch's arrays, rounded as stored and converted to Python lists once (fast
    per-candidate access). Missing values are None."""

    likert: list[list[float | None]]
    judgement: list[list[float | None]]
    raw: list[list[float | None]]
    answered: list[list[int]]
    total: list[int]
    sufficient: list[list[bool]]
    z: list[list[float | None]] | None
    t: list[list[float | None]] | None
    percentile: list[list[float | None]] | None
    fit: list[list[float | None]] | None
    indicators: dict[str, list[Any]]
    flags: dict[str, list[bool]]
    sem: list[list[float | None]] | None
    t_low: list[list[float | None]] | None
    t_high: list[list[float | None]] | None
    fit_low: list[list[float | None]] | None
    fit_high: list[list[float | None]] | None

    @classmethod
    def of(cls, arrays: ScoreArrays) -> _Columns:
        def maybe(values: FloatArray | None) -> list[Any] | None:
            return _listed(values) if values is not None else None

        return cls(
            likert=_listed(arrays.likert),
            judgement=_listed(arrays.judgement),
            raw=_listed(arrays.raw),
            answered=arrays.answered.tolist(),
            total=arrays.total.tolist(),
            sufficient=arrays.sufficient.tolist(),
            z=maybe(arrays.z),
            t=maybe(arrays.t),
            percentile=maybe(arrays.percentile),
            fit=maybe(arrays.fit),
            indicators={name: _listed(values) for name, values in arrays.indicators.items()},
            flags={name: mask.tolist() for name, mask in arrays.flags.items()},
            sem=maybe(arrays.sem),
            t_low=maybe(arrays.t_low),
            t_high=maybe(arrays.t_high),
            fit_low=maybe(arrays.fit_low),
            fit_high=maybe(arrays.fit_high),
        )


def _notes(q: Questionnaire, norms: Norms | None) -> list[str]:
    notes = []
    if norms is None:
        notes.append(
            "No norms: the questionnaire has none and none were given (--norms), so z, T, "
            "percentile, band and role fit are empty. Raw scores are on the answer scale "
            f"({q.scale.min}–{q.scale.max})."
        )
    elif norms.provisional:
        notes.append(
            f"Provisional norms ({norms.source}, n = {norms.n}): read T-scores, bands and role "
            "fit as a first indication until local norms exist (assess norms)."
        )
    if norms is not None and not q.roles:
        notes.append("The questionnaire defines no roles, so there is no role fit.")
    return notes


def _profile(
    q: Questionnaire,
    record: Respondent,
    row: int,
    c: _Columns,
    role_ids: list[str],
    norms_used: NormsUsed | None,
    notes: list[str],
    forced: bool,
    order_taker: bool,
) -> Profile:
    # The models are built with model_construct: every value comes from the arrays above,
    # already of its field's type, and validating them again was 40 % of the time of a bulk
    # --out (a test validates every profile of examples/answers.csv and finds them equal).
    trait_scores: dict[str, TraitScore] = {}
    t_of: dict[str, float] = {}
    band_by_trait: dict[str, Band] = {}
    role_poles = _role_risk_poles(q, record.candidate.role)
    for column, trait in enumerate(q.traits):
        t_rounded = c.t[row][column] if c.t is not None else None
        band = band_of(t_rounded) if t_rounded is not None else None
        if band is not None and t_rounded is not None:
            t_of[trait.id] = t_rounded
            band_by_trait[trait.id] = band
        sem = c.sem[row][column] if c.sem is not None else None
        interval: tuple[float, float] | None = None
        if c.t_low is not None and c.t_high is not None and t_rounded is not None:
            low, high = c.t_low[row][column], c.t_high[row][column]
            if low is not None and high is not None:
                interval = (low, high)
        interpretation = (
            (q.interpretation or {}).get(trait.id, {}).get(band) if band is not None else None
        )
        trait_scores[trait.id] = TraitScore.model_construct(
            name=trait.name,
            risk_pole=trait.risk_pole,
            raw=c.raw[row][column],
            likert=c.likert[row][column],
            judgement=c.judgement[row][column],
            z=c.z[row][column] if c.z is not None else None,
            t=t_rounded,
            percentile=c.percentile[row][column] if c.percentile is not None else None,
            band=band,
            items_answered=c.answered[row][column],
            items_total=c.total[column],
            status="ok" if c.sufficient[row][column] else "insufficient",
            interpretation=interpretation,
            sem=sem,
            t_interval=interval,
            interval_bands=bands_reached(*interval) if interval is not None else None,
            risk_pole_applied=role_poles.get(trait.id),
        )

    fits: list[RoleFit] = []
    if c.fit is not None:
        for column, role_id in enumerate(role_ids):
            role = (q.roles or {})[role_id]
            value = c.fit[row][column]
            fit_interval: tuple[float, float] | None = None
            if value is not None and c.fit_low is not None and c.fit_high is not None:
                low_fit, high_fit = c.fit_low[row][column], c.fit_high[row][column]
                if low_fit is not None and high_fit is not None:
                    fit_interval = (low_fit, high_fit)
            fits.append(
                RoleFit.model_construct(
                    role=role_id, name=role.name, fit=value, fit_interval=fit_interval
                )
            )
        fits.sort(key=lambda fit: -fit.fit if fit.fit is not None else float("inf"))
    unscored = [fit.name for fit in fits if fit.fit is None]
    # A best fit among only some roles would mislead: name one only when every role is scored.
    best_fit = fits[0].role if fits and not unscored else None
    if unscored:
        notes = [
            *notes,
            f"No best fit is named: {', '.join(unscored)} could not be scored because a "
            "trait they target has too few answers.",
        ]

    ind = c.indicators
    raised = [name for name, mask in c.flags.items() if mask[row]]
    indicators = ValidityIndicators.model_construct(
        consistency_disagreement=ind["consistency_disagreement"][row],
        consistency_pairs_answered=ind["consistency_pairs_answered"][row],
        social_desirability=ind["social_desirability"][row],
        attention_checks_failed=ind["attention_checks_failed"][row],
        attention_checks_answered=ind["attention_checks_answered"][row],
        longstring=ind["longstring"][row],
        irv=ind["irv"][row],
        too_fast_share=ind["too_fast_share"][row],
        median_ms=ind["median_ms"][row],
        faking_index=ind["faking_index"][row],
        flags=raised,
    )
    red_flags = _red_flags(
        q, record, trait_scores, band_by_trait, t_of, fits, indicators, order_taker
    )
    return Profile.model_construct(
        questionnaire=record.questionnaire,
        candidate=record.candidate,
        started=record.started,
        finished=record.finished,
        scorer_version=SCORER_VERSION,
        forced=forced,
        norms=norms_used,
        notes=notes,
        traits=trait_scores,
        role_fit=fits,
        best_fit=best_fit,
        validity=indicators,
        red_flags=red_flags,
    )


# ------------------------------------------------------------------ Red flags


def not_distinguishable_from_next(
    fits: Sequence[float | None], intervals: Sequence[tuple[float, float] | None]
) -> list[bool]:
    """Per candidate (input order): True when, ranked by this fit (best first), the
    candidate's 90 % fit interval overlaps that of the next-ranked candidate, so the two
    cannot be told apart on this role. False for the last-ranked candidate and for
    candidates without a fit."""
    ranked = sorted(
        (index for index, fit in enumerate(fits) if fit is not None and intervals[index]),
        key=lambda index: -(fits[index] or 0.0),
    )
    out = [False] * len(fits)
    for this, below in pairwise(ranked):
        upper, lower = intervals[this], intervals[below]
        if upper is not None and lower is not None and upper[0] <= lower[1]:
            out[this] = True
    return out


def _order_taker_bands(rule: OrderTakerRule, traits: dict[str, TraitScore]) -> bool:
    """The rule of scorer 1.1 with intervals: the 90 % interval of relationship nurturing
    lies in the high band, comfort asking and closing urgency in the low band, need for
    approval in the high band. A second way to raise the order-taker flag, for questionnaires
    whose roles do not separate the two profiles."""
    wanted = {
        rule.nurturing: "high",
        rule.asking: "low",
        rule.closing: "low",
        rule.approval: "high",
    }
    for trait_id, pole in wanted.items():
        score = traits.get(trait_id)
        if score is None or score.t_interval is None:
            return False
        if not inside_risk_band(pole, score.t_interval):
            return False
    return True


def _role_risk_poles(q: Questionnaire, role_id: str | None) -> dict[str, RiskPole]:
    """The applied role's own risk poles (empty when the candidate applied for no known role
    or the role keeps every trait's default)."""
    if role_id is None or q.roles is None or role_id not in q.roles:
        return {}
    return dict(q.roles[role_id].risk_poles or {})


def _red_flags(
    q: Questionnaire,
    record: Respondent,
    traits: dict[str, TraitScore],
    bands: dict[str, Band],
    t_of: dict[str, float],
    fits: list[RoleFit],
    indicators: ValidityIndicators,
    order_taker_flag: bool,
) -> list[RedFlag]:
    flags: list[RedFlag] = []
    careless = _careless_reasons(indicators)
    if careless:
        flags.append(
            RedFlag.model_construct(code="careless_responding", reason=careless_reason(careless))
        )
    if "faking" in indicators.flags or "social_desirability" in indicators.flags:
        flags.append(
            RedFlag.model_construct(
                code="socially_desirable_responding",
                reason=polished_reason(
                    q, indicators.flags, indicators.faking_index, indicators.social_desirability
                ),
            )
        )
    for trait_id, score in traits.items():
        if score.status == "insufficient":
            flags.append(
                RedFlag.model_construct(
                    code=f"insufficient:{trait_id}",
                    reason=f"Only {score.items_answered} of {score.items_total} "
                    f"{score.name.lower()} items were answered (70 % are needed), so this "
                    "trait is not scored.",
                )
            )

    rule = ORDER_TAKER_RULE
    by_role = {fit.role: fit for fit in fits}
    order_taker, farmer = by_role.get(rule.order_taker_role), by_role.get(rule.farmer_role)
    traits_text = order_taker_traits_text(
        [
            (traits[trait_id].name, t_of[trait_id])
            for trait_id in (rule.nurturing, rule.asking, rule.closing, rule.approval)
            if trait_id in t_of
        ]
    )
    if (
        order_taker_flag
        and order_taker is not None
        and farmer is not None
        and order_taker.fit is not None
        and farmer.fit is not None
    ):
        flags.append(
            RedFlag.model_construct(
                code="likely_order_taker_as_farmer",
                reason=order_taker_fit_reason(
                    order_taker.name, farmer.name, order_taker.fit, farmer.fit, traits_text
                ),
            )
        )
    elif _order_taker_bands(rule, traits):
        flags.append(
            RedFlag.model_construct(
                code="likely_order_taker_as_farmer",
                reason=order_taker_band_reason(
                    [
                        traits[trait_id].name
                        for trait_id in (rule.nurturing, rule.asking, rule.closing, rule.approval)
                    ],
                    traits_text,
                ),
            )
        )

    for trait in q.traits:
        band = bands.get(trait.id)
        score = traits[trait.id]
        pole = score.risk_pole_applied or trait.risk_pole
        if (
            band is not None
            and band == pole
            and score.t_interval is not None
            and inside_risk_band(pole, score.t_interval)
        ):
            low, high = score.t_interval
            flags.append(
                RedFlag.model_construct(
                    code=f"{band}_{trait.id}",
                    reason=band_reason(
                        trait.name,
                        band,
                        t_of[trait.id],
                        (low, high),
                        score.risk_pole_applied is not None,
                        score.interpretation or trait.description,
                    ),
                )
            )

    applied = record.candidate.role
    if applied in by_role and fits and fits[0].fit is not None:
        applied_fit = by_role[applied].fit
        best = fits[0]
        if (
            best.role != applied
            and applied_fit is not None
            and best.fit is not None
            and best.fit - applied_fit >= ROLE_MISMATCH_GAP
        ):
            flags.append(
                RedFlag.model_construct(
                    code="best_fit_differs_from_role",
                    reason=mismatch_reason(by_role[applied].name, applied_fit, best.name, best.fit),
                )
            )
    return flags


# The wording of each red flag, from plain values: profiles (above) and the profile text
# written straight from score columns (assess.profile_text) both use these.


def careless_reason(reasons: Sequence[str]) -> str:
    """The reason of ``careless_responding`` (``reasons``: :func:`careless_reason_parts`)."""
    return (
        "The answers look careless ("
        + "; ".join(reasons)
        + "), so every score in this profile is doubtful. Re-assess or discuss "
        "the answers before relying on them."
    )


def polished_reason(
    q: Questionnaire,
    flags: Sequence[str],
    faking_index: float | None,
    social_desirability: float | None,
) -> str:
    """The reason of ``socially_desirable_responding`` (``flags``: the validity flags)."""
    because = []
    if "faking" in flags and faking_index is not None:
        because.append(
            f"the faking index is {faking_index:+.2f} (flagged from "
            f"{DEFAULT_THRESHOLDS.faking_share_of_range * (q.scale.max - q.scale.min):+.2f})"
        )
    if "social_desirability" in flags:
        because.append(
            f"agreed on average ({social_desirability:.1f}) with claims almost "
            "nobody can truthfully make"
        )
    return (
        "The answers look polished (" + "; ".join(because) + "): the traits "
        "and the role fit are probably too good. Read the fit as an upper bound and "
        "probe the strongest traits with examples in the interview."
    )


def order_taker_traits_text(shown: Sequence[tuple[str, float]]) -> str:
    """`` (name T 61.0, …)`` for the order-taker rule's traits that have a T (name, T)."""
    parts = [f"{name.lower()} T {t:.1f}" for name, t in shown]
    return f" ({', '.join(parts)})" if parts else ""


_ORDER_TAKER_CONSEQUENCE = (
    ": placed as a farmer, this person is likely to service accounts without asking "
    "for growth, introductions or referrals."
)


def order_taker_fit_reason(
    order_taker_name: str, farmer_name: str, order_taker_fit: float, farmer_fit: float, traits: str
) -> str:
    """The reason of ``likely_order_taker_as_farmer`` raised by the two fits."""
    return (
        f"Fits the {order_taker_name.lower()} profile better than the "
        f"{farmer_name.lower()} profile (fit {order_taker_fit:.0f} against "
        f"{farmer_fit:.0f}, a difference beyond the measurement error){traits}"
        + _ORDER_TAKER_CONSEQUENCE
    )


def order_taker_band_reason(names: Sequence[str], traits: str) -> str:
    """The reason of ``likely_order_taker_as_farmer`` raised by the four bands (``names``:
    nurturing, asking, closing and approval traits' names)."""
    nurturing, asking, closing, approval = names
    return (
        f"Strong on {nurturing.lower()} but low on "
        f"{asking.lower()} and {closing.lower()}, "
        f"with a high {approval.lower()}, each beyond the "
        f"measurement error{traits}" + _ORDER_TAKER_CONSEQUENCE
    )


def band_reason(
    name: str,
    band: str,
    t: float,
    interval: tuple[float, float],
    for_role: bool,
    interpretation: str,
) -> str:
    """The reason of a risky-band red flag (``low_<trait>`` or ``high_<trait>``)."""
    low, high = interval
    role_text = " for this role" if for_role else ""
    return (
        f"{name} is {band} (T {t:.1f}, 90 % interval "
        f"{low:.1f}–{high:.1f}, all of it {band}), the risky end of this "
        f"trait{role_text}. {interpretation}"
    ).strip()


def mismatch_reason(applied_name: str, applied_fit: float, best_name: str, best_fit: float) -> str:
    """The reason of ``best_fit_differs_from_role``."""
    return (
        f"Applied for the {applied_name} role (fit {applied_fit:.0f}), "
        f"but fits {best_name} best (fit {best_fit:.0f}); discuss which role is meant."
    )


def _careless_reasons(ind: ValidityIndicators) -> list[str]:
    return careless_reason_parts(
        ind.flags,
        ind.attention_checks_failed,
        ind.attention_checks_answered,
        ind.longstring,
        ind.irv,
        ind.consistency_disagreement,
        ind.too_fast_share,
    )


def careless_reason_parts(
    flags: Sequence[str],
    attention_failed: int | None,
    attention_answered: int | None,
    longstring: int | None,
    irv: float | None,
    disagreement: float | None,
    too_fast_share: float | None,
) -> list[str]:
    """Why the answers look careless, one phrase per careless flag raised (none: not)."""
    reasons = []
    if "attention" in flags:
        reasons.append(f"failed {attention_failed} of {attention_answered} attention checks")
    if "longstring" in flags:
        reasons.append(f"{longstring} identical answers in a row")
    if "low_irv" in flags and irv is not None:
        reasons.append(f"almost no variation in the answers (SD {irv:.2f})")
    if "inconsistent" in flags and disagreement is not None:
        reasons.append(f"paired statements answered {disagreement:.1f} points apart on average")
    if "too_fast" in flags and too_fast_share is not None:
        reasons.append(f"{too_fast_share:.0%} of the answers too fast to have been read")
    return reasons
