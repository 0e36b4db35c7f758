"""Pure modules import no terminal, CLI or YAML code (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys

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
