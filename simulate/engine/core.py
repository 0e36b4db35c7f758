"""The vectorised Monte Carlo engine (pure: no files, no terminal).

One monthly step of DESIGN.md §5, vectorised over trials × accounts, trials
processed in batches of whole blocks. docs/model.md describes the model; this
module is its fast implementation and :mod:`simulate.reference` its slow,
obviously-correct twin (which shares none of this module's logic).

Randomness and common random numbers
------------------------------------
Every random number is a function of (seed, trial, entity, month, mechanism)
through :mod:`simulate.engine.streams`. Entities are book accounts (by row),
seats (by a hash of their id), the trial (the economy) and new logos (by the
seat that won them and its ordinal, or by the referring account and its
ordinal). So adding a seat, lengthening the horizon or changing the batch size
changes no draw: outcomes move only through assignment, load, hand-over and
coverage. Every random quantity whose distribution depends on the team or
policies is a uniform through a threshold (an event) or an inverse CDF (a small
count).

Sums over accounts are taken in a fixed order whatever the number of new-logo
slots a batch holds (the book, then slot chunks added one after the other), and
summaries over trials add whole blocks in block order, so a run's statistics do
not depend on the batch size or the horizon, bit for bit.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from simulate.assumptions import monthly_probability
from simulate.behaviour import account_capacity, effectiveness, prospecting_intensity
from simulate.engine import kernel, streams
from simulate.errors import SimulateError
from simulate.quadrants import QUADRANTS, QuadrantThresholds, classify, default_thresholds
from simulate.results import (
    CONTACT_BUCKETS,
    METRICS,
    QUADRANT_METRICS,
    TrialRecorder,
)

BLOCK_TRIALS = 32
"""Trials per block: batches are whole blocks and summaries add whole blocks in order."""
LOGO_SLOT_CHUNK = 32
"""New-logo slots (columns after the book) are added in chunks of this many."""
TARGET_BATCH_ELEMENTS = 262_144
"""Trials × columns aimed at per batch: the kernel sweeps a batch once a month whatever its
size, so larger batches mostly spread the per-month Python work (outputs, new logos) over
more trials (3 or 4 blocks at 2,000 accounts: 30–40 MB of state per worker)."""
MAX_OUTPUT_BYTES = 2 * 2**30
"""Largest per-trial, per-month output kept (trials × months × metrics, float64)."""
INITIAL_SLOT_MONTHS = 6
"""New-logo slots allocated up front: about this many months' worth (speed only)."""

# Mechanism ids in the stream keys; never renumber (results would change). Mechanisms
# that make two draws take them from one word's high and low halves (streams.halves):
# CONVERSATIONS the count (high) and the win (low), ASK_CONTACT the contact ask (high) and
# the referral ask (low), CHURN the churn (high) and the management change (low). Ids 5,
# 7 and 9 (the win, referral and management-change words of the first compiled engine)
# are retired.
THETA, ECONOMY, WALLET, CONVERSATIONS, ASK_CONTACT = 1, 2, 3, 4, 6
CONTACT_DECAY, CHURN, LOGO_SIZE, REP_QUIT, SEAT_FILL, PROSPECTING = 8, 10, 11, 12, 13, 14
DEPARTURE = 15

ATTENTION_POLICIES = ("uniform", "potential", "size", "key_accounts")

if TYPE_CHECKING:
    from simulate.book import ChurnBeta
    from simulate.model import Scenario

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
U64Array = NDArray[np.uint64]


class SimulationInterrupted(SimulateError):
    """The run was stopped between batches (``should_stop`` returned True)."""


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Rates:
    """The assumptions in the units the monthly step uses."""

    p_quit: float
    p_fill: float
    overload_quit: float
    departure_health: float
    departure_contact: float
    ramp_months: float
    ramp_start: float
    drift: float
    economy_sd: float
    account_sd: float
    capture: float
    ceiling_gain: float
    floor_ratio: float
    pressure: float
    max_conversations: int
    ask_contact_success: float
    ask_referral_success: float
    max_contacts: int
    contact_decay: float
    health_rate: float
    health_neglected: float
    mgmt_change: float
    mgmt_uplift: float
    mgmt_exponent: float
    health_effect: float
    health_reference: float
    contacts_effect: float
    contacts_reference: float
    contacts_cap: float
    owner_effect: float
    reference_service: float
    cover_attention: float
    hours_scale: float
    priority_exponent: float
    key_weight: float
    max_logos: int
    logo_sigma: float
    logo_multiple: float
    logo_health: float
    hiring_share: float


@dataclass(frozen=True, eq=False)
class ModelInputs:
    """Everything the monthly step needs, resolved from a scenario."""

    horizon: int
    trials: int
    seed: int
    effects: bool
    revenue: FloatArray
    wallet: FloatArray
    contacts: IntArray
    health: FloatArray
    theta: FloatArray
    theta_beta: ChurnBeta | None
    owner: IntArray
    """Seat index of each book account after the assignment policy."""
    quadrant: NDArray[np.int8]
    """Quadrant code of each book account (:data:`simulate.quadrants.QUADRANTS`)."""
    thresholds: QuadrantThresholds
    seat_ids: tuple[str, ...]
    seat_entities: tuple[int, ...]
    seat_archetype: IntArray
    archetype_names: tuple[str, ...]
    capacity: FloatArray
    """Accounts each seat is meant to carry (assignment; overload for quits)."""
    hours: FloatArray
    """Account hours per month of each seat at full productivity (after prospecting time and
    the switching penalty)."""
    proactive: FloatArray
    close: FloatArray
    ask: FloatArray
    quality: FloatArray
    neglect: FloatArray
    prospecting: FloatArray
    cost_month: FloatArray
    """Monthly cost of each seat while filled."""
    keeps_logos: BoolArray
    """Seats that keep the new logos they win (hybrids; hunters unless handed off)."""
    handoff: BoolArray
    """Seats that may receive handed-off new logos (account managers)."""
    shared_coverage: bool
    attention_policy: str
    rates: Rates
    churn_reference: float
    """Mean hazard factor of the month-0 book (θ-weighted): hazards are divided by it."""
    size_median: float
    potential_median: float
    logo_median: float
    logo_theta: float
    target: tuple[str, int | None, float] | None
    trial_behaviour: tuple[tuple[int, FloatArray], ...] = ()
    """Seats whose behaviour is drawn per trial (a hired candidate's, from the assessment's
    uncertainty): (seat index, array trials × 6 of proactive, close, ask, quality, neglect and
    prospecting intensity, in :data:`TRIAL_BEHAVIOUR` order); other seats use the arrays above."""


    theta_table: FloatArray = field(default_factory=lambda: np.zeros((2, 2)))
    """The run's :func:`~simulate.engine.streams.beta_table` of the book's Beta θ (zeros
    when θ is not drawn): every account's and new logo's θ starts from it."""
    new_hires: tuple[int, ...] = ()
    """Seats that start the run as new hires (a candidate's seat): tenure 0, so they ramp up,
    and the hiring cost (``hiring_cost_share`` of a year's cost) in month 1."""


TRIAL_BEHAVIOUR = ("proactive", "close", "ask", "quality", "neglect", "prospecting")
"""The per-seat arrays a seat may draw per trial, in the order of ``trial_behaviour``'s
columns."""


def _rates(scenario: Scenario) -> Rates:
    v = scenario.value
    return Rates(
        p_quit=monthly_probability(v("rep_attrition_annual")),
        p_fill=1.0 / v("vacancy_months_mean"),
        overload_quit=v("overload_quit_effect"),
        departure_health=v("departure_health_loss"),
        departure_contact=v("departure_contact_loss"),
        ramp_months=v("ramp_months"),
        ramp_start=v("ramp_start_productivity"),
        drift=scenario.economy.drift_annual / 12.0,
        economy_sd=scenario.economy.volatility_annual / math.sqrt(12.0),
        account_sd=v("wallet_volatility_annual") / math.sqrt(12.0),
        capture=v("win_capture_share"),
        ceiling_gain=v("share_ceiling_gain"),
        floor_ratio=v("share_floor_ratio"),
        pressure=v("competitor_pressure_monthly"),
        max_conversations=int(v("max_conversations_per_month")),
        ask_contact_success=v("ask_contact_success"),
        ask_referral_success=v("ask_referral_success"),
        max_contacts=int(v("max_contacts")),
        contact_decay=v("contact_decay_monthly"),
        health_rate=v("health_adjust_rate"),
        health_neglected=v("health_neglected_level"),
        mgmt_change=v("mgmt_change_monthly"),
        mgmt_uplift=v("mgmt_change_churn_uplift"),
        mgmt_exponent=v("mgmt_change_contacts_exponent"),
        health_effect=v("health_churn_effect"),
        health_reference=v("churn_reference_health"),
        contacts_effect=v("contacts_churn_effect"),
        contacts_reference=v("churn_reference_contacts"),
        contacts_cap=v("contacts_effect_cap"),
        owner_effect=v("owner_neglect_churn_effect"),
        reference_service=v("churn_reference_service"),
        cover_attention=v("vacancy_cover_attention"),
        hours_scale=v("attention_hours_scale"),
        priority_exponent=v("priority_exponent"),
        key_weight=v("key_account_time_weight"),
        max_logos=int(v("max_new_logos_per_seat_month")),
        logo_sigma=v("new_logo_size_sigma"),
        logo_multiple=v("new_logo_wallet_multiple"),
        logo_health=v("new_logo_health"),
        hiring_share=v("hiring_cost_share"),
    )


def seat_key(seat_id: str) -> int:
    """A stable number for a seat id, used in its random streams' keys."""
    return zlib.crc32(seat_id.encode("utf-8"))


def assign_accounts(scenario: Scenario) -> IntArray:
    """Seat index per book account: the book's owner, else placed by ``policies.assignment``.

    Owners naming no seat of the team count as unowned. Unowned accounts go to
    account-manager seats (else hybrids, else any seat). ``round_robin`` deals them in
    book order; ``potential`` (most uncaptured wallet first) and ``size`` (largest
    revenue first) give each account to the seat with the most spare capacity at that
    point (ties: the first seat).
    """
    book, seats = scenario.book, scenario.seats
    index = {seat.seat_id: i for i, seat in enumerate(seats)}
    owner = np.array(
        [index.get(o, -1) if o is not None else -1 for o in book.owner], dtype=np.int64
    )
    unowned = np.flatnonzero(owner < 0)
    if unowned.size == 0:
        return owner
    roles = [seat.archetype.role for seat in seats]
    eligible = [i for i, role in enumerate(roles) if role == "account_manager"]
    if not eligible:
        eligible = [i for i, role in enumerate(roles) if role == "hybrid"]
    if not eligible:
        eligible = list(range(len(seats)))
    policy = scenario.policies.assignment
    if policy == "round_robin":
        for n, account in enumerate(unowned.tolist()):
            owner[account] = eligible[n % len(eligible)]
        return owner
    key = book.wallet - book.revenue if policy == "potential" else book.revenue
    order = unowned[np.argsort(-key[unowned], kind="stable")]
    capacity = np.array([account_capacity(seats[i].archetype) for i in eligible])
    load = np.array([np.count_nonzero(owner == i) for i in eligible], dtype=np.float64)
    for account in order.tolist():
        best = int(np.argmax(capacity - load))
        owner[account] = eligible[best]
        load[best] += 1.0
    return owner


def hazard_factors(
    r: Rates, health: FloatArray, contacts: FloatArray, service: FloatArray | float
) -> FloatArray:
    """Health × contacts × owner factors of the churn hazard (no event)."""
    capped = np.minimum(np.maximum(contacts, 1.0), r.contacts_cap)
    return np.asarray(
        np.exp(-r.health_effect * (health - r.health_reference))
        * np.exp(-r.contacts_effect * (capped - r.contacts_reference))
        * (1.0 + r.owner_effect * (1.0 - np.asarray(service))),
        dtype=np.float64,
    )


def event_factor(r: Rates, contacts: FloatArray) -> FloatArray:
    """The churn multiplier in a month with a management change."""
    return np.asarray(1.0 + r.mgmt_uplift * np.maximum(contacts, 1.0) ** (-r.mgmt_exponent))


def churn_reference(r: Rates, health: FloatArray, contacts: FloatArray, theta: FloatArray) -> float:
    """The θ-weighted mean hazard factor of the month-0 book served at the reference service.

    Every hazard is divided by it, so θ is the churn the book shows in its month-0 state
    (DESIGN.md §5): the expected churn of month 1 in that state is Σθ. The expected
    management-change factor counts (1 + p × uplift × k^−exponent).
    """
    k = contacts.astype(np.float64)
    factors = hazard_factors(r, health, k, r.reference_service) * (
        1.0 + r.mgmt_change * (event_factor(r, k) - 1.0)
    )
    weights = theta if float(theta.sum()) > 0 else np.ones_like(theta)
    return float(np.sum(weights * factors) / np.sum(weights))


def prepare(scenario: Scenario) -> ModelInputs:
    """Resolve a scenario into the engine's inputs (deterministic; no randomness)."""
    seats = scenario.seats
    cost = scenario.value("role_switching_cost")
    names = tuple(dict.fromkeys(seat.archetype.name for seat in seats))
    handoff = np.array([s.archetype.role == "account_manager" for s in seats])
    book = scenario.book
    keeps = np.array(
        [
            s.archetype.role == "hybrid"
            or scenario.policies.new_logo_owner == "hunter"
            or not handoff.any()
            for s in seats
        ]
    )
    rates = _rates(scenario)
    effects = scenario.effects == "all"
    revenue = book.revenue.astype(np.float64)
    wallet = book.wallet.astype(np.float64)
    spec = scenario.spec.quadrants if scenario.spec is not None else None
    thresholds = default_thresholds(
        revenue,
        wallet,
        size=spec.size if spec is not None else None,
        potential=spec.potential if spec is not None else None,
    )
    theta = book.theta.astype(np.float64)
    hours = scenario.value("selling_hours_monthly")
    target = scenario.target
    drawn: list[tuple[int, FloatArray]] = []
    for index, seat in enumerate(seats):
        if seat.draws is None:
            continue
        d = seat.draws
        split = seat.archetype.hunting_time * effectiveness(seat.archetype.hunting_time, cost)
        columns = [
            d["proactive_rate"], d["close_rate"], d["ask_rate"], d["service_quality"],
            d["neglect"], d["prospecting_rate"] * split,
        ]  # fmt: skip
        table = np.ascontiguousarray(np.stack(columns, axis=1), dtype=np.float64)
        if table.shape[0] != scenario.trials:
            raise SimulateError(
                f"seat {seat.seat_id}: expected behaviour drawn for {scenario.trials:,} trials; "
                f"found {table.shape[0]:,}."
            )
        drawn.append((index, table))
    return ModelInputs(
        horizon=scenario.horizon_months,
        trials=scenario.trials,
        seed=scenario.seed,
        effects=effects,
        revenue=revenue,
        wallet=wallet,
        contacts=book.contacts.astype(np.int64),
        health=book.health.astype(np.float64),
        theta=theta,
        theta_beta=book.theta_beta,
        owner=assign_accounts(scenario),
        quadrant=classify(revenue, wallet, thresholds),
        thresholds=thresholds,
        seat_ids=tuple(s.seat_id for s in seats),
        seat_entities=tuple(streams.seat_entity(seat_key(s.seat_id)) for s in seats),
        seat_archetype=np.array([names.index(s.archetype.name) for s in seats], dtype=np.int64),
        archetype_names=names,
        capacity=np.array([account_capacity(s.archetype) for s in seats]),
        hours=np.array(
            [
                hours
                * (1.0 - s.archetype.hunting_time)
                * effectiveness(s.archetype.hunting_time, cost)
                for s in seats
            ]
        ),
        proactive=np.array([s.archetype.proactive_rate for s in seats]),
        close=np.array([s.archetype.close_rate for s in seats]),
        ask=np.array([s.archetype.ask_rate for s in seats]),
        quality=np.array([s.archetype.service_quality for s in seats]),
        neglect=np.array([s.archetype.neglect for s in seats]),
        prospecting=np.array([prospecting_intensity(s.archetype, cost) for s in seats]),
        cost_month=np.array([s.archetype.cost_annual / 12.0 for s in seats]),
        keeps_logos=keeps,
        handoff=handoff,
        shared_coverage=scenario.policies.vacancy_coverage == "shared",
        attention_policy=scenario.policies.attention,
        rates=rates,
        churn_reference=(
            churn_reference(rates, book.health, book.contacts.astype(np.float64), theta)
            if effects
            else 1.0
        ),
        size_median=max(float(np.median(revenue)), 1e-12),
        potential_median=max(float(np.median(wallet - revenue)), 1e-12),
        logo_median=scenario.value("new_logo_revenue_share") * float(np.median(book.revenue)),
        logo_theta=(
            book.theta_beta.mean if book.theta_beta is not None else float(np.mean(book.theta))
        ),
        target=(
            (target.metric, target.month or target.year, target.value)
            if target is not None
            else None
        ),
        trial_behaviour=tuple(drawn),
        theta_table=(
            streams.beta_table(book.theta_beta.a, book.theta_beta.b)
            if book.theta_beta is not None
            else np.zeros((2, 2))
        ),
        new_hires=tuple(i for i, seat in enumerate(seats) if seat.new_hire),
    )


def pack_rates(x: ModelInputs) -> FloatArray:
    """The rates and book constants the kernel reads, packed in :mod:`.kernel`'s index order."""
    r = x.rates
    values = {
        kernel.P_QUIT: r.p_quit,
        kernel.P_FILL: r.p_fill,
        kernel.OVERLOAD_QUIT: r.overload_quit,
        kernel.DEPARTURE_HEALTH: r.departure_health,
        kernel.DEPARTURE_CONTACT: r.departure_contact,
        kernel.RAMP_MONTHS: r.ramp_months,
        kernel.RAMP_START: r.ramp_start,
        kernel.DRIFT: r.drift,
        kernel.ECONOMY_SD: r.economy_sd,
        kernel.ACCOUNT_SD: r.account_sd,
        kernel.CAPTURE: r.capture,
        kernel.CEILING_GAIN: r.ceiling_gain,
        kernel.FLOOR_RATIO: r.floor_ratio,
        kernel.PRESSURE: r.pressure,
        kernel.MAX_CONVERSATIONS: float(r.max_conversations),
        kernel.ASK_CONTACT_SUCCESS: r.ask_contact_success,
        kernel.ASK_REFERRAL_SUCCESS: r.ask_referral_success,
        kernel.MAX_CONTACTS: float(r.max_contacts),
        kernel.HEALTH_RATE: r.health_rate,
        kernel.HEALTH_NEGLECTED: r.health_neglected,
        kernel.MGMT_CHANGE_P: r.mgmt_change,
        kernel.HEALTH_EFFECT: r.health_effect,
        kernel.HEALTH_REFERENCE: r.health_reference,
        kernel.CONTACTS_EFFECT: r.contacts_effect,
        kernel.CONTACTS_REFERENCE: r.contacts_reference,
        kernel.CONTACTS_CAP: r.contacts_cap,
        kernel.OWNER_EFFECT: r.owner_effect,
        kernel.COVER_ATTENTION: r.cover_attention,
        kernel.HOURS_SCALE: r.hours_scale,
        kernel.PRIORITY_EXPONENT: r.priority_exponent,
        kernel.KEY_WEIGHT: r.key_weight,
        kernel.MAX_LOGOS: float(r.max_logos),
        kernel.LOGO_SIGMA: r.logo_sigma,
        kernel.LOGO_MULTIPLE: r.logo_multiple,
        kernel.LOGO_HEALTH: r.logo_health,
        kernel.HIRING_SHARE: r.hiring_share,
        kernel.CHURN_REFERENCE: x.churn_reference,
        kernel.SIZE_MEDIAN: x.size_median,
        kernel.POTENTIAL_MEDIAN: x.potential_median,
        kernel.LOGO_MEDIAN: x.logo_median,
        kernel.LOGO_THETA: x.logo_theta,
        kernel.THETA_A: x.theta_beta.a if x.theta_beta is not None else 0.0,
        kernel.THETA_B: x.theta_beta.b if x.theta_beta is not None else 0.0,
        kernel.THETA_YEARLY: float(x.theta_beta is not None and x.theta_beta.period == "year"),
        kernel.SIZE_THRESHOLD: x.thresholds.size,
        kernel.POTENTIAL_THRESHOLD: x.thresholds.potential,
    }
    packed = np.zeros(kernel.N_RATES)
    for index, value in values.items():
        packed[index] = value
    return packed


def counters(month: int) -> U64Array:
    """The stream counter of ``month`` for every mechanism id (index = mechanism)."""
    return np.array([streams.counter(month, m) for m in range(DEPARTURE + 1)], dtype=np.uint64)


# ----------------------------------------------------------------------------- the batch


class BatchOutput:
    """Per-trial outputs of a run of consecutive trials (a task): what a backend returns.

    ``values`` and ``by_archetype`` are the kept per-trial, per-month metrics;
    ``block_sums`` and ``block_squares`` (breakdown × block × month) the streamed
    breakdowns summed per block of :data:`BLOCK_TRIALS` trials, so the caller adds
    them in block order whatever the batches, workers or backend.
    """

    def __init__(self, x: ModelInputs, start: int, trials: int) -> None:
        self.start = start
        self.trials = trials
        self.values = {name: np.zeros((trials, x.horizon)) for name in METRICS}
        self.by_archetype = np.zeros((len(x.archetype_names), trials, x.horizon))
        self.names = streamed_names(x)
        blocks = -(-trials // BLOCK_TRIALS)
        self.block_sums = np.zeros((len(self.names), blocks, x.horizon))
        self.block_squares = np.zeros((len(self.names), blocks, x.horizon))
        self.events_by_contacts = np.zeros(len(CONTACT_BUCKETS))
        self.lost_by_contacts = np.zeros(len(CONTACT_BUCKETS))

    def add_streamed(self, lo: int, month: int, streamed: dict[str, FloatArray]) -> None:
        """Sum the streamed values of trials ``lo`` … (local, a block boundary) per block."""
        first = lo // BLOCK_TRIALS
        for k, name in enumerate(self.names):
            row = streamed[name]
            for b, at in enumerate(range(0, row.shape[0], BLOCK_TRIALS)):
                part = row[at : at + BLOCK_TRIALS]
                self.block_sums[k, first + b, month] = part.sum()
                self.block_squares[k, first + b, month] = (part * part).sum()


class Batch:
    """State of the trials of whole blocks from ``first_block`` (arrays: trial × column)."""

    def __init__(self, inputs: ModelInputs, first_block: int, n_blocks: int, slots: int) -> None:
        x = inputs
        self.x = x
        self.first_block = first_block
        self.n_blocks = n_blocks
        start = first_block * BLOCK_TRIALS
        self.start = start
        self.trials = min(x.trials, (first_block + n_blocks) * BLOCK_TRIALS) - start
        self.n_book = x.revenue.shape[0]
        self.n_seats = len(x.seat_ids)
        t, n = self.trials, self.n_book
        trial_ids = np.arange(start, start + t, dtype=np.uint64)[:, None]

        def tile(values: NDArray[Any], dtype: Any) -> NDArray[Any]:
            return np.broadcast_to(values.astype(dtype), (t, n)).copy()

        self.slots = 0
        self.active = np.ones((t, n), dtype=bool)
        self.wallet = tile(x.wallet, np.float64)
        share = x.revenue / x.wallet
        self.share = tile(share, np.float64)
        r = x.rates
        self.floor = tile(r.floor_ratio * share, np.float64)
        self.ceiling = tile(share + r.ceiling_gain * (1.0 - share), np.float64)
        self.contacts = tile(x.contacts, np.int64)
        self.health = tile(x.health, np.float64)
        self.owner = tile(x.owner, np.int64)
        self.quadrant = tile(x.quadrant.astype(np.int64), np.int64)
        self.source = np.zeros((t, n), dtype=np.int64)  # 0 = the book
        self.entity = tile(np.arange(n, dtype=np.uint64), np.uint64)
        self.base = streams.base_key(x.seed, trial_ids, self.entity)
        self.referred = np.zeros((t, n), dtype=np.int64)
        self.referral = np.zeros((t, n), dtype=bool)
        if x.theta_beta is not None:
            u = streams.uniform(self.base, 0, THETA)
            self.theta = x.theta_beta.monthly(
                streams.beta_quantiles_from(x.theta_beta.a, x.theta_beta.b, u, x.theta_table)
            )
        else:
            self.theta = tile(x.theta, np.float64)
        self._grow(slots)
        self.weights = np.zeros(self.n_book + self.slots)
        self.logos = np.zeros(t, dtype=np.int64)
        k = np.arange(r.max_contacts + 2, dtype=np.float64)
        self.leave_table = np.where(k > 1, 1.0 - (1.0 - r.contact_decay) ** (k - 1.0), -1.0)
        self.event_table = np.asarray(event_factor(r, k), dtype=np.float64)
        self.wallet_table = streams.lognormal_table(r.account_sd)
        self.n_archetypes = len(x.archetype_names)
        self.seat_entity_words = np.array(x.seat_entities, dtype=np.uint64)
        self.seat_base = streams.base_key(x.seed, trial_ids, self.seat_entity_words[None, :])
        self.trial_base = streams.base_key(
            x.seed, trial_ids[:, 0], np.full(t, streams.TRIAL_ENTITY, dtype=np.uint64)
        )
        self.won = np.zeros((t, self.n_seats), dtype=np.int64)
        self.vacant = np.zeros((t, self.n_seats), dtype=bool)
        self.hired = np.zeros((t, self.n_seats), dtype=bool)
        self.tenure = np.full((t, self.n_seats), 10_000, dtype=np.int64)
        self.tenure[:, list(x.new_hires)] = 0
        self.load = self._loads()
        self.events_by_contacts = np.zeros(len(CONTACT_BUCKETS))
        self.lost_by_contacts = np.zeros(len(CONTACT_BUCKETS))
        self.lost_by_quadrant = np.zeros((t, len(QUADRANTS)))
        self.cost_total = np.zeros(t)
        self.net_total = np.zeros(t)
        self.rp = pack_rates(x)
        self.seed_word = streams.seed_word(x.seed)
        self.policy = ATTENTION_POLICIES.index(x.attention_policy)
        self.handoff = np.flatnonzero(x.handoff).astype(np.int64)
        self.sums = np.zeros((t, kernel.N_SUMS))
        self.by_archetype = np.zeros((t, self.n_archetypes))
        self.quad = np.zeros((t, len(QUADRANTS), 3))
        self.sourced = np.zeros((t, self.n_archetypes + 1))
        self.found = np.zeros((t, self.n_seats), dtype=np.int64)
        self.needed = np.zeros(t, dtype=np.int64)
        self.per_seat = np.zeros(self.n_seats)
        self.per_weight = np.zeros(self.n_seats)
        # Behaviour per (trial, seat): the seat's constants, with any seat drawn per trial.
        behaviour = [
            np.tile(getattr(x, name).astype(np.float64), (t, 1)) for name in TRIAL_BEHAVIOUR
        ]
        for seat, table in x.trial_behaviour:
            for column, array in enumerate(behaviour):
                array[:, seat] = table[start : start + t, column]
        (
            self.proactive, self.close, self.ask, self.quality, self.neglect, self.prospecting
        ) = behaviour  # fmt: skip

    def _grow(self, slots: int) -> None:
        """Make room for at least ``slots`` new-logo slots (inactive until used)."""
        chunks = -(-slots // LOGO_SLOT_CHUNK)
        extra = chunks * LOGO_SLOT_CHUNK - self.slots
        if extra <= 0:
            return
        t = self.trials

        def pad(array: NDArray[Any], value: float) -> NDArray[Any]:
            return np.concatenate([array, np.full((t, extra), value, dtype=array.dtype)], axis=1)

        self.active = pad(self.active, False)
        self.wallet = pad(self.wallet, 1.0)
        self.share = pad(self.share, 0.0)
        self.floor = pad(self.floor, 0.0)
        self.ceiling = pad(self.ceiling, 0.0)
        self.contacts = pad(self.contacts, 1)
        self.health = pad(self.health, 0.0)
        self.owner = pad(self.owner, 0)
        self.quadrant = pad(self.quadrant, 0)
        self.source = pad(self.source, 0)
        self.entity = pad(self.entity, 0)
        self.base = pad(self.base, 0)
        self.referred = pad(self.referred, 0)
        self.referral = pad(self.referral, False)
        self.theta = pad(self.theta, 0.0)
        self.slots += extra
        self.weights = np.zeros(self.n_book + self.slots)

    def _loads(self) -> FloatArray:
        """Active accounts per (trial, seat)."""
        t = self.trials
        flat = self.owner + (np.arange(t, dtype=np.int64) * self.n_seats)[:, None]
        sums = np.bincount(
            flat.ravel(), weights=self.active.ravel().astype(np.float64), minlength=t * self.n_seats
        )
        return np.asarray(sums, dtype=np.float64).reshape(t, self.n_seats)

    # ------------------------------------------------------------------ one month

    def step(self, month: int, output: BatchOutput) -> None:
        """Advance every trial of the batch by one month and record its outputs."""
        x = self.x
        t = self.trials
        ctr = counters(month)
        kernel.step_month(
            x.effects, self.policy, x.shared_coverage, self.rp, ctr,
            x.hours, x.capacity, self.proactive, self.close, self.ask, self.quality,
            self.neglect,
            x.seat_archetype, x.cost_month, self.leave_table, self.event_table, self.wallet_table,
            self.active, self.wallet, self.share, self.floor, self.ceiling, self.contacts,
            self.health, self.owner, self.quadrant, self.source, self.base, self.theta,
            self.referral, self.seat_base, self.vacant, self.tenure, self.load, self.hired,
            self.trial_base, self.sums, self.by_archetype, self.quad, self.lost_by_quadrant,
            self.sourced, self.events_by_contacts, self.lost_by_contacts, self.weights,
            self.per_seat, self.per_weight,
        )  # fmt: skip
        if month == 1 and x.effects and x.new_hires:
            # A candidate's seat is filled in month 1: its hiring cost falls then.
            hiring = sum(12.0 * x.cost_month[s] * x.rates.hiring_share for s in x.new_hires)
            self.sums[:, kernel.S_COST] += hiring
        new = np.zeros(t)
        if x.effects:
            new = self._new_logos(month)
            # Tenure counts the month after this month's new logos (their ramp is this month's).
            self.tenure += ~self.vacant
        self._record(month, new, output)

    def _new_logos(self, month: int) -> FloatArray:
        """Win this month's new logos into free slots (grown first); returns the count."""
        x = self.x
        kernel.count_new_logos(
            self.rp, np.uint64(streams.counter(month, PROSPECTING)),
            self.prospecting, self.vacant, self.tenure, self.seat_base, self.referral,
            self.found, self.needed,
        )  # fmt: skip
        if not self.needed.any():
            return np.zeros(self.trials)
        needed = int((self.logos + self.needed).max())
        if needed > self.slots:
            self._grow(max(needed, self.slots + self.slots // 2))
        kernel.activate_new_logos(
            self.rp, self.seed_word, self.start, self.n_book,
            np.uint64(streams.counter(0, LOGO_SIZE)), np.uint64(streams.counter(0, THETA)),
            x.theta_table, self.found, x.keeps_logos, self.handoff,
            self.seat_entity_words, x.seat_archetype, self.vacant, self.load, self.won,
            self.logos, self.referral, self.active, self.wallet, self.share, self.floor,
            self.ceiling, self.contacts, self.health, self.owner, self.quadrant, self.source,
            self.entity, self.base, self.referred, self.theta,
        )  # fmt: skip
        return np.asarray(self.needed, dtype=np.float64)

    def _record(self, month: int, new: FloatArray, output: BatchOutput) -> None:
        """Turn the kernel's per-trial sums into the month's outputs."""
        x = self.x
        t = self.trials
        s = self.sums
        lo = self.start - output.start
        hi = lo + t
        prev = month - 2
        values = output.values

        def cumulative(name: str, now: FloatArray) -> FloatArray:
            return now + (values[name][lo:hi, prev] if prev >= 0 else 0.0)

        revenue = s[:, kernel.S_REVENUE].copy()
        wallet = s[:, kernel.S_WALLET]
        count = s[:, kernel.S_COUNT].copy()
        cost = s[:, kernel.S_COST].copy()
        self.cost_total += cost
        self.net_total += revenue - cost
        out = {
            "revenue": revenue,
            "revenue_cumulative": cumulative("revenue_cumulative", revenue),
            "active_accounts": count,
            "accounts_lost": cumulative("accounts_lost", s[:, kernel.S_LOST]),
            "wallet_share": np.divide(revenue, wallet, out=np.zeros(t), where=wallet > 0),
            "contacts_per_account": np.divide(
                s[:, kernel.S_CONTACTS], count, out=np.zeros(t), where=count > 0
            ),
            "lost_after_mgmt_change": cumulative(
                "lost_after_mgmt_change", s[:, kernel.S_LOST_EVENT]
            ),
            "reset_meetings": s[:, kernel.S_MEETINGS].copy(),
            "new_logos": cumulative("new_logos", new),
            "team_cost_cumulative": self.cost_total.copy(),
        }
        for name, row in out.items():
            values[name][lo:hi, month - 1] = row
        output.by_archetype[:, lo:hi, month - 1] = self.by_archetype.T
        streamed: dict[str, FloatArray] = {}
        for q, name in enumerate(QUADRANTS):
            q_revenue = self.quad[:, q, kernel.Q_REVENUE]
            q_wallet = self.quad[:, q, kernel.Q_WALLET]
            streamed[f"quadrant.{name}.revenue"] = q_revenue.copy()
            streamed[f"quadrant.{name}.wallet_share"] = np.divide(
                q_revenue, q_wallet, out=np.zeros(t), where=q_wallet > 0
            )
            streamed[f"quadrant.{name}.accounts_lost"] = self.lost_by_quadrant[:, q].copy()
            streamed[f"quadrant.{name}.reset_meetings"] = self.quad[:, q, kernel.Q_MEETINGS].copy()
        streamed["sourced_by.book"] = self.sourced[:, 0].copy()
        for a, name in enumerate(x.archetype_names):
            streamed[f"sourced_by.{name}"] = self.sourced[:, a + 1].copy()
        streamed["costs.team_cost"] = cost
        streamed["costs.team_cost_cumulative"] = self.cost_total.copy()
        streamed["costs.revenue_minus_cost"] = revenue - cost
        streamed["costs.revenue_minus_cost_cumulative"] = self.net_total.copy()
        output.add_streamed(lo, month - 1, streamed)


def _initial_slots(x: ModelInputs) -> int:
    """Slots for about the first six months' new logos; more are added when a trial needs them.

    Only speed depends on this (never the horizon): a new logo's draws are keyed by its
    source, not by its slot, and sums skip empty slots.
    """
    if not x.effects:
        return 0
    accounts = int(x.revenue.shape[0])
    referral = accounts * float(np.max(x.ask, initial=0.0)) * x.rates.ask_referral_success
    expected = (float(x.prospecting.sum()) + referral) * INITIAL_SLOT_MONTHS
    slots: int = math.ceil(1.5 * expected + 2.0 * math.sqrt(expected + 1.0))
    return slots + LOGO_SLOT_CHUNK


def default_batch_trials(x: ModelInputs) -> int:
    """Trials per batch aimed at about ``TARGET_BATCH_ELEMENTS`` elements, whole blocks."""
    columns = int(x.revenue.shape[0]) + _initial_slots(x)
    blocks = max(1, TARGET_BATCH_ELEMENTS // (columns * BLOCK_TRIALS))
    return blocks * BLOCK_TRIALS


def run_batch(
    x: ModelInputs,
    first_block: int,
    n_blocks: int,
    recorder: TrialRecorder | BatchOutput,
    *,
    initial_slots: int | None = None,
) -> Batch:
    """Simulate trials of blocks ``first_block`` … into ``recorder``; returns the final state.

    ``recorder`` is a :class:`BatchOutput` covering these trials (or more), or a
    :class:`~simulate.results.TrialRecorder` of the whole run.
    """
    batch = Batch(
        x, first_block, n_blocks, _initial_slots(x) if initial_slots is None else initial_slots
    )
    if isinstance(recorder, BatchOutput):
        output = recorder
    else:
        output = BatchOutput(x, batch.start, batch.trials)
    for month in range(1, x.horizon + 1):
        batch.step(month, output)
    output.events_by_contacts += batch.events_by_contacts
    output.lost_by_contacts += batch.lost_by_contacts
    if isinstance(recorder, TrialRecorder):
        merge(recorder, output)
    return batch


def merge(recorder: TrialRecorder, output: BatchOutput) -> None:
    """Add a task's outputs to the run's recorder (call in trial order: block sums add up)."""
    lo, hi = output.start, output.start + output.trials
    for name, values in output.values.items():
        recorder.values[name][lo:hi] = values
    recorder.by_archetype[:, lo:hi] = output.by_archetype
    recorder.moments.add_blocks(output.names, output.block_sums, output.block_squares)
    recorder.add_events(output.events_by_contacts, output.lost_by_contacts)


def streamed_names(x: ModelInputs) -> tuple[str, ...]:
    """Names of the streamed breakdowns of a run (quadrants, sourced-by, costs)."""
    names = [f"quadrant.{q}.{m}" for q in QUADRANTS for m in QUADRANT_METRICS]
    names += ["sourced_by.book", *(f"sourced_by.{a}" for a in x.archetype_names)]
    names += [
        "costs.team_cost",
        "costs.team_cost_cumulative",
        "costs.revenue_minus_cost",
        "costs.revenue_minus_cost_cumulative",
    ]
    return tuple(names)
