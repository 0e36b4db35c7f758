"""The field types every file's model shares: texts, whole numbers and numbers.

Kept apart from :mod:`assess.model` so that a model that only needs these types (the
simulator's scenario) does not build the assessment's models on import.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator


def keep_text(value: Any) -> Any:
    """A number or boolean read from a file, as the text it was written as."""
    # The shared YAML loader (assess.fileio) gives numbers a ``source`` attribute holding
    # the text as written; read it by duck typing so this module stays free of YAML.
    source = getattr(value, "source", None)
    if isinstance(value, int | float) and isinstance(source, str):
        return source
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(keep_text)]
"""A text field (ids, versions, labels): numbers and booleans keep their text as written.

Defined here, not in :mod:`assess.fileio` (which uses it too), so the pure modules that
use these models never import the YAML layer.
"""


def _no_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number; found {'true' if value else 'false'}")
    return value


MAX_DIGITS = 30
"""Longest whole number a file may give (digits): far above any count, amount or seed."""


def _whole_number(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number; found {'true' if value else 'false'}")
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    digits = sum(character.isdigit() for character in text[: MAX_DIGITS * 10])
    if digits > MAX_DIGITS:
        shown = f"{len(text):,} characters" if len(text) > MAX_DIGITS * 10 else f"{digits} digits"
        raise ValueError(f"expected a whole number of at most {MAX_DIGITS} digits; found {shown}")
    return value


Integer = Annotated[int, BeforeValidator(_whole_number)]
"""An integer field that refuses ``true``/``false`` (YAML's booleans are not numbers here)."""

Number = Annotated[float, BeforeValidator(_no_boolean)]
"""A number field that refuses ``true``/``false``; models also refuse NaN and ±infinity
(``allow_inf_nan=False``), so every number read from a file is finite."""
