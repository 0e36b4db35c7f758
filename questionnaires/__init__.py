"""Bundled questionnaires (YAML package data), found with :mod:`importlib.resources`."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def bundled(questionnaire_id: str) -> Traversable:
    """The bundled file for ``questionnaire_id`` (``<id>.yaml`` in this package)."""
    return files(__name__).joinpath(f"{questionnaire_id}.yaml")


IRT_SUFFIX = ".irt.yaml"
"""A questionnaire's item parameters (``repfit.irt/1``) live beside it as ``<id>.irt.yaml``."""


def bundled_ids() -> list[str]:
    """Ids of every bundled questionnaire, sorted (item-parameter files are not ones)."""
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in files(__name__).iterdir()
        if entry.name.endswith(".yaml") and not entry.name.endswith(IRT_SUFFIX)
    )


def bundled_irt(questionnaire_id: str) -> Traversable:
    """The bundled item-parameter file of ``questionnaire_id`` (may not exist)."""
    return files(__name__).joinpath(f"{questionnaire_id}{IRT_SUFFIX}")
