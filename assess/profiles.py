"""Reading and writing questionnaires, answers, norms and profiles (the I/O edge).

Every reader goes through :mod:`assess.fileio` (one safe YAML loader, errors
naming file, line and field path) and raises :class:`~assess.errors.AssessError`
or :class:`~assess.fileio.FileFormatError`; every writer is atomic.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import stat
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from importlib.resources import as_file
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

import questionnaires
from assess import csvsafe, jsonout
from assess.errors import AssessError
from assess.fileio import (
    MAX_CSV_CELL,
    CsvRows,
    FileFormatError,
    YamlDocument,
    atomic_write,
    check_schema,
    describe_validation_error,
    dump_yaml,
    load_yaml,
    load_yaml_documents,
    parse_yaml_text,
    read_text,
)
from assess.irt_params import (
    IrtParameters,
    IrtParametersFile,
    items_sha256,
    parameter_problems,
)
from assess.model import (
    ANSWERS_SCHEMA,
    IRT_SCHEMA,
    NORMS_SCHEMA,
    PROFILE_SCHEMA,
    QUESTIONNAIRE_SCHEMA,
    SCHEMA_MAJOR,
    AnswerRecord,
    Answers,
    Candidate,
    CrossFieldError,
    LikertItem,
    Norms,
    NormsFile,
    Profile,
    Questionnaire,
    QuestionnaireRef,
    answers_problems,
    format_path,
    questionnaire_sha256,
)

if TYPE_CHECKING:
    from assess.scoring import Respondent

DEFAULT_QUESTIONNAIRE = "sales-traits"
"""The bundled questionnaire used when none is named."""

ModelT = TypeVar("ModelT", bound=BaseModel)

ExportFormat = Literal["yaml", "json", "csv"]

FloatArray = npt.NDArray[np.float64]


# ------------------------------------------------------------------ Validation


def _strip_union_tags(location: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # A tagged union (Questionnaire.items) adds its tag after the list index: drop it so
    # paths read items[12].keyed rather than items[12].likert.keyed.
    out: list[str | int] = []
    for index, part in enumerate(location):
        previous = location[index - 1] if index > 0 else None
        if part in ("likert", "situational") and isinstance(previous, int) and out[:1] == ["items"]:
            continue
        out.append(part)
    return tuple(out)


def _relocated(exc: ValidationError) -> ValidationError:
    """The same errors with cross-field problems moved to their own field paths."""
    details: list[InitErrorDetails] = []
    for error in exc.errors(include_url=False):
        location = _strip_union_tags(tuple(error["loc"]))
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, CrossFieldError):
            for problem_location, message in cause.problems:
                details.append(
                    {
                        "type": PydanticCustomError("value_error", message.replace("{", "{{")),
                        "loc": location + problem_location,
                        "input": None,
                    }
                )
            continue
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        custom: dict[str, Any] = {
            "type": PydanticCustomError(
                "value_error"
                if error["type"] in ("value_error", "assertion_error")
                else error["type"],
                message.replace("{", "{{"),
            ),
            "loc": location,
            "input": error.get("input"),
        }
        details.append(custom)  # type: ignore[arg-type]
    return ValidationError.from_exception_data(exc.title, details)


def validate_yaml(
    document: YamlDocument, model: type[ModelT], schema: str, what: str | None = None
) -> ModelT:
    """Validate a parsed document into ``model`` after checking its ``schema:`` header.

    Every problem is reported in one paragraph with its field path and line.
    """
    source = document.source
    check_schema(document.data, schema, SCHEMA_MAJOR, source)
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        raise FileFormatError(
            describe_validation_error(_relocated(exc), source, document, model=model)
        ) from None


# ------------------------------------------------------------------ Questionnaires


def load_questionnaire(ref: str | os.PathLike[str] | None = None) -> Questionnaire:
    """A questionnaire by bundled id (``sales-traits``; the default) or by path."""
    if ref is None:
        ref = DEFAULT_QUESTIONNAIRE
    text_ref = str(ref)
    looks_like_id = isinstance(ref, str) and re.fullmatch(r"[A-Za-z0-9_.-]+", ref) is not None
    if looks_like_id and not text_ref.endswith((".yaml", ".yml")):
        if text_ref not in questionnaires.bundled_ids():
            if Path(text_ref).exists():
                return _load_questionnaire_path(Path(text_ref))
            known = ", ".join(questionnaires.bundled_ids()) or "none"
            raise AssessError(
                f"no bundled questionnaire '{text_ref}' (bundled: {known}); "
                "give a questionnaire id or the path of a questionnaire YAML file."
            )
        with as_file(questionnaires.bundled(text_ref)) as path:
            return _load_questionnaire_path(Path(path), trusted=True)
    return _load_questionnaire_path(Path(text_ref))


def bundled_questionnaire_ids() -> list[str]:
    """Ids of the bundled questionnaires."""
    return questionnaires.bundled_ids()


def _load_questionnaire_path(path: Path, *, trusted: bool = False) -> Questionnaire:
    document = load_yaml(path, "questionnaire", trusted=trusted)
    return validate_yaml(document, Questionnaire, QUESTIONNAIRE_SCHEMA)


# ------------------------------------------------------------------ Answers


def load_answers(path: str | os.PathLike[str]) -> Answers:
    """One answers YAML file (structure only; see :func:`read_answers_file` for the checks
    against a questionnaire)."""
    return validate_yaml(load_yaml(path, "answers file"), Answers, ANSWERS_SCHEMA)


def save_answers(path: str | os.PathLike[str], answers: Answers) -> None:
    """Write an answers YAML file atomically, mode 0600 (candidate data)."""
    atomic_write(path, dump_yaml(answers.model_dump(mode="json", by_alias=True)), private=True)


def check_answers(
    q: Questionnaire, answers: Answers, source: str, document: YamlDocument | None = None
) -> None:
    """Refuse answers with unknown item ids or values out of range (every problem named,
    with its line when the parsed ``document`` is given)."""
    problems = answers_problems(q, answers)
    if problems:

        def where(loc: tuple[str | int, ...]) -> str:
            line = document.line_of(loc) if document is not None else None
            return f"{format_path(loc)} (line {line})" if line is not None else format_path(loc)

        shown = "; ".join(f"{where(loc)}: {message}" for loc, message in problems[:8])
        more = f"; and {len(problems) - 8} more" if len(problems) > 8 else ""
        raise AssessError(f"{source}: {shown}{more}.")


def check_questionnaire_match(
    q: Questionnaire, answers: Answers, source: str, force: bool = False
) -> None:
    """Refuse answers given to a different questionnaire (sha256), unless ``force``."""
    expected = questionnaire_sha256(q)
    ref = answers.questionnaire
    if ref.id != q.id:
        raise AssessError(
            f"{source}: the answers are for questionnaire {ref.id} {ref.version}, not "
            f"{q.id} {q.version}; name the right one with --questionnaire ID|PATH."
        )
    if ref.sha256 == expected or force:
        return
    raise AssessError(
        f"{source}: the answers were given to questionnaire {ref.id} {ref.version} "
        f"(sha256 {ref.sha256}), but the questionnaire used for scoring is {q.id} {q.version} "
        f"(sha256 {expected}); its content differs, so scores could be wrong. Score with the "
        "questionnaire the answers were given to, or add --force to score anyway (the profile "
        "records forced: true)."
    )


def read_answers_file(
    path: str | os.PathLike[str], questionnaire: Questionnaire, *, force: bool = False
) -> list[Answers]:
    """An answers YAML file or a bulk CSV, checked against ``questionnaire``.

    CSV is recognised by the ``.csv`` extension, or when the first line names
    ``candidate_id``; anything else is read as answers YAML.
    """
    path = Path(path)
    if _is_csv(path):
        return read_answers_csv(path, questionnaire)
    document = load_yaml(path, "answers file")
    answers = validate_yaml(document, Answers, ANSWERS_SCHEMA)
    check_questionnaire_match(questionnaire, answers, str(path), force)
    check_answers(questionnaire, answers, str(path), document)
    return [answers]


def _is_csv(path: Path) -> bool:
    if path.suffix.lower() == ".csv":
        return True
    if path.suffix.lower() in (".yaml", ".yml"):
        return False
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False  # the reader refuses pipes and devices with a message
        with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline(64 * 1024)
    except (OSError, ValueError):
        return False
    return "candidate_id" in first and "," in first


class BulkRespondent:
    """Who answered one row of a bulk answers CSV (the answers are that row of the table's
    matrix). Has the header fields of :class:`Answers` that scoring reads; its pydantic
    :class:`Candidate` is made only when asked for (bulk scoring to CSV never asks)."""

    __slots__ = ("_candidate", "candidate_id", "name", "questionnaire", "role")

    started: datetime | None = None
    """A bulk CSV records no start time."""
    finished: datetime | None = None
    """A bulk CSV records no finish time."""

    def __init__(
        self, questionnaire: QuestionnaireRef, candidate_id: str, name: str, role: str
    ) -> None:
        self.questionnaire = questionnaire
        """The questionnaire answered (the one the CSV was read with)."""
        self.candidate_id = candidate_id
        """The row's candidate id."""
        self.name = name or None
        """The row's name cell (None when empty)."""
        self.role = role or None
        """The row's role cell (None when empty)."""
        self._candidate: Candidate | None = None

    @property
    def candidate(self) -> Candidate:
        """Who answered."""
        if self._candidate is None:
            self._candidate = Candidate(id=self.candidate_id, name=self.name, role=self.role)
        return self._candidate


class BulkRespondents(Sequence[BulkRespondent]):
    """The :class:`BulkRespondent` of each row of a bulk CSV, each made when first asked for
    (a pydantic :class:`Candidate` per row takes seconds at 100,000 rows, and the analysis
    needs only the ids)."""

    def __init__(
        self,
        questionnaire: QuestionnaireRef,
        candidate_ids: list[str],
        names: list[str],
        roles: list[str],
    ) -> None:
        if not len(candidate_ids) == len(names) == len(roles):
            raise ValueError("one name and one role per candidate id")
        self._questionnaire = questionnaire
        self.candidate_ids = candidate_ids
        """Candidate id of each row."""
        self._names = names
        self._roles = roles
        self._made: list[BulkRespondent | None] = [None] * len(candidate_ids)

    def __len__(self) -> int:
        return len(self.candidate_ids)

    @overload
    def __getitem__(self, index: int) -> BulkRespondent: ...

    @overload
    def __getitem__(self, index: slice) -> list[BulkRespondent]: ...

    def __getitem__(self, index: int | slice) -> BulkRespondent | list[BulkRespondent]:
        if isinstance(index, slice):
            return [self[row] for row in range(*index.indices(len(self)))]
        made = self._made[index]
        if made is None:
            name, role = self._names[index], self._roles[index]
            made = self._made[index] = BulkRespondent(
                self._questionnaire, self.candidate_ids[index], name, role
            )
        return made


@dataclass
class AnswersTable:
    """Answers of many candidates as one candidates × items matrix (the fast path for bulk
    answers: no pydantic object per answer)."""

    questionnaire: Questionnaire
    """The questionnaire the answers were read with (its item order is the column order)."""
    respondents: Sequence[Respondent]
    """Who answered each row, in file order: :class:`BulkRespondent` for CSV rows, the
    :class:`Answers` record itself for an answers YAML file."""
    matrix: FloatArray
    """Answers, candidates × items in questionnaire order, NaN = unanswered (Likert: the
    answer; situational: the option number). Checked against the questionnaire."""
    times: FloatArray | None = None
    """Answer times in milliseconds (same shape, NaN = not timed), or None when no row has
    times (a bulk CSV)."""
    extra: dict[str, list[str]] = field(default_factory=dict)
    """Extra column name -> its cells, one per row (e.g. a ``group`` column)."""

    @property
    def candidate_ids(self) -> list[str]:
        """Candidate id of each row."""
        if isinstance(self.respondents, BulkRespondents):
            return list(self.respondents.candidate_ids)
        return [respondent.candidate.id for respondent in self.respondents]

    @cached_property
    def answers(self) -> list[Answers]:
        """One :class:`Answers` record per row (built on first use: one pydantic object per
        answer, so slow for very large tables; scoring and analysis use :attr:`matrix`)."""
        item_ids = self.questionnaire.item_ids()
        records: list[Answers] = []
        for row, respondent in enumerate(self.respondents):
            if isinstance(respondent, Answers):
                records.append(respondent)
                continue
            values = self.matrix[row]
            answered = np.flatnonzero(~np.isnan(values))
            records.append(
                Answers.model_construct(
                    questionnaire=respondent.questionnaire,
                    candidate=respondent.candidate,
                    started=respondent.started,
                    finished=respondent.finished,
                    order=None,
                    answers={
                        item_ids[column]: AnswerRecord(value=int(values[column]))
                        for column in answered.tolist()
                    },
                )
            )
        return records


FIXED_COLUMNS = ("candidate_id", "name", "role")
"""The bulk CSV's non-item columns (only ``candidate_id`` is required)."""

_WHOLE_NUMBER = re.compile(r"[+-]?\d+(\.0*)?")
"""A cell holding a whole number: ``3``, ``+3``, ``3.0``."""

_NOT_A_NUMBER = np.inf
"""Marks a cell that is not a whole number while the grid is parsed (out of every range)."""


def _whole_number(cell: str) -> int | None:
    """The whole number a stripped cell holds, or None when it holds something else."""
    if _WHOLE_NUMBER.fullmatch(cell) is None:
        return None
    try:
        return int(cell.partition(".")[0])
    except ValueError:  # beyond Python's limit on digits in an int
        return None


def _cell_number(cell: str) -> float:
    """A raw cell as a float: NaN when empty, :data:`_NOT_A_NUMBER` when not a whole number."""
    stripped = cell.strip()
    if stripped == "":
        return np.nan
    value = _whole_number(stripped)
    return _NOT_A_NUMBER if value is None else float(value)


def _answer_limits(q: Questionnaire) -> tuple[FloatArray, FloatArray]:
    """Lowest and highest valid answer per item, in questionnaire order."""
    low = [q.scale.min if isinstance(item, LikertItem) else 1 for item in q.items]
    high = [q.scale.max if isinstance(item, LikertItem) else len(item.options) for item in q.items]
    return np.array(low, dtype=np.float64), np.array(high, dtype=np.float64)


def read_answers_csv(path: str | os.PathLike[str], questionnaire: Questionnaire) -> list[Answers]:
    """A bulk answers CSV: ``candidate_id``, optional ``name`` and ``role``, one column per
    item id (empty = unanswered)."""
    return read_answers_table(path, questionnaire).answers


def read_answers_table(
    path: str | os.PathLike[str],
    questionnaire: Questionnaire,
    extra_columns: Collection[str] = (),
    *,
    unknown_column_hint: str | None = None,
) -> AnswersTable:
    """A bulk answers CSV as a table, also keeping the named ``extra_columns`` (any other
    unknown column is an error). ``unknown_column_hint`` is added to that error after a
    semicolon, with ``{column}`` replaced by the column's name (e.g. which option keeps it).

    The grid is parsed and checked in one vectorised pass; only when a row has a problem
    is that row checked cell by cell, to name the first problem exactly
    (:func:`check_answers_csv` names every problem instead).
    """
    path = Path(path)
    q = questionnaire
    text = read_text(path, "answers CSV")
    plain = _read_plain_table(path, q, text, extra_columns, unknown_column_hint)
    if plain is not None:
        return plain
    rows = _csv_rows(path, text)
    if not rows:
        raise AssessError(_empty_csv_problem(path))
    header = [cell.strip() for cell in rows[0]]
    first_seen = _first_columns(header)
    for problem in _header_problems(path, q, header, extra_columns, unknown_column_hint):
        raise AssessError(problem)
    body = rows[1:]
    if not body:
        raise AssessError(_no_rows_problem(path))

    # Rows up to the first one with the wrong number of cells are parsed as one grid.
    width = len(header)
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    wrong_length = np.flatnonzero(lengths != width)
    end = int(wrong_length[0]) if len(wrong_length) else len(body)
    grid_rows = body[:end]
    matrix, bad_cells = _answers_grid(q, grid_rows, width, first_seen)
    bad_rows = np.flatnonzero(bad_cells)
    first_problem = int(bad_rows[0]) if len(bad_rows) else end

    id_column = first_seen["candidate_id"] - 1
    candidate_ids = [row[id_column].strip() for row in grid_rows]
    first_row_of: dict[str, int] = {}
    for index, candidate_id in enumerate(candidate_ids[:first_problem]):
        if not candidate_id or first_row_of.setdefault(candidate_id, index) != index:
            first_problem = index
            break
    if first_problem < len(body):
        for problem in _row_problems(
            path, q, header, first_problem + 2, body[first_problem], first_row_of
        ):
            raise AssessError(problem)
        raise AssertionError(f"row {first_problem + 2} was found faulty but has no problem")

    def column_cells(name: str) -> list[str]:
        position = first_seen[name] - 1
        return [row[position].strip() for row in grid_rows]

    names = column_cells("name") if "name" in first_seen else [""] * end
    roles = column_cells("role") if "role" in first_seen else [""] * end
    respondents = BulkRespondents(q.ref(), candidate_ids, names, roles)
    extra = {name: column_cells(name) for name in extra_columns if name in first_seen}
    return AnswersTable(questionnaire=q, respondents=respondents, matrix=matrix, extra=extra)


def _read_plain_table(
    path: Path,
    q: Questionnaire,
    text: str,
    extra_columns: Collection[str],
    unknown_column_hint: str | None,
) -> AnswersTable | None:
    """:func:`read_answers_table` for a plain CSV without a problem, cut into cells with
    numpy (:mod:`assess.csvgrid`); ``None`` when the file is not plain or has any problem,
    which the ``csv`` path then reports exactly as always."""
    from assess import csvgrid

    grid = csvgrid.split_plain(text, MAX_CSV_CELL)
    if grid is None:
        return None
    header = [cell.strip() for cell in grid.header]
    if next(_header_problems(path, q, header, extra_columns, unknown_column_hint), None):
        return None
    first_seen = _first_columns(header)
    item_ids = q.item_ids()
    present = [index for index, item_id in enumerate(item_ids) if item_id in first_seen]
    numbers = grid.numbers([first_seen[item_ids[index]] - 1 for index in present], _cell_number)
    if len(present) == len(item_ids):  # every item has a column: no copy
        matrix = numbers
    else:
        matrix = np.full((grid.rows, len(item_ids)), np.nan)
        matrix[:, present] = numbers
    low, high = _answer_limits(q)
    with np.errstate(invalid="ignore"):
        if ((matrix < low) | (matrix > high)).any():
            return None
    candidate_ids = grid.strings(first_seen["candidate_id"] - 1)
    if "" in candidate_ids or len(set(candidate_ids)) != len(candidate_ids):
        return None

    def column_cells(name: str) -> list[str]:
        return grid.strings(first_seen[name] - 1) if name in first_seen else [""] * grid.rows

    respondents = BulkRespondents(
        q.ref(), candidate_ids, column_cells("name"), column_cells("role")
    )
    extra = {name: column_cells(name) for name in extra_columns if name in first_seen}
    return AnswersTable(questionnaire=q, respondents=respondents, matrix=matrix, extra=extra)


@dataclass(frozen=True)
class CsvCheck:
    """Every problem found in a bulk answers CSV (:func:`check_answers_csv`)."""

    problems: list[str]
    """The first problems, in file order (header first, then row by row, column by column),
    each one self-contained message naming file, row, column, expected and found."""
    total: int
    """How many problems there are in all (more than ``len(problems)`` when capped)."""
    candidates: int
    """How many candidate rows the file has."""


def check_answers_csv(
    path: str | os.PathLike[str], questionnaire: Questionnaire, *, limit: int | None = None
) -> CsvCheck:
    """Check a bulk answers CSV completely: the same checks as :func:`read_answers_table`,
    but every problem is collected instead of stopping at the first (at most ``limit`` are
    kept; ``total`` counts them all)."""
    path = Path(path)
    q = questionnaire
    rows = _csv_rows(path)
    if not rows:
        return CsvCheck(problems=[_empty_csv_problem(path)], total=1, candidates=0)
    header = [cell.strip() for cell in rows[0]]
    first_seen = _first_columns(header)
    problems = list(_header_problems(path, q, header, (), None))
    body = rows[1:]
    if not body:
        problems.append(_no_rows_problem(path))
    width = len(header)
    fitting = [index for index, row in enumerate(body) if len(row) == width]
    suspect = set(range(len(body))) - set(fitting)
    _, bad_cells = _answers_grid(q, [body[index] for index in fitting], width, first_seen)
    suspect.update(fitting[position] for position in np.flatnonzero(bad_cells).tolist())
    first_row_of: dict[str, int] = {}
    if "candidate_id" in first_seen:
        id_column = first_seen["candidate_id"] - 1
        for index in fitting:
            candidate_id = body[index][id_column].strip()
            if not candidate_id or first_row_of.setdefault(candidate_id, index) != index:
                suspect.add(index)
    for index in sorted(suspect):
        problems.extend(_row_problems(path, q, header, index + 2, body[index], first_row_of))
    kept = problems if limit is None else problems[:limit]
    return CsvCheck(problems=kept, total=len(problems), candidates=len(body))


def _csv_rows(path: Path, text: str | None = None) -> list[list[str]]:
    """The rows of a CSV file (or of its ``text``, already read), without trailing empty
    rows."""
    if text is None:
        text = read_text(path, "answers CSV")
    rows = list(CsvRows(text, str(path), "answers CSV"))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return rows


def _empty_csv_problem(path: Path) -> str:
    return (
        f"{path}: the answers CSV is empty; expected a header row with candidate_id and "
        "one column per item id."
    )


def _no_rows_problem(path: Path) -> str:
    return f"{path}: the answers CSV has a header but no candidate rows."


def _first_columns(header: list[str]) -> dict[str, int]:
    """Column name -> the (1-based) column where it first appears."""
    first_seen: dict[str, int] = {}
    for column, name in enumerate(header, start=1):
        first_seen.setdefault(name, column)
    return first_seen


def _header_problems(
    path: Path,
    q: Questionnaire,
    header: list[str],
    extra_columns: Collection[str],
    unknown_column_hint: str | None,
) -> Iterator[str]:
    """Every problem of the header row: a column twice, an unknown column, no candidate_id."""
    item_ids = q.item_ids()
    known = set(FIXED_COLUMNS) | set(item_ids) | set(extra_columns)
    if not known.intersection(header):
        # Not an answers table at all: say so without quoting its first line, which may be
        # anything (another file's content, personal data).
        yield (
            f"{path}: not an answers CSV: row 1 has none of the columns candidate_id, name, "
            f"role or an item id of {q.id} {q.version}; expected a header row naming them."
        )
        return
    first_seen: dict[str, int] = {}
    for column, name in enumerate(header, start=1):
        if name in first_seen:
            yield (
                f"{path}: row 1 (header): column '{name}' appears twice (columns "
                f"{first_seen[name]} and {column}); each column must appear once."
            )
            continue
        first_seen[name] = column
        if name not in known:
            sample = ", ".join(item_ids[:4])
            hint = f"; {unknown_column_hint.format(column=name)}" if unknown_column_hint else ""
            yield (
                f"{path}: row 1 (header), column {column}: unknown column '{name}'; expected "
                f"candidate_id, name, role or an item id of {q.id} {q.version} ({sample}, ...)"
                f"{hint}."
            )
    if "candidate_id" not in first_seen:
        yield (
            f"{path}: row 1 (header): the 'candidate_id' column is missing; found columns: "
            f"{', '.join(header[:6])}{', ...' if len(header) > 6 else ''}."
        )


def _answers_grid(
    q: Questionnaire, grid_rows: list[list[str]], width: int, first_seen: dict[str, int]
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Rows of ``width`` cells parsed in one vectorised pass: the candidates × items answer
    matrix (NaN = unanswered) and, per row, whether any answer cell is bad (not a whole
    number, or out of its item's range)."""
    item_ids = q.item_ids()
    count = len(grid_rows)
    numbers = {cell: _cell_number(cell) for cell in set(itertools.chain.from_iterable(grid_rows))}
    grid = np.fromiter(
        map(numbers.__getitem__, itertools.chain.from_iterable(grid_rows)),
        dtype=np.float64,
        count=count * width,
    ).reshape(count, width)
    matrix = np.full((count, len(item_ids)), np.nan)
    present = [index for index, item_id in enumerate(item_ids) if item_id in first_seen]
    matrix[:, present] = grid[:, [first_seen[item_ids[index]] - 1 for index in present]]
    low, high = _answer_limits(q)
    with np.errstate(invalid="ignore"):
        bad_cells = (matrix < low) | (matrix > high)
    bad_rows: npt.NDArray[np.bool_] = np.asarray(bad_cells.any(axis=1), dtype=np.bool_)
    return matrix, bad_rows


def _row_problems(
    path: Path,
    q: Questionnaire,
    header: list[str],
    row_number: int,
    row: list[str],
    first_row_of: dict[str, int],
) -> Iterator[str]:
    """Every problem in one data row, in column order (``first_row_of``: candidate id ->
    index of the first data row that has it). A row with the wrong number of cells has
    only that problem (its cells cannot be matched to columns)."""
    if len(row) != len(header):
        yield (
            f"{path}: row {row_number}: expected {len(header)} cells (one per header "
            f"column); found {len(row)}."
        )
        return
    cells: dict[str, str] = {}
    for name, cell in zip(header, row, strict=True):
        cells.setdefault(name, cell.strip())
    candidate_id = cells.get("candidate_id")
    if candidate_id == "":
        yield (
            f"{path}: row {row_number}, column 'candidate_id': empty; every row needs a "
            "candidate id."
        )
    elif candidate_id is not None:
        first_index = first_row_of.get(candidate_id, row_number - 2)
        if first_index != row_number - 2:
            yield (
                f"{path}: row {row_number}, column 'candidate_id': duplicate candidate id "
                f"'{candidate_id}' (also row {first_index + 2}); candidate ids must be unique."
            )
    low, high = _answer_limits(q)
    for index, item in enumerate(q.items):
        cell = cells.get(item.id, "")
        if cell == "":
            continue
        what = "an answer" if isinstance(item, LikertItem) else "an option number"
        lowest, highest = int(low[index]), int(high[index])
        value = _whole_number(cell)
        if value is None:
            yield (
                f"{path}: row {row_number}, column '{item.id}': expected a whole number "
                f"from {lowest} to {highest}; found '{cell}'."
            )
        elif not lowest <= value <= highest:
            yield (
                f"{path}: row {row_number}, column '{item.id}': expected {what} from {lowest} "
                f"to {highest}; found {value}."
            )


def read_answers_files(
    paths: Sequence[str | os.PathLike[str]], questionnaire: Questionnaire, *, force: bool = False
) -> list[Answers]:
    """Every answers file of one scoring run, refusing duplicate candidate ids across files."""
    return read_answers_run(paths, questionnaire, force=force).answers


def read_answers_run(
    paths: Sequence[str | os.PathLike[str]], questionnaire: Questionnaire, *, force: bool = False
) -> AnswersTable:
    """:func:`read_answers_files` as one table (the fast path for bulk CSVs): every file
    checked, duplicate candidate ids across files refused."""
    from assess import scoring

    tables: list[AnswersTable] = []
    origin: dict[str, str] = {}
    for path in paths:
        if _is_csv(Path(path)):
            table = read_answers_table(path, questionnaire)
        else:
            records = read_answers_file(path, questionnaire, force=force)
            table = AnswersTable(
                questionnaire=questionnaire,
                respondents=records,
                matrix=scoring.response_matrix(questionnaire, records),
                times=scoring.response_times(questionnaire, records),
            )
        for candidate_id in table.candidate_ids:
            if candidate_id in origin:
                raise AssessError(
                    f"{path}: duplicate candidate id '{candidate_id}' (also in "
                    f"{origin[candidate_id]}); candidate ids must be unique within one run."
                )
            origin[candidate_id] = str(path)
        tables.append(table)
    if len(tables) == 1:
        return tables[0]
    if not tables:
        empty = np.full((0, len(questionnaire.items)), np.nan)
        return AnswersTable(questionnaire=questionnaire, respondents=[], matrix=empty)
    timed = any(table.times is not None for table in tables)
    return AnswersTable(
        questionnaire=questionnaire,
        respondents=[respondent for table in tables for respondent in table.respondents],
        matrix=np.vstack([table.matrix for table in tables]),
        times=np.vstack(
            [
                table.times if table.times is not None else np.full(table.matrix.shape, np.nan)
                for table in tables
            ]
        )
        if timed
        else None,
    )


# ------------------------------------------------------------------ Norms


def load_norms(path: str | os.PathLike[str]) -> NormsFile:
    """A norms file (``repfit.norms/1``), as written by ``assess norms``."""
    return validate_yaml(load_yaml(path, "norms file"), NormsFile, NORMS_SCHEMA)


def save_norms(path: str | os.PathLike[str], norms_file: NormsFile) -> None:
    """Write a norms file atomically (header first), mode 0600 (derived from candidates)."""
    data = norms_file.model_dump(mode="json", by_alias=True)
    head = {key: data.pop(key) for key in ("schema", "questionnaire")}
    atomic_write(path, dump_yaml({**head, **data}), private=True)


def check_norms_match(q: Questionnaire, norms_file: NormsFile, source: str) -> None:
    """Refuse norms built for another questionnaire or lacking one of its traits."""
    ref = norms_file.questionnaire
    if ref.id != q.id:
        raise AssessError(
            f"{source}: these norms are for questionnaire {ref.id} {ref.version}, not "
            f"{q.id} {q.version}."
        )
    missing = [trait_id for trait_id in q.trait_ids() if trait_id not in norms_file.traits]
    if missing:
        raise AssessError(
            f"{source}: traits: no norm for {', '.join(missing)} (every trait of {q.id} needs one)."
        )


def load_norms_for(path: str | os.PathLike[str], q: Questionnaire) -> Norms:
    """Read a norms file given with ``--norms`` and check it fits ``q``: the norms to score
    against (what ``assess score`` and ``assess analyze`` both do with the option)."""
    norms_file = load_norms(path)
    check_norms_match(q, norms_file, str(path))
    return norms_file.norms()


# ------------------------------------------------------------------ IRT item parameters


def load_irt_parameters(
    path: str | os.PathLike[str], *, trusted: bool = False
) -> IrtParametersFile:
    """An item-parameter file (``repfit.irt/1``), as written by ``assess calibrate-irt``
    (``trusted``: bundled with repfit, see :func:`assess.fileio.parse_yaml_text`)."""
    document = load_yaml(path, "item-parameter file", trusted=trusted)
    return validate_yaml(document, IrtParametersFile, IRT_SCHEMA)


def save_irt_parameters(path: str | os.PathLike[str], params: IrtParametersFile) -> None:
    """Write an item-parameter file atomically (header first)."""
    data = params.model_dump(mode="json", by_alias=True, exclude_none=True)
    head = {key: data.pop(key) for key in ("schema", "questionnaire", "items_sha256")}
    atomic_write(path, dump_yaml({**head, **data}))


def check_irt_match(q: Questionnaire, params: IrtParametersFile, source: str) -> None:
    """Refuse item parameters calibrated for another questionnaire or other trait items."""
    ref = params.questionnaire
    if ref.id != q.id:
        raise AssessError(
            f"{source}: these item parameters are for questionnaire {ref.id} {ref.version}, "
            f"not {q.id} {q.version}."
        )
    expected = items_sha256(q)
    if params.items_sha256 != expected:
        raise AssessError(
            f"{source}: items_sha256: the parameters were calibrated on trait items that differ "
            f"from those of {q.id} {q.version} (expected {expected}, found "
            f"{params.items_sha256}); an item's text, keying or trait changed. Calibrate again "
            "with assess calibrate-irt."
        )
    problems = parameter_problems(q, params)
    if problems:
        shown = "; ".join(f"{format_path(loc)}: {message}" for loc, message in problems[:8])
        raise AssessError(f"{source}: {shown}.")


def load_irt_for(path: str | os.PathLike[str], q: Questionnaire) -> IrtParameters:
    """Read an item-parameter file given with ``--irt`` and check it fits ``q``."""
    params = load_irt_parameters(path)
    check_irt_match(q, params, str(path))
    return params.parameters()


def questionnaire_irt(ref: str | os.PathLike[str] | None, q: Questionnaire) -> IrtParameters | None:
    """The questionnaire's own item parameters, or None when it has none.

    ``<name>.irt.yaml`` beside a questionnaire file; otherwise the bundled parameters of
    the bundled questionnaire with the same id, when its trait items are the same
    (``items_sha256``), so a copy of a bundled questionnaire keeps them.
    """
    if ref is not None and str(ref) not in questionnaires.bundled_ids():
        path = Path(ref)
        sidecar = path.with_name(path.name.removesuffix(path.suffix) + questionnaires.IRT_SUFFIX)
        if sidecar.is_file():
            return load_irt_for(sidecar, q)
    return bundled_irt_for(q)


def bundled_irt_for(q: Questionnaire) -> IrtParameters | None:
    """The bundled item parameters of questionnaire ``q.id`` when its trait items match."""
    if q.id not in questionnaires.bundled_ids():
        return None
    resource = questionnaires.bundled_irt(q.id)
    if not resource.is_file():
        return None
    with as_file(resource) as path:
        params = load_irt_parameters(path, trusted=True)
        if params.questionnaire.id != q.id or params.items_sha256 != items_sha256(q):
            return None
        check_irt_match(q, params, str(path))
    return params.parameters()


def irt_for(
    path: str | os.PathLike[str] | None, ref: str | os.PathLike[str] | None, q: Questionnaire
) -> IrtParameters | None:
    """Item parameters for scoring: the ``--irt`` file when given, else the questionnaire's."""
    return load_irt_for(path, q) if path is not None else questionnaire_irt(ref, q)


# ------------------------------------------------------------------ Profiles


def profile_to_data(profile: Profile) -> dict[str, Any]:
    """The profile as plain data (what the YAML and JSON files hold)."""
    return profile.model_dump(mode="json", by_alias=True)


def save_profile(path: str | os.PathLike[str], profile: Profile) -> None:
    """Write one profile YAML file atomically, mode 0600 (candidate data)."""
    atomic_write(path, dump_yaml(profile_to_data(profile)), private=True)


def load_profile(path: str | os.PathLike[str]) -> Profile:
    """One profile YAML file (``repfit.profile/1``)."""
    return validate_yaml(load_yaml(path, "profile"), Profile, PROFILE_SCHEMA)


def load_profiles(path: str | os.PathLike[str]) -> list[tuple[str, Profile]]:
    """Every profile in one YAML file, each with where it came from for messages.

    The file holds one profile, or the ``---``-separated documents that ``assess
    score`` and ``assess export --format yaml`` print; the source is the file name,
    plus ``document N`` when the file holds several.
    """
    return [
        (document.source, validate_yaml(document, Profile, PROFILE_SCHEMA))
        for document in load_yaml_documents(path, "profile")
    ]


def parse_profile_text(text: str, source: str) -> Profile:
    """A profile from YAML text (e.g. one document of a multi-document stream)."""
    document = parse_yaml_text(text, Path(source))
    return validate_yaml(document, Profile, PROFILE_SCHEMA)


def profile_filename(candidate_id: str) -> str:
    """A safe file name for a candidate's profile: ``<id>.profile.yaml``.

    Characters other than letters, digits, ``.``, ``_`` and ``-`` become ``_``; a
    leading dot is removed; when the id had to change, a short hash of the id is
    added so different ids never share a file name. Never contains a path separator.
    """
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", candidate_id).lstrip(".")[:80] or "candidate"
    if safe != candidate_id:
        digest = hashlib.sha256(candidate_id.encode("utf-8")).hexdigest()[:8]
        safe = f"{safe}-{digest}"
    return f"{safe}.profile.yaml"


# ------------------------------------------------------------------ Export


def export_profiles(profiles: Sequence[Profile], fmt: ExportFormat) -> str:
    """Profiles as one text: YAML (one document per candidate), JSON (a list) or flat CSV."""
    if fmt == "yaml":
        return "".join(f"---\n{dump_yaml(profile_to_data(p))}" for p in profiles)
    if fmt == "json":
        return (
            jsonout.dumps([profile_to_data(p) for p in profiles], indent=2, ensure_ascii=False)
            + "\n"
        )
    if fmt == "csv":
        return profiles_csv(profiles)
    raise ValueError(f"unknown export format {fmt!r}")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _text_cell(value: str | None) -> str:
    # Spreadsheets run cells starting with = + - @ (or a tab, CR, LF) as formulas.
    return csvsafe.neutralise(value or "")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def profiles_csv(profiles: Sequence[Profile]) -> str:
    """Flat CSV: one row per candidate; columns for role fit, each trait, validity and flags."""
    roles = sorted({fit.role for p in profiles for fit in p.role_fit})
    traits = _unique(trait_id for p in profiles for trait_id in p.traits)
    from assess.bulk_export import csv_header

    header = csv_header(traits, roles)
    out = io.StringIO()
    writer = csvsafe.writer(out)  # neutralises and quotes every cell (assess.csvsafe)
    writer.writerow(header)
    from assess.scoring import not_distinguishable_from_next

    # Per role: is each candidate distinguishable from the one ranked just below?
    ties = {}
    for role in roles:
        found = [next((f for f in p.role_fit if f.role == role), None) for p in profiles]
        ties[role] = not_distinguishable_from_next(
            [f.fit if f else None for f in found], [f.fit_interval if f else None for f in found]
        )
    for number, p in enumerate(profiles):
        fits = {fit.role: fit for fit in p.role_fit}
        row = [
            _text_cell(p.candidate.id),
            _text_cell(p.candidate.name),
            _text_cell(p.candidate.role),
            f"{p.questionnaire.id} {p.questionnaire.version}",
            _cell(p.best_fit),
        ]
        for role in roles:
            fit = fits.get(role)
            interval = fit.fit_interval if fit is not None else None
            row += [
                _cell(fit.fit if fit is not None else None),
                _cell(interval[0] if interval else None),
                _cell(interval[1] if interval else None),
                "not distinguishable" if ties[role][number] else "",
            ]
        for trait_id in traits:
            score = p.traits.get(trait_id)
            if score is None:
                row += [""] * 8
            else:
                t_interval = score.t_interval
                row += [
                    _cell(score.raw),
                    _cell(score.t),
                    _cell(t_interval[0] if t_interval else None),
                    _cell(t_interval[1] if t_interval else None),
                    _cell(score.sem),
                    _cell(score.percentile),
                    _cell(score.band),
                    score.status,
                ]
        v = p.validity
        row += [
            _cell(v.attention_checks_failed),
            _cell(v.longstring),
            _cell(v.irv),
            _cell(v.consistency_disagreement),
            _cell(v.social_desirability),
            _cell(v.too_fast_share),
            _cell(v.faking_index),
            ";".join(v.flags),
            ";".join(flag.code for flag in p.red_flags),
            _text_cell(p.norms.source) if p.norms else "",
            _cell(p.norms.n) if p.norms else "",
            _cell(p.norms.provisional) if p.norms else "",
            _cell(p.forced),
            p.scorer_version,
        ]
        writer.writerow(row)
    return out.getvalue()
