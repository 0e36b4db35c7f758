"""--workers on every analysis command that runs the engine: the same bits as one worker.

In-process (click's CliRunner) and small: 96 trials are three blocks of 32, so two
workers really share each run (three tasks). --dask goes through the same backend
interface, whose LocalCluster equality test is in test_backends.py.
"""

from __future__ import annotations

import json

import psutil
import pytest
from click.testing import CliRunner

from simulate.cli import cli
from simulate.commands.common import open_backend
from simulate.engine.backends import ProcessBackend, SerialBackend

SCENARIO = "examples/scenario.yaml"
SHORT = ("--trials", "96", "--set", "horizon_months=24", "--format", "json")

COMMANDS = {
    "compare": ["compare", SCENARIO, "--variant", "three farmers: farmer=3", *SHORT],
    "sweep": ["sweep", SCENARIO, "--grid", "farmer=1..2", *SHORT],
    "sensitivity": [
        "sensitivity", SCENARIO,
        "--params", "base_churn_annual,competitor_pressure_monthly", *SHORT,
    ],
    "uncertainty": ["uncertainty", "examples/uncertain.yaml", "--draws", "2", *SHORT],
}  # fmt: skip


def _json(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return json.dumps(data, sort_keys=True)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_two_workers_give_one_workers_json_bit_for_bit(command: str) -> None:
    args = COMMANDS[command]
    one = _json([*args, "--workers", "1"])
    assert _json([*args, "--workers", "2"]) == one


def test_the_shared_backend_stops_every_worker_on_ctrl_c() -> None:
    with open_backend(1, None) as serial:
        assert isinstance(serial, SerialBackend)
    workers: list[psutil.Process] = []
    interrupted = False
    try:
        with open_backend(2, None) as backend:
            assert isinstance(backend, ProcessBackend)
            pool = backend._pool._pool  # type: ignore[attr-defined]
            workers = [psutil.Process(p.pid) for p in pool]
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        interrupted = True
    assert interrupted
    assert len(workers) == 2
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []
