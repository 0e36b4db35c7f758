"""Typed, validated schema of questionnaires, answers, norms and profiles.

These pydantic models are the file formats' reference: every field carries a
docstring. They do no I/O (reading and writing lives in :mod:`assess.profiles`).
Cross-field rules (unknown trait ids, duplicate item ids, consistency pairs
naming unknown items, ...) are checked when a questionnaire is built and
reported with the field path of each problem, e.g. ``items[12].trait``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    Tag,
    field_validator,
    model_serializer,
    model_validator,
)

from assess import jsonout
from assess.fields import MAX_DIGITS as MAX_DIGITS
from assess.fields import Integer as Integer
from assess.fields import Number as Number
from assess.fields import Text as Text

Location = tuple[str | int, ...]
"""A field path inside a document, e.g. ``("items", 12, "trait")``."""

Band = Literal["low", "average", "high"]
"""Where a T-score falls: low (T < 40), average (40–60), high (T > 60)."""

QUESTIONNAIRE_SCHEMA = "repfit.questionnaire"
ANSWERS_SCHEMA = "repfit.answers"
PROFILE_SCHEMA = "repfit.profile"
NORMS_SCHEMA = "repfit.norms"
IRT_SCHEMA = "repfit.irt"
SCHEMA_MAJOR = 1
"""The major version of every format this version of repfit reads and writes."""


class CrossFieldError(ValueError):
    """Several cross-field problems, each with the field path it concerns.

    Raised by model validators; :mod:`assess.profiles` turns it into one error
    paragraph that names each path (and its line in the file).
    """

    def __init__(self, problems: Sequence[tuple[Location, str]]) -> None:
        self.problems = list(problems)
        super().__init__(
            "; ".join(f"{format_path(loc)}: {message}" for loc, message in self.problems)
        )


def format_path(location: Location) -> str:
    """``("items", 12, "trait")`` -> ``items[12].trait``."""
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _schema_field(name: str) -> Any:
    pattern = rf"^{re.escape(name)}/{SCHEMA_MAJOR}(\.\d+)*$"
    return Field(default=f"{name}/{SCHEMA_MAJOR}", alias="schema", pattern=pattern)


class _Model(BaseModel):
    """Base of every file-format model: unknown keys are errors, docstrings document fields."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        populate_by_name=True,
        allow_inf_nan=False,
    )


def _without_absent(data: Any, keys: Sequence[str]) -> Any:
    """Leave out optional fields added later (``keys``) when they are null, so files and
    hashes made before those fields existed stay byte-identical."""
    if isinstance(data, dict):
        for key in keys:
            if key in data and data[key] is None:
                del data[key]
    return data


# ------------------------------------------------------------------ Questionnaire


class Scale(_Model):
    """The Likert response scale: any integer range, labels optional."""

    min: Integer
    """Lowest answer (e.g. 1)."""
    max: Integer
    """Highest answer (e.g. 5); must be greater than ``min``."""
    labels: list[Text] | None = None
    """One label per point from ``min`` to ``max`` (optional)."""

    @model_validator(mode="after")
    def _check(self) -> Scale:
        if self.max <= self.min:
            raise CrossFieldError(
                [(("max",), f"must be greater than min ({self.min}); found {self.max}")]
            )
        if self.labels is not None and len(self.labels) != self.points:
            raise CrossFieldError(
                [
                    (
                        ("labels",),
                        f"expected {self.points} labels (one per point from {self.min} to "
                        f"{self.max}); found {len(self.labels)}",
                    )
                ]
            )
        return self

    @property
    def points(self) -> int:
        """Number of answer points."""
        return self.max - self.min + 1

    def label(self, value: int) -> str:
        """The label of ``value``, or the number itself when the scale has no labels."""
        if self.labels is None:
            return str(value)
        return self.labels[value - self.min]


class Trait(_Model):
    """A measured sales trait."""

    id: Text
    """Short id used in items, norms, roles and profiles (e.g. ``need_for_approval``)."""
    name: Text
    """Readable name (e.g. "Need for approval")."""
    description: str = ""
    """What a high score means, in one or two sentences."""
    risk_pole: Literal["high", "low", "none"] = "none"
    """Which end of the trait is a hiring risk: ``high``, ``low`` or ``none``; the default
    for every role (a role's ``risk_poles`` can override it)."""
    reliability: Number | None = Field(default=None, gt=0, lt=1)
    """Reliability of the trait's raw score (e.g. Cronbach's alpha from a published sample),
    optional; norms with their own reliability take precedence (docs/scoring.md)."""


RiskPole = Literal["high", "low", "none"]
"""Which end of a trait is a hiring risk."""


class LikertItem(_Model):
    """A statement answered on the Likert scale: a trait item or a validity item."""

    id: Text
    """Unique item id (e.g. ``nfa01``)."""
    type: Literal["likert"] = "likert"
    """Item type (``likert``; the default when ``type`` is left out)."""
    text: str
    """The statement shown to the candidate."""
    trait: Text | None = None
    """The trait this item measures (trait items only)."""
    keyed: Literal["+", "-"] = "+"
    """``+``: agreeing means more of the trait; ``-``: reverse keyed (scored
    ``min + max − answer``)."""
    section: Text | None = None
    """Group shown together in the questionnaire (default: the trait)."""
    validity: Literal["social_desirability", "attention_check"] | None = None
    """For validity items: which validity scale the item belongs to."""
    expect: Integer | None = None
    """For attention checks: the one answer a reading candidate gives."""

    @model_validator(mode="after")
    def _check(self) -> LikertItem:
        problems: list[tuple[Location, str]] = []
        if (self.trait is None) == (self.validity is None):
            problems.append(
                (
                    ("trait",),
                    "a Likert item needs exactly one of 'trait' (a trait item) or "
                    "'validity' (social_desirability or attention_check)",
                )
            )
        if self.validity == "attention_check" and self.expect is None:
            problems.append((("expect",), "an attention check needs 'expect' (the right answer)"))
        if self.expect is not None and self.validity != "attention_check":
            problems.append((("expect",), "'expect' is only for attention checks"))
        if problems:
            raise CrossFieldError(problems)
        return self


class SituationalOption(_Model):
    """One possible action in a situational-judgement item."""

    text: str
    """The action, as shown to the candidate."""
    weights: dict[Text, Number] = Field(min_length=1, max_length=3)
    """Trait id -> weight of choosing this option (one to three traits; a negative weight
    counts against the trait)."""
    rationale: str | None = None
    """Why the option is keyed as it is (optional; for reviewers of the questionnaire, never
    shown to the candidate)."""


class SituationalItem(_Model):
    """A situational-judgement item: an account situation and the options to handle it."""

    id: Text
    """Unique item id (e.g. ``sjt01``)."""
    type: Literal["situational"] = "situational"
    """Item type (``situational``)."""
    text: str
    """The situation."""
    section: Text | None = None
    """Group shown together in the questionnaire (default: ``situations``)."""
    options: list[SituationalOption] = Field(min_length=2)
    """The options; the answer is the option's number, counted from 1."""


def _item_kind(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("type", "likert"))
    return str(getattr(value, "type", "likert"))


Item = Annotated[
    Annotated[LikertItem, Tag("likert")] | Annotated[SituationalItem, Tag("situational")],
    Discriminator(
        _item_kind,
        custom_error_type="invalid_item_type",
        custom_error_message="'type' must be 'likert' or 'situational'",
    ),
]
"""A questionnaire item, told apart by ``type`` (``likert`` when left out)."""


class ValiditySpec(_Model):
    """Validity scales beyond the item-level ones (social desirability, attention checks)."""

    consistency_pairs: list[tuple[Text, Text]] = []
    """Pairs of Likert items that should get the same answer after reverse keying."""


class Presentation(_Model):
    """How ``assess take`` orders the items (optional; docs/scoring.md, "Presentation
    order")."""

    keep_together: list[Text] = []
    """Sections shown as one block, after the interleaved items (e.g. ``situations``);
    every other item is interleaved across traits."""


class TraitNorm(_Model):
    """Norms of one trait's raw score."""

    mean: Number
    """Mean raw score in the norm group."""
    sd: Number = Field(gt=0)
    """Standard deviation of the raw score in the norm group (> 0)."""
    n: Integer | None = Field(default=None, ge=0)
    """Number of people behind this trait's norm, when it differs from the norms' n."""
    reliability: Number | None = Field(default=None, gt=0, lt=1)
    """Reliability of the raw score in the norm sample (e.g. Cronbach's alpha), used for
    the standard error of measurement; when left out the trait's stated reliability or
    the scorer's default is used (docs/scoring.md)."""
    percentiles: dict[Integer, Number] | None = None
    """Percentile rank (1–99) -> raw score at that rank, non-decreasing; when given, a
    percentile is read from this table by linear interpolation instead of the normal curve."""

    @field_validator("percentiles")
    @classmethod
    def _check_table(cls, table: dict[int, float] | None) -> dict[int, float] | None:
        if table is None:
            return None
        if len(table) < 2:
            raise ValueError("a percentile table needs at least two ranks")
        ranks = sorted(table)
        if ranks[0] < 1 or ranks[-1] > 99:
            raise ValueError(f"percentile ranks must be between 1 and 99; found {ranks}")
        raws = [table[rank] for rank in ranks]
        if any(later < earlier for earlier, later in pairwise(raws)):
            raise ValueError("raw scores must not decrease as the percentile rank rises")
        return {rank: table[rank] for rank in ranks}


class Norms(_Model):
    """Norms for every trait's raw score, with where they come from."""

    source: str
    """Where the norms come from (e.g. "provisional expert norms", "local sample 2026-11")."""
    n: Integer = Field(ge=0)
    """Number of people in the norm sample (0 for expert norms)."""
    date: Text | None = None
    """When the norms were built (ISO date)."""
    provisional: bool = False
    """True for norms not built from a real sample of the target population."""
    traits: dict[Text, TraitNorm]
    """Trait id -> its norm."""


class RoleTargetSpec(_Model):
    """The T-score a role wants on one trait."""

    t: Number = Field(ge=0, le=100)
    """Target T-score."""
    direction: Literal["at_least", "at_most", "near"]
    """``at_least``: falling short counts; ``at_most``: exceeding counts; ``near``: both."""
    weight: Number = Field(default=1.0, gt=0)
    """Importance of this trait for the role (> 0)."""


class Role(_Model):
    """A sales role and the trait profile it wants."""

    name: Text
    """Readable role name (e.g. "Farmer")."""
    description: str | None = None
    """What the role does."""
    targets: dict[Text, RoleTargetSpec] = Field(min_length=1)
    """Trait id -> target."""
    risk_poles: dict[Text, RiskPole] | None = None
    """Trait id -> the risky end for this role (optional): overrides the trait's
    ``risk_pole`` for candidates applying for this role (``none``: not a risk here)."""


class Questionnaire(_Model):
    """A questionnaire: scale, traits, items, and optionally validity scales, norms, roles."""

    schema_: str = _schema_field(QUESTIONNAIRE_SCHEMA)
    """File format and version: ``repfit.questionnaire/1``."""
    id: Text
    """Questionnaire id (e.g. ``sales-traits``)."""
    version: Text
    """Questionnaire version (text, e.g. ``1.0.0``)."""
    title: str
    """Title shown to the candidate."""
    instructions: str = ""
    """Instructions shown before the first item."""
    scale: Scale
    """The Likert response scale."""
    judgement_weight: Number = Field(default=0.25, ge=0)
    """Weight of the situational-judgement score in a trait's raw score (see docs/scoring.md)."""
    traits: list[Trait] = Field(min_length=1)
    """The measured traits."""
    items: list[Item] = Field(min_length=1)
    """The items, in the questionnaire's order."""
    validity: ValiditySpec | None = None
    """Consistency pairs (optional)."""
    norms: Norms | None = None
    """Bundled norms (optional); without norms, profiles carry raw scores only."""
    roles: dict[Text, Role] | None = None
    """Role id -> its trait targets (optional), e.g. ``hunter``, ``farmer``."""
    interpretation: dict[Text, dict[Band, str]] | None = None
    """Trait id -> band -> what that band means (optional)."""
    presentation: Presentation | None = None
    """How items are ordered when shown (optional; default: every item interleaved)."""

    scoring: Literal["classical", "irt"] | None = None
    """Which T-score drives bands, flags and role fit: ``classical`` (the default: the
    normed raw score) or ``irt`` (T = 50 + 10 θ from the graded response model, when item
    parameters are available; see docs/scoring.md). Optional."""

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _without_absent(handler(self), ("scoring",))

    @model_validator(mode="after")
    def _check_references(self) -> Questionnaire:
        problems = list(_questionnaire_problems(self))
        if problems:
            raise CrossFieldError(problems)
        return self

    def trait_ids(self) -> list[str]:
        """Trait ids in questionnaire order."""
        return [trait.id for trait in self.traits]

    def trait(self, trait_id: str) -> Trait:
        """The trait with this id (KeyError when unknown)."""
        for trait in self.traits:
            if trait.id == trait_id:
                return trait
        raise KeyError(trait_id)

    def item(self, item_id: str) -> LikertItem | SituationalItem:
        """The item with this id (KeyError when unknown)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def item_ids(self) -> list[str]:
        """Item ids in questionnaire order."""
        return [item.id for item in self.items]

    def likert_items(self) -> list[LikertItem]:
        """Every Likert item (trait and validity items)."""
        return [item for item in self.items if isinstance(item, LikertItem)]

    def likert_items_of(self, trait_id: str) -> list[LikertItem]:
        """The Likert items measuring ``trait_id``."""
        return [item for item in self.likert_items() if item.trait == trait_id]

    def situational_items(self) -> list[SituationalItem]:
        """Every situational-judgement item."""
        return [item for item in self.items if isinstance(item, SituationalItem)]

    def section_of(self, item: LikertItem | SituationalItem) -> str:
        """The item's section: its own, else its trait (or validity scale), else ``situations``."""
        if item.section is not None:
            return item.section
        if isinstance(item, SituationalItem):
            return "situations"
        return item.trait or item.validity or "validity"

    def sections(self) -> dict[str, list[LikertItem | SituationalItem]]:
        """Section -> its items, sections in order of first appearance."""
        out: dict[str, list[LikertItem | SituationalItem]] = {}
        for item in self.items:
            out.setdefault(self.section_of(item), []).append(item)
        return out

    def ref(self) -> QuestionnaireRef:
        """The reference answers and profiles carry (id, version, sha256)."""
        return QuestionnaireRef(id=self.id, version=self.version, sha256=questionnaire_sha256(self))


def _questionnaire_problems(q: Questionnaire) -> Iterator[tuple[Location, str]]:
    trait_ids = [trait.id for trait in q.traits]
    known_traits = set(trait_ids)
    expected_traits = ", ".join(trait_ids)

    def unknown_trait(trait_id: str) -> str:
        return f"unknown trait '{trait_id}'; expected one of: {expected_traits}"

    seen_traits: set[str] = set()
    for index, trait in enumerate(q.traits):
        if trait.id in seen_traits:
            yield ("traits", index, "id"), f"duplicate trait id '{trait.id}'"
        seen_traits.add(trait.id)

    seen_items: dict[str, int] = {}
    likert_ids: set[str] = set()
    for index, item in enumerate(q.items):
        if item.id in seen_items:
            yield (
                ("items", index, "id"),
                f"duplicate item id '{item.id}' (also items[{seen_items[item.id]}])",
            )
        else:
            seen_items[item.id] = index
        if isinstance(item, LikertItem):
            likert_ids.add(item.id)
            if item.trait is not None and item.trait not in known_traits:
                yield ("items", index, "trait"), unknown_trait(item.trait)
            if item.expect is not None and not q.scale.min <= item.expect <= q.scale.max:
                yield (
                    ("items", index, "expect"),
                    f"expected an answer on the scale ({q.scale.min} to {q.scale.max}); "
                    f"found {item.expect}",
                )
        else:
            for option_index, option in enumerate(item.options):
                for trait_id in option.weights:
                    if trait_id not in known_traits:
                        yield (
                            ("items", index, "options", option_index, "weights", trait_id),
                            unknown_trait(trait_id),
                        )

    for trait in q.traits:
        if trait.id in known_traits and not q.likert_items_of(trait.id):
            yield (
                ("traits", trait_ids.index(trait.id), "id"),
                f"trait '{trait.id}' has no Likert items; every trait needs at least one",
            )

    if q.validity is not None:
        for index, pair in enumerate(q.validity.consistency_pairs):
            for side, item_id in enumerate(pair):
                if item_id not in seen_items:
                    yield (
                        ("validity", "consistency_pairs", index, side),
                        f"unknown item '{item_id}'",
                    )
                elif item_id not in likert_ids:
                    yield (
                        ("validity", "consistency_pairs", index, side),
                        f"item '{item_id}' is situational; consistency pairs need Likert items",
                    )

    if q.norms is not None:
        for trait_id in q.norms.traits:
            if trait_id not in known_traits:
                yield ("norms", "traits", trait_id), unknown_trait(trait_id)
        missing = [trait_id for trait_id in trait_ids if trait_id not in q.norms.traits]
        if missing:
            yield ("norms", "traits"), f"no norm for trait(s): {', '.join(missing)}"

    for role_id, role in (q.roles or {}).items():
        for trait_id in role.targets:
            if trait_id not in known_traits:
                yield ("roles", role_id, "targets", trait_id), unknown_trait(trait_id)
        for trait_id in role.risk_poles or {}:
            if trait_id not in known_traits:
                yield ("roles", role_id, "risk_poles", trait_id), unknown_trait(trait_id)

    for trait_id in q.interpretation or {}:
        if trait_id not in known_traits:
            yield ("interpretation", trait_id), unknown_trait(trait_id)


def canonical_json(data: Any) -> str:
    """Compact JSON with sorted keys: the same content always gives the same text."""
    return jsonout.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def questionnaire_sha256(q: Questionnaire) -> str:
    """SHA-256 of the questionnaire's parsed content (canonical JSON).

    Comments, key order, quoting and line endings in the YAML do not change it;
    any change to an id, text, weight, norm or target does.
    """
    content = q.model_dump(mode="json", by_alias=True)
    _drop_unset_additions(content)
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


ADDED_OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "traits": ("reliability",),
    "roles": ("risk_poles",),
    "norms.traits": ("reliability",),
    "items": ("rationale",),
    "items.options": ("rationale",),
    "top": ("presentation",),
}
"""Optional questionnaire fields added after format 1.0 (issue 12), by where they sit.
Left out (null), they are dropped before hashing, so a questionnaire that does not use them
keeps the sha256 its answers files already carry."""


def _drop_unset_additions(content: dict[str, Any]) -> None:
    def drop(mapping: Any, names: tuple[str, ...]) -> None:
        if isinstance(mapping, dict):
            for name in names:
                if name in mapping and mapping[name] is None:
                    del mapping[name]

    drop(content, ADDED_OPTIONAL_FIELDS["top"])
    for trait in content.get("traits") or []:
        drop(trait, ADDED_OPTIONAL_FIELDS["traits"])
    for role in (content.get("roles") or {}).values():
        drop(role, ADDED_OPTIONAL_FIELDS["roles"])
    for norm in ((content.get("norms") or {}).get("traits") or {}).values():
        drop(norm, ADDED_OPTIONAL_FIELDS["norms.traits"])
    for item in content.get("items") or []:
        drop(item, ADDED_OPTIONAL_FIELDS["items"])
        for option in item.get("options") or []:
            drop(option, ADDED_OPTIONAL_FIELDS["items.options"])


# ------------------------------------------------------------------------ Answers


class QuestionnaireRef(_Model):
    """Which questionnaire a file belongs to."""

    id: Text
    """Questionnaire id."""
    version: Text
    """Questionnaire version."""
    sha256: Text
    """SHA-256 of the questionnaire's parsed content (see :func:`questionnaire_sha256`)."""


class Candidate(_Model):
    """The person who answered."""

    id: Text = Field(min_length=1)
    """Candidate id, unique within a scoring run (e.g. ``c-001``)."""
    name: str | None = None
    """Full name (optional)."""
    role: Text | None = None
    """Role applied for (e.g. ``farmer``), optional."""


class AnswerRecord(_Model):
    """One answer."""

    value: Integer
    """Likert: the point on the scale; situational: the option number, from 1."""
    ms: Integer | None = Field(default=None, ge=0)
    """Time taken to answer, in milliseconds (optional)."""


class Answers(_Model):
    """One candidate's answers to one questionnaire."""

    schema_: str = _schema_field(ANSWERS_SCHEMA)
    """File format and version: ``repfit.answers/1``."""
    questionnaire: QuestionnaireRef
    """The questionnaire answered."""
    candidate: Candidate
    """Who answered."""
    started: datetime | None = None
    """When the candidate started (ISO 8601)."""
    finished: datetime | None = None
    """When the candidate finished (ISO 8601); null while unfinished."""
    order: list[Text] | None = None
    """Item ids in the order shown (optional)."""
    answers: dict[Text, AnswerRecord] = {}
    """Item id -> answer; unanswered items are left out."""
    adaptive: AdaptiveRecord | None = None
    """How an adaptive sitting (``assess take --adaptive``) chose its items (null for the
    full questionnaire)."""

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _without_absent(handler(self), ("adaptive",))


class AdaptiveStop(_Model):
    """Why and when an adaptive sitting stopped giving items of one trait."""

    trait: Text
    """The trait."""
    after: Integer = Field(ge=0)
    """Number of items of the whole sitting shown when the decision was made."""
    items: Integer = Field(ge=0)
    """Items of this trait shown."""
    reason: Literal["precision", "max_items", "exhausted"]
    """``precision``: the posterior SD reached the target; ``max_items``: the trait's item
    limit; ``exhausted``: no item of the trait was left."""
    theta: Number
    """EAP θ of the trait at the decision."""
    sd: Number
    """Posterior SD of θ at the decision."""


class AdaptiveRecord(_Model):
    """The settings and decisions of an adaptive sitting."""

    target_sd: Number = Field(gt=0)
    """A trait stops when its posterior SD is at or below this (θ units)."""
    max_items: Integer = Field(ge=1)
    """A trait stops after this many of its items."""
    parameters_sha256: Text
    """SHA-256 of the item parameters used to choose items (see docs/scoring.md)."""
    stops: list[AdaptiveStop] = []
    """Stopping decisions, in the order they were made."""


def answers_problems(q: Questionnaire, answers: Answers) -> list[tuple[Location, str]]:
    """Answers that do not fit the questionnaire: unknown item ids, values out of range."""
    problems: list[tuple[Location, str]] = []
    likert = {item.id for item in q.likert_items()}
    options = {item.id: len(item.options) for item in q.situational_items()}
    for item_id, record in answers.answers.items():
        where: Location = ("answers", item_id, "value")
        if item_id in likert:
            if not q.scale.min <= record.value <= q.scale.max:
                problems.append(
                    (
                        where,
                        f"expected an answer from {q.scale.min} to {q.scale.max}; "
                        f"found {record.value}",
                    )
                )
        elif item_id in options:
            if not 1 <= record.value <= options[item_id]:
                problems.append(
                    (
                        where,
                        f"expected an option number from 1 to {options[item_id]}; "
                        f"found {record.value}",
                    )
                )
        else:
            problems.append(
                (("answers", item_id), f"unknown item '{item_id}' (not in {q.id} {q.version})")
            )
    for index, item_id in enumerate(answers.order or []):
        if item_id not in likert and item_id not in options:
            problems.append(
                (("order", index), f"unknown item '{item_id}' (not in {q.id} {q.version})")
            )
    return problems


# ----------------------------------------------------------------------- Norms file


class NormsFile(Norms):
    """Norms built from a sample (what ``assess norms`` writes, ``assess score --norms`` reads)."""

    schema_: str = _schema_field(NORMS_SCHEMA)
    """File format and version: ``repfit.norms/1``."""
    questionnaire: QuestionnaireRef
    """The questionnaire whose raw scores these norms describe."""

    def norms(self) -> Norms:
        """The norms without the file header."""
        return Norms.model_validate(self.model_dump(include=set(Norms.model_fields)))


# ------------------------------------------------------------------------ Profile


class TraitScore(_Model):
    """One trait's scores in a profile."""

    name: Text
    """The trait's readable name."""
    risk_pole: Literal["high", "low", "none"] = "none"
    """Which end of the trait is a hiring risk."""
    raw: Number | None
    """Raw score = Likert score + judgement contribution (null when insufficient)."""
    likert: Number | None
    """Mean of the answered Likert items after reverse keying, on the answer scale."""
    judgement: Number | None
    """Situational-judgement score in [−1, 1] (null when no situational item weights the trait
    or none was answered)."""
    z: Number | None
    """(raw − norm mean) / norm sd (null without norms)."""
    t: Number | None
    """T-score = 50 + 10 z, rounded once to one decimal (null without norms); the band,
    interval and role fit all use this rounded value."""
    sem: Number | None = None
    """Standard error of measurement of T, in T points: 10 × √(1 − reliability), with the
    reliability adjusted for the items answered (null without norms)."""
    t_interval: tuple[Number, Number] | None = None
    """90 % interval on T: [T − 1.645 SEM, T + 1.645 SEM], one decimal (null without
    norms)."""
    interval_bands: list[Band] | None = None
    """The bands the 90 % interval reaches, low to high: one band when the interval lies
    inside it, two or three when it straddles a band edge (null without norms)."""
    risk_pole_applied: Literal["high", "low", "none"] | None = None
    """The risky end used for this candidate's flags when the role applied for overrides the
    trait's ``risk_pole`` (null when the trait's own pole applies)."""
    percentile: Number | None = Field(ge=0, le=100)
    """Percentile rank in the norm group, 0–100, one decimal (null without norms)."""
    band: Band | None
    """low (T < 40), average (40–60) or high (T > 60) (null without norms)."""
    items_answered: Integer
    """Likert items of this trait answered."""
    items_total: Integer
    """Likert items of this trait in the questionnaire."""
    status: Literal["ok", "insufficient"]
    """``insufficient`` when fewer than 70 % of the trait's Likert items were answered."""
    interpretation: str | None = None
    """What the band means, from the questionnaire (null without norms or text)."""


class RoleFit(_Model):
    """Fit to one role."""

    role: Text
    """Role id (e.g. ``farmer``)."""
    name: Text
    """Readable role name."""
    fit: Number | None
    """Fit 0–100 (100 = no target missed), one decimal; null when a targeted trait is
    insufficient. A score, not a percentage or a probability."""
    fit_interval: tuple[Number, Number] | None = None
    """90 % interval on the fit from the traits' standard errors (docs/scoring.md), one
    decimal; null when the fit is null."""


class ValidityIndicators(_Model):
    """Per-person response-quality indicators (no sample needed)."""

    consistency_disagreement: Number | None
    """Mean absolute difference between consistency-pair answers after keying, in scale points
    (null without answered pairs)."""
    consistency_pairs_answered: Integer
    """Consistency pairs with both items answered."""
    social_desirability: Number | None
    """Mean answer to the social-desirability items after keying (null without them)."""
    attention_checks_failed: Integer
    """Attention checks answered with anything but the expected answer."""
    attention_checks_answered: Integer
    """Attention checks answered."""
    longstring: Integer
    """Longest run of identical consecutive Likert answers (questionnaire order)."""
    irv: Number | None
    """Intra-individual variability: standard deviation of the person's Likert answers."""
    too_fast_share: Number | None
    """Share of timed answers faster than the too-fast threshold (null without times)."""
    median_ms: Number | None
    """Median answer time in milliseconds (null without times)."""
    faking_index: Number | None = None
    """Faking-good index in scale points: (mean keyed desirability answer − scale middle) +
    0.75 × (mean trait answer toward each trait's desirable end − scale middle); high when the
    answers lean toward what looks good (docs/scoring.md; null without desirability items)."""
    flags: list[str] = []
    """Validity indicators beyond their threshold (``attention``, ``longstring``, ``low_irv``,
    ``inconsistent``, ``too_fast``, ``social_desirability``, ``faking``)."""


class RedFlag(_Model):
    """Something a hiring manager must look at, with the reason in plain language."""

    code: Text
    """Stable code, e.g. ``likely_order_taker_as_farmer``, ``insufficient:closing_urgency``."""
    reason: str
    """Why it is raised, in plain language."""


class NormsUsed(_Model):
    """The norms a profile was scored against."""

    source: str
    """Where the norms come from."""
    n: Integer
    """Sample size behind the norms (0 for expert norms)."""
    date: Text | None = None
    """When the norms were built."""
    provisional: bool = False
    """True for provisional norms: read T-scores and bands with care."""


class BehaviourBlock(_Model):
    """What the candidate would do in a role, per the trait-to-behaviour mapping
    (:mod:`assess.behaviour`, docs/bridge.md): point estimates at the profile's T-scores."""

    mapping_version: Text
    """Version of the mapping that produced these numbers."""
    role: Text
    """The role projected: ``farmer``, ``hunter``, ``hybrid`` or ``order_taker``."""
    job: Literal["account_manager", "hunter", "hybrid"]
    """The job that role is (the simulation's seat role)."""
    parameters: dict[Text, float]
    """Parameter name -> value, in the simulation's archetype units (proactive_rate, close_rate,
    ask_rate, service_quality, neglect, prospecting_rate; and from the role: hunting_time,
    capacity, cost_annual)."""


class ScoreProvenance(_Model):
    """Where a profile written by ``assess score`` comes from (profiles made before this
    block existed have none and stay readable)."""

    repfit_version: Text
    """The repfit version that scored the answers."""
    questionnaire_sha256: Text
    """SHA-256 of the questionnaire's parsed content (as in ``questionnaire.sha256``)."""
    norms_sha256: Text | None = None
    """SHA-256 of the norms used (canonical JSON of their content); null without norms."""
    irt_sha256: Text | None = None
    """SHA-256 of the item parameters used; null without them."""


class Profile(_Model):
    """One candidate's scored profile (``repfit.profile/1``)."""

    schema_: str = _schema_field(PROFILE_SCHEMA)
    """File format and version: ``repfit.profile/1``."""
    questionnaire: QuestionnaireRef
    """The questionnaire answered (from the answers)."""
    candidate: Candidate
    """Who answered (from the answers)."""
    started: datetime | None = None
    """When the candidate started (from the answers)."""
    finished: datetime | None = None
    """When the candidate finished (from the answers)."""
    scorer_version: Text
    """Version of the scoring rules that produced this profile."""
    forced: bool = False
    """True when scored with ``--force`` although the answers' questionnaire sha256 differed."""
    norms: NormsUsed | None
    """The norms used; null when scored without norms (then z, T, percentile, band and role
    fit are null)."""
    notes: list[str] = []
    """Plain-language notes on how the profile was scored (e.g. why T-scores are missing)."""
    traits: dict[Text, TraitScore]
    """Trait id -> scores, in questionnaire order."""
    role_fit: list[RoleFit] = []
    """Fit per role, best first (empty without norms or roles)."""
    best_fit: Text | None = None
    """Id of the best-fitting role (null without norms or roles)."""
    validity: ValidityIndicators
    """Response-quality indicators."""
    red_flags: list[RedFlag] = []
    """Red flags, each with its reason."""
    irt: IrtScores | None = None
    """Item-response-theory scores (null when no item parameters were available)."""
    behaviour: BehaviourBlock | None = None
    """Projected behaviour in a role (``assess score --as ROLE``; absent otherwise):
    ``simulate hire`` computes it when missing."""
    provenance: ScoreProvenance | None = None
    """What produced the profile (repfit version, questionnaire, norms and item-parameter
    hashes); set by ``assess score`` on what it writes, absent from older profiles."""

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _without_absent(handler(self), ("irt", "behaviour", "provenance"))


class IrtTraitScore(_Model):
    """One trait's graded-response-model score."""

    theta: Number | None
    """Expected a-posteriori θ (N(0, 1) prior; null when no item of the trait was answered)."""
    sd: Number | None
    """Posterior standard deviation of θ."""
    t: Number | None
    """T = 50 + 10 θ, one decimal."""
    t_interval: tuple[Number, Number] | None
    """90 % interval of T: 50 + 10 (θ ± 1.645 SD), one decimal."""
    items_answered: Integer
    """Items of the trait answered (the ones θ is based on)."""
    classical_t: Number | None
    """The classical T of the same trait (from norms), beside it."""


class IrtScores(_Model):
    """Item-response-theory scores of a profile."""

    parameters: str
    """Where the item parameters come from."""
    parameters_sha256: Text
    """SHA-256 of the item parameters (canonical JSON of their traits)."""
    provisional: bool
    """True for provisional parameters (not calibrated on the target population)."""
    drives: bool
    """True when these T-scores (not the classical ones) drive bands, flags and role fit
    (``scoring: irt`` in the questionnaire, or an adaptive sitting)."""
    traits: dict[Text, IrtTraitScore]
    """Trait id -> its IRT score (traits without parameters are left out)."""
