"""Reading and writing questionnaires, answers, norms and profiles (the I/O edge).

Every reader goes through :mod:`assess.fileio` (one safe YAML loader, errors
naming file, line and field path) and raises :class:`~assess.errors.AssessError`
or :class:`~assess.fileio.FileFormatError`; every writer is atomic.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import as_file
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

import questionnaires
from assess.errors import AssessError
from assess.fileio import (
    FileFormatError,
    YamlDocument,
    atomic_write,
    check_schema,
    describe_validation_error,
    dump_yaml,
    load_yaml,
    parse_yaml_text,
    read_text,
)
from assess.model import (
    ANSWERS_SCHEMA,
    NORMS_SCHEMA,
    PROFILE_SCHEMA,
    QUESTIONNAIRE_SCHEMA,
    SCHEMA_MAJOR,
    AnswerRecord,
    Answers,
    Candidate,
    CrossFieldError,
    NormsFile,
    Profile,
    Questionnaire,
    answers_problems,
    format_path,
    questionnaire_sha256,
)

DEFAULT_QUESTIONNAIRE = "sales-traits"
"""The bundled questionnaire used when none is named."""

ModelT = TypeVar("ModelT", bound=BaseModel)

ExportFormat = Literal["yaml", "json", "csv"]


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
    source = str(document.path)
    check_schema(document.data, schema, SCHEMA_MAJOR, source)
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        raise FileFormatError(
            describe_validation_error(_relocated(exc), source, document)
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
            return _load_questionnaire_path(Path(path))
    return _load_questionnaire_path(Path(text_ref))


def bundled_questionnaire_ids() -> list[str]:
    """Ids of the bundled questionnaires."""
    return questionnaires.bundled_ids()


def _load_questionnaire_path(path: Path) -> Questionnaire:
    return validate_yaml(load_yaml(path, "questionnaire"), Questionnaire, QUESTIONNAIRE_SCHEMA)


# ------------------------------------------------------------------ Answers


def load_answers(path: str | os.PathLike[str]) -> Answers:
    """One answers YAML file (structure only; see :func:`read_answers_file` for the checks
    against a questionnaire)."""
    return validate_yaml(load_yaml(path, "answers file"), Answers, ANSWERS_SCHEMA)


def save_answers(path: str | os.PathLike[str], answers: Answers) -> None:
    """Write an answers YAML file atomically."""
    atomic_write(path, dump_yaml(answers.model_dump(mode="json", by_alias=True)))


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
        with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline()
    except OSError:
        return False
    return "candidate_id" in first and "," in first


@dataclass
class AnswersTable:
    """A bulk answers CSV: the answers plus any extra columns that were allowed."""

    answers: list[Answers]
    """One record per row, in file order."""
    extra: dict[str, list[str]] = field(default_factory=dict)
    """Extra column name -> its cells, one per row (e.g. a ``group`` column)."""


FIXED_COLUMNS = ("candidate_id", "name", "role")
"""The bulk CSV's non-item columns (only ``candidate_id`` is required)."""


def read_answers_csv(path: str | os.PathLike[str], questionnaire: Questionnaire) -> list[Answers]:
    """A bulk answers CSV: ``candidate_id``, optional ``name`` and ``role``, one column per
    item id (empty = unanswered)."""
    return read_answers_table(path, questionnaire).answers


def read_answers_table(
    path: str | os.PathLike[str],
    questionnaire: Questionnaire,
    extra_columns: Collection[str] = (),
) -> AnswersTable:
    """Like :func:`read_answers_csv`, also keeping the named ``extra_columns`` (any other
    unknown column is an error)."""
    path = Path(path)
    q = questionnaire
    text = read_text(path, "answers CSV")
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise AssessError(
            f"{path}: the answers CSV is empty; expected a header row with candidate_id and "
            "one column per item id."
        )
    header = [cell.strip() for cell in rows[0]]
    item_ids = q.item_ids()
    known = set(FIXED_COLUMNS) | set(item_ids) | set(extra_columns)
    first_seen: dict[str, int] = {}
    for column, name in enumerate(header, start=1):
        if name in first_seen:
            raise AssessError(
                f"{path}: row 1 (header): column '{name}' appears twice (columns "
                f"{first_seen[name]} and {column}); each column must appear once."
            )
        first_seen[name] = column
        if name not in known:
            sample = ", ".join(item_ids[:4])
            raise AssessError(
                f"{path}: row 1 (header), column {column}: unknown column '{name}'; expected "
                f"candidate_id, name, role or an item id of {q.id} {q.version} ({sample}, ...)."
            )
    if "candidate_id" not in first_seen:
        raise AssessError(
            f"{path}: row 1 (header): the 'candidate_id' column is missing; found columns: "
            f"{', '.join(header[:6])}{', ...' if len(header) > 6 else ''}."
        )
    if len(rows) == 1:
        raise AssessError(f"{path}: the answers CSV has a header but no candidate rows.")

    likert_ids = {item.id for item in q.likert_items()}
    options = {item.id: len(item.options) for item in q.situational_items()}
    ref = q.ref()
    seen_ids: dict[str, int] = {}
    result = AnswersTable(
        answers=[], extra={name: [] for name in extra_columns if name in first_seen}
    )
    for row_number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise AssessError(
                f"{path}: row {row_number}: expected {len(header)} cells (one per header "
                f"column); found {len(row)}."
            )
        cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
        candidate_id = cells["candidate_id"]
        if not candidate_id:
            raise AssessError(
                f"{path}: row {row_number}, column 'candidate_id': empty; every row needs a "
                "candidate id."
            )
        if candidate_id in seen_ids:
            raise AssessError(
                f"{path}: row {row_number}, column 'candidate_id': duplicate candidate id "
                f"'{candidate_id}' (also row {seen_ids[candidate_id]}); candidate ids must be "
                "unique."
            )
        seen_ids[candidate_id] = row_number
        values: dict[str, AnswerRecord] = {}
        for item_id in item_ids:
            cell = cells.get(item_id, "")
            if cell == "":
                continue
            if item_id in likert_ids:
                low, high, what = q.scale.min, q.scale.max, "an answer"
            else:
                low, high, what = 1, options[item_id], "an option number"
            if re.fullmatch(r"[+-]?\d+(\.0*)?", cell) is None:
                raise AssessError(
                    f"{path}: row {row_number}, column '{item_id}': expected a whole number "
                    f"from {low} to {high}; found '{cell}'."
                )
            value = int(float(cell))
            if not low <= value <= high:
                raise AssessError(
                    f"{path}: row {row_number}, column '{item_id}': expected {what} from {low} "
                    f"to {high}; found {value}."
                )
            values[item_id] = AnswerRecord(value=value)
        result.answers.append(
            Answers(
                questionnaire=ref,
                candidate=Candidate(
                    id=candidate_id,
                    name=cells.get("name") or None,
                    role=cells.get("role") or None,
                ),
                answers=values,
            )
        )
        for name in result.extra:
            result.extra[name].append(cells[name])
    return result


def read_answers_files(
    paths: Sequence[str | os.PathLike[str]], questionnaire: Questionnaire, *, force: bool = False
) -> list[Answers]:
    """Every answers file of one scoring run, refusing duplicate candidate ids across files."""
    everything: list[Answers] = []
    origin: dict[str, str] = {}
    for path in paths:
        for answers in read_answers_file(path, questionnaire, force=force):
            candidate_id = answers.candidate.id
            if candidate_id in origin:
                raise AssessError(
                    f"{path}: duplicate candidate id '{candidate_id}' (also in "
                    f"{origin[candidate_id]}); candidate ids must be unique within one run."
                )
            origin[candidate_id] = str(path)
            everything.append(answers)
    return everything


# ------------------------------------------------------------------ Norms


def load_norms(path: str | os.PathLike[str]) -> NormsFile:
    """A norms file (``repfit.norms/1``), as written by ``assess norms``."""
    return validate_yaml(load_yaml(path, "norms file"), NormsFile, NORMS_SCHEMA)


def save_norms(path: str | os.PathLike[str], norms_file: NormsFile) -> None:
    """Write a norms file atomically (header first)."""
    data = norms_file.model_dump(mode="json", by_alias=True)
    head = {key: data.pop(key) for key in ("schema", "questionnaire")}
    atomic_write(path, dump_yaml({**head, **data}))


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


# ------------------------------------------------------------------ Profiles


def profile_to_data(profile: Profile) -> dict[str, Any]:
    """The profile as plain data (what the YAML and JSON files hold)."""
    return profile.model_dump(mode="json", by_alias=True)


def save_profile(path: str | os.PathLike[str], profile: Profile) -> None:
    """Write one profile YAML file atomically."""
    atomic_write(path, dump_yaml(profile_to_data(profile)))


def load_profile(path: str | os.PathLike[str]) -> Profile:
    """One profile YAML file (``repfit.profile/1``)."""
    return validate_yaml(load_yaml(path, "profile"), Profile, PROFILE_SCHEMA)


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
            json.dumps([profile_to_data(p) for p in profiles], indent=2, ensure_ascii=False) + "\n"
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
    # Spreadsheets run cells starting with = + - @ as formulas: neutralise text cells.
    text = value or ""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def profiles_csv(profiles: Sequence[Profile]) -> str:
    """Flat CSV: one row per candidate; columns for role fit, each trait, validity and flags."""
    roles = sorted({fit.role for p in profiles for fit in p.role_fit})
    traits = _unique(trait_id for p in profiles for trait_id in p.traits)
    header = ["candidate_id", "name", "role", "questionnaire", "best_fit"]
    header += [f"fit_{role}" for role in roles]
    for trait_id in traits:
        header += [f"{trait_id}_{part}" for part in ("raw", "t", "percentile", "band", "status")]
    header += [
        "attention_checks_failed",
        "longstring",
        "irv",
        "consistency_disagreement",
        "social_desirability",
        "too_fast_share",
        "validity_flags",
        "red_flags",
        "norms_source",
        "norms_n",
        "norms_provisional",
        "forced",
        "scorer_version",
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for p in profiles:
        fits = {fit.role: fit.fit for fit in p.role_fit}
        row = [
            _text_cell(p.candidate.id),
            _text_cell(p.candidate.name),
            _text_cell(p.candidate.role),
            f"{p.questionnaire.id} {p.questionnaire.version}",
            _cell(p.best_fit),
        ]
        row += [_cell(fits.get(role)) for role in roles]
        for trait_id in traits:
            score = p.traits.get(trait_id)
            if score is None:
                row += [""] * 5
            else:
                row += [
                    _cell(score.raw),
                    _cell(score.t),
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
