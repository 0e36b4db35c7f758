"""A run cut into tasks of whole trial blocks, run on a backend and put back in order.

Trials are numbered, and blocks of :data:`~simulate.engine.core.BLOCK_TRIALS`
trials are the unit of everything: a task is a run of consecutive blocks, a
batch (what one kernel call holds) is a run of blocks inside a task, and the
streamed breakdowns are summed per block. Results are merged in task order (a
finished task waits for the ones before it), so the statistics are the same
bits whatever the batch size, the number of workers or the backend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from simulate.engine.backends import Backend, SerialBackend
from simulate.engine.core import (
    BLOCK_TRIALS,
    MAX_OUTPUT_BYTES,
    BatchOutput,
    ModelInputs,
    SimulationInterrupted,
    default_batch_trials,
    merge,
    prepare,
    run_batch,
    streamed_names,
)
from simulate.errors import SimulateError
from simulate.results import METRICS, SimulationResult, TrialRecorder

if TYPE_CHECKING:
    from simulate.model import Scenario

TASK_ACCOUNT_MONTHS = 40_000_000
"""Account-months a task aims at when several workers share a run (about 1–2 s of work:
Dask's per-task overhead is about 1 ms, a process pool's less), but never fewer than
four tasks per worker when the run is large enough, so the workers stay busy to the end."""


def run_task(
    x: ModelInputs,
    first_block: int,
    n_blocks: int,
    blocks_per_batch: int,
    initial_slots: int | None,
) -> BatchOutput:
    """Simulate blocks ``first_block`` … ``first_block + n_blocks − 1`` (one task)."""
    start = first_block * BLOCK_TRIALS
    trials = min(x.trials, (first_block + n_blocks) * BLOCK_TRIALS) - start
    output = BatchOutput(x, start, trials)
    stop = first_block + n_blocks
    for first in range(first_block, stop, blocks_per_batch):
        run_batch(
            x,
            first,
            min(blocks_per_batch, stop - first),
            output,
            initial_slots=initial_slots,
            keep_state=False,
        )
    return output


def warm_up(scenario: Scenario) -> None:
    """Load the compiled kernels in this process (one trial, one month of ``scenario``).

    Worker processes forked afterwards inherit them instead of each paying numba's
    first-call cost (about a second).
    """
    x = replace(prepare(scenario), trials=1, horizon=1)
    run_batch(x, 0, 1, BatchOutput(x, 0, 1), keep_state=False)


def plan_tasks(x: ModelInputs, workers: int, blocks_per_batch: int) -> list[tuple[int, int]]:
    """(first block, blocks) per task: one task per batch alone, else sized for the workers."""
    total = -(-x.trials // BLOCK_TRIALS)
    if workers <= 1:
        per_task = blocks_per_batch
    else:
        accounts = int(x.revenue.shape[0])
        per_block = BLOCK_TRIALS * max(1, accounts) * max(1, x.horizon)
        by_size = max(1, TASK_ACCOUNT_MONTHS // per_block)
        by_balance = max(1, -(-total // (4 * workers)))
        per_task = min(by_size, by_balance)
    return [(first, min(per_task, total - first)) for first in range(0, total, per_task)]


def run_simulation(
    scenario: Scenario,
    *,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    batch_trials: int | None = None,
    initial_slots: int | None = None,
    backend: Backend | None = None,
) -> SimulationResult:
    """Run every trial of ``scenario``; the result depends on neither batches nor backend.

    ``progress(done, total)`` is called as tasks finish (in trial order);
    ``should_stop()`` is checked between tasks and stops the run with
    :class:`~simulate.engine.core.SimulationInterrupted`. ``backend`` runs the tasks
    (default: this process). ``initial_slots`` (tests) sets the new-logo slots
    allocated before any are needed.
    """
    x = prepare(scenario)
    kept = x.trials * x.horizon * (len(METRICS) + len(x.archetype_names)) * 8
    if kept > MAX_OUTPUT_BYTES:
        most = MAX_OUTPUT_BYTES // (x.horizon * (len(METRICS) + len(x.archetype_names)) * 8)
        raise SimulateError(
            f"trials: {x.trials:,} trials over {x.horizon} months would keep "
            f"{kept / 2**30:.1f} GiB of per-trial results; expected at most {most:,} trials "
            f"for this horizon (the limit is {MAX_OUTPUT_BYTES / 2**30:.0f} GiB)."
        )
    recorder = TrialRecorder(
        x.trials, x.horizon, x.archetype_names, streamed=streamed_names(x), block=BLOCK_TRIALS
    )
    per_batch = batch_trials if batch_trials is not None else default_batch_trials(x)
    if per_batch < 1:
        raise SimulateError(f"batch_trials: expected a whole number ≥ 1; found {per_batch}.")
    blocks_per_batch = max(1, per_batch // BLOCK_TRIALS)
    runner: Backend = backend if backend is not None else SerialBackend()
    tasks = plan_tasks(x, runner.workers, blocks_per_batch)
    calls = [(x, first, n, blocks_per_batch, initial_slots) for first, n in tasks]
    waiting: dict[int, BatchOutput] = {}
    merged = 0
    done_trials = 0
    # One task needs no other process (and the same bits come out either way).
    results = (SerialBackend() if len(calls) == 1 else runner).run(run_task, calls)
    try:
        for _ in calls:
            if should_stop is not None and should_stop():
                raise SimulationInterrupted(
                    f"the simulation was interrupted after {done_trials:,} of "
                    f"{x.trials:,} trials."
                )
            index, output = next(results)
            waiting[index] = output
            while merged in waiting:
                finished = waiting.pop(merged)
                merge(recorder, finished)
                merged += 1
                done_trials = finished.start + finished.trials
                if progress is not None:
                    progress(done_trials, x.trials)
    finally:
        results.close()
    return recorder.finish(
        scenario=scenario.name,
        seed=x.seed,
        effects=scenario.effects,
        target=x.target,
        assumptions=scenario.assumptions,
        quadrant_thresholds={"size": x.thresholds.size, "potential": x.thresholds.potential},
    )
