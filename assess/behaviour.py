"""The bridge: trait T-scores to behaviour parameters for the role a person is hired into.

Pure: data in, data out (no files, no terminal, and never :mod:`simulate`, which the
import contracts forbid). ``simulate`` turns the output into a seat of its team; this
module only knows plain parameter names and numbers. docs/bridge.md explains every link.

The mapping (version :data:`MAPPING_VERSION`)
---------------------------------------------
Each behaviour parameter ``p`` of the simulation (:data:`BEHAVIOUR_FIELDS`) is

    p = low + (high − low) · σ(η),    η = η_R + s_p · Σ_k w_pk (T_k − T*_Rk) / 10

* ``R`` is the role hired into and ``T*_R`` its **anchor**: the trait targets of that role
  in the bundled questionnaire (traits without a target at T 50). ``η_R`` is the logit of
  the role archetype's own parameter, so a person sitting exactly on the role's targets
  gets the archetype's parameters (the fixed point);
* ``w_pk`` (:data:`LINKS`) are the theory: which traits move ``p`` and in which direction,
  with relative weights (per 10 T points, one population SD). They are modelling
  assumptions, documented with their reasoning in docs/bridge.md;
* ``s_p`` is the size of the effect in logit units. For proactive conversations, close
  rate and ask rate it is **calibrated** so that the order-taker's targets, seen from the
  farmer's anchor, give exactly the order-taker's parameters (farmer and order-taker do
  the same job, account management, and differ only in the person); for the others it is
  the assumption :data:`DEFAULT_SCALE`;
* ``σ`` is the logistic function and [``low``, ``high``] the parameter's realistic range,
  so every output is bounded and strictly monotone in each weighted trait.

What depends on the role only (not on the person): the job (``account_manager``,
``hunter``, ``hybrid``), the share of time spent prospecting, the capacity, the yearly
cost, and whether the seat prospects at all (an account manager's prospecting rate is 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

from assess.model import BehaviourBlock, Profile

FloatArray = npt.NDArray[np.float64]

MAPPING_VERSION = "1.0.0"
"""Version of the trait-to-behaviour mapping; profiles' ``behaviour.mapping_version``."""

HireRole = Literal["farmer", "hunter", "hybrid", "order_taker"]
HIRE_ROLES: tuple[HireRole, ...] = ("farmer", "hunter", "hybrid", "order_taker")
"""Roles a candidate can be projected in (the bundled archetypes)."""

BEHAVIOUR_FIELDS = (
    "proactive_rate",
    "close_rate",
    "ask_rate",
    "service_quality",
    "neglect",
    "prospecting_rate",
)
"""The person-dependent behaviour parameters, in this order everywhere (simulate's archetype
field names)."""

ROLE_FIELDS = ("hunting_time", "capacity", "cost_annual")
"""The role-dependent parameters (from the role's archetype, not from the person)."""

T_MEAN = 50.0
"""A trait without a role target is anchored at the population mean, T 50."""

T_SD = 10.0
"""One population standard deviation in T points (the unit of the weights)."""

DEFAULT_SCALE = 0.5
"""Logit units per weighted population SD for the links that the archetypes cannot calibrate
(service quality, neglect, prospecting): a modelling assumption, chosen so that one SD on
the main trait moves a mid-range parameter by about an eighth of its range (docs/bridge.md).
"""

FLAGGED_SEM_FACTOR = 1.5
"""Standard errors of a profile with a careless or faking flag are multiplied by this: such
answers measure the traits less well than the questionnaire's reliability says (a modelling
assumption; the projection also prints a warning)."""

CARELESS_FLAGS = ("attention", "longstring", "low_irv", "inconsistent", "too_fast")
FAKING_FLAGS = ("faking", "social_desirability")


@dataclass(frozen=True)
class Link:
    """How one behaviour parameter follows the traits."""

    low: float
    """Lowest realistic value (the parameter's unit)."""
    high: float
    """Highest realistic value."""
    weights: Mapping[str, float]
    """Trait id -> relative weight per population SD (sign = direction)."""
    calibrated: bool
    """True: the scale comes from the farmer and order-taker anchors; else DEFAULT_SCALE."""
    reason: str
    """Why these traits, in a sentence (docs/bridge.md has the full reasoning)."""


LINKS: Mapping[str, Link] = MappingProxyType(
    {
        "proactive_rate": Link(
            0.005,
            0.6,
            MappingProxyType(
                {"proactivity": 1.0, "account_planning": 0.5, "need_for_approval": -0.5}
            ),
            True,
            "initiating reset meetings is proactivity, made easier by a plan and harder by a "
            "wish not to bother the customer",
        ),
        "close_rate": Link(
            0.05,
            0.6,
            MappingProxyType(
                {"closing_urgency": 1.0, "listening_questioning": 0.5, "need_for_approval": -0.5}
            ),
            True,
            "asking for the decision is closing urgency; discovery finds what to close; a "
            "need to be liked avoids the ask",
        ),
        "ask_rate": Link(
            0.005,
            0.5,
            MappingProxyType(
                {"comfort_asking": 1.0, "rejection_resistance": 0.5, "need_for_approval": -0.5}
            ),
            True,
            "asking for introductions and referrals is comfort asking, helped by shrugging "
            "off a no and hindered by a need for approval",
        ),
        "service_quality": Link(
            0.4,
            0.95,
            MappingProxyType(
                {
                    "relationship_nurturing": 1.0,
                    "account_planning": 1.0,
                    "listening_questioning": 0.6,
                }
            ),
            False,
            "health under full attention follows care for the relationship, planned follow-"
            "through and understanding the customer's needs",
        ),
        "neglect": Link(
            0.0,
            0.7,
            MappingProxyType({"relationship_nurturing": -0.7, "account_planning": -1.0}),
            False,
            "attention withheld from accounts falls with care for relationships and with a "
            "planned cadence",
        ),
        "prospecting_rate": Link(
            0.05,
            3.0,
            MappingProxyType(
                {"prospecting_drive": 1.0, "rejection_resistance": 0.5, "emotional_control": 0.25}
            ),
            False,
            "new logos per month of prospecting follow the drive to prospect, resilience to "
            "rejection and composure in first meetings",
        ),
    }
)
"""The links, one per behaviour parameter (docs/bridge.md explains each)."""


@dataclass(frozen=True)
class Anchor:
    """One role's anchor: its archetype's parameters and the trait targets of the role."""

    job: Literal["account_manager", "hunter", "hybrid"]
    """The job the seat is hired into (simulate's archetype ``role``)."""
    parameters: Mapping[str, float]
    """The archetype's behaviour and role parameters (:data:`BEHAVIOUR_FIELDS` and
    :data:`ROLE_FIELDS`)."""
    targets: Mapping[str, float] = field(default_factory=dict)
    """Trait id -> target T of the role (traits left out sit at T 50)."""

    def target(self, trait: str) -> float:
        """The anchor's T on ``trait``."""
        return self.targets.get(trait, T_MEAN)


def _anchor(
    job: Literal["account_manager", "hunter", "hybrid"],
    targets: Mapping[str, float],
    **parameters: float,
) -> Anchor:
    return Anchor(job, MappingProxyType(parameters), MappingProxyType(dict(targets)))


DEFAULT_ANCHORS: Mapping[str, Anchor] = MappingProxyType(
    {
        # Parameters: simulate's bundled archetypes (simulate/behaviour.py, docs/model.md);
        # targets: the bundled questionnaire's roles (questionnaires/sales-traits.yaml).
        # tests/test_bridge.py checks that both copies agree with their sources.
        "farmer": _anchor(
            "account_manager",
            {
                "comfort_asking": 60, "proactivity": 60, "need_for_approval": 45,
                "account_planning": 57, "account_strategy": 57, "relationship_nurturing": 50,
                "closing_urgency": 50, "rejection_resistance": 50, "listening_questioning": 55,
                "money_comfort": 50,
            },
            hunting_time=0.0, capacity=150.0, cost_annual=115_000.0,
            proactive_rate=0.25, close_rate=0.30, ask_rate=0.20, service_quality=0.85,
            neglect=0.05, prospecting_rate=0.0,
        ),
        "order_taker": _anchor(
            "account_manager",
            {
                "relationship_nurturing": 60, "comfort_asking": 42, "closing_urgency": 42,
                "need_for_approval": 58, "proactivity": 42, "prospecting_drive": 45,
            },
            hunting_time=0.0, capacity=150.0, cost_annual=115_000.0,
            proactive_rate=0.03, close_rate=0.15, ask_rate=0.02, service_quality=0.85,
            neglect=0.05, prospecting_rate=0.0,
        ),
        "hunter": _anchor(
            "hunter",
            {
                "prospecting_drive": 60, "rejection_resistance": 60, "closing_urgency": 58,
                "emotional_control": 55, "need_for_approval": 45, "money_comfort": 50,
                "listening_questioning": 50,
            },
            hunting_time=0.9, capacity=150.0, cost_annual=120_000.0,
            proactive_rate=0.10, close_rate=0.20, ask_rate=0.10, service_quality=0.5,
            neglect=0.4, prospecting_rate=1.2,
        ),
        "hybrid": _anchor(
            "hybrid",
            {
                "prospecting_drive": 55, "relationship_nurturing": 55, "account_planning": 55,
                "closing_urgency": 52, "comfort_asking": 52, "proactivity": 52,
                "rejection_resistance": 52, "need_for_approval": 45,
            },
            hunting_time=0.5, capacity=150.0, cost_annual=120_000.0,
            proactive_rate=0.25, close_rate=0.30, ask_rate=0.20, service_quality=0.85,
            neglect=0.05, prospecting_rate=1.2,
        ),
    }
)  # fmt: skip
"""The anchors of the four roles on the bundled archetypes and questionnaire."""

CALIBRATION_PAIR = ("farmer", "order_taker")
"""The calibrated links' scale makes the second role's targets, seen from the first role's
anchor, give exactly the second role's parameters (same job, different person)."""


class BehaviourError(ValueError):
    """A profile or anchor the mapping cannot use (the message says what and where)."""


def mapping_traits() -> tuple[str, ...]:
    """Every trait some link reads, in a stable order."""
    return tuple(dict.fromkeys(t for link in LINKS.values() for t in link.weights))


def _logit(value: float, link: Link) -> float:
    x = (value - link.low) / (link.high - link.low)
    if not 0.0 < x < 1.0:
        raise BehaviourError(
            f"anchor value {value:g} lies outside the realistic range [{link.low:g}, "
            f"{link.high:g}] of the mapping"
        )
    return math.log(x / (1.0 - x))


def _index(link: Link, t: Mapping[str, FloatArray | float], anchor: Anchor) -> FloatArray:
    total: FloatArray = np.zeros(1)
    for trait, weight in link.weights.items():
        total = total + weight * (np.asarray(t[trait], dtype=np.float64) - anchor.target(trait))
    return total / T_SD


def scales(anchors: Mapping[str, Anchor] = DEFAULT_ANCHORS) -> dict[str, float]:
    """``s_p`` of every link: calibrated on :data:`CALIBRATION_PAIR` where the link says so
    and the anchors allow it (the order-taker below the farmer), else :data:`DEFAULT_SCALE`."""
    out: dict[str, float] = {}
    first, second = (anchors.get(name) for name in CALIBRATION_PAIR)
    for name, link in LINKS.items():
        scale = DEFAULT_SCALE
        if link.calibrated and first is not None and second is not None:
            targets = {trait: second.target(trait) for trait in link.weights}
            distance = float(_index(link, targets, first)[0])
            gap = _logit(second.parameters[name], link) - _logit(first.parameters[name], link)
            if abs(distance) > 1e-9 and gap / distance > 0:
                scale = gap / distance
        out[name] = scale
    return out


def behaviour_arrays(
    t: Mapping[str, FloatArray | float],
    role: str,
    anchors: Mapping[str, Anchor] = DEFAULT_ANCHORS,
) -> dict[str, FloatArray]:
    """Behaviour parameters (:data:`BEHAVIOUR_FIELDS`) for T-scores ``t`` (trait id -> a
    number or an array, broadcast together) of a person hired as ``role``."""
    if role not in anchors:
        raise BehaviourError(f"unknown role '{role}'; expected one of {', '.join(sorted(anchors))}")
    missing = [trait for trait in mapping_traits() if trait not in t]
    if missing:
        raise BehaviourError(f"no T-score for {', '.join(missing)}; the mapping needs them")
    anchor = anchors[role]
    s = scales(anchors)
    out: dict[str, FloatArray] = {}
    for name in BEHAVIOUR_FIELDS:
        link = LINKS[name]
        if name == "prospecting_rate" and anchor.parameters[name] <= 0.0:
            # The job does not prospect (account managers): no new logos of their own.
            out[name] = np.zeros_like(_index(link, t, anchor))
            continue
        eta = _logit(anchor.parameters[name], link) + s[name] * _index(link, t, anchor)
        out[name] = link.low + (link.high - link.low) / (1.0 + np.exp(-eta))
    return out


def behaviour_parameters(
    t: Mapping[str, float],
    role: str,
    anchors: Mapping[str, Anchor] = DEFAULT_ANCHORS,
) -> dict[str, float]:
    """Every parameter of a seat (behaviour and role fields) for one person's T-scores."""
    arrays = behaviour_arrays(t, role, anchors)
    anchor = anchors[role]
    values = {name: float(arrays[name].reshape(-1)[0]) for name in BEHAVIOUR_FIELDS}
    values.update({name: float(anchor.parameters[name]) for name in ROLE_FIELDS})
    return values


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class TraitMeasures:
    """What a profile says about the traits the mapping reads, with its uncertainty."""

    t: Mapping[str, float]
    """Trait id -> T-score (T 50 for a trait the profile could not score)."""
    sem: Mapping[str, float]
    """Trait id -> standard error in T points used for the projection (after the flag
    factor; 10, one population SD, for a trait the profile could not score)."""
    warnings: tuple[str, ...]
    """Plain-language warnings to print above a projection (validity flags, guessed traits)."""
    flagged: bool
    """True when a careless or faking flag widened the standard errors."""


def trait_measures(profile: Profile) -> TraitMeasures:
    """The T-scores and standard errors a projection draws from.

    Uses the scores that drive the profile (IRT when ``irt.drives``, else classical T with
    its SEM). A trait without a score is unknown: it sits at T 50 with one population SD of
    uncertainty. Careless or faking flags multiply every SEM by :data:`FLAGGED_SEM_FACTOR`.
    Raises :class:`BehaviourError` when the profile has no T-scores at all (no norms).
    """
    who = profile.candidate.id
    if profile.norms is None or all(score.t is None for score in profile.traits.values()):
        raise BehaviourError(
            f"candidate {who}: the profile has no T-scores (scored without norms), so there is "
            "nothing to project; score the answers with norms"
        )
    irt = profile.irt.traits if profile.irt is not None and profile.irt.drives else {}
    flags = profile.validity.flags
    careless = [f for f in flags if f in CARELESS_FLAGS]
    faking = [f for f in flags if f in FAKING_FLAGS]
    factor = FLAGGED_SEM_FACTOR if careless or faking else 1.0
    warnings: list[str] = []
    if careless:
        warnings.append(
            f"candidate {who}: the answers look careless ({', '.join(careless)}); the "
            f"projection widens the traits' standard errors ×{FLAGGED_SEM_FACTOR:g}, but "
            "re-test before relying on it"
        )
    if faking:
        warnings.append(
            f"candidate {who}: the answers lean toward what looks good ({', '.join(faking)}); "
            "the traits may be overstated, so the projection may be too"
        )
    t: dict[str, float] = {}
    sem: dict[str, float] = {}
    guessed: list[str] = []
    for trait in mapping_traits():
        score = profile.traits.get(trait)
        theta = irt.get(trait)
        if theta is not None and theta.t is not None and theta.sd is not None:
            t[trait], sem[trait] = theta.t, 10.0 * theta.sd * factor
        elif score is not None and score.t is not None:
            t[trait] = score.t
            sem[trait] = (score.sem if score.sem is not None else T_SD) * factor
        else:
            t[trait], sem[trait] = T_MEAN, T_SD
            guessed.append(trait)
    if guessed:
        warnings.append(
            f"candidate {who}: no score for {', '.join(guessed)}; projected at T 50 with one "
            "population SD of uncertainty"
        )
    return TraitMeasures(MappingProxyType(t), MappingProxyType(sem), tuple(warnings), factor > 1)


def profile_behaviour(
    profile: Profile, role: str, anchors: Mapping[str, Anchor] = DEFAULT_ANCHORS
) -> BehaviourBlock:
    """The profile's ``behaviour:`` block for ``role``: point estimates at its T-scores."""
    measures = trait_measures(profile)
    parameters = behaviour_parameters(measures.t, role, anchors)
    return BehaviourBlock(
        mapping_version=MAPPING_VERSION,
        role=role,
        job=anchors[role].job,
        parameters={name: round(parameters[name], 6) for name in (*BEHAVIOUR_FIELDS, *ROLE_FIELDS)},
    )


def draw_behaviour(
    measures: TraitMeasures,
    normals: Mapping[str, FloatArray],
    role: str,
    anchors: Mapping[str, Anchor] = DEFAULT_ANCHORS,
) -> dict[str, FloatArray]:
    """Behaviour per trial: each trait at T + SEM × z with ``normals[trait]`` the z per trial
    (the caller draws them from its keyed streams)."""
    t = {
        trait: measures.t[trait] + measures.sem[trait] * np.asarray(normals[trait])
        for trait in mapping_traits()
    }
    return behaviour_arrays(t, role, anchors)


def anchors_with(
    parameters: Mapping[str, Mapping[str, float]],
    anchors: Mapping[str, Anchor] = DEFAULT_ANCHORS,
) -> dict[str, Anchor]:
    """``anchors`` with the archetype parameters replaced by ``parameters`` (role -> field ->
    value, e.g. a scenario's own archetypes), targets kept."""
    out = dict(anchors)
    for role, values in parameters.items():
        if role in out:
            merged = {**out[role].parameters, **values}
            out[role] = Anchor(out[role].job, MappingProxyType(merged), out[role].targets)
    return out


# --------------------------------------------------------------------------- the next step

EXAMPLE_SCENARIO = "examples/scenario.yaml"
"""The scenario the suggested projection command names (the bundled demo book)."""


def projection_role(profile: Profile) -> str:
    """The role to project: the one applied for, else the best fit, else farmer."""
    for role in (profile.candidate.role, profile.best_fit):
        if role in HIRE_ROLES:
            return role
    return "farmer"


def projection_command(path: str, profile: Profile, scenario: str = EXAMPLE_SCENARIO) -> str:
    """The ``simulate hire`` command that projects this candidate's hire (shell-quoted)."""
    import shlex

    return (
        f"simulate hire {shlex.quote(path)} --as {projection_role(profile)} "
        f"--scenario {shlex.quote(scenario)}"
    )
