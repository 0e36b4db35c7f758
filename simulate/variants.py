"""Scenarios changed by command-line overrides (an I/O edge: may read the book again).

:mod:`simulate.overrides` edits the scenario's raw document; this module
validates the edited document with the scenario schema and resolves it, so an
override is checked exactly like the same value in the file, and every error
names the override that caused it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from assess.errors import RepfitError
from assess.fileio import describe_validation_error
from simulate.assumptions import DEFAULT_ASSUMPTIONS
from simulate.errors import SimulateError
from simulate.model import (
    Distribution,
    Scenario,
    ScenarioFile,
    resolve_scenario_file,
)
from simulate.overrides import Override, Schema, apply_overrides, responsible

BOOK_DEFAULTS = frozenset({"base_churn_annual", "default_contacts", "default_health"})
"""Assumptions the book is read with: changing one reads the book again."""


def override_schema(scenario: Scenario) -> Schema:
    """What overrides of ``scenario`` are checked against."""
    return Schema(
        root=ScenarioFile,
        archetypes=frozenset(scenario.archetypes),
        assumptions=frozenset(DEFAULT_ASSUMPTIONS),
        free_form=(Distribution,),
    )


def _names(overrides: Sequence[Override]) -> str:
    return ", ".join(o.text for o in overrides)


def apply_to_scenario(scenario: Scenario, overrides: Sequence[Override]) -> Scenario:
    """``scenario`` with ``overrides`` applied, validated and resolved again."""
    if not overrides:
        return scenario
    if scenario.spec is None:
        raise SimulateError("this scenario was not built from a scenario file")
    document = scenario.spec.model_dump(by_alias=True, exclude_unset=True)
    changed = apply_overrides(document, overrides, override_schema(scenario))
    try:
        spec = ScenarioFile.model_validate(changed)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"] if isinstance(part, str | int))
        blamed = responsible(overrides, field) or list(overrides)
        raise SimulateError(
            f"{_names(blamed)}: " + describe_validation_error(exc, scenario.source)
        ) from None
    touched = {o.path[0] for o in overrides} | {
        o.path[1] for o in overrides if o.path[0] == "assumptions" and len(o.path) > 1
    }
    redraw = (
        "book" in touched
        or bool(touched & BOOK_DEFAULTS)
        or (
            "seed" in touched
            and spec.book.synthetic is not None
            and spec.book.synthetic.seed is None
        )
    )
    try:
        return resolve_scenario_file(
            spec, scenario.source, scenario.base_dir, book=None if redraw else scenario.book
        )
    except RepfitError as exc:
        field = exc.message.split(":", 1)[0].strip()
        blamed = responsible(overrides, field) or list(overrides)
        raise SimulateError(f"{_names(blamed)}: {exc.message}") from None


__all__ = ["BOOK_DEFAULTS", "apply_to_scenario", "override_schema"]
