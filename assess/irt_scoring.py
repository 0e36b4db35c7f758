"""IRT scores for profiles: EAP θ per trait from a response matrix and item parameters.

Pure and vectorised; :func:`assess.scoring.score_answers` calls it when item parameters
are available. Per trait, only the trait's Likert items with parameters count (the
situational-judgement contribution of the classical raw score has no IRT model).

T = 50 + 10 θ: θ is standard normal in the calibration sample, so the IRT T is normed on
that sample the way the classical T is normed on the norm sample. Its 90 % interval is
50 + 10 (θ ± 1.645 SD) with SD the posterior SD (a Bayesian interval from the N(0, 1)
prior and the answers; it widens when fewer items were answered).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.irt import GrmFit, IrtError, eap, fit_grm, theta_percentile, theta_to_t
from assess.irt_params import IrtParameters
from assess.model import Answers, IrtScores, IrtTraitScore, LikertItem, Questionnaire

FloatArray = npt.NDArray[np.float64]

INTERVAL_Z = 1.6448536269514722
"""z of a two-sided 90 % normal interval (the profile's interval level)."""

IRT_MIN_ITEMS = 2
"""A trait has an IRT score that can drive bands and role fit only when at least this many
of its items were answered (items; an adaptive sitting always gives at least two)."""


@dataclass(frozen=True)
class IrtArrays:
    """EAP scores for a batch, candidates × traits (questionnaire trait order); traits
    without parameters are NaN throughout."""

    theta: FloatArray
    """EAP θ (NaN when the trait has no parameters or no answered item)."""
    sd: FloatArray
    """Posterior SD of θ."""
    answered: npt.NDArray[np.int64]
    """Items with parameters answered."""
    has_parameters: npt.NDArray[np.bool_]
    """Per trait: whether the parameters cover it."""

    @property
    def t(self) -> FloatArray:
        """T = 50 + 10 θ."""
        return theta_to_t(self.theta)

    @property
    def percentile(self) -> FloatArray:
        """Percentile of θ in the calibration population."""
        return theta_percentile(self.theta)

    @property
    def sufficient(self) -> npt.NDArray[np.bool_]:
        """At least :data:`IRT_MIN_ITEMS` items answered."""
        return (self.answered >= IRT_MIN_ITEMS) & self.has_parameters[None, :]


def irt_arrays(q: Questionnaire, matrix: FloatArray, params: IrtParameters) -> IrtArrays:
    """EAP θ and posterior SD of every candidate on every trait with parameters.

    ``matrix`` is candidates × items (questionnaire order) as
    :func:`assess.scoring.response_matrix` returns it.
    """
    column = {item_id: index for index, item_id in enumerate(q.item_ids())}
    n = matrix.shape[0]
    n_traits = len(q.traits)
    theta = np.full((n, n_traits), np.nan)
    sd = np.full((n, n_traits), np.nan)
    answered = np.zeros((n, n_traits), dtype=np.int64)
    has = np.zeros(n_traits, dtype=bool)
    for t_index, trait_id in enumerate(q.trait_ids()):
        trait = params.traits.get(trait_id)
        if trait is None:
            continue
        has[t_index] = True
        items: list[LikertItem] = [
            item for item in q.likert_items_of(trait_id) if item.id in trait.items
        ]
        x = matrix[:, [column[item.id] for item in items]]
        reverse = np.array([item.keyed == "-" for item in items])
        keyed = np.where(reverse[None, :], q.scale.min + q.scale.max - x, x)
        estimate = eap([trait.items[item.id].grm() for item in items], keyed - q.scale.min)
        seen = estimate.answered > 0
        theta[seen, t_index] = estimate.theta[seen]
        sd[seen, t_index] = estimate.sd[seen]
        answered[:, t_index] = estimate.answered
    return IrtArrays(theta=theta, sd=sd, answered=answered, has_parameters=has)


def drive_mask(q: Questionnaire, respondents: Sequence[object]) -> npt.NDArray[np.bool_]:
    """Per respondent: whether the IRT T drives bands, flags and role fit — when the
    questionnaire sets ``scoring: irt``, or the answers come from an adaptive sitting
    (too few items per trait for the classical score)."""
    return np.array(
        [
            q.scoring == "irt" or (isinstance(record, Answers) and record.adaptive is not None)
            for record in respondents
        ],
        dtype=bool,
    )


def _value(x: float) -> float | None:
    """A rounded value, or None for NaN."""
    return None if x != x else x  # NaN is the only value unequal to itself


def block_arrays(arrays: IrtArrays, classical_t: FloatArray | None) -> dict[str, Any]:
    """The numbers of the ``irt`` blocks, candidates × traits, rounded as stored (NaN =
    null): ``theta``, ``sd``, ``t``, ``t_low``, ``t_high`` (the 90 % interval),
    ``answered`` and ``classical_t`` (None without norms)."""
    return {
        "theta": np.round(arrays.theta, 3),
        "sd": np.round(arrays.sd, 3),
        "t": np.round(arrays.t, 1),
        "t_low": np.round(theta_to_t(arrays.theta - INTERVAL_Z * arrays.sd), 1),
        "t_high": np.round(theta_to_t(arrays.theta + INTERVAL_Z * arrays.sd), 1),
        "answered": arrays.answered,
        "classical_t": np.round(classical_t, 1) if classical_t is not None else None,
    }


def irt_blocks(
    q: Questionnaire,
    arrays: IrtArrays,
    classical_t: FloatArray | None,
    drives: npt.NDArray[np.bool_],
    params: IrtParameters,
) -> list[IrtScores]:
    """The profile's ``irt`` block for each candidate."""
    columns = block_arrays(arrays, classical_t)
    t = columns["t"].tolist()
    low = columns["t_low"].tolist()
    high = columns["t_high"].tolist()
    theta = columns["theta"].tolist()
    sd = columns["sd"].tolist()
    answered = columns["answered"].tolist()
    classical = columns["classical_t"].tolist() if columns["classical_t"] is not None else None
    sha = params.sha256()
    out = []
    for row in range(arrays.theta.shape[0]):
        traits: dict[str, IrtTraitScore] = {}
        for t_index, trait_id in enumerate(q.trait_ids()):
            if not arrays.has_parameters[t_index]:
                continue
            lo, hi = _value(low[row][t_index]), _value(high[row][t_index])
            # built without re-validation (the values are checked floats; ~10× faster in bulk)
            traits[trait_id] = IrtTraitScore.model_construct(
                theta=_value(theta[row][t_index]),
                sd=_value(sd[row][t_index]),
                t=_value(t[row][t_index]),
                t_interval=(lo, hi) if lo is not None and hi is not None else None,
                items_answered=answered[row][t_index],
                classical_t=_value(classical[row][t_index]) if classical is not None else None,
            )
        out.append(
            IrtScores.model_construct(
                parameters=params.source,
                parameters_sha256=sha,
                provisional=params.provisional,
                drives=bool(drives[row]),
                traits=traits,
            )
        )
    return out


@dataclass(frozen=True)
class TraitCalibration:
    """The calibration of one trait: a fit, or why the trait was refused."""

    trait_id: str
    """The trait."""
    fit: GrmFit | None
    """The fit (None when refused)."""
    refused: str | None = None
    """Why the trait cannot be calibrated (None when fitted)."""


def calibrate_traits(
    q: Questionnaire,
    matrix: FloatArray,
    exclude: npt.NDArray[np.bool_] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, TraitCalibration]:
    """Fit a graded response model to every trait's Likert items (reverse-keyed items
    reversed; respondents in ``exclude`` left out). Traits that cannot be identified are
    returned with the reason, never silently dropped. ``progress`` is told each trait id
    before it is fitted."""
    column = {item_id: index for index, item_id in enumerate(q.item_ids())}
    rows = matrix if exclude is None else matrix[~exclude]
    out: dict[str, TraitCalibration] = {}
    for trait_id in q.trait_ids():
        if progress is not None:
            progress(trait_id)
        items = q.likert_items_of(trait_id)
        x = rows[:, [column[item.id] for item in items]]
        reverse = np.array([item.keyed == "-" for item in items])
        keyed = np.where(reverse[None, :], q.scale.min + q.scale.max - x, x) - q.scale.min
        try:
            fit = fit_grm([item.id for item in items], keyed, q.scale.points)
        except IrtError as exc:
            out[trait_id] = TraitCalibration(trait_id, None, str(exc))
            continue
        out[trait_id] = TraitCalibration(trait_id, fit)
    return out


def _finite(value: float, digits: int = 4) -> float | None:
    return round(value, digits) if np.isfinite(value) else None


def calibration_dict(calibrations: Mapping[str, TraitCalibration]) -> dict[str, Any]:
    """The ``irt`` block of ``assess analyze --irt``'s JSON (``repfit.analysis/1``)."""
    out: dict[str, Any] = {}
    for trait_id, calibration in calibrations.items():
        fit = calibration.fit
        if fit is None:
            out[trait_id] = {"converged": False, "refused": calibration.refused, "items": {}}
            continue
        out[trait_id] = {
            "items": {
                item_id: {
                    "a": _finite(item.a),
                    "a_se": _finite(item.a_se),
                    "b": [_finite(v) for v in item.b],
                    "b_se": [_finite(v) for v in item.b_se],
                    "n": item.n,
                    "counts": list(item.counts),
                }
                for item_id, item in fit.items.items()
            },
            "loglik": round(fit.loglik, 3),
            "converged": fit.converged,
            "iterations": fit.iterations,
            "max_change": float(f"{fit.max_change:.3g}"),
            "max_gradient": float(f"{fit.max_gradient:.3g}"),
            "n": fit.n,
            "information": {
                f"{theta:g}": round(info, 3)
                for theta, info in zip(fit.information_theta, fit.information, strict=True)
            },
            "warnings": list(fit.warnings),
        }
    return out
