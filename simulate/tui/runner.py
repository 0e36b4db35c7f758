"""The engine in growing stages, so the dashboard shows figures early and sharpens them (pure).

Every draw of the engine is keyed by the trial's index (counter-based common
random numbers), so the first *n* trials of a run with more trials are exactly
a run of *n* trials on the same seed. A run of the dashboard is therefore a
short sequence of :func:`~simulate.engine.run_simulation` calls with more and
more trials (:data:`STAGES`, then the scenario's own ``trials``): the first
figures come after a few trials, and the last stage *is* the scenario's run,
the same as ``simulate run`` on the same scenario and seed. The earlier stages
cost about a third of the last one on top.

Cancellation is checked between batches of :data:`~simulate.engine.BLOCK_TRIALS`
trials (the engine's ``should_stop``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulate.engine import BLOCK_TRIALS, SimulationInterrupted, run_simulation
from simulate.results import SimulationResult

if TYPE_CHECKING:
    from simulate.model import Scenario

STAGES: tuple[int, ...] = (8, 32, 128, 512)
"""Trials of the stages before the scenario's own: each about four times the one before."""


def stage_trials(total: int) -> tuple[int, ...]:
    """The trials of each stage of a run of ``total`` trials (the last is ``total``)."""
    return (*(n for n in STAGES if n < total), total)


@dataclass(frozen=True)
class Stage:
    """One finished stage of a run."""

    result: SimulationResult
    trials: int
    total: int

    @property
    def final(self) -> bool:
        """True for the last stage: the scenario's own run."""
        return self.trials == self.total


def run_in_stages(
    scenario: Scenario,
    on_stage: Callable[[Stage], None],
    should_stop: Callable[[], bool],
) -> Stage | None:
    """Run ``scenario`` stage by stage, handing each to ``on_stage``; None when stopped."""
    total = scenario.trials
    last: Stage | None = None
    for trials in stage_trials(total):
        if should_stop():
            return None
        staged = scenario if trials == total else scenario.with_overrides(trials=trials)
        try:
            result = run_simulation(staged, should_stop=should_stop, batch_trials=BLOCK_TRIALS)
        except SimulationInterrupted:
            return None
        last = Stage(result=result, trials=trials, total=total)
        on_stage(last)
    return last
