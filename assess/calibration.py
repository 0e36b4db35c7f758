"""Simulated respondents for calibrating flags, intervals and the faking index.

Pure: takes a questionnaire and a numpy ``Generator`` and returns response matrices and
summary figures; no files, no terminal. ``benchmarks/bench_trust.py`` prints the figures
(``python -m benchmarks trust``) and ``tests/assess/test_calibration.py`` asserts them with
margins, so every claim in docs/scoring.md about how often a flag fires can be rerun.

The response model (issue 12), per respondent:

* one latent level per trait, independent across traits, N(mean, ``latent_sd``²) in
  population SD units (mean 0 for the general population; archetype means for simulated
  farmers, order-takers and so on, see :data:`ARCHETYPE_MEANS`);
* a Likert trait item's latent response ``y* = s × loading × θ + √(1 − loading²) × ε``
  (``s`` = +1 for items keyed ``+``, −1 for ``-``), cut into the answer scale at equally
  spaced thresholds one unit apart, centred on the scale's middle: on 1–5 the cuts are
  −1.5, −0.5, 0.5, 1.5, so the item SD is about one unit of ``y*``;
* social-desirability items share one desirability latent, so honest answers correlate
  about ``desirability_correlation`` with each other, and sit ``desirability_offset`` below
  the scale middle in the keyed direction (honest people mostly deny the implausible
  virtues and admit the common faults);
* attention checks are answered as asked;
* a situational item's option is drawn from softmax(``judgement_sensitivity`` × Σ weight ×
  θ) by inverse CDF;
* a **faker** moves every trait and desirability answer ``fake`` item-SD units toward the
  desirable end (the end away from the trait's risk pole; high for traits without one; the
  keyed end of a desirability item) and chooses options as if each latent were
  ``fake / loading`` SD more desirable; an **acquiescent** respondent ("yes-sayer") moves
  every Likert answer ``acquiescence`` units toward *agree*, whatever the keying.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from assess.model import (
    Candidate,
    LikertItem,
    Norms,
    Questionnaire,
    QuestionnaireRef,
    SituationalItem,
    TraitNorm,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

TRAIT_LOADING = 0.6
"""Loading of every Likert trait item on its trait (standardised; issue 12's honest model)."""

DESIRABILITY_CORRELATION = 0.3
"""Correlation between two honest social-desirability answers (issue 12)."""

DESIRABILITY_OFFSET = -1.0
"""Where an honest answer to a desirability item sits, in latent-response units, relative to
the scale middle in the item's keyed direction (−1: about "Disagree" for an implausible
virtue, "Agree" for a common fault). A modelling assumption chosen so honest respondents
agree on average about 2 on 1–5 with the implausible claims, as in examples/make_answers.py."""

JUDGEMENT_SENSITIVITY = 1.5
"""Softmax inverse temperature of situational choices per unit of Σ weight × latent (the
same as examples/make_answers.py)."""

MODERATE_FAKING = 0.8
"""A moderate faker's shift toward the desirable end, in item-SD units (issue 12)."""

ARCHETYPE_LATENT_SD = 0.5
"""Person spread around an archetype's mean (population SD units; examples/make_answers.py)."""

TRAIT_ORDER = (
    "need_for_approval",
    "rejection_resistance",
    "closing_urgency",
    "emotional_control",
    "listening_questioning",
    "proactivity",
    "comfort_asking",
    "relationship_nurturing",
    "prospecting_drive",
    "account_planning",
    "money_comfort",
    "account_strategy",
)
"""The bundled questionnaire's traits, in the order of :data:`ARCHETYPE_MEANS`."""

ARCHETYPE_MEANS: dict[str, tuple[float, ...]] = {
    "hunter": (-0.8, 1.2, 1.2, 0.8, -0.3, 0.3, 0.8, -0.6, 1.4, -0.6, 0.6, -0.2),
    "farmer": (-0.6, 0.5, 0.5, 0.6, 0.8, 1.1, 1.0, 0.8, -0.2, 1.1, 0.6, 1.1),
    "order_taker": (1.4, -0.7, -1.5, -0.1, 0.2, -1.0, -1.5, 1.5, -0.8, -0.4, -0.9, -0.6),
    "hybrid": (-0.4, 0.2, 0.1, 0.2, 0.2, 0.1, 0.1, 0.5, 0.3, 0.2, 0.2, 0.1),
}
"""Archetype latent means per trait in :data:`TRAIT_ORDER` (population SD units);
``examples/make_answers.py`` draws the sample candidates from these, so they and the
calibration agree."""


@dataclass(frozen=True)
class Population:
    """Who is simulated: latent means and spread, and a response style."""

    means: Mapping[str, float] = field(default_factory=dict)
    """Trait id -> latent mean (population SD units); traits left out have mean 0."""
    latent_sd: float = 1.0
    """Person spread around the means (population SD units)."""
    fake: float = 0.0
    """Shift of every trait and desirability answer toward the desirable end (item SD)."""
    acquiescence: float = 0.0
    """Shift of every Likert answer toward *agree*, whatever the keying (item SD)."""


def archetype(name: str, **style: float) -> Population:
    """An archetype of :data:`ARCHETYPE_MEANS` with the archetype spread."""
    means = dict(zip(TRAIT_ORDER, ARCHETYPE_MEANS[name], strict=True))
    return Population(means=means, latent_sd=ARCHETYPE_LATENT_SD, **style)


def desirable_direction(q: Questionnaire) -> dict[str, float]:
    """Trait id -> +1 when high is desirable, −1 when low is (the end away from the trait's
    risk pole; traits without a risk pole count high as desirable)."""
    return {trait.id: -1.0 if trait.risk_pole == "high" else 1.0 for trait in q.traits}


def simulate_responses(
    q: Questionnaire,
    population: Population,
    n: int,
    rng: np.random.Generator,
    *,
    loading: float = TRAIT_LOADING,
    desirability_correlation: float = DESIRABILITY_CORRELATION,
    desirability_offset: float = DESIRABILITY_OFFSET,
    judgement_sensitivity: float = JUDGEMENT_SENSITIVITY,
) -> FloatArray:
    """A respondents × items response matrix (questionnaire order) from the model above."""
    trait_ids = q.trait_ids()
    means = np.array([population.means.get(trait_id, 0.0) for trait_id in trait_ids])
    theta = means + population.latent_sd * rng.standard_normal((n, len(trait_ids)))
    desirability = rng.standard_normal(n)
    direction = desirable_direction(q)
    index = {trait_id: column for column, trait_id in enumerate(trait_ids)}
    points = q.scale.max - q.scale.min + 1
    cuts = np.arange(1, points) - points / 2.0
    uniforms = rng.random((n, len(q.items)))
    noise = rng.standard_normal((n, len(q.items)))
    matrix = np.full((n, len(q.items)), np.nan)
    shifted = theta + population.fake / loading * np.array([direction[t] for t in trait_ids])
    for column, item in enumerate(q.items):
        if isinstance(item, SituationalItem):
            weights = np.zeros((len(item.options), len(trait_ids)))
            for option_index, option in enumerate(item.options):
                for trait_id, weight in option.weights.items():
                    weights[option_index, index[trait_id]] = weight
            utility = judgement_sensitivity * shifted @ weights.T
            utility -= utility.max(axis=1, keepdims=True)
            probability = np.exp(utility)
            cumulative = np.cumsum(probability, axis=1) / probability.sum(axis=1, keepdims=True)
            chosen = (uniforms[:, column, None] > cumulative).sum(axis=1)
            matrix[:, column] = np.minimum(chosen, len(item.options) - 1) + 1
            continue
        if item.validity == "attention_check":
            matrix[:, column] = float(item.expect if item.expect is not None else q.scale.min)
            continue
        sign = 1.0 if item.keyed == "+" else -1.0
        if item.trait is not None:
            keyed = (
                loading * theta[:, index[item.trait]] + np.sqrt(1 - loading**2) * (noise[:, column])
            )
            faked = population.fake * direction[item.trait]
        else:
            r = desirability_correlation
            keyed = np.sqrt(r) * desirability + np.sqrt(1 - r) * noise[:, column]
            keyed += desirability_offset
            faked = population.fake
        response = sign * (keyed + faked) + population.acquiescence
        matrix[:, column] = q.scale.min + (response[:, None] > cuts[None, :]).sum(axis=1)
    return matrix


def longest_option_matrix(q: Questionnaire, n: int = 1) -> FloatArray:
    """Every respondent picks the longest option of each situational item (ties: the first);
    Likert items left unanswered. Used to check that option length carries no information."""
    matrix = np.full((n, len(q.items)), np.nan)
    for column, item in enumerate(q.items):
        if isinstance(item, SituationalItem):
            lengths = [len(option.text) for option in item.options]
            matrix[:, column] = int(np.argmax(lengths)) + 1
    return matrix


@dataclass(frozen=True)
class SimulatedRespondent:
    """The header fields :func:`assess.scoring.score_matrix` needs for one simulated row."""

    questionnaire: QuestionnaireRef
    """The questionnaire answered."""
    candidate: Candidate
    """A made-up candidate id (``sim-<n>``) and the role applied for, if any."""
    started: datetime | None = None
    """Not timed."""
    finished: datetime | None = None
    """Not timed."""


def respondents(
    q: Questionnaire, n: int, role: str | None = None, prefix: str = "sim"
) -> list[SimulatedRespondent]:
    """``n`` simulated respondent headers, applying for ``role`` (or no role)."""
    ref = q.ref()
    return [
        SimulatedRespondent(ref, Candidate(id=f"{prefix}-{row + 1}", role=role)) for row in range(n)
    ]


def local_norms(
    q: Questionnaire,
    raw: FloatArray,
    reliability: Sequence[float | None] | None = None,
    source: str = "simulated local norms",
) -> Norms:
    """Norms (mean and SD of each trait's raw score) from a simulated honest sample, as
    ``assess norms`` would build them; ``reliability`` per trait when known."""
    traits = {}
    for column, trait_id in enumerate(q.trait_ids()):
        values = raw[:, column][~np.isnan(raw[:, column])]
        traits[trait_id] = TraitNorm(
            mean=float(values.mean()),
            sd=float(values.std(ddof=1)),
            reliability=None if reliability is None else reliability[column],
        )
    return Norms(source=source, n=len(raw), provisional=False, traits=traits)


def detection_rate(scores: FloatArray, threshold: float) -> float:
    """Share of ``scores`` at or above ``threshold`` (NaN scores count as not flagged)."""
    with np.errstate(invalid="ignore"):
        return float(np.mean(scores >= threshold))


def roc_curve(honest: FloatArray, faking: FloatArray) -> tuple[FloatArray, FloatArray, float]:
    """False-alarm rate, hit rate (one point per distinct threshold, from strict to lax) and
    the area under the curve (the probability that a faker's index exceeds an honest
    respondent's, ties counting half)."""
    honest = np.asarray(honest, dtype=np.float64)
    faking = np.asarray(faking, dtype=np.float64)
    honest = honest[~np.isnan(honest)]
    faking = faking[~np.isnan(faking)]
    thresholds = np.unique(np.concatenate([honest, faking]))[::-1]
    false_alarm = np.array([np.mean(honest >= t) for t in thresholds])
    hit = np.array([np.mean(faking >= t) for t in thresholds])
    ranks = _midranks(np.concatenate([honest, faking]))
    auc = (ranks[len(honest) :].sum() - len(faking) * (len(faking) + 1) / 2) / (
        len(honest) * len(faking)
    )
    return (
        np.concatenate([[0.0], false_alarm, [1.0]]),
        np.concatenate([[0.0], hit, [1.0]]),
        float(auc),
    )


def _midranks(values: FloatArray) -> FloatArray:
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    _, inverse = np.unique(values, return_inverse=True)
    sums = np.bincount(inverse, weights=ranks)
    counts = np.bincount(inverse)
    mid: FloatArray = (sums / counts)[inverse]
    return mid


def likert_item_ids(q: Questionnaire) -> list[str]:
    """Likert trait item ids (used by the tests of presentation order)."""
    return [item.id for item in q.items if isinstance(item, LikertItem) and item.trait]


# ------------------------------------------------------------------ Figures


def groups() -> dict[str, Population]:
    """The simulated groups of docs/scoring.md: the general honest population, moderate
    fakers, yes-sayers and the four archetypes (all honest unless named otherwise)."""
    return {
        "honest": Population(),
        "moderate_faker": Population(fake=MODERATE_FAKING),
        "acquiescent": Population(acquiescence=MODERATE_FAKING),
        "farmer": archetype("farmer"),
        "hunter": archetype("hunter"),
        "hybrid": archetype("hybrid"),
        "order_taker": archetype("order_taker"),
    }


@dataclass(frozen=True)
class GroupFigures:
    """How often each flag fires in one simulated group (shares of the group)."""

    n: int
    """Respondents simulated."""
    any_risky: float
    """Share with at least one risky-trait flag (``low_<trait>`` / ``high_<trait>``)."""
    mean_risky: float
    """Mean number of risky-trait flags."""
    order_taker: float
    """Share with the order-taker flag."""
    faking: float
    """Share with the ``faking`` validity flag."""
    desirable_flag: float
    """Share with the red flag ``socially_desirable_responding``."""
    best_fit_own: float | None
    """Share whose best fit is the group's own role (archetypes only)."""
    farmer_fit: float
    """Mean farmer fit."""
    faking_index: FloatArray
    """The faking index of every respondent (for the ROC curve)."""
    farmer_fits: FloatArray
    """The farmer fit of every respondent."""
    faking_flags: BoolArray
    """Whether each respondent got the ``faking`` flag."""


def risky_flag_count(codes: Sequence[str], trait_ids: Sequence[str]) -> int:
    """Number of risky-trait flags among red-flag codes."""
    names = {f"{pole}_{trait_id}" for trait_id in trait_ids for pole in ("low", "high")}
    return sum(code in names for code in codes)


@dataclass(frozen=True)
class Figures:
    """Everything docs/scoring.md reports from one seeded simulation."""

    norms: Norms
    """The local norms built from the honest norm sample (with its alphas)."""
    groups: dict[str, GroupFigures]
    """Group name -> its figures, with no role applied for."""
    any_risky_by_role: dict[str, float]
    """Role applied for -> share of honest respondents with any risky-trait flag."""
    roc_false_alarm: FloatArray
    """ROC curve of the faking index: false-alarm rate on honest respondents."""
    roc_hit: FloatArray
    """ROC curve of the faking index: hit rate on moderate fakers."""
    auc: float
    """Area under that ROC curve."""


def measure(q: Questionnaire, n: int = 2000, seed: int = 12) -> Figures:
    """Simulate every group of :func:`groups` (``n`` each) and an honest norm sample, score
    them against local norms and count the flags. One independent stream per group, spawned
    from ``seed``."""
    from assess import psychometrics, scoring

    names = ["norm_sample", *groups()]
    streams = dict(zip(names, np.random.SeedSequence(seed).spawn(len(names)), strict=True))
    sample = simulate_responses(q, Population(), n, np.random.default_rng(streams["norm_sample"]))
    keyed = scoring.keyed_likert_matrix(q, sample)
    ids = q.item_ids()
    alphas: list[float | None] = []
    for trait_id in q.trait_ids():
        columns = [ids.index(item.id) for item in q.likert_items_of(trait_id)]
        alphas.append(round(psychometrics.cronbach_alpha(keyed[:, columns]).alpha, 3))
    norms = local_norms(q, scoring.trait_arrays(q, sample).raw, alphas)
    trait_ids = q.trait_ids()
    results: dict[str, GroupFigures] = {}
    by_role: dict[str, float] = {}
    for name, population in groups().items():
        rng = np.random.default_rng(streams[name])
        matrix = simulate_responses(q, population, n, rng)
        profiles = scoring.score_matrix(q, respondents(q, n), matrix, None, norms)
        codes = [[flag.code for flag in p.red_flags] for p in profiles]
        risky = np.array([risky_flag_count(c, trait_ids) for c in codes])
        own = name if q.roles is not None and name in q.roles else None
        results[name] = GroupFigures(
            n=n,
            any_risky=float(np.mean(risky >= 1)),
            mean_risky=float(risky.mean()),
            order_taker=float(np.mean([any("order_taker" in c for c in cs) for cs in codes])),
            faking=float(np.mean(["faking" in p.validity.flags for p in profiles])),
            desirable_flag=float(np.mean(["socially_desirable_responding" in c for c in codes])),
            best_fit_own=(float(np.mean([p.best_fit == own for p in profiles])) if own else None),
            farmer_fit=float(
                np.mean(
                    [f.fit for p in profiles for f in p.role_fit if f.role == "farmer" and f.fit]
                    or [np.nan]
                )
            ),
            faking_index=np.array(
                [
                    np.nan if p.validity.faking_index is None else p.validity.faking_index
                    for p in profiles
                ]
            ),
            farmer_fits=np.array(
                [
                    next((f.fit for f in p.role_fit if f.role == "farmer" and f.fit), np.nan)
                    for p in profiles
                ]
            ),
            faking_flags=np.array(["faking" in p.validity.flags for p in profiles]),
        )
        if name == "honest":
            for role_id in q.roles or {}:
                if role_id == "order_taker":
                    continue  # a description, not a role anyone is hired for
                applied = scoring.score_matrix(q, respondents(q, n, role_id), matrix, None, norms)
                counts = np.array(
                    [risky_flag_count([f.code for f in p.red_flags], trait_ids) for p in applied]
                )
                by_role[role_id] = float(np.mean(counts >= 1))
    false_alarm, hit, auc = roc_curve(
        results["honest"].faking_index, results["moderate_faker"].faking_index
    )
    return Figures(norms, results, by_role, false_alarm, hit, auc)


def band_agreement(q: Questionnaire, n: int = 2000, seed: int = 12) -> float:
    """Share of trait scores whose band (read off T with norms from a large sample of the
    same population) equals the band of the true latent score 50 + 10 θ: how often a band
    is right even with perfect norms."""
    from assess import scoring

    sample_stream, norm_stream = np.random.SeedSequence(seed).spawn(2)
    matrix = simulate_responses(q, Population(), n, np.random.default_rng(sample_stream))
    # simulate_responses draws the latent levels first, so the same stream gives them back.
    theta = np.random.default_rng(sample_stream).standard_normal((n, len(q.traits)))
    big = simulate_responses(q, Population(), 10 * n, np.random.default_rng(norm_stream))
    norms = local_norms(q, scoring.trait_arrays(q, big).raw)
    t = scoring.norm_scores(q, scoring.trait_arrays(q, matrix).raw, norms).t

    def bands(values: FloatArray) -> npt.NDArray[np.int64]:
        return np.where(values < scoring.T_LOW, 0, np.where(values > scoring.T_HIGH, 2, 1))

    return float(np.mean(bands(t) == bands(50.0 + 10.0 * theta)))


def fakers_in_top_decile(figures: Figures, share: float = 0.09) -> tuple[float, float, float]:
    """A pool of honest respondents with ``share`` moderate fakers, ranked by farmer fit:
    the fakers' share of the top 10 %, the share of those fakers the faking flag catches,
    and the fakers' share of the top 10 % once flagged candidates are set aside."""
    honest, fakers = figures.groups["honest"], figures.groups["moderate_faker"]
    count = round(share * honest.n / (1 - share))
    fit = np.concatenate([honest.farmer_fits, fakers.farmer_fits[:count]])
    is_faker = np.concatenate([np.zeros(honest.n, bool), np.ones(count, bool)])
    flagged = np.concatenate([honest.faking_flags, fakers.faking_flags[:count]])
    top = np.argsort(-fit, kind="stable")[: len(fit) // 10]
    unflagged_fit = np.where(flagged, -np.inf, fit)
    top_unflagged = np.argsort(-unflagged_fit, kind="stable")[: len(fit) // 10]
    caught = flagged[top][is_faker[top]]
    return (
        float(is_faker[top].mean()),
        float(caught.mean()) if caught.size else 0.0,
        float(is_faker[top_unflagged].mean()),
    )
