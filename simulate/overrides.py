"""One syntax for changing a scenario from the command line (pure: data in, data out).

Used by ``simulate run --team/--set``, ``compare --variant`` and ``sweep --grid``:

- ``team.farmer=3`` (or the shorthand ``farmer=3``) sets one archetype's seat count
  (0 removes it; an archetype not yet in the team is added);
- ``--team farmer=3,hunter=1`` replaces the whole team;
- any other dotted path sets a field of the scenario file: ``policies.new_logo_owner=hunter``,
  ``assumptions.erosion_annual=0.03``, ``horizon_months=24``,
  ``archetypes.farmer.capacity=40``, ``target.value=3000000``.

Overrides change the scenario's *raw document* (the mapping a scenario file
holds); the caller validates the result again with the scenario schema, so an
override is checked exactly like the same value written in the file. Paths are
checked here against the schema's field names, so a typo gets a "did you mean".
Values are read as YAML scalars would be: ``3`` an integer, ``0.03`` a number,
``true``/``false``, ``null``, anything else text.
"""

from __future__ import annotations

import copy
import difflib
import re
import types
import typing
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from simulate.errors import SimulateError

Scalar = int | float | bool | str | None

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class OverrideError(SimulateError):
    """An override that cannot be read or names no field of the scenario."""


@dataclass(frozen=True)
class Override:
    """One change to a scenario: a field path and its new value, with the text it came from."""

    text: str
    """What the user wrote, quoted in error messages (``--set 'team.farmer=3'``)."""
    path: tuple[str, ...]
    """Field path in the scenario document (``("policies", "new_logo_owner")``); the team
    shorthand is already expanded (``("team", "farmer")``); ``("team",)`` replaces the team."""
    value: Any
    """The parsed value (a scalar, or for ``("team",)`` a list of team entries)."""

    @property
    def dotted(self) -> str:
        """The path written with dots (``team.farmer``)."""
        return ".".join(self.path)


def parse_scalar(text: str) -> Scalar:
    """A value as YAML would read a plain scalar: int, float, bool, null or text."""
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "none", "~", ""):
        return None
    if re.fullmatch(r"[+-]?\d+", stripped):
        return int(stripped)
    try:
        number = float(stripped)
    except ValueError:
        return stripped
    if stripped.lower() in ("nan", "inf", "+inf", "-inf", "infinity", "-infinity"):
        return stripped
    return number


def _quote(text: str) -> str:
    return f"'{text}'"


def parse_assignment(text: str, option: str = "--set") -> Override:
    """``PATH=VALUE`` as an :class:`Override` (the path is not yet checked against the schema)."""
    label = f"{option} {_quote(text)}"
    if "=" not in text:
        raise OverrideError(
            f"{label}: expected PATH=VALUE (for example team.farmer=3 or "
            "assumptions.erosion_annual=0.03); found no '='."
        )
    raw_path, raw_value = text.split("=", 1)
    parts = tuple(part.strip() for part in raw_path.strip().split("."))
    bad = [part for part in parts if not _NAME.match(part)]
    if bad:
        raise OverrideError(
            f"{label}: expected a field path of names joined by dots (for example "
            f"policies.new_logo_owner); found {_quote(raw_path.strip())}."
        )
    if raw_value.strip() == "":
        raise OverrideError(f"{label}: expected a value after '='; found nothing.")
    return Override(text=label, path=parts, value=parse_scalar(raw_value))


def parse_team(text: str) -> Override:
    """``farmer=3,hunter=1`` as an override that replaces the whole team."""
    label = f"--team {_quote(text)}"
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        if "=" not in item:
            raise OverrideError(
                f"{label}: expected ARCHETYPE=COUNT items separated by commas (for example "
                f"farmer=3,hunter=1); found {_quote(item)}."
            )
        name, count_text = (part.strip() for part in item.split("=", 1))
        if not _NAME.match(name):
            raise OverrideError(f"{label}: expected an archetype name; found {_quote(name)}.")
        count = parse_scalar(count_text)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise OverrideError(
                f"{label}: {name}: expected a whole number of seats ≥ 0; "
                f"found {_quote(count_text)}."
            )
        if name in seen:
            raise OverrideError(f"{label}: {name} is given twice; give each archetype once.")
        seen.add(name)
        entries.append({"archetype": name, "count": count})
    if not entries:
        raise OverrideError(f"{label}: expected at least one ARCHETYPE=COUNT; found none.")
    return Override(text=label, path=("team",), value=entries)


def parse_variant(text: str, option: str = "--variant") -> tuple[str, list[Override]]:
    """``"NAME: path=value, path=value"`` as a name and its overrides."""
    label = f"{option} {_quote(text)}"
    if ":" not in text:
        raise OverrideError(
            f'{label}: expected "NAME: PATH=VALUE, PATH=VALUE" (for example '
            "\"three farmers: team.farmer=3\"); found no ':' after a name."
        )
    name, body = text.split(":", 1)
    name = name.strip()
    if not name:
        raise OverrideError(f"{label}: expected a name before ':'; found nothing.")
    overrides = [
        parse_assignment(item.strip(), option=f"{option} {_quote(name)}:")
        for item in body.split(",")
        if item.strip()
    ]
    if not overrides:
        raise OverrideError(f"{label}: expected at least one PATH=VALUE after ':'; found none.")
    return name, overrides


def parse_grid(text: str) -> tuple[str, list[Scalar]]:
    """``hunter=0..4`` (whole numbers, both ends included) or ``PATH=a,b,c`` as path and values."""
    label = f"--grid {_quote(text)}"
    if "=" not in text:
        raise OverrideError(
            f"{label}: expected PATH=LOW..HIGH or PATH=A,B,… (for example hunter=0..4 or "
            "policies.new_logo_owner=farmer,hunter); found no '='."
        )
    path, body = (part.strip() for part in text.split("=", 1))
    parse_assignment(f"{path}=0", option="--grid")  # the path's own checks
    span = re.fullmatch(r"(-?\d+)\s*\.\.\s*(-?\d+)", body)
    if span:
        low, high = int(span.group(1)), int(span.group(2))
        if low > high:
            raise OverrideError(
                f"{label}: expected LOW..HIGH with LOW ≤ HIGH; found {low}..{high}."
            )
        if high - low >= 1000:
            raise OverrideError(f"{label}: expected at most 1000 values; found {high - low + 1}.")
        return path, list(range(low, high + 1))
    if ".." in body:
        raise OverrideError(
            f"{label}: expected LOW..HIGH with whole numbers (for example 0..4); "
            f"found {_quote(body)}."
        )
    values = [parse_scalar(item) for item in body.split(",") if item.strip()]
    if not values:
        raise OverrideError(f"{label}: expected at least one value after '='; found none.")
    if len(set(map(str, values))) != len(values):
        raise OverrideError(f"{label}: a value is given twice; give each value once.")
    return path, values


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {_quote(close[0])}?)" if close else ""


# ---------------------------------------------------------------- schema walking


def _unwrap(annotation: Any) -> Any:
    """``X | None`` -> ``X``; ``Annotated[X, ...]`` -> ``X``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return annotation


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    """Field name as written in the file (alias if any) -> annotation."""
    return {(info.alias or name): info.annotation for name, info in model.model_fields.items()}


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


@dataclass(frozen=True)
class Schema:
    """What overrides are checked against."""

    root: type[BaseModel]
    """The scenario file's schema."""
    archetypes: Collection[str]
    """Archetype names the team may use (bundled and the scenario's own)."""
    assumptions: Collection[str]
    """Assumption names ``assumptions.NAME`` may set."""
    free_form: tuple[type[BaseModel], ...] = ()
    """Models whose written form is not their fields (e.g. a distribution): not checked."""


def expand_shorthand(override: Override, schema: Schema) -> Override:
    """``farmer=3`` -> ``team.farmer=3`` when ``farmer`` is an archetype, not a field."""
    head = override.path[0]
    if head in _fields(schema.root) or len(override.path) != 1:
        return override
    if head in schema.archetypes:
        return Override(text=override.text, path=("team", head), value=override.value)
    choices = [*_fields(schema.root), *schema.archetypes]
    raise OverrideError(
        f"{override.text}: unknown field or archetype {_quote(head)}; expected a scenario field "
        f"({', '.join(_fields(schema.root))}) or an archetype "
        f"({', '.join(sorted(schema.archetypes))}){did_you_mean(head, choices)}."
    )


def _set_team_count(document: dict[str, Any], override: Override, schema: Schema) -> None:
    name, count = override.path[1], override.value
    if name not in schema.archetypes:
        raise OverrideError(
            f"{override.text}: team.{name}: unknown archetype {_quote(name)}; expected one of "
            f"{', '.join(sorted(schema.archetypes))}{did_you_mean(name, schema.archetypes)}."
        )
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise OverrideError(
            f"{override.text}: team.{name}: expected a whole number of seats ≥ 0; "
            f"found {_describe(count)}."
        )
    team = document.get("team")
    entries = [dict(e) for e in team] if isinstance(team, list) else []
    kept: list[dict[str, Any]] = []
    placed = False
    for entry in entries:
        if isinstance(entry, Mapping) and entry.get("archetype") == name:
            if not placed:
                kept.append({**entry, "count": count})
                placed = True
        else:
            kept.append(entry)
    if not placed:
        kept.append({"archetype": name, "count": count})
    document["team"] = kept


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return _quote(value)
    if value is None:
        return "nothing"
    return str(value)


def _set_path(document: dict[str, Any], override: Override, schema: Schema) -> None:
    node: dict[str, Any] = document
    kind = "model"  # what the next part names: a model's field, a free key, or anything
    model: type[BaseModel] = schema.root
    value_type: Any = None
    walked: list[str] = []
    for i, part in enumerate(override.path):
        where = ".".join(walked) or "the scenario"
        next_model: type[BaseModel] = model
        next_value: Any = None
        if kind == "model":
            fields = _fields(model)
            if part not in fields:
                raise OverrideError(
                    f"{override.text}: unknown field {_quote(part)} under {where}; expected one "
                    f"of {', '.join(fields)}{did_you_mean(part, fields)}."
                )
            annotation = _unwrap(fields[part])
            if _is_model(annotation):
                next_kind = "free" if issubclass(annotation, schema.free_form) else "model"
                next_model = annotation
            elif typing.get_origin(annotation) is dict:
                next_kind, next_value = "keys", _unwrap(typing.get_args(annotation)[1])
            else:
                next_kind = "leaf"
        elif kind == "keys":
            if walked == ["assumptions"] and part not in schema.assumptions:
                raise OverrideError(
                    f"{override.text}: unknown assumption {_quote(part)}; see `simulate "
                    f"assumptions` for the list{did_you_mean(part, schema.assumptions)}."
                )
            if _is_model(value_type):
                free = issubclass(value_type, schema.free_form)
                next_kind, next_model = ("free" if free else "model"), value_type
            else:
                next_kind = "leaf"
        else:
            next_kind = "free"
        walked.append(part)
        if i == len(override.path) - 1:
            node[part] = override.value
            return
        child = node.get(part)
        if next_kind == "leaf" or (child is not None and not isinstance(child, dict)):
            raise OverrideError(
                f"{override.text}: {'.'.join(walked)} holds a value, not fields; expected a "
                f"path that ends at {'.'.join(walked)}."
            )
        node[part] = node = dict(child or {})
        kind, model, value_type = next_kind, next_model, next_value


def apply_overrides(
    document: Mapping[str, Any], overrides: Sequence[Override], schema: Schema
) -> dict[str, Any]:
    """A copy of ``document`` with ``overrides`` applied in order (later ones win)."""
    result: dict[str, Any] = copy.deepcopy(dict(document))
    for override in overrides:
        expanded = expand_shorthand(override, schema)
        if expanded.path == ("team",):
            result["team"] = copy.deepcopy(expanded.value)
        elif expanded.path[0] == "team" and len(expanded.path) == 2:
            _set_team_count(result, expanded, schema)
        elif expanded.path[0] == "team":
            raise OverrideError(
                f"{expanded.text}: expected team.ARCHETYPE=COUNT (for example team.farmer=3); "
                f"found {expanded.dotted}."
            )
        else:
            _set_path(result, expanded, schema)
    return result


def responsible(overrides: Sequence[Override], field: str) -> list[Override]:
    """The overrides whose path is, or is inside, or contains the dotted ``field``."""
    found = []
    for override in overrides:
        dotted = override.dotted
        if (
            override.path
            and override.path[0] == "team"
            and (field == "team" or field.startswith("team[") or field.startswith("team."))
        ) or field == dotted or field.startswith(dotted + ".") or dotted.startswith(field + "."):
            found.append(override)
    return found


def _value_text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(f"{e.get('archetype')}={e.get('count')}" for e in value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def describe(overrides: Sequence[Override]) -> str:
    """The overrides in the override syntax, for headers (``team.farmer=3, seed=2``)."""
    return ", ".join(f"{o.dotted}={_value_text(o.value)}" for o in overrides)


__all__ = [
    "Override",
    "OverrideError",
    "Schema",
    "apply_overrides",
    "describe",
    "did_you_mean",
    "expand_shorthand",
    "parse_assignment",
    "parse_grid",
    "parse_scalar",
    "parse_team",
    "parse_variant",
    "responsible",
]
