"""Bundled questionnaires (YAML package data), found with :mod:`importlib.resources`."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def bundled(questionnaire_id: str) -> Traversable:
    """The bundled file for ``questionnaire_id`` (``<id>.yaml`` in this package)."""
    return files(__name__).joinpath(f"{questionnaire_id}.yaml")


def bundled_ids() -> list[str]:
    """Ids of every bundled questionnaire, sorted."""
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in files(__name__).iterdir()
        if entry.name.endswith(".yaml")
    )
