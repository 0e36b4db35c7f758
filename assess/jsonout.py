"""The project's one way to write JSON: strict JSON, never ``NaN`` or ``Infinity``.

Python's :func:`json.dumps` writes ``NaN``/``Infinity`` by default, which no strict JSON
reader accepts. :func:`dumps` writes a non-finite number as ``null`` (a figure that is
undefined, such as a correlation of fewer than three candidates) and passes
``allow_nan=False``, so nothing non-finite can slip through. Pure: no files, no terminal.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any


def finite_or_null(value: Any) -> Any:
    """``value`` with every non-finite float (also inside mappings and lists) as ``None``.

    Other values (numpy arrays included) are left to ``json.dumps`` and its ``default``.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: finite_or_null(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite_or_null(item) for item in value]
    return value


def dumps(data: Any, **options: Any) -> str:
    """``json.dumps(data, **options)`` as strict JSON (non-finite numbers as ``null``)."""
    return json.dumps(finite_or_null(data), allow_nan=False, **options)
