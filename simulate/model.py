"""The scenario file (``schema: repfit.scenario/1``): typed, validated, resolved.

This is an I/O edge. :func:`load_scenario` reads the YAML with the shared
loader, validates it into :class:`ScenarioFile` (errors name the file, line and
field path), resolves assumptions and archetypes, reads or draws the book and
checks the book's owners against the team's seats. The result is a
:class:`Scenario`: plain resolved data the pure engine runs on.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

from assess.errors import did_you_mean
from assess.fields import Integer, Number, Text
from assess.fileio import (
    FileFormatError,
    RepfitError,
    YamlDocument,
    check_schema,
    describe_validation_error,
    load_yaml,
    parse_yaml_text,
)
from assess.termsafe import visible
from simulate.assumptions import Assumption, monthly_probability, resolve_assumptions
from simulate.behaviour import BUNDLED_ARCHETYPES, NUMERIC_FIELDS, Archetype, Role
from simulate.book import Book, ChurnBeta, monthly_from_yearly, read_book_csv, synthetic_book
from simulate.errors import SimulateError

if TYPE_CHECKING:
    # The candidate module reads assessment profiles (pydantic models, the IRT tables and
    # scipy): imported where a team names a profile, so a plain `simulate run` skips it.
    from simulate.candidates import CandidateSeat

SCHEMA = "repfit.scenario"
SCHEMA_MAJOR = 1

DISTRIBUTION_PARAMETERS: Mapping[str, tuple[str, ...]] = {
    "lognormal": ("median", "sigma"),
    "normal": ("mean", "sd"),
    "uniform": ("low", "high"),
    "beta": ("a", "b"),
    "gamma": ("shape", "scale"),
    "poisson": ("mean",),
    "triangular": ("low", "mode", "high"),
}
"""Distribution kinds a scenario may use, with their parameters (plus optional min/max)."""

_KINDS = ", ".join(DISTRIBUTION_PARAMETERS)


def _found(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_found(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return f"'{value}'"
    return str(getattr(value, "source", value))


def _printable(text: str) -> str:
    """Names are printed on terminals and in reports: refuse control characters."""
    if visible(text) != text:
        raise ValueError(f"expected a name without control characters; found '{visible(text)}'")
    return text


Label = Annotated[Text, AfterValidator(_printable)]
"""A name shown on the terminal and in reports (scenario, archetype): no control characters."""


class Distribution(BaseModel):
    """A constant or a named distribution with optional clipping bounds.

    Written as a plain number (a constant) or a one-key mapping such as
    ``{lognormal: {median: 6000, sigma: 0.9}}``; ``min``/``max`` inside clip draws.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    kind: Literal[
        "constant", "lognormal", "normal", "uniform", "beta", "gamma", "poisson", "triangular"
    ]
    """Distribution family (``constant`` for a plain number)."""
    params: dict[str, Number]
    """The family's parameters by name (``value`` for a constant)."""
    minimum: Number | None = None
    """Draws below this are raised to it."""
    maximum: Number | None = None
    """Draws above this are lowered to it."""

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, data: Any) -> Any:
        return _parse_distribution(data)

    @property
    def beta(self) -> ChurnBeta | None:
        """The Beta parameters when this is an unclipped beta distribution."""
        if self.kind == "beta" and self.minimum is None and self.maximum is None:
            return ChurnBeta(self.params["a"], self.params["b"])
        return None

    def sample(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        """``size`` draws, clipped to [min, max]."""
        p = self.params
        draws: NDArray[np.float64]
        if self.kind == "constant":
            draws = np.full(size, p["value"])
        elif self.kind == "lognormal":
            draws = p["median"] * np.exp(p["sigma"] * rng.standard_normal(size))
        elif self.kind == "normal":
            draws = rng.normal(p["mean"], p["sd"], size)
        elif self.kind == "uniform":
            draws = rng.uniform(p["low"], p["high"], size)
        elif self.kind == "beta":
            draws = rng.beta(p["a"], p["b"], size)
        elif self.kind == "gamma":
            draws = rng.gamma(p["shape"], p["scale"], size)
        elif self.kind == "poisson":
            draws = rng.poisson(p["mean"], size).astype(np.float64)
        else:
            draws = rng.triangular(p["low"], p["mode"], p["high"], size)
        if self.minimum is not None or self.maximum is not None:
            draws = np.clip(draws, self.minimum, self.maximum)
        return draws


class ChurnPropensity(Distribution):
    """θ as a distribution plus the period its draws are probabilities for.

    Written like a distribution, optionally with ``period: month|year`` beside it (default
    month), as ``simulate calibrate -o`` writes: ``{beta: {a: 0.7, b: 1.2}, period: year}``.
    A yearly draw p becomes the monthly θ = 1 − (1 − p)^(1/12) (docs/model.md).
    """

    period: Literal["month", "year"] = "month"
    """Whether draws are monthly or yearly churn probabilities."""

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "kind" not in data and "period" in data:
            rest = {key: value for key, value in data.items() if key != "period"}
            return {**_parse_distribution(rest), "period": data["period"]}
        return _parse_distribution(data)

    @property
    def beta(self) -> ChurnBeta | None:
        """The Beta parameters (and period) when this is an unclipped beta distribution."""
        if self.kind == "beta" and self.minimum is None and self.maximum is None:
            return ChurnBeta(self.params["a"], self.params["b"], self.period)
        return None

    def sample_monthly(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        """``size`` draws of θ clipped to [0, 1], as monthly probabilities."""
        draws = np.clip(self.sample(rng, size), 0.0, 1.0)
        return monthly_from_yearly(draws) if self.period == "year" else draws


def _parse_distribution(data: Any) -> Any:
    """A number or a one-key mapping (YAML form) as Distribution fields."""
    if isinstance(data, Mapping) and "kind" in data:
        return data
    if isinstance(data, bool) or data is None:
        raise ValueError(f"expected a number or a distribution ({_KINDS}); found {data!r}")
    if isinstance(data, int | float):
        return {"kind": "constant", "params": {"value": float(data)}}
    if not isinstance(data, Mapping) or len(data) != 1:
        raise ValueError(
            f"expected a number or a mapping with one distribution ({_KINDS}); found {_found(data)}"
        )
    ((kind, spec),) = data.items()
    if kind not in DISTRIBUTION_PARAMETERS:
        raise ValueError(f"unknown distribution '{kind}'; expected one of {_KINDS}")
    names = DISTRIBUTION_PARAMETERS[kind]
    if not isinstance(spec, Mapping):
        raise ValueError(
            f"{kind}: expected a mapping with {', '.join(names)}; found {_found(spec)}"
        )
    unknown = [key for key in spec if key not in (*names, "min", "max")]
    if unknown:
        raise ValueError(
            f"{kind}: unknown parameter '{unknown[0]}'; expected {', '.join(names)} "
            "and optionally min, max"
        )
    missing = [name for name in names if name not in spec]
    if missing:
        raise ValueError(f"{kind}: missing parameter {', '.join(missing)}")
    values: dict[str, float] = {}
    for key, value in spec.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValueError(f"{kind}.{key}: expected a number; found {_found(value)}")
        values[str(key)] = float(value)
    params = {name: values[name] for name in names}
    _check_parameters(kind, params)
    low, high = values.get("min"), values.get("max")
    if low is not None and high is not None and low > high:
        raise ValueError(f"{kind}: min {low:g} is above max {high:g}")
    return {"kind": kind, "params": params, "minimum": low, "maximum": high}


def _check_parameters(kind: str, p: Mapping[str, float]) -> None:
    def positive(*names: str) -> None:
        for name in names:
            if p[name] <= 0:
                raise ValueError(f"{kind}.{name}: expected a number > 0; found {p[name]:g}")

    def non_negative(*names: str) -> None:
        for name in names:
            if p[name] < 0:
                raise ValueError(f"{kind}.{name}: expected a number ≥ 0; found {p[name]:g}")

    if kind == "lognormal":
        positive("median")
        non_negative("sigma")
    elif kind == "normal":
        non_negative("sd")
    elif kind == "uniform" and p["low"] > p["high"]:
        raise ValueError(f"uniform: low {p['low']:g} is above high {p['high']:g}")
    elif kind == "beta":
        positive("a", "b")
    elif kind == "gamma":
        positive("shape", "scale")
    elif kind == "poisson":
        non_negative("mean")
    elif (kind == "triangular" and not p["low"] <= p["mode"] <= p["high"]) or (
        kind == "triangular" and p["low"] == p["high"]
    ):
        raise ValueError(
            f"triangular: expected low ≤ mode ≤ high with low < high; found "
            f"{p['low']:g}, {p['mode']:g}, {p['high']:g}"
        )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SyntheticBookSpec(_Strict):
    """A book drawn from distributions (once per scenario seed, except θ — see below)."""

    accounts: Integer = Field(ge=1, le=1_000_000)
    """Number of accounts."""
    revenue_monthly: Distribution
    """Monthly revenue with us per account."""
    wallet_multiple: Distribution = Distribution.model_validate(
        {"uniform": {"low": 1.3, "high": 3.0}}
    )
    """Wallet W as a multiple of revenue (draws below 1 are raised to 1)."""
    contacts: Distribution = Distribution.model_validate({"poisson": {"mean": 1.2, "min": 1}})
    """Contacts per account (rounded, at least 1)."""
    health: Distribution = Distribution.model_validate({"beta": {"a": 5, "b": 2}})
    """Relationship health (0–1)."""
    churn_propensity: ChurnPropensity | None = None
    """Monthly θ (yearly with ``period: year``): a number (constant), ``beta`` (drawn per
    account and trial) or another distribution (drawn once per account); default: assumption
    ``base_churn_annual``."""
    seed: Integer | None = Field(default=None, ge=0)
    """Seed of the book's draws; default: the scenario's seed."""


class BookSpec(_Strict):
    """Where the accounts come from: exactly one of ``csv`` and ``synthetic``."""

    csv: Text | None = None
    """Path of a book CSV, relative to the scenario file."""
    synthetic: SyntheticBookSpec | None = None
    """A synthetic book spec."""
    churn_propensity: ChurnPropensity | None = None
    """With ``csv``: replaces the CSV's θ column (a number, or ``beta`` per account and trial;
    ``period: year`` for yearly probabilities)."""

    @model_validator(mode="after")
    def _one_source(self) -> BookSpec:
        if (self.csv is None) == (self.synthetic is None):
            raise ValueError("expected exactly one of 'csv' and 'synthetic'")
        if self.synthetic is not None and self.churn_propensity is not None:
            raise ValueError("churn_propensity belongs inside 'synthetic' for a synthetic book")
        return self


class TeamEntry(_Strict):
    """Seats of one archetype. Seats are named ``<archetype>-1``, ``-2``... in team order."""

    archetype: Label
    """A bundled archetype (farmer, order_taker, hunter, hybrid) or one defined under
    ``archetypes:``."""
    count: Integer = Field(default=1, ge=0, le=10_000)
    """Number of seats."""


class ProfileEntry(_Strict):
    """One seat filled by an assessed candidate: ``{profile: out/ana.yaml, role: farmer}``.

    The seat is named ``hire-1``, ``hire-2``... in team order (its random streams are keyed
    by that slot, not by the candidate, so candidates for the same seat face the same
    futures); its behaviour comes from the profile's traits through :mod:`assess.behaviour`
    (docs/bridge.md), drawn per trial from the traits' standard errors.
    """

    profile: Text
    """Path of a candidate profile (``repfit.profile/1``), relative to the scenario file."""
    role: Literal["farmer", "hunter", "hybrid", "order_taker"]
    """The role the candidate is hired into."""


# The tags are written like pydantic's own ("function-after[...]") so error messages leave
# them out of field paths: team[0].count, not team[0].entry[archetype].count.
_ARCHETYPE_TAG, _PROFILE_TAG = "entry[archetype]", "entry[profile]"


def _team_entry_kind(data: Any) -> str:
    if isinstance(data, ProfileEntry) or (isinstance(data, Mapping) and "profile" in data):
        return _PROFILE_TAG
    return _ARCHETYPE_TAG


TeamItem = Annotated[
    Annotated[TeamEntry, Tag(_ARCHETYPE_TAG)] | Annotated[ProfileEntry, Tag(_PROFILE_TAG)],
    Discriminator(_team_entry_kind),
]
"""A team entry: seats of an archetype, or one seat for an assessed candidate."""


class Policies(_Strict):
    """Team policies."""

    new_logo_owner: Literal["farmer", "hunter"] = "farmer"
    """Who owns a hunter's new logo: the least-loaded account manager, or the hunter."""
    vacancy_coverage: Literal["shared", "uncovered"] = "shared"
    """A vacant seat's accounts: covered by the other reps (over capacity) or left alone."""
    assignment: Literal["potential", "size", "round_robin"] = "potential"
    """Order in which accounts without an owner are placed with account managers."""
    attention: Literal["uniform", "potential", "size", "key_accounts"] = "uniform"
    """How a rep splits account time: evenly, by uncaptured wallet, by revenue, or key
    accounts (high potential) first."""


class QuadrantSpec(_Strict):
    """Thresholds of the size × potential quadrants (default: the book's month-0 medians)."""

    size: Number | None = Field(default=None, ge=0)
    """Monthly revenue at or above which an account is large."""
    potential: Number | None = Field(default=None, ge=0)
    """Monthly uncaptured wallet (W − r) at or above which an account has high potential."""


class Economy(_Strict):
    """Economy-wide wallet movement (defaults: the economy_* assumptions)."""

    drift_annual: Number | None = Field(default=None, ge=-1.0, le=1.0)
    """Log-drift of wallets per year."""
    volatility_annual: Number | None = Field(default=None, ge=0.0, le=2.0)
    """Log-sd per year of the shock shared by all accounts in a trial and month."""


class Target(_Strict):
    """A revenue target whose probability of being met is reported."""

    metric: Literal["revenue_month", "revenue_year", "revenue_total"]
    """Monthly revenue in ``month``, revenue over ``year``, or revenue over the horizon."""
    value: Number = Field(ge=0)
    """Target value (currency units)."""
    month: Integer | None = Field(default=None, ge=1)
    """Month for ``revenue_month``."""
    year: Integer | None = Field(default=None, ge=1)
    """Year for ``revenue_year`` (months 12·(year−1)+1 … 12·year)."""

    @model_validator(mode="after")
    def _period(self) -> Target:
        if self.metric == "revenue_month" and self.month is None:
            raise ValueError("revenue_month needs 'month'")
        if self.metric == "revenue_year" and self.year is None:
            raise ValueError("revenue_year needs 'year'")
        return self


class ArchetypeSpec(_Strict):
    """Fields of an archetype; for a bundled name, the given fields override it."""

    base: Text | None = None
    """Bundled archetype a new one starts from (required unless every field is given)."""
    role: Role | None = None
    """hunter, account_manager or hybrid."""
    hunting_time: Number | None = Field(default=None, ge=0, le=1)
    """Share of time prospecting (0–1)."""
    capacity: Number | None = Field(default=None, ge=0)
    """Accounts served fully with all of the rep's time."""
    proactive_rate: Number | None = Field(default=None, ge=0, le=20)
    """Proactive conversations per account-month at full attention."""
    close_rate: Number | None = Field(default=None, ge=0, le=1)
    """Probability an opportunity is won."""
    ask_rate: Number | None = Field(default=None, ge=0, le=1)
    """Probability of an ask per account-month at full attention."""
    service_quality: Number | None = Field(default=None, ge=0, le=1)
    """Health an account drifts to under full attention."""
    neglect: Number | None = Field(default=None, ge=0, le=1)
    """Share of attention withheld from accounts."""
    prospecting_rate: Number | None = Field(default=None, ge=0, le=100)
    """New logos per month of full-time prospecting."""
    cost_annual: Number | None = Field(default=None, ge=0, le=1e9)
    """Yearly cost of a filled seat (salary and variable; default 0 for a new archetype)."""


UNCERTAINTY_KINDS = ("uniform", "triangular", "beta", "lognormal")
"""Distributions an uncertain assumption may be drawn from."""


def _uncertain(distribution: Distribution) -> Distribution:
    if distribution.kind not in UNCERTAINTY_KINDS:
        found = "a constant" if distribution.kind == "constant" else distribution.kind
        raise ValueError(f"expected a distribution ({', '.join(UNCERTAINTY_KINDS)}); found {found}")
    return distribution


class UncertaintySpec(_Strict):
    """Assumptions we do not know exactly, each drawn from a distribution (``simulate
    uncertainty``): K draws of the assumptions × M trials each."""

    draws: Integer = Field(default=20, ge=2, le=100_000)
    """K: how many sets of assumption values are drawn."""
    trials_per_draw: Integer = Field(default=200, ge=2, le=10_000_000)
    """M: Monte Carlo trials run for each draw."""
    assumptions: dict[str, Annotated[Distribution, AfterValidator(_uncertain)]] = Field(
        min_length=1
    )
    """Assumption name -> its distribution: ``uniform``, ``triangular``, ``beta`` or
    ``lognormal`` (with optional ``min``/``max`` bounds)."""


class ScenarioFile(_Strict):
    """The scenario file as written (``schema: repfit.scenario/1``)."""

    schema_: Text = Field(alias="schema")
    """Format name and version: ``repfit.scenario/1``."""
    name: Label
    """Scenario name shown in reports."""
    horizon_months: Integer = Field(ge=1, le=600)
    """Months simulated."""
    trials: Integer = Field(default=2000, ge=1, le=10_000_000)
    """Monte Carlo trials."""
    seed: Integer = Field(default=0, ge=0)
    """Seed of every random draw (same seed, same result)."""
    book: BookSpec
    """The accounts."""
    team: list[TeamItem] = Field(min_length=1)
    """The seats: ``{archetype: farmer, count: 2}`` or ``{profile: PATH, role: farmer}``."""
    policies: Policies = Policies()
    """Team policies."""
    economy: Economy = Economy()
    """Economy-wide wallet movement."""
    target: Target | None = None
    """Optional revenue target."""
    effects: Literal["all", "none"] = "all"
    """``none``: validation mode, only base churn θ acts."""
    assumptions: dict[str, float] = {}
    """Overrides of model constants by name (see ``simulate assumptions``)."""
    quadrants: QuadrantSpec = QuadrantSpec()
    """Key-account quadrant thresholds (money per month; default the book's medians)."""
    archetypes: dict[Label, ArchetypeSpec] = {}
    """New archetypes, or overrides of bundled ones' fields."""
    uncertainty: UncertaintySpec | None = None
    """Assumptions drawn from distributions for ``simulate uncertainty`` (``simulate run``
    uses their values under ``assumptions``/the defaults)."""


@dataclass(frozen=True)
class Seat:
    """One seat of the team: a stable id (``farmer-2``) and its behaviour."""

    seat_id: str
    archetype: Archetype
    draws: Mapping[str, NDArray[np.float64]] | None = field(default=None, compare=False, repr=False)
    """A candidate's behaviour per trial (archetype field -> array over trials), drawn from
    the assessment's uncertainty; None for an archetype's seat."""
    candidate: CandidateSeat | None = field(default=None, compare=False)
    """Who fills the seat, for a seat from a profile."""
    new_hire: bool = False
    """The seat starts the run as a new hire: it ramps up from month 1 and pays the hiring
    cost then (a candidate's seat)."""


@dataclass(frozen=True)
class ResolvedEconomy:
    """Economy parameters after defaults."""

    drift_annual: float
    volatility_annual: float


@dataclass(frozen=True, eq=False)
class Scenario:
    """A validated, resolved scenario: what the engine runs."""

    name: str
    horizon_months: int
    trials: int
    seed: int
    book: Book
    team: tuple[TeamEntry, ...]
    """The archetype entries of the team (seats of assessed candidates are in ``hires``)."""
    seats: tuple[Seat, ...]
    policies: Policies
    economy: ResolvedEconomy
    target: Target | None
    effects: Literal["all", "none"]
    assumptions: Mapping[str, Assumption]
    archetypes: Mapping[str, Archetype]
    source: str = ""
    hires: tuple[ProfileEntry, ...] = ()
    """The team's entries for assessed candidates (``{profile, role}``), in team order."""
    unknown_owners: tuple[str, ...] = ()
    """Book owners that name no seat of the team, in book order (their accounts are unowned)."""
    unknown_owner_accounts: int = 0
    """Accounts whose owner names no seat of the team (placed by ``policies.assignment``)."""
    spec: ScenarioFile | None = field(default=None, repr=False)
    base_dir: Path = field(default=Path("."), repr=False)

    def value(self, name: str) -> float:
        """The value of assumption ``name``."""
        return self.assumptions[name].value

    def with_overrides(
        self,
        *,
        trials: int | None = None,
        seed: int | None = None,
        team: Sequence[TeamEntry | ProfileEntry] | None = None,
        policies: Policies | None = None,
        effects: Literal["all", "none"] | None = None,
        assumptions: Mapping[str, float] | None = None,
    ) -> Scenario:
        """A copy with some inputs replaced and everything re-checked (e.g. ``--trials``)."""
        if trials is not None and trials < 1:
            raise SimulateError(f"trials: expected a whole number ≥ 1; found {trials}.")
        if seed is not None and seed < 0:
            raise SimulateError(f"seed: expected a whole number ≥ 0; found {seed}.")
        if self.spec is None:
            raise SimulateError("this scenario was not built from a scenario file")
        spec = self.spec
        changes: dict[str, Any] = {}
        if trials is not None:
            changes["trials"] = trials
        if seed is not None:
            changes["seed"] = seed
        if team is not None:
            changes["team"] = list(team)
        if policies is not None:
            changes["policies"] = policies
        if effects is not None:
            changes["effects"] = effects
        if assumptions is not None:
            changes["assumptions"] = {**spec.assumptions, **assumptions}
        if not changes:
            return self
        new_spec = spec.model_copy(update=changes)
        redraw = (
            seed is not None
            and spec.book.synthetic is not None
            and spec.book.synthetic.seed is None
        )
        book_defaults = {"base_churn_annual", "default_contacts", "default_health"}
        if redraw or book_defaults & set(assumptions or {}):
            return _resolve(new_spec, self.source, self.base_dir)
        return _resolve(new_spec, self.source, self.base_dir, book=self.book)


# --------------------------------------------------------------------------- loading


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and resolve a scenario file (the book path is relative to it)."""
    path = Path(path)
    document = load_yaml(path, "scenario file")
    # A relative book path is relative to where the scenario really is (a symlink's target);
    # the folder is kept as given when the file is not a symlink, so messages stay short.
    real = Path(os.path.realpath(path)).parent
    base = path.parent if real == Path(os.path.realpath(path.parent)) else real
    return _from_document(document, str(path), base)


def parse_scenario_text(text: str, source: str, base_dir: Path | None = None) -> Scenario:
    """Validate and resolve scenario YAML text; ``source`` names it in errors."""
    document = parse_yaml_text(text, Path(source))
    if document.data is None:
        raise FileFormatError(f"{source}: the scenario is empty; expected a YAML mapping.")
    return _from_document(document, source, base_dir or Path("."))


def _from_document(document: YamlDocument, source: str, base_dir: Path) -> Scenario:
    check_schema(document.data, SCHEMA, SCHEMA_MAJOR, source)
    try:
        spec = ScenarioFile.model_validate(document.data)
    except ValidationError as exc:
        raise FileFormatError(
            describe_validation_error(exc, source, document, model=ScenarioFile)
        ) from None
    try:
        return _resolve(spec, source, base_dir)
    except RepfitError as exc:
        if isinstance(exc, FileFormatError) or exc.message.startswith(source):
            raise
        raise SimulateError(f"{source}: {exc.message}") from None


def _resolve_archetypes(spec: ScenarioFile) -> dict[str, Archetype]:
    archetypes = dict(BUNDLED_ARCHETYPES)
    for name, entry in spec.archetypes.items():
        where = f"archetypes.{name}"
        given = entry.model_dump(exclude_none=True, exclude={"base"})
        if entry.base is not None:
            if entry.base not in archetypes:
                raise SimulateError(
                    f"{where}.base: unknown archetype '{entry.base}'"
                    f"{did_you_mean(entry.base, archetypes)}; expected one of "
                    f"{', '.join(sorted(archetypes))}."
                )
            start: Archetype | None = archetypes[entry.base]
        else:
            start = archetypes.get(name)
        if start is None:
            missing = [
                f for f in ("role", *NUMERIC_FIELDS) if f not in given and f != "cost_annual"
            ]
            if missing:
                raise SimulateError(
                    f"{where}: a new archetype needs 'base' (one of "
                    f"{', '.join(sorted(archetypes))}) or every field; missing "
                    f"{', '.join(missing)}."
                )
            archetypes[name] = Archetype(name=name, **given)
        else:
            archetypes[name] = replace(start, name=name, **given)
    return archetypes


def _seats(
    spec: ScenarioFile, archetypes: Mapping[str, Archetype], base_dir: Path
) -> tuple[Seat, ...]:
    counters: dict[str, int] = {}
    seats: list[Seat] = []
    hires = 0
    for i, entry in enumerate(spec.team):
        if isinstance(entry, ProfileEntry):
            hires += 1
            path = Path(entry.profile)
            if not path.is_absolute():
                path = base_dir / path
            slot = f"hire-{hires}"
            from simulate.candidates import candidate_behaviour, read_candidate

            archetype, draws, candidate = candidate_behaviour(
                slot, read_candidate(path), str(path), entry.role, archetypes,
                seed=spec.seed, trials=spec.trials, where=f"team[{i}]",
            )  # fmt: skip
            seats.append(Seat(slot, archetype, draws, candidate, new_hire=True))
            continue
        if entry.archetype not in archetypes:
            raise SimulateError(
                f"team[{i}].archetype: unknown archetype '{entry.archetype}'"
                f"{did_you_mean(entry.archetype, archetypes)}; expected one of "
                f"{', '.join(sorted(archetypes))} or one defined under 'archetypes:'."
            )
        for _ in range(entry.count):
            counters[entry.archetype] = counters.get(entry.archetype, 0) + 1
            seats.append(
                Seat(f"{entry.archetype}-{counters[entry.archetype]}", archetypes[entry.archetype])
            )
    if not seats:
        raise SimulateError("team: expected at least one seat; found a total count of 0.")
    return tuple(seats)


def _load_book(
    spec: ScenarioFile, source: str, base_dir: Path, assumptions: Mapping[str, Assumption]
) -> Book:
    base_theta = monthly_probability(assumptions["base_churn_annual"].value)
    book_spec = spec.book
    if book_spec.csv is not None:
        csv_path = Path(book_spec.csv)
        if not csv_path.is_absolute():
            csv_path = base_dir / csv_path
        try:
            book = read_book_csv(
                csv_path,
                default_contacts=int(assumptions["default_contacts"].value),
                default_health=assumptions["default_health"].value,
                default_theta=base_theta,
            )
        except FileFormatError as exc:
            # Name the scenario and its field first: the user wrote the path there.
            raise FileFormatError(f"{source}: book.csv: {exc.message}") from None
        override = book_spec.churn_propensity
        if override is None:
            return book
        theta_beta = override.beta
        if theta_beta is not None:
            theta = np.full(book.size, theta_beta.mean)
        else:
            rng = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(1,)))
            theta = override.sample_monthly(rng, book.size)
        return replace(book, theta=theta, theta_beta=theta_beta)
    synthetic = book_spec.synthetic
    assert synthetic is not None
    seed = synthetic.seed if synthetic.seed is not None else spec.seed
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))
    n = synthetic.accounts
    revenue = synthetic.revenue_monthly.sample(rng, n)
    if np.any(revenue <= 0):
        raise SimulateError(
            "book.synthetic.revenue_monthly: expected draws > 0; found draws ≤ 0 (add 'min' "
            "above 0 or use a positive distribution such as lognormal)."
        )
    multiple = synthetic.wallet_multiple.sample(rng, n)
    contacts = synthetic.contacts.sample(rng, n)
    health = synthetic.health.sample(rng, n)
    churn = synthetic.churn_propensity
    theta_beta = churn.beta if churn is not None else None
    if churn is None:
        theta = np.full(n, base_theta)
    elif theta_beta is not None:
        theta = np.full(n, theta_beta.mean)
    else:
        theta = churn.sample_monthly(rng, n)
    return synthetic_book(
        revenue=revenue,
        wallet_multiple=multiple,
        contacts=contacts,
        health=health,
        theta=theta,
        theta_beta=theta_beta,
        source=f"{source}: book.synthetic",
    )


def _resolve(spec: ScenarioFile, source: str, base_dir: Path, book: Book | None = None) -> Scenario:
    assumptions = resolve_assumptions(spec.assumptions)
    if spec.uncertainty is not None:
        for name in spec.uncertainty.assumptions:
            if name not in assumptions:
                raise SimulateError(
                    f"uncertainty.assumptions.{name}: unknown assumption '{name}'"
                    f"{did_you_mean(name, assumptions)}; `simulate assumptions` lists all "
                    f"{len(assumptions)}."
                )
    archetypes = _resolve_archetypes(spec)
    seats = _seats(spec, archetypes, base_dir)
    target = spec.target
    if target is not None:
        if target.month is not None and target.month > spec.horizon_months:
            raise SimulateError(
                f"target.month: expected a month from 1 to the horizon ({spec.horizon_months}); "
                f"found {target.month}."
            )
        if target.year is not None and 12 * target.year > spec.horizon_months:
            raise SimulateError(
                f"target.year: expected a year that ends within the horizon of "
                f"{spec.horizon_months} months; found {target.year}."
            )
    if book is None:
        book = _load_book(spec, source, base_dir, assumptions)
    # Owners that name no seat of this team are unowned: the engine's assignment policy places
    # them, so a team can change without editing the book (the CLI notes it on stderr).
    seat_ids = {seat.seat_id for seat in seats}
    unknown = [o for o in book.owner if o is not None and o not in seat_ids]
    economy = ResolvedEconomy(
        drift_annual=(
            spec.economy.drift_annual
            if spec.economy.drift_annual is not None
            else assumptions["economy_drift_annual"].value
        ),
        volatility_annual=(
            spec.economy.volatility_annual
            if spec.economy.volatility_annual is not None
            else assumptions["economy_volatility_annual"].value
        ),
    )
    return Scenario(
        name=spec.name,
        horizon_months=spec.horizon_months,
        trials=spec.trials,
        seed=spec.seed,
        book=book,
        team=tuple(entry for entry in spec.team if isinstance(entry, TeamEntry)),
        hires=tuple(entry for entry in spec.team if isinstance(entry, ProfileEntry)),
        seats=seats,
        policies=spec.policies,
        economy=economy,
        target=target,
        effects=spec.effects,
        assumptions=assumptions,
        archetypes=archetypes,
        source=source,
        unknown_owners=tuple(dict.fromkeys(unknown)),
        unknown_owner_accounts=len(unknown),
        spec=spec,
        base_dir=base_dir,
    )


def resolve_scenario_file(
    spec: ScenarioFile, source: str, base_dir: Path, book: Book | None = None
) -> Scenario:
    """Resolve an already validated scenario file (e.g. after command-line overrides).

    ``book`` reuses an already read book instead of reading or drawing it again.
    """
    return _resolve(spec, source, base_dir, book=book)
