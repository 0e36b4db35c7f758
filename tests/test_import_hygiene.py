"""Pure modules import no terminal, CLI or YAML code (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PURE_MODULES = [
    "assess.model",
    "assess.scoring",
    "assess.validity",
    "assess.calibration",
    "assess.criterion",
    "assess.behaviour",
    "assess.psychometrics",
    "assess.psychometrics_analysis",
    "assess.irt",
    "assess.irt_params",
    "assess.irt_scoring",
    "assess.adaptive",
    "simulate.assumptions",
    "simulate.behaviour",
    "simulate.engine",
    "simulate.results",
    "simulate.reference",
    "simulate.overrides",
    "simulate.analysis.compare",
    "simulate.analysis.sweep",
    "simulate.analysis.sensitivity",
    "simulate.analysis.calibrate",
    "simulate.analysis.book_view",
    "simulate.analysis.hire",
]
FORBIDDEN = ["textual", "rich", "click", "yaml", "plotext", "assess.fileio", "assess.cli"]
DEPENDENCIES = {"simulate.engine": "numba"}
"""Libraries a pure module needs whose own imports are theirs, not the module's: numba reads
an optional ``.numba_config.yaml`` and so imports PyYAML whenever it is imported."""


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_nothing_forbidden(module: str) -> None:
    dependency = DEPENDENCIES.get(module)
    baseline = f"import {dependency}; " if dependency else ""
    code = (
        f"import json, sys, importlib; {baseline}before = set(sys.modules); "
        f"importlib.import_module({module!r}); "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    loaded = set(json.loads(result.stdout))
    leaked = sorted(
        name for name in loaded if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )
    assert leaked == []


RUN_SCENARIO = """\
schema: repfit.scenario/1
name: imports
horizon_months: 3
trials: 8
seed: 1
book:
  synthetic:
    accounts: 20
    revenue_monthly: {lognormal: {median: 6000, sigma: 0.9}}
    wallet_multiple: {uniform: {low: 1.3, high: 3.0}}
    contacts: {poisson: {mean: 1.2, min: 1}}
    health: {beta: {a: 5, b: 2}}
    churn_propensity: {beta: {a: 1.2, b: 80}}
team:
  - {archetype: farmer, count: 1}
"""
RUN_NEEDS_NONE_OF = [
    "rich",  # draws tables and progress bars: none without a terminal
    "plotext",  # the terminal fan chart
    "matplotlib",  # --plot
    "textual",
    "scipy.linalg",  # numba's BLAS check (simulate.engine.jitcache.defer_blas_check)
    "assess.model",  # the assessment's pydantic models
    "simulate.analysis",  # compare, sweep, sensitivity, …
    "simulate.commands.hire",  # the analysis commands are imported when named
    "simulate.commands.sweep",
    "simulate.reports.html",  # --report
    "simulate.reports.charts",
]


def test_a_plain_run_to_json_imports_nothing_it_does_not_need(tmp_path: Path) -> None:
    """``simulate run --format json -o FILE`` with stderr not a terminal: start-up is a large
    part of a short run's cost (issue 14), so libraries only other paths need stay unloaded
    (and the exit does not walk the heap)."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(RUN_SCENARIO, encoding="utf-8")
    output = tmp_path / "result.json"
    args = ["run", str(scenario), "--format", "json", "-o", str(output), "--workers", "1"]
    code = (  # the exit handler registered first runs last: after main's own
        "import atexit, gc, json, sys; "
        "atexit.register(lambda: print(json.dumps(gc.get_freeze_count() > 0))); "
        "from simulate.cli import main; "
        f"status = main({args!r}); print(json.dumps([status, sorted(sys.modules)]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**env, "PYTHONPATH": str(REPO_ROOT)},
        check=True,
    )
    report, frozen_at_exit = result.stdout.splitlines()
    status, loaded = json.loads(report)
    assert status == 0, result.stderr
    assert json.loads(frozen_at_exit)  # the heap is frozen at exit, not walked (simulate.cli)
    assert json.loads(output.read_text(encoding="utf-8"))["trials"] == 8
    leaked = sorted(
        name
        for name in loaded
        if any(name == f or name.startswith(f + ".") for f in RUN_NEEDS_NONE_OF)
    )
    assert leaked == []
