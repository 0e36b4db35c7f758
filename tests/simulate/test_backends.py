"""Workers and clusters change where trials run, never what they give.

The JSON result is the same bit for bit on one process, two, or a Dask cluster.
"""

from __future__ import annotations

import json

import pytest

from simulate.engine import SimulationInterrupted, run_simulation
from simulate.engine.backends import DaskBackend, ProcessBackend, SerialBackend
from simulate.engine.batching import plan_tasks
from simulate.engine.core import prepare
from simulate.model import Scenario, parse_scenario_text

SCENARIO = """\
schema: repfit.scenario/1
name: backends
horizon_months: 12
trials: 200
seed: 5
book:
  synthetic:
    accounts: 80
    revenue_monthly: {lognormal: {median: 6000, sigma: 0.9}}
    churn_propensity: {beta: {a: 2, b: 150}}
team:
  - {archetype: farmer, count: 2}
  - {archetype: hunter, count: 1}
policies: {attention: key_accounts, vacancy_coverage: shared}
assumptions: {rep_attrition_annual: 0.4, ask_referral_success: 0.05}
"""


def scenario() -> Scenario:
    return parse_scenario_text(SCENARIO, "backends.yaml")


def as_json(s: Scenario, **kwargs: object) -> str:
    return json.dumps(run_simulation(s, **kwargs).to_dict(), sort_keys=True)  # type: ignore[arg-type]


def test_tasks_cover_every_block_once_and_balance_the_workers() -> None:
    x = prepare(scenario())
    tasks = plan_tasks(x, 2, blocks_per_batch=2)
    blocks = [b for first, n in tasks for b in range(first, first + n)]
    assert blocks == list(range(7))  # 200 trials = 7 blocks of 32
    assert len(tasks) >= 4


def test_two_worker_processes_give_the_serial_result_bit_for_bit() -> None:
    s = scenario()
    serial = as_json(s, backend=SerialBackend())
    with ProcessBackend(2) as backend:
        assert as_json(s, backend=backend) == serial
        seen: list[int] = []
        run_simulation(s, backend=backend, progress=lambda done, total: seen.append(done))
    assert seen == sorted(seen)
    assert seen[-1] == 200


def test_a_stop_ends_the_run_and_closing_stops_every_worker() -> None:
    backend = ProcessBackend(2)
    processes = list(backend._pool._pool)  # type: ignore[attr-defined]
    calls = iter([False, True])
    with backend, pytest.raises(SimulationInterrupted):
        run_simulation(scenario(), backend=backend, should_stop=lambda: next(calls))
    for process in processes:
        process.join(timeout=5)
        assert not process.is_alive()


def test_a_dask_local_cluster_gives_the_serial_result_bit_for_bit() -> None:
    pytest.importorskip("distributed")
    s = scenario()
    serial = as_json(s, backend=SerialBackend())
    # In-process workers (threads): lean, and the same code path as a remote cluster.
    with DaskBackend("local", workers=2, processes=False) as backend:
        assert as_json(s, backend=backend) == serial
