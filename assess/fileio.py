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
import glob
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any, Literal, TypeVar, overload

import yaml
from pydantic import BaseModel, BeforeValidator, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from assess.errors import RepfitError as RepfitError

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest YAML file a reader accepts (bytes)."""

MAX_EXPANDED_NODES = 2_000_000
"""Largest number of YAML nodes after expanding aliases (guards against alias bombs)."""


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


def _construct_int(loader: yaml.SafeLoader, node: ScalarNode) -> YamlInt:
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


@contextlib.contextmanager
def _yaml_errors(path: Path, number: Callable[[], int]) -> Iterator[None]:
    """Turn every way PyYAML can fail into one :class:`FileFormatError` paragraph.

    ``number`` gives the document being read (from 1); it is named when it is not the first.
    """
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        if number() > 1:
            where += f" (document {number()})"
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        raise FileFormatError(
            f"{path}: not valid YAML at {where}: {problem}{context}. "
            "Check the indentation and quoting around that line."
        ) from None
    except yaml.YAMLError as exc:
        raise FileFormatError(f"{path}: not valid YAML: {exc}.") from None
    except RecursionError:
        raise FileFormatError(f"{path}: the YAML is nested too deeply to read.") from None


def _check_expanded_size(root: Node, path: Path, budget: int) -> int:
    """Refuse a node tree that expands past ``budget`` values; return the values it used."""
    size = _expanded_size(root, {})
    if size > budget:
        raise FileFormatError(
            f"{path}: the YAML expands to more than {MAX_EXPANDED_NODES:,} values "
            "(aliases repeating aliases); refusing to read it."
        )
    return size


def parse_yaml_text(text: str, path: Path) -> YamlDocument:
    """Parse YAML text with the project's rules; raise :class:`FileFormatError` on any problem."""
    loader = _RepfitLoader(io.StringIO(text))
    try:
        with _yaml_errors(path, lambda: 1):
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
    loader = _RepfitLoader(io.StringIO(text))
    parsed: list[tuple[Node, Any]] = []
    position = 0
    budget = MAX_EXPANDED_NODES
    try:
        with _yaml_errors(path, lambda: position):
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


def read_text(path: Path, what: str = "file", max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file with a user-facing error for every way that can fail."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileFormatError(f"{path}: no such {what}.") from None
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read the {what}: {exc.strerror}.") from None
    if path.is_dir():
        raise FileFormatError(f"{path}: expected a {what} but found a folder.")
    if size > max_bytes:
        raise FileFormatError(
            f"{path}: the {what} is {size:,} bytes; the limit is {max_bytes:,} bytes."
        )
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            f"{path}: the {what} is not UTF-8 text (byte {exc.start} cannot be decoded). "
            "Save it as UTF-8 and try again."
        ) from None
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read the {what}: {exc.strerror}.") from None


def load_yaml(path: str | os.PathLike[str], what: str = "YAML file") -> YamlDocument:
    """Read and parse one YAML file; an empty file is an error."""
    path = Path(path)
    text = read_text(path, what)
    document = parse_yaml_text(text, path)
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


def _keep_text(value: Any) -> Any:
    if isinstance(value, YamlInt | YamlFloat):
        return value.source
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_keep_text)]
"""A text field: numbers and booleans written in YAML keep their text (``1.10``, ``0012``)."""


def format_location(location: Sequence[str | int]) -> str:
    """``('items', 12, 'keyed')`` -> ``items[12].keyed``."""
    out = ""
    for part in location:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


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
    exc: ValidationError, source: str, document: YamlDocument | None = None, limit: int = 5
) -> str:
    """One paragraph naming the source, each field path and line, what was expected and found."""
    problems = []
    errors = exc.errors(include_url=False)
    for error in errors[:limit]:
        location = [part for part in error["loc"] if not _is_pydantic_tag(part)]
        field = format_location(location)
        where = ""
        if document is not None:
            line = document.line_of(location)
            if line is not None:
                where = f" (line {line})"
        message = error["msg"]
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


def _is_pydantic_tag(part: str | int) -> bool:
    # Union and function validators add tags such as "function-after[...]" to locations.
    return isinstance(part, str) and (
        ("[" in part and part.endswith("]")) or part.startswith("function-")
    )


ModelT = TypeVar("ModelT", bound=BaseModel)


def check_schema(data: Any, expected: str, supported_major: int, source: str) -> None:
    """Check the ``schema: name/major`` header of a document before validating it."""
    if not isinstance(data, Mapping):
        raise FileFormatError(
            f"{source}: expected a YAML mapping with 'schema: {expected}/{supported_major}' "
            f"at the top; found {_describe_input(data)}."
        )
    schema = data.get("schema")
    if schema is None:
        raise FileFormatError(
            f"{source}: the 'schema' key is missing; "
            f"expected 'schema: {expected}/{supported_major}'."
        )
    schema_text = _keep_text(schema)
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
        raise FileFormatError(describe_validation_error(exc, source, document)) from None


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
