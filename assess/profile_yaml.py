"""A fast YAML emitter for profiles: exactly the text :func:`assess.fileio.dump_yaml` gives.

``assess score --out DIR`` writes one YAML profile per candidate. PyYAML's representer
is Python code that visits every node (about 800 per profile) and asks the resolver
about every scalar, about 3 ms a profile; libyaml's C emitter only does the last step.
:func:`dump_profile_yaml` writes plain data made of dicts, lists and scalars (what
``profile_to_data`` returns) in the block style ``dump_yaml`` uses (indent 2, keys in
order, width 100, unicode kept), and gives byte for byte the same text
(``tests/assess/test_profile_yaml.py`` compares the two with hypothesis).

It is sure of a value only in these cases, and asks PyYAML otherwise:

* ``None``, booleans, integers and floats are written as PyYAML's SafeRepresenter writes
  them (``null``, ``true``, ``repr`` of the number, ``.inf``, ``.nan``).
* A short string of ASCII words (letters, digits, ``_ . ( ) / -`` and single spaces, no
  leading or trailing space) that PyYAML's resolver reads back as a string and that ends
  before column :data:`PLAIN_COLUMNS` is written plain.
* Any other string (quotes, unicode, colons, ``yes``, numbers as strings, newlines, long
  text that PyYAML wraps...) is emitted by PyYAML itself in the same place of a skeleton
  document (the same keys from the root down to it, so the same indentation and column),
  and the scalar's text is cut out of that document and remembered for the next profile
  (profiles repeat the same interpretations, notes and names).
* Keys must be short plain identifiers; a shape it does not know (a list in a list, an
  empty collection in a list, a non-string key, another type) makes it dump the whole
  document with PyYAML.

Pure: data in, text out.
"""

from __future__ import annotations

import re
from typing import Any

from assess.fileio import dump_yaml

PLAIN_COLUMNS = 80
"""A plain string is written without PyYAML only when it ends at or before this column
(PyYAML wraps plain scalars at spaces past column 100; this keeps well away from it)."""

CACHE_LIMIT = 50_000
"""Strings remembered per emitter before the memory is cleared (bounds memory for runs
whose names are all different)."""

_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.()/-]*(?: [A-Za-z0-9_.()/-]+)*")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_STR_TAG = "tag:yaml.org,2002:str"

_ZEROS = str.maketrans("123456789", "000000000")
"""Every ASCII digit to 0 (the shape of a text, see :meth:`ProfileEmitter._by_pyyaml`)."""
_ZERO = re.compile("0")
_DIGIT = re.compile("[0-9]")

_SEQ = object()
"""A step into a sequence item on a path from the root."""


class _Unsure(Exception):
    """A value or shape the emitter does not write itself."""


def _float_text(value: float) -> str:
    """As ``yaml.SafeRepresenter.represent_float``."""
    if value != value:
        return ".nan"
    if value == float("inf"):
        return ".inf"
    if value == -float("inf"):
        return "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


float_text = _float_text


def _common_float_text(value: float) -> str:
    """:func:`_float_text`, quicker for the usual plain decimals (whose repr it is)."""
    text = repr(value)
    return _float_text(value) if "e" in text or "n" in text else text


class UnsureError(ValueError):
    """:meth:`ProfileEmitter.scalar_text` was given a value it does not write itself."""


class ProfileEmitter:
    """Emits profile data as YAML; remembers the strings it had PyYAML write."""

    SEQUENCE_STEP = _SEQ
    """A step into a sequence item, in the ``path`` of :meth:`scalar_text`."""

    def __init__(self) -> None:
        import yaml

        self._resolver = yaml.resolver.Resolver()
        self._scalar_node = yaml.ScalarNode
        self._plain: dict[str, bool] = {}
        self._keys: dict[object, bool] = {}
        self._quoted: dict[tuple[tuple[object, ...], str], str] = {}
        self._prefix: dict[tuple[object, ...], str] = {}
        self._head: dict[tuple[str, object], tuple[str, str, int]] = {}
        self._paths: set[tuple[object, ...]] = set()

    def dump(self, data: Any) -> str:
        """The YAML text of ``data``: identical to :func:`assess.fileio.dump_yaml`."""
        if type(data) is not dict or not data:
            return dump_yaml(data)
        out: list[str] = []
        try:
            self._mapping(data, "", (), out, first_inline=False)
        except _Unsure:
            return dump_yaml(data)
        return "".join(out)

    def scalar_text(self, value: Any, path: tuple[object, ...], column: int) -> str:
        """The text :meth:`dump` gives a scalar ``value`` (``None``, bool, number or
        string) reached from the root by ``path`` (keys, and :data:`SEQUENCE_STEP` for a
        sequence item), starting at ``column``. Raises :class:`UnsureError` where
        :meth:`dump` would hand the whole document to PyYAML."""
        try:
            if path not in self._paths:
                for step in path:
                    if step is not _SEQ:
                        self._key(step)
                self._paths.add(path)
            return self._scalar(value, path, column)
        except _Unsure:
            raise UnsureError(repr(value)) from None

    # ------------------------------------------------------------ containers

    def _key(self, key: object) -> str:
        known = self._keys.get(key)
        if known is None:
            known = (
                type(key) is str and _KEY.fullmatch(key) is not None and self._resolves_to_str(key)
            )
            self._keys[key] = known
        if not known:
            raise _Unsure
        return key  # type: ignore[return-value]

    def _heads(self, indent: str, key: object) -> tuple[str, str, int]:
        """``indent key:`` and ``key:`` (after a sequence's ``- ``), and the column a value
        after ``key: `` starts at."""
        found = self._head.get((indent, key))
        if found is None:
            name = self._key(key)
            found = (f"{indent}{name}:", f"{name}:", len(indent) + len(name) + 2)
            self._head[(indent, key)] = found
        return found

    def _mapping(
        self,
        data: dict[Any, Any],
        indent: str,
        path: tuple[object, ...],
        out: list[str],
        first_inline: bool,
    ) -> None:
        """A non-empty block mapping at ``indent``; ``first_inline``: its first key follows
        a sequence's ``- `` on the same line."""
        append = out.append
        plain = self._plain
        for raw_key, value in data.items():
            full, inline, column = self._heads(indent, raw_key)
            head = inline if first_inline else full
            first_inline = False
            kind = type(value)
            if kind is float:
                append(f"{head} {_common_float_text(value)}\n")
            elif kind is str:
                if plain.get(value) and column + len(value) <= PLAIN_COLUMNS:
                    append(f"{head} {value}\n")
                else:
                    append(f"{head} {self._scalar(value, (*path, raw_key), column)}\n")
            elif kind is dict:
                if value:
                    append(f"{head}\n")
                    self._mapping(value, indent + "  ", (*path, raw_key), out, False)
                else:
                    append(f"{head} {{}}\n")
            elif value is None:
                append(f"{head} null\n")
            elif kind is int:
                append(f"{head} {value}\n")
            elif kind is list:
                if value:
                    append(f"{head}\n")
                    self._sequence(value, indent, (*path, raw_key), out)
                else:
                    append(f"{head} []\n")
            else:
                append(f"{head} {self._scalar(value, (*path, raw_key), column)}\n")

    def _sequence(
        self, items: list[Any], indent: str, path: tuple[object, ...], out: list[str]
    ) -> None:
        """A non-empty block sequence (PyYAML does not indent one under a mapping key)."""
        append = out.append
        plain = self._plain
        inner = (*path, _SEQ)
        column = len(indent) + 2
        for item in items:
            kind = type(item)
            if kind is float:
                append(f"{indent}- {_common_float_text(item)}\n")
            elif kind is str and plain.get(item) and column + len(item) <= PLAIN_COLUMNS:
                append(f"{indent}- {item}\n")
            elif kind is dict and item:
                append(f"{indent}- ")
                self._mapping(item, indent + "  ", inner, out, True)
            elif kind is dict or kind is list:
                raise _Unsure
            else:
                append(f"{indent}- {self._scalar(item, inner, column)}\n")

    # ------------------------------------------------------------ scalars

    def _resolves_to_str(self, text: str) -> bool:
        tag = self._resolver.resolve(  # type: ignore[no-untyped-call]
            self._scalar_node, text, (True, False)
        )
        return bool(tag == _STR_TAG)

    def _scalar(self, value: Any, path: tuple[object, ...], column: int) -> str:
        kind = type(value)
        if kind is str:
            plain = self._plain.get(value)
            if plain is None:
                plain = _PLAIN.fullmatch(value) is not None and self._resolves_to_str(value)
                if len(self._plain) > CACHE_LIMIT:
                    self._plain.clear()
                self._plain[value] = plain
            if plain and column + len(value) <= PLAIN_COLUMNS:
                return value  # type: ignore[no-any-return]
            return self._by_pyyaml(value, path)
        if value is None:
            return "null"
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return str(value)
        if kind is float:
            return _float_text(value)
        raise _Unsure

    def _skeleton(self, path: tuple[object, ...], value: str) -> str:
        """A document holding only ``value``, reached by ``path`` from the root."""
        node: Any = value
        for step in reversed(path):
            node = [node] if step is _SEQ else {step: node}
        return dump_yaml(node)

    def _by_pyyaml(self, value: str, path: tuple[object, ...]) -> str:
        """The text PyYAML gives ``value`` at ``path`` (cut out of a skeleton document).

        Texts that differ only in their digits (the same sentence with other scores) are
        written alike: PyYAML's choice of style and its line breaks depend on the kinds of
        characters and the lengths of words, and a digit is a digit to them, so the text of
        the same sentence with every digit 0 is made once and the digits are put back.
        That holds only when the resolver reads both as strings alike (``08`` is a
        string, ``00`` an octal number), the style is plain or single-quoted (no escapes)
        and every 0 of the made text is one of the sentence's digits (checked)."""
        found = self._quoted.get((path, value))
        if found is not None:
            return found
        shape = value.translate(_ZEROS)
        if shape != value and self._resolves_to_str(shape) == self._resolves_to_str(value):
            made = self._by_pyyaml_exact(shape, path)
            digits = _DIGIT.findall(value)
            if not made.startswith('"') and made.count("0") == len(digits):
                refilled = iter(digits)
                scalar = _ZERO.sub(lambda _match: next(refilled), made)
                if len(self._quoted) > CACHE_LIMIT:
                    self._quoted.clear()
                self._quoted[(path, value)] = scalar
                return scalar
        return self._by_pyyaml_exact(value, path)

    def _by_pyyaml_exact(self, value: str, path: tuple[object, ...]) -> str:
        """:meth:`_by_pyyaml` without the shortcut for digits."""
        found = self._quoted.get((path, value))
        if found is not None:
            return found
        prefix = self._prefix.get(path)
        if prefix is None:
            sentinel = self._skeleton(path, "x")
            if not sentinel.endswith(" x\n"):
                raise _Unsure
            prefix = sentinel[:-2]
            self._prefix[path] = prefix
        text = self._skeleton(path, value)
        if not text.startswith(prefix) or not text.endswith("\n") or text.endswith("...\n"):
            raise _Unsure
        scalar = text[len(prefix) : -1]
        if len(self._quoted) > CACHE_LIMIT:
            self._quoted.clear()
        self._quoted[(path, value)] = scalar
        return scalar


def dump_profile_yaml(data: Any, emitter: ProfileEmitter | None = None) -> str:
    """``dump_yaml(data)``, faster for profiles (pass one ``emitter`` for many profiles so
    that what it learns about their strings is kept)."""
    return (emitter or ProfileEmitter()).dump(data)
