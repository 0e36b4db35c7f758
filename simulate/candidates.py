"""Seats filled by assessed candidates: a profile's traits as a seat's behaviour per trial.

The bridge's simulation side (docs/bridge.md). Profiles are read only through
:mod:`assess`'s public profile API (:func:`assess.profiles.load_profile`) and turned
into behaviour by :mod:`assess.behaviour`, anchored on the scenario's own archetypes.
Each trial draws the candidate's traits from their standard errors with the keyed
random streams of :mod:`simulate.engine.streams`, keyed by the seat's **slot**
(``hire-1``; or the replaced seat's id), never by the candidate, so candidates
compared for the same seat face the same futures, and the same draws of measurement
error scaled by their own standard errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from assess.behaviour import (
    HIRE_ROLES,
    Anchor,
    BehaviourError,
    TraitMeasures,
    anchors_with,
    behaviour_parameters,
    draw_behaviour,
    mapping_traits,
    trait_measures,
)
from assess.model import Profile
from assess.profiles import load_profile
from assess.termsafe import visible_profile
from simulate.behaviour import NUMERIC_FIELDS, Archetype
from simulate.engine import seat_key, streams
from simulate.errors import SimulateError

FloatArray = NDArray[np.float64]

BEHAVIOUR_MECHANISM = 1000
"""First mechanism id of the trait draws in a seat's stream (trait k uses this + k, month
0); far above the engine's mechanism ids, so no draw of the seat's quits or fills moves."""


@dataclass(frozen=True)
class CandidateSeat:
    """The assessed candidate in a seat, and what the projection must say about them."""

    candidate_id: str
    """The candidate's id (from the profile)."""
    name: str | None
    """The candidate's name, if the profile has one."""
    profile: str
    """Where the profile was read from."""
    role: str
    """The role hired into."""
    warnings: tuple[str, ...] = ()
    """Validity and missing-trait warnings to print above the projection."""
    sem_mean: float = 0.0
    """Mean standard error (T points) of the traits the mapping reads, as projected."""


def scenario_anchors(archetypes: Mapping[str, Archetype]) -> dict[str, Anchor]:
    """The mapping's anchors with the scenario's own parameters for the four roles."""
    parameters: dict[str, dict[str, float]] = {
        role: {name: float(getattr(archetypes[role], name)) for name in NUMERIC_FIELDS}
        for role in HIRE_ROLES
        if role in archetypes
    }
    return anchors_with(parameters)


def trait_normals(seed: int, trials: int, slot: str) -> dict[str, FloatArray]:
    """One standard normal per trial and trait, keyed by (seed, trial, slot, trait)."""
    entity = np.uint64(streams.seat_entity(seat_key(slot)))
    base = streams.base_key(seed, np.arange(trials, dtype=np.uint64), entity)
    return {
        trait: streams.normal(base, 0, BEHAVIOUR_MECHANISM + k)
        for k, trait in enumerate(mapping_traits())
    }


def seat_behaviour(
    measures: TraitMeasures,
    role: str,
    archetypes: Mapping[str, Archetype],
    *,
    seed: int,
    trials: int,
    slot: str,
) -> tuple[Archetype, dict[str, FloatArray]]:
    """The seat's archetype (behaviour at the T-scores, role fields from the role) and its
    behaviour per trial (drawn from the traits' standard errors)."""
    anchors = scenario_anchors(archetypes)
    point = behaviour_parameters(measures.t, role, anchors)
    base = archetypes[role]
    archetype = replace(
        base,
        name=slot,
        proactive_rate=point["proactive_rate"],
        close_rate=point["close_rate"],
        ask_rate=point["ask_rate"],
        service_quality=point["service_quality"],
        neglect=point["neglect"],
        prospecting_rate=point["prospecting_rate"],
    )
    draws = draw_behaviour(measures, trait_normals(seed, trials, slot), role, anchors)
    return archetype, draws


def read_candidate(path: Path) -> Profile:
    """A candidate's profile through assess's public API (errors name the file), with
    control characters in its texts shown as escapes (names are printed on terminals)."""
    return visible_profile(load_profile(path))


def candidate_behaviour(
    slot: str,
    profile: Profile,
    source: str,
    role: str,
    archetypes: Mapping[str, Archetype],
    *,
    seed: int,
    trials: int,
    where: str,
) -> tuple[Archetype, dict[str, FloatArray], CandidateSeat]:
    """Everything a seat needs from a profile; errors name ``where`` and the profile."""
    missing = [r for r in HIRE_ROLES if r not in archetypes]
    if role in missing:
        raise SimulateError(f"{where}: role '{role}' has no archetype in this scenario.")
    try:
        measures = trait_measures(profile)
        archetype, draws = seat_behaviour(
            measures, role, archetypes, seed=seed, trials=trials, slot=slot
        )
    except BehaviourError as exc:
        raise SimulateError(f"{where}: {source}: {exc}.") from None
    sems = [measures.sem[t] for t in mapping_traits()]
    candidate = CandidateSeat(
        candidate_id=profile.candidate.id,
        name=profile.candidate.name,
        profile=source,
        role=role,
        warnings=measures.warnings,
        sem_mean=float(np.mean(sems)),
    )
    return archetype, draws, candidate
