"""The project's one way to read YAML, validate files and write files safely.

Every reader in repfit (questionnaires, answers, profiles, norms, scenarios)
goes through :func:`load_yaml` and :func:`validate_document`; every writer goes
through :func:`atomic_write` or :func:`atomic_open`. ``simulate`` uses this
module too: it is part of ``assess``'s public API.

YAML rules (DESIGN.md §4):

* only ``true`` and ``false`` are booleans (``yes``, ``No``, ``on`` stay text);
* numbers keep the text they were written with, so a field typed as text
  (:data:`Text`) gets ``"1.10"`` for ``version: 1.10`` and ``"0012"`` for
  ``id: 0012``, while a numeric field still gets the number;
* timestamps are left as text for the schema to parse;
* duplicate keys, oversized files and alias bombs are refused;
* every error names the file, the line and the field path.
"""

from __future__ import annotations

import contextlib
import csv
import glob
import io
import math
import os
import re
import stat
import sys
import tempfile
import types
import typing
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any, Literal, TypeVar, overload

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from assess.errors import RepfitError as RepfitError
from assess.errors import closest as closest
from assess.errors import did_you_mean as did_you_mean
from assess.fields import Text as Text
from assess.fields import keep_text

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest YAML file a reader accepts (bytes)."""

MAX_EXPANDED_NODES = 2_000_000
"""Largest number of YAML nodes after expanding aliases (guards against alias bombs)."""

MAX_INTEGER_DIGITS = 30
"""Integers written with more characters than this (plus a few for signs and separators)
reach the models as text, which number fields refuse with a message (Python itself refuses
integers above 4,300 digits)."""

MAX_CSV_CELL = csv.field_size_limit()
"""Longest CSV cell a reader accepts (characters; the csv module's limit, 131,072)."""


class FileFormatError(RepfitError):
    """A file could not be read or does not match its format."""


# --------------------------------------------------------------------------- YAML


class YamlInt(int):
    """An integer read from YAML that remembers the text it was written as."""

    source: str

    def __new__(cls, value: int, source: str) -> YamlInt:
        obj = super().__new__(cls, value)
        obj.source = source
        return obj


class YamlFloat(float):
    """A float read from YAML that remembers the text it was written as."""

    source: str

    def __new__(cls, value: float, source: str) -> YamlFloat:
        obj = super().__new__(cls, value)
        obj.source = source
        return obj


class _RepfitLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-style booleans, text-preserving numbers, no timestamps."""


# Keep every implicit resolver except bool (re-added for true/false only) and timestamp.
_RepfitLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_RepfitLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_int(loader: yaml.SafeLoader, node: ScalarNode) -> YamlInt | str:
    if len(str(node.value)) > MAX_INTEGER_DIGITS + 8:
        # Too long to be a count or an amount: kept as text, so a text field (an id, a hash)
        # gets it as written and a number field refuses it with a message.
        return str(node.value)
    return YamlInt(yaml.SafeLoader.construct_yaml_int(loader, node), str(node.value))


def _construct_float(loader: yaml.SafeLoader, node: ScalarNode) -> YamlFloat:
    return YamlFloat(yaml.SafeLoader.construct_yaml_float(loader, node), str(node.value))


def _construct_timestamp_as_text(loader: yaml.SafeLoader, node: ScalarNode) -> str:
    return str(node.value)


def _construct_mapping(loader: yaml.SafeLoader, node: MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, YamlInt | YamlFloat):
            key = key.source
        if not isinstance(key, str | int | float | bool) or key is None:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found a key that is not text ({type(key).__name__})",
                key_node.start_mark,
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_RepfitLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_RepfitLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_RepfitLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
_RepfitLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


_CLoader: Any = None
_CBase: Any = getattr(yaml, "CSafeLoader", None)
if _CBase is not None:  # libyaml's parser with the same resolvers and constructors

    class _RepfitCLoader(_CBase):  # type: ignore[misc]
        """:class:`_RepfitLoader`'s rules on libyaml's C parser (for trusted files)."""

    _RepfitCLoader.yaml_implicit_resolvers = _RepfitLoader.yaml_implicit_resolvers
    for _tag, _constructor in (
        ("tag:yaml.org,2002:int", _construct_int),
        ("tag:yaml.org,2002:float", _construct_float),
        ("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text),
        ("tag:yaml.org,2002:map", _construct_mapping),
    ):
        _RepfitCLoader.add_constructor(_tag, _constructor)
    _CLoader = _RepfitCLoader


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML document: plain Python data plus the node tree for line numbers."""

    path: Path
    data: Any
    root: Node | None
    number: int | None = None
    """Position (from 1) of the document in a multi-document file; ``None`` for a file of one."""

    @property
    def source(self) -> str:
        """How errors name the document: the file, and its number when the file holds several."""
        return str(self.path) if self.number is None else f"{self.path}, document {self.number}"

    def line_of(self, location: Sequence[str | int]) -> int | None:
        """Line number (1-based) of the value at ``location``, or of its nearest parent."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for part in location:
            child: Node | None = None
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                        child = value_node
                        break
            elif (
                isinstance(node, SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                child = node.value[part]
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line


def _expanded_size(node: Node, memo: dict[int, int], depth: int = 0) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    if depth > 200:
        raise yaml.YAMLError("the document is nested more than 200 levels deep")
    size = 1
    if isinstance(node, SequenceNode):
        size += sum(_expanded_size(child, memo, depth + 1) for child in node.value)
    elif isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            size += _expanded_size(key_node, memo, depth + 1)
            size += _expanded_size(value_node, memo, depth + 1)
    memo[key] = size
    return size


def describe_character(character: str) -> str:
    """``'\\x07'`` -> ``U+0007 (BEL)``: how messages name a character they must not print."""
    code = f"U+{ord(character):04X}"
    name = _CONTROL_NAMES.get(ord(character)) or unicodedata.name(character, "")
    return f"{code} ({name})" if name else code


_CONTROL_NAMES = {
    0: "NUL",
    7: "BEL",
    8: "BS",
    11: "VT",
    12: "FF",
    27: "ESC",
    127: "DEL",
    **{code: f"C1 control {code:#04x}" for code in range(0x80, 0xA0)},
}


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return line, column


@contextlib.contextmanager
def _yaml_errors(path: Path, number: Callable[[], int], text: str = "") -> Iterator[None]:
    """Turn every way PyYAML can fail into one :class:`FileFormatError` paragraph.

    ``number`` gives the document being read (from 1); it is named when it is not the first.
    ``text`` is what was parsed, to turn a character position into a line and column.
    """
    try:
        yield
    except yaml.reader.ReaderError as exc:
        line, column = _line_and_column(text, exc.position)
        character = chr(exc.character) if isinstance(exc.character, int) else "?"
        raise FileFormatError(
            f"{path}: not valid YAML at line {line}, column {column}: the control character "
            f"{describe_character(character)} is not allowed in a YAML file. Remove it (or "
            "write it as an escape such as \\u0007 inside double quotes)."
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        if number() > 1:
            where += f" (document {number()})"
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        hint = (
            " Check the indentation and quoting around that line."
            if isinstance(exc, yaml.scanner.ScannerError | yaml.parser.ParserError)
            else ""
        )
        raise FileFormatError(
            f"{path}: not valid YAML at {where}: {escape_control(problem)}{context}.{hint}"
        ) from None
    except yaml.YAMLError as exc:
        raise FileFormatError(f"{path}: not valid YAML: {exc}.") from None
    except RecursionError:
        raise FileFormatError(f"{path}: the YAML is nested too deeply to read.") from None
    except (ValueError, OverflowError) as exc:
        raise FileFormatError(f"{path}: not valid YAML: {exc}.") from None


def _check_expanded_size(root: Node, path: Path, budget: int) -> int:
    """Refuse a node tree that expands past ``budget`` values; return the values it used."""
    size = _expanded_size(root, {})
    if size > budget:
        raise FileFormatError(
            f"{path}: the YAML expands to more than {MAX_EXPANDED_NODES:,} values "
            "(aliases repeating aliases); refusing to read it."
        )
    return size


def parse_yaml_text(text: str, path: Path, *, trusted: bool = False) -> YamlDocument:
    """Parse YAML text with the project's rules; raise :class:`FileFormatError` on any problem.

    ``trusted``: a file shipped with repfit (a bundled questionnaire or its item
    parameters), parsed with libyaml's C parser when PyYAML has it (ten times faster); on
    any problem the pure-Python parser reads it again, so the message is the usual one."""
    if trusted and _CLoader is not None:
        fast = _CLoader(text)
        try:
            root = fast.get_single_node()
            # A document past the expansion limit is refused by the usual path below.
            if root is not None and _expanded_size(root, {}) <= MAX_EXPANDED_NODES:
                data = fast.construct_document(root)
                return YamlDocument(path=path, data=data, root=root)
        except Exception:
            pass
        finally:
            fast.dispose()
    with _yaml_errors(path, lambda: 1, text):
        # The loader reads (and checks) the first characters as it is created.
        loader = _RepfitLoader(io.StringIO(text))
        try:
            root = loader.get_single_node()
            if root is not None:
                _check_expanded_size(root, path, MAX_EXPANDED_NODES)
                data = loader.construct_document(root)
            else:
                data = None
        finally:
            loader.dispose()
    return YamlDocument(path=path, data=data, root=root)


def parse_yaml_documents(text: str, path: Path) -> list[YamlDocument]:
    """Parse a YAML stream of ``---``-separated documents with the same rules and limits.

    The alias-expansion limit applies to the whole stream. Empty documents (such as a
    trailing ``---``) are dropped; each kept document records its position in the
    stream, or ``None`` when the stream holds just one document.
    """
    parsed: list[tuple[Node, Any]] = []
    position = 0
    budget = MAX_EXPANDED_NODES
    with _yaml_errors(path, lambda: position, text):
        loader = _RepfitLoader(io.StringIO(text))
        try:
            while True:
                position += 1
                if not loader.check_node():
                    break
                root = loader.get_node()
                if root is None:
                    break
                budget -= _check_expanded_size(root, path, budget)
                parsed.append((root, loader.construct_document(root)))
        finally:
            loader.dispose()
    several = sum(data is not None for _, data in parsed) > 1
    return [
        YamlDocument(path=path, data=data, root=root, number=index if several else None)
        for index, (root, data) in enumerate(parsed, start=1)
        if data is not None
    ]


_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bytes(path: Path, what: str = "file", max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` of them, or a user-facing error.

    Pipes, devices and sockets are refused before a byte is read (opened without
    blocking, so a named pipe with no writer does not hang), and the size limit
    applies to the bytes actually read, not just to what ``stat`` reported.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileFormatError(f"{path}: no such {what}.") from None
    except IsADirectoryError:
        raise FileFormatError(f"{path}: expected a {what} but found a folder.") from None
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read the {what}: {exc.strerror}.") from None
    except ValueError:
        raise FileFormatError(
            f"{path!r}: expected the path of a {what}; the path holds a NUL character."
        ) from None
    try:
        data = _read_regular(fd, path, what, max_bytes)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise FileFormatError(
            f"{path}: the {what} is more than {max_bytes:,} bytes (the limit); refusing to read "
            "the rest."
        )
    return data


def _read_regular(fd: int, path: Path, what: str, max_bytes: int) -> bytes:
    """Up to ``max_bytes + 1`` bytes of the open ``fd`` after checking it is a regular file."""
    try:
        info = os.fstat(fd)
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read the {what}: {exc.strerror}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileFormatError(f"{path}: expected a {what} but found a folder.")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _FILE_KINDS if test(info.st_mode)), "a special file")
        raise FileFormatError(
            f"{path}: expected a {what} (a regular file) but found {kind}; "
            "save the data to a file and give that file's path."
        )
    if info.st_size > max_bytes:
        raise FileFormatError(
            f"{path}: the {what} is {info.st_size:,} bytes; the limit is {max_bytes:,} bytes."
        )
    os.set_blocking(fd, True)
    chunks: list[bytes] = []
    remaining = max_bytes + 1
    try:
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read the {what}: {exc.strerror}.") from None
    return b"".join(chunks)


def read_text(path: Path, what: str = "file", max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file (a regular file within the size limit; see :func:`read_bytes`)."""
    data = read_bytes(Path(path), what, max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            f"{path}: the {what} is not UTF-8 text (byte {exc.start} cannot be decoded). "
            "Save it as UTF-8 and try again."
        ) from None


class CsvRows:
    """Rows of CSV text; a malformed row becomes a :class:`FileFormatError` naming it.

    Iterate it like ``csv.reader``; :attr:`line_num` is the reader's line count.
    """

    def __init__(self, text: str, source: str, what: str = "CSV file") -> None:
        self._reader = csv.reader(io.StringIO(text))
        self._source = source
        self._what = what

    @property
    def line_num(self) -> int:
        """The number of lines read so far (the line of the last row returned)."""
        return self._reader.line_num

    def __iter__(self) -> CsvRows:
        return self

    def __next__(self) -> list[str]:
        try:
            return next(self._reader)
        except csv.Error as exc:
            raise FileFormatError(self._describe(exc)) from None

    def _describe(self, exc: csv.Error) -> str:
        row = self._reader.line_num
        text = str(exc)
        if "field larger than field limit" in text:
            problem = (
                f"a cell longer than {MAX_CSV_CELL:,} characters; expected ordinary cells "
                "(is a quote left open, or is this not a CSV file?)"
            )
        elif "new-line character seen in unquoted field" in text:
            problem = (
                "a carriage return (CR) inside an unquoted cell; quote the cell or save the "
                "file with ordinary line endings (LF or CR LF)"
            )
        elif "NUL" in text or "null byte" in text:
            problem = "a NUL character; expected text"
        else:
            problem = text
        return f"{self._source}: line {row}: not valid CSV: {problem}."


def finite_number(text: str) -> float | None:
    """``text`` as a finite float, or ``None`` when it is not one (``nan``, ``inf``, ``1e309``)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_control(text: str) -> str:
    """``text`` with control characters written as escapes (``\\x1b``), safe to print."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _CONTROL.sub(escape, text)


def load_yaml(
    path: str | os.PathLike[str], what: str = "YAML file", *, trusted: bool = False
) -> YamlDocument:
    """Read and parse one YAML file; an empty file is an error (``trusted``: see
    :func:`parse_yaml_text`)."""
    path = Path(path)
    text = read_text(path, what)
    document = parse_yaml_text(text, path, trusted=trusted)
    if document.data is None:
        raise FileFormatError(f"{path}: the {what} is empty; expected a YAML mapping.")
    return document


def load_yaml_documents(
    path: str | os.PathLike[str], what: str = "YAML file"
) -> list[YamlDocument]:
    """Read one file holding one or more ``---``-separated YAML documents; none is an error.

    Each document's errors name the file and, when there are several, its number
    (see :attr:`YamlDocument.source`).
    """
    path = Path(path)
    documents = parse_yaml_documents(read_text(path, what), path)
    if not documents:
        raise FileFormatError(f"{path}: the {what} is empty; expected a YAML mapping.")
    return documents


# ------------------------------------------------------------------------ Schemas


def format_location(location: Sequence[str | int]) -> str:
    """``('items', 12, 'keyed')`` -> ``items[12].keyed``."""
    out = ""
    for part in location:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _kind_of(value: Any) -> str:
    """What a top-level YAML value is, without quoting it."""
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text (is this a YAML file of repfit's?)"
    return "nothing" if value is None else type(value).__name__


def _describe_input(value: Any) -> str:
    if isinstance(value, YamlInt | YamlFloat):
        return value.source
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe_validation_error(
    exc: ValidationError,
    source: str,
    document: YamlDocument | None = None,
    limit: int = 5,
    model: type[BaseModel] | None = None,
) -> str:
    """One paragraph naming the source, each field path and line, what was expected and found.

    With ``model``, an unknown key gets a "did you mean" naming the closest key the model
    allows at that place (``horizon_month`` -> ``horizon_months``).
    """
    problems = []
    errors = exc.errors(include_url=False)
    misspelt = _misspelt_keys(errors, model) if model is not None else {}
    # A required key that is only misspelt is one problem (the typo), not two.
    errors = [
        error
        for error in errors
        if not (error["type"] == "missing" and _clean(error["loc"]) in misspelt.values())
    ]
    for error in errors[:limit]:
        location = [part for part in error["loc"] if not _is_pydantic_tag(part)]
        field = format_location(location)
        if error["type"] == "extra_forbidden" and model is not None and location:
            keys = _keys_at(model, location[:-1])
            hint = did_you_mean(str(location[-1]), keys) if keys else ""
            where = ""
            if document is not None:
                line = document.line_of(location)
                if line is not None:
                    where = f" (line {line})"
            problems.append(
                f"{field}{where}: unknown key '{escape_control(str(location[-1]))}'{hint}"
                + (f"; expected one of {', '.join(keys)}" if keys and not hint else "")
            )
            continue
        where = ""
        if document is not None:
            line = document.line_of(location)
            if line is not None:
                where = f" (line {line})"
        message = _PYDANTIC_WORDING.get(error["type"], error["msg"])
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        found = ""
        if error["type"] not in ("missing", "value_error", "assertion_error"):
            found = f"; found {_describe_input(error.get('input'))}"
        problems.append(f"{field}{where}: {message}{found}")
    more = len(errors) - limit
    tail = f"; and {more} more problem{'s' if more > 1 else ''}" if more > 0 else ""
    count = len(errors)
    noun = "problem" if count == 1 else "problems"
    return f"{source}: {count} {noun}: " + "; ".join(problems) + tail + "."


_PYDANTIC_WORDING = {
    "missing": "required key missing",
    "finite_number": "expected a finite number (not NaN or infinity)",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_type": "expected text",
    "dict_type": "expected a mapping (key: value lines)",
    "list_type": "expected a list",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
}
"""Clearer words for pydantic's most common messages (the rest are kept as they are)."""


def _clean(location: Sequence[str | int]) -> tuple[str | int, ...]:
    return tuple(part for part in location if not _is_pydantic_tag(part))


def _misspelt_keys(
    errors: Sequence[Any], model: type[BaseModel]
) -> dict[tuple[str | int, ...], tuple[str | int, ...]]:
    """Unknown key location -> the location of the allowed key it is closest to."""
    out: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}
    for error in errors:
        location = _clean(error["loc"])
        if error["type"] == "extra_forbidden" and location:
            matches = closest(str(location[-1]), _keys_at(model, location[:-1]))
            if matches:
                out[location] = (*location[:-1], matches[0])
    return out


def _candidate_types(annotation: Any) -> list[Any]:
    """``X | None`` -> [X]; ``Annotated[X, ...]`` -> [X]; anything else -> [itself]."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _candidate_types(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                out.extend(_candidate_types(arg))
        return out
    return [annotation]


def _keys_at(model: type[BaseModel], location: Sequence[str | int]) -> list[str]:
    """The keys a ``model`` allows in the mapping at ``location`` (empty when unknown)."""
    current: list[Any] = [model]
    for part in location:
        following: list[Any] = []
        for candidate in current:
            origin = typing.get_origin(candidate)
            args = typing.get_args(candidate)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                for name, info in candidate.model_fields.items():
                    if part in (name, info.alias):
                        following.extend(_candidate_types(info.annotation))
            elif origin in (list, tuple) and isinstance(part, int) and args:
                following.extend(_candidate_types(args[0]))
            elif origin is dict and isinstance(part, str) and len(args) == 2:
                following.extend(_candidate_types(args[1]))
        current = following
    for candidate in current:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return [info.alias or name for name, info in candidate.model_fields.items()]
    return []


def _is_pydantic_tag(part: str | int) -> bool:
    # Union and function validators add tags such as "function-after[...]" to locations.
    return isinstance(part, str) and (
        ("[" in part and part.endswith("]")) or part.startswith("function-")
    )


ModelT = TypeVar("ModelT", bound=BaseModel)


def check_schema(data: Any, expected: str, supported_major: int, source: str) -> None:
    """Check the ``schema: name/major`` header of a document before validating it."""
    if not isinstance(data, Mapping):
        # Name the kind of value only: a file that is not ours (a system file, someone's
        # notes) must not be quoted back.
        raise FileFormatError(
            f"{source}: expected a YAML mapping with 'schema: {expected}/{supported_major}' "
            f"at the top; found {_kind_of(data)}."
        )
    schema = data.get("schema")
    if schema is None:
        raise FileFormatError(
            f"{source}: the 'schema' key is missing; "
            f"expected 'schema: {expected}/{supported_major}'."
        )
    schema_text = keep_text(schema)
    match = re.fullmatch(r"([a-z0-9_.-]+)/(\d+)(?:\.\d+)*", str(schema_text))
    if match is None or match.group(1) != expected:
        raise FileFormatError(
            f"{source}: schema: expected '{expected}/{supported_major}', found '{schema_text}'."
        )
    major = int(match.group(2))
    if major > supported_major:
        raise FileFormatError(
            f"{source}: the file uses schema '{schema_text}', which is newer than this version "
            f"of repfit understands ('{expected}/{supported_major}'). Upgrade repfit to read it."
        )
    if major < 1:
        raise FileFormatError(f"{source}: schema: unknown version '{schema_text}'.")


def validate_document(
    document: YamlDocument, model: type[ModelT], schema: str | None = None, major: int = 1
) -> ModelT:
    """Validate parsed YAML into ``model``, checking the schema header first when given."""
    source = document.source
    if schema is not None:
        check_schema(document.data, schema, major, source)
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        raise FileFormatError(
            describe_validation_error(exc, source, document, model=model)
        ) from None


def load_model(
    path: str | os.PathLike[str],
    model: type[ModelT],
    schema: str | None = None,
    major: int = 1,
    what: str = "file",
) -> ModelT:
    """Read a YAML file and validate it into ``model`` (the usual way to read any format)."""
    return validate_document(load_yaml(path, what), model, schema, major)


_SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: Any) -> str:
    """Serialise plain data as block YAML, keeping key order and readable unicode.

    Uses libyaml's C dumper when PyYAML was built with it (about five times
    faster, same output), else the pure-Python one.
    """
    return yaml.dump(data, Dumper=_SafeDumper, sort_keys=False, allow_unicode=True, width=100)


# ---------------------------------------------------------------- Atomic writes

PRIVATE_MODE = 0o600
"""Mode of every file holding candidate data (answers, profiles, exports, norms, reports):
readable and writable by its owner only, whatever the umask."""

TEMP_SUFFIX = ".tmp"
"""Suffix of the hidden temporary file an atomic write fills before moving it into place."""


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _final_mode(path: Path, permissions: int | None, private: bool) -> int:
    """The mode the written file gets: never looser than the file it replaces.

    ``private`` gives :data:`PRIVATE_MODE`; ``permissions`` an explicit mode; otherwise
    what the umask allows. An existing file's mode caps the result (an export saved
    0600 and then overwritten stays 0600).
    """
    wanted = PRIVATE_MODE if private else permissions if permissions is not None else None
    try:
        existing: int | None = os.stat(path).st_mode & 0o777
    except OSError:
        existing = None
    if wanted is None:
        return existing if existing is not None else _umask_mode()
    return wanted if existing is None else wanted & existing


def _temp_prefix(name: str) -> str:
    return f".{name}."


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def clean_stale_temporaries(folder: str | os.PathLike[str], name: str | None = None) -> list[Path]:
    """Delete the temporary files that writers killed mid-write left in ``folder``.

    Only files named as :func:`atomic_open` names them (``.<name>.<pid>.<random>.tmp``)
    whose writing process no longer runs are removed, so a write in progress in
    another process is never disturbed. ``name`` limits the cleaning to one target
    file. Returns the files removed.
    """
    folder = Path(folder)
    pattern = f"{glob.escape(_temp_prefix(name))}*{TEMP_SUFFIX}" if name else f".*{TEMP_SUFFIX}"
    removed: list[Path] = []
    try:
        candidates = list(folder.glob(pattern))
    except OSError:
        return removed
    for tmp in candidates:
        match = re.fullmatch(r"\.(.+)\.(\d+)\.[^.]+" + re.escape(TEMP_SUFFIX), tmp.name)
        if match is None or _pid_alive(int(match.group(2))):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def create_folder(folder: str | os.PathLike[str], named: bool = False) -> None:
    """Create a missing output folder. Folders the user did not name (the parents of an
    output file) are created with a note on stderr, never silently; ``named``: the user
    gave this folder (``--out DIR``), so only its missing parents get the note."""
    folder = Path(folder)
    if folder.is_dir():
        return
    if named and folder.parent.is_dir():
        folder.mkdir(exist_ok=True)
        return
    folder.mkdir(parents=True, exist_ok=True)
    print(f"note: created the folder {folder}", file=sys.stderr)


@overload
def atomic_open(
    path: str | os.PathLike[str],
    mode: Literal["w"] = "w",
    *,
    permissions: int | None = None,
    private: bool = False,
    durable: bool = True,
    clean: bool = True,
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def atomic_open(
    path: str | os.PathLike[str],
    mode: Literal["wb"],
    *,
    permissions: int | None = None,
    private: bool = False,
    durable: bool = True,
    clean: bool = True,
) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def atomic_open(
    path: str | os.PathLike[str],
    mode: str = "w",
    *,
    permissions: int | None = None,
    private: bool = False,
    durable: bool = True,
    clean: bool = True,
) -> contextlib.AbstractContextManager[IO[Any]]:
    """Open ``path`` for writing so that readers only ever see the old or the new file.

    Writes go to a temporary file in the same folder (created 0600, named
    ``.<name>.<pid>.<random>.tmp``), which is flushed, synced and moved over ``path``
    when the block ends without an error; on an error the temporary file is
    deleted and the old file is untouched. A temporary file left by a writer that
    was killed is deleted by the next write of the same file (see
    :func:`clean_stale_temporaries`). ``private=True`` (candidate data) gives the file
    mode 0600 whatever the umask; ``permissions`` gives an explicit mode; otherwise
    the umask decides. An existing file's mode is never loosened. A missing folder
    is created, with a note on stderr. ``durable=False`` skips the syncs to disk (a
    bulk writer that syncs once at the end, before its manifest, uses it); ``clean=False``
    skips looking for stale temporary files (a bulk writer cleans its folder once
    instead of listing it for every file).
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open supports modes 'w' and 'wb', not {mode!r}")
    return _atomic_open(Path(path), mode, permissions, private, durable, clean)


@contextlib.contextmanager
def _atomic_open(
    path: Path,
    mode: str,
    permissions: int | None = None,
    private: bool = False,
    durable: bool = True,
    clean: bool = True,
) -> Iterator[IO[Any]]:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        create_folder(folder)
        if clean:
            clean_stale_temporaries(folder, path.name)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f"{_temp_prefix(path.name)}{os.getpid()}.", suffix=TEMP_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot write here: {exc.strerror}.") from None
    tmp = Path(tmp_name)
    try:
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else ""
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, _final_mode(path, permissions, private))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if not durable:
        return
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write(
    path: str | os.PathLike[str],
    data: str | bytes,
    *,
    permissions: int | None = None,
    private: bool = False,
    durable: bool = True,
    clean: bool = True,
) -> None:
    """Write text (UTF-8) or bytes to ``path`` atomically (options: see :func:`atomic_open`)."""
    options: dict[str, Any] = {
        "permissions": permissions,
        "private": private,
        "durable": durable,
        "clean": clean,
    }
    try:
        if isinstance(data, bytes):
            with atomic_open(path, "wb", **options) as binary:
                binary.write(data)
        else:
            with atomic_open(path, "w", **options) as text:
                text.write(data)
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot write the file: {exc.strerror}.") from None


def write_private(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write candidate data atomically, mode 0600 (see :func:`atomic_open`)."""
    atomic_write(path, data, private=True)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same existing file (links and ``..`` resolved)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_overwriting_inputs(
    output: str | os.PathLike[str] | None, inputs: Sequence[str | os.PathLike[str]]
) -> None:
    """Refuse an output file that is one of the inputs (it would destroy the input)."""
    if output is None:
        return
    for source in inputs:
        if same_file(output, source):
            raise FileFormatError(
                f"{output}: this is also an input file; writing there would destroy it. "
                "Choose another output file."
            )
