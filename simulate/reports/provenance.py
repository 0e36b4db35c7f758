"""Provenance of a simulation output: the repfit version, seed, trials and input hashes.

Pure: hashes are SHA-256 over a canonical form of what the engine ran (the resolved
scenario file after every override, and the book's accounts), so two outputs with the
same hashes, seed and trials came from the same inputs, whatever the file layout.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from assess import jsonout
from simulate import __version__
from simulate.book import Book
from simulate.model import Scenario


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def book_sha256(book: Book) -> str:
    """Hash of the accounts as the engine sees them (ids, money, contacts, churn, owners)."""
    digest = hashlib.sha256()
    digest.update(jsonout.dumps([book.account_id, book.owner, book.segment]).encode("utf-8"))
    for array in (book.revenue, book.wallet, book.contacts, book.health, book.theta):
        digest.update(np.ascontiguousarray(array).tobytes())
    if book.theta_beta is not None:
        digest.update(repr(book.theta_beta).encode("utf-8"))
    return digest.hexdigest()


def scenario_sha256(scenario: Scenario) -> str:
    """Hash of the resolved scenario (the file's fields after --team/--set/variants)."""
    if scenario.spec is not None:
        spec = scenario.spec.model_dump(mode="json", exclude={"trials", "seed"})
        return _sha256(jsonout.dumps(spec, sort_keys=True, separators=(",", ":"), default=str))
    fields = {
        "name": scenario.name,
        "horizon": scenario.horizon_months,
        "team": [repr(entry) for entry in scenario.team],
        "assumptions": {name: a.value for name, a in sorted(scenario.assumptions.items())},
    }
    return _sha256(jsonout.dumps(fields, sort_keys=True, default=str))


def provenance(scenario: Scenario) -> dict[str, Any]:
    """The provenance block every JSON and HTML output of ``simulate`` carries."""
    return {
        "repfit_version": __version__,
        "seed": scenario.seed,
        "trials": scenario.trials,
        "scenario": scenario.source or scenario.name,
        "scenario_sha256": scenario_sha256(scenario),
        "book": scenario.book.source,
        "book_sha256": book_sha256(scenario.book),
    }


def overridden_assumptions(scenario: Scenario) -> set[str]:
    """The assumptions the scenario file sets (the rest are the documented defaults)."""
    return set(scenario.spec.assumptions) if scenario.spec is not None else set()


def mark_overrides(result: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """Give each assumption of a result dict ``overridden``: true when the scenario set it."""
    overridden = overridden_assumptions(scenario)
    for name, entry in (result.get("assumptions") or {}).items():
        if isinstance(entry, dict):
            entry.setdefault("overridden", name in overridden)
    return result


def run_document(result: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """``simulate run``'s JSON result: the engine's dict with overrides marked and provenance.

    ``scenario`` is the one the engine ran (its trials are the result's). The dashboard's
    export builds its HTML page from this too, so both pages show the same numbers.
    """
    document = mark_overrides(result, scenario)
    document["provenance"] = provenance(scenario)
    return document
