"""The project's one way to write JSON: strict JSON, never ``NaN`` or ``Infinity``.

Python's :func:`json.dumps` writes ``NaN``/``Infinity`` by default, which no strict JSON
reader accepts. :func:`dumps` writes a non-finite number as ``null`` (a figure that is
undefined, such as a correlation of fewer than three candidates) and passes
``allow_nan=False``, so nothing non-finite can slip through. Pure: no files, no terminal.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import numpy.typing as npt


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


@dataclass(frozen=True)
class Rounded:
    """A column of floats written as ``round(value, digits)`` would be (``null`` when not
    finite), formatted in bulk by :func:`dumps_indented`."""

    values: npt.ArrayLike
    """The unrounded values (one-dimensional)."""
    digits: int
    """Decimal places kept."""

    def tolist(self) -> list[float | None]:
        """The rounded values, ``None`` for a non-finite one."""
        isfinite, digits = math.isfinite, self.digits
        values: list[float] = np.asarray(self.values, dtype=np.float64).tolist()
        return [round(value, digits) if isfinite(value) else None for value in values]


@dataclass(frozen=True)
class RecordColumns:
    """A mapping ``key -> {field: value, ...}`` whose records all have the same fields, held
    as columns: :func:`dumps_indented` writes it as that mapping of mappings without building
    one dictionary per record (100,000 respondents of ``assess analyze``).

    ``columns`` maps each field to its values, one per key, in key order; a value is what
    the record's dictionary would hold (``None``, a bool, an int, a float or a list of
    strings), or a :class:`Rounded` column. :meth:`to_dict` builds the plain mapping.
    """

    keys: Sequence[str]
    """The record keys, in output order."""
    columns: Mapping[str, Sequence[Any] | Rounded]
    """Field name -> one value per key."""

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The plain mapping of mappings."""
        names = list(self.columns)
        columns = [
            column.tolist() if isinstance(column, Rounded) else column
            for column in self.columns.values()
        ]
        return {
            key: dict(zip(names, values, strict=True))
            for key, values in zip(self.keys, zip(*columns, strict=True), strict=True)
        }


def dumps_indented(data: Any) -> str:
    """``dumps(data, indent=2, ensure_ascii=False)`` to the byte, written by hand so that a
    :class:`RecordColumns` inside ``data`` is written column by column (about ten times
    faster than the standard encoder for large tables)."""
    parts: list[str] = []
    _write(finite_or_null_outside_records(data), 0, parts)
    return "".join(parts)


def finite_or_null_outside_records(value: Any) -> Any:
    """:func:`finite_or_null`, leaving :class:`RecordColumns` as they are (their columns
    are made finite when written)."""
    if isinstance(value, RecordColumns):
        return value
    if isinstance(value, Mapping):
        return {key: finite_or_null_outside_records(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite_or_null_outside_records(item) for item in value]
    return finite_or_null(value)


_INDENT = "  "


def _key_text(key: Any) -> str:
    """json.dumps' text of a mapping key: a string's own, any other scalar's text quoted."""
    text = _scalar_text(key)
    if text is None:
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return text if isinstance(key, str) else f'"{text}"'


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return float.__repr__(value)


def _scalar_text(value: Any) -> str | None:
    """The JSON text of a scalar, or None for a container."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float_text(value)
    return None


def _write(value: Any, level: int, parts: list[str]) -> None:
    text = _scalar_text(value)
    if text is not None:
        parts.append(text)
        return
    if isinstance(value, RecordColumns):
        _write_records(value, level, parts)
        return
    inner = "\n" + _INDENT * (level + 1)
    if isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        parts.append("[")
        for position, item in enumerate(value):
            parts.append(inner if position == 0 else "," + inner)
            _write(item, level + 1, parts)
        parts.append("\n" + _INDENT * level + "]")
        return
    if isinstance(value, Mapping):
        if not value:
            parts.append("{}")
            return
        parts.append("{")
        for position, (key, item) in enumerate(value.items()):
            parts.append((inner if position == 0 else "," + inner) + _key_text(key) + ": ")
            _write(item, level + 1, parts)
        parts.append("\n" + _INDENT * level + "}")
        return
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def rounded_texts(values: npt.ArrayLike, digits: int) -> list[str]:
    """``repr(round(v, digits))`` of each value (``null`` when not finite), in bulk.

    ``"%.Nf" % v`` makes the same correctly rounded decimal digits as ``round(v, N)``;
    with trailing zeros dropped (keeping ``.0``) it is also that float's ``repr`` when
    the rounded number has at most 15 significant digits (so no shorter decimal maps to
    the same float) and is 0 or at least 1e-4 (below that ``repr`` writes an exponent).
    One ``%`` over all such values then replaces a ``round`` and a ``repr`` per value;
    the rest (NaN, tiny or huge numbers) take the ``round`` and ``repr`` path.
    """
    array = np.asarray(values, dtype=np.float64)
    if len(array) >= _FEW_VALUES and not (np.signbit(array) & (array == 0.0)).any():
        # Many values, few of them distinct (a mean of a dozen small integers): each
        # distinct value is written once. (−0.0 would be merged with 0.0; NaN are merged.)
        distinct, inverse = np.unique(array, return_inverse=True)
        if len(distinct) * 4 <= len(array):
            unique_texts = np.array(rounded_texts(distinct, digits), dtype=object)
            repeated: list[str] = unique_texts[inverse.ravel()].tolist()
            return repeated
    texts = np.full(len(array), "null", dtype=object)
    magnitude = np.abs(array)
    with np.errstate(invalid="ignore"):
        bulk = (
            (digits >= 4)
            & (magnitude < 10.0 ** (15 - digits))
            & ((magnitude >= 1e-4) | (magnitude < 0.4 * 10.0**-digits))
        )
    chosen = array[bulk].tolist()
    if chosen:
        text = (f"%.{digits}f\n" * len(chosen)) % tuple(chosen)
        texts[bulk] = _TRAILING_ZEROS.sub("\n", text).replace(".\n", ".0\n").split("\n")[:-1]
    for index in np.flatnonzero(~bulk & np.isfinite(array)).tolist():
        texts[index] = float.__repr__(round(float(array[index]), digits))
    listed: list[str] = texts.tolist()
    return listed


_TRAILING_ZEROS = re.compile("0+\n")

_FEW_VALUES = 1000
"""From this many values :func:`rounded_texts` looks for repeated ones first (count)."""


def _column_texts(values: Sequence[Any] | Rounded, level: int) -> list[str]:
    """The JSON text of each value of one column (written at nesting ``level``)."""
    if isinstance(values, Rounded):
        return rounded_texts(values.values, values.digits)
    kinds = set(map(type, values))
    if kinds <= {float, type(None)}:
        isfinite, text = math.isfinite, float.__repr__
        return [
            "null" if value is None or not isfinite(value) else text(value) for value in values
        ]
    if kinds <= {int}:
        return list(map(int.__repr__, values))
    if kinds <= {list} and all(
        isinstance(item, str) for value in values for item in value
    ):
        inner = ",\n" + _INDENT * (level + 1)
        first = "[\n" + _INDENT * (level + 1)
        last = "\n" + _INDENT * level + "]"
        return [
            first + inner.join(map(encode_basestring, value)) + last if value else "[]"
            for value in values
        ]
    texts: list[str] = []
    for value in values:
        parts: list[str] = []
        _write(finite_or_null(value), level, parts)
        texts.append("".join(parts))
    return texts


def _write_records(records: RecordColumns, level: int, parts: list[str]) -> None:
    if not records.keys:
        parts.append("{}")
        return
    record_indent = "\n" + _INDENT * (level + 1)
    field_indent = "\n" + _INDENT * (level + 2)
    names = list(records.columns)
    if not names:
        body = "{}"
    else:
        body = "{" + ",".join(
            field_indent + _key_text(name).replace("%", "%%") + ": %s" for name in names
        )
        body += record_indent + "}"
    template = record_indent + "%s: " + body
    columns = [_column_texts(records.columns[name], level + 2) for name in names]
    keys = [_key_text(key) for key in records.keys]
    texts = [template % row for row in zip(keys, *columns, strict=True)]
    parts.append("{" + ",".join(texts) + "\n" + _INDENT * level + "}")
