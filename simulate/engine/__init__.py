"""The Monte Carlo engine: keyed random streams, the monthly step and batching (pure).

``from simulate.engine import run_simulation`` is the public entry point: a
resolved :class:`~simulate.model.Scenario` in, a
:class:`~simulate.results.SimulationResult` out (per-trial headline metrics,
streamed breakdowns). :mod:`simulate.engine.streams` holds the counter-based
random numbers every draw comes from; :mod:`simulate.engine.core` the monthly
step's inputs and state; :mod:`simulate.engine.kernel` the compiled, fused
monthly step; :mod:`simulate.engine.batching` how a run is cut into tasks of
trial blocks and put back together; :mod:`simulate.engine.backends` where the
tasks run (this process, local worker processes, a Dask cluster);
:mod:`simulate.engine.jitcache` where numba caches the compiled code (a folder
per version of the engine's source).
"""

from simulate.engine.batching import run_simulation
from simulate.engine.core import (
    ASK_CONTACT,
    ATTENTION_POLICIES,
    BLOCK_TRIALS,
    CHURN,
    CONTACT_DECAY,
    CONVERSATIONS,
    DEPARTURE,
    ECONOMY,
    LOGO_SIZE,
    LOGO_SLOT_CHUNK,
    PROSPECTING,
    REP_QUIT,
    SEAT_FILL,
    THETA,
    WALLET,
    Batch,
    ModelInputs,
    Rates,
    SimulationInterrupted,
    assign_accounts,
    churn_reference,
    prepare,
    run_batch,
    seat_key,
)

__all__ = [
    "ASK_CONTACT",
    "ATTENTION_POLICIES",
    "BLOCK_TRIALS",
    "CHURN",
    "CONTACT_DECAY",
    "CONVERSATIONS",
    "DEPARTURE",
    "ECONOMY",
    "LOGO_SIZE",
    "LOGO_SLOT_CHUNK",
    "PROSPECTING",
    "REP_QUIT",
    "SEAT_FILL",
    "THETA",
    "WALLET",
    "Batch",
    "ModelInputs",
    "Rates",
    "SimulationInterrupted",
    "assign_accounts",
    "churn_reference",
    "prepare",
    "run_batch",
    "run_simulation",
    "seat_key",
]
