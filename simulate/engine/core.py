"""The Monte Carlo engine's inputs, batches and outputs (pure: no files, no terminal).

The monthly step of DESIGN.md §5 over trials × accounts, trials processed in
batches of whole blocks: this module resolves a scenario into the kernel's inputs
(:func:`prepare`), sets a batch up (:class:`Batch`: keys, θ, behaviour), runs it in
:func:`simulate.engine.kernel.run_trials` (each trial's whole horizon in one compiled
call) and turns the per-(trial, month) sums into outputs. docs/model.md describes the
model; :mod:`simulate.reference` is its slow, obviously-correct twin (which shares none
of the engine's logic).

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
columns a trial has room for (the book, then new logos in the order they were won),
running totals are cumulative sums along the months, and summaries over trials add
whole blocks in block order, so a run's statistics do not depend on the batch size
or the horizon, bit for bit.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
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
LOGO_SLOT_CHUNK = kernel.SLOT_CHUNK
"""New-logo slots (columns after the book) are added in chunks of this many."""
TARGET_BATCH_ELEMENTS = 262_144
"""Trials × columns aimed at per batch: the kernel keeps one trial's state at a time, so a
batch's memory is its per-(trial, account) keys and θ and its per-(trial, month) sums
(about 7 MB at 1,000 accounts); larger batches only spread the Python work around a kernel
call (set-up, outputs) over more trials."""
MAX_OUTPUT_BYTES = 2 * 2**30
"""Largest per-trial, per-month output kept (trials × months × metrics, float64)."""
INITIAL_SLOT_MONTHS = 6
"""New-logo columns set aside up front: about this many months' worth (speed only; the
kernel widens a trial's state when it needs more)."""

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
    return np.array([streams.counter(month, m) for m in range(kernel.N_STREAMS)], dtype=np.uint64)


def counter_table(horizon: int) -> U64Array:
    """:func:`counters` of months 0 … ``horizon`` (rows), for :func:`kernel.run_trials`."""
    return np.stack([counters(month) for month in range(horizon + 1)])


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

    def add_streamed(self, lo: int, streamed: Mapping[str, FloatArray]) -> None:
        """Sum the streamed values (trial × month) of trials ``lo`` … (local, a block boundary)
        per block and month.

        Each block's sum adds its trials' values of one month, contiguous in memory, as numpy
        sums a one-dimensional block (the same pairwise additions whatever the batch).
        """
        first = lo // BLOCK_TRIALS
        n = len(self.names)
        trials, horizon = streamed[self.names[0]].shape
        rows = np.empty((n, horizon, trials))
        for k, name in enumerate(self.names):
            rows[k] = streamed[name].T
        whole = trials // BLOCK_TRIALS * BLOCK_TRIALS
        parts = []
        if whole:
            parts.append(
                np.ascontiguousarray(rows[:, :, :whole]).reshape(
                    n, horizon, whole // BLOCK_TRIALS, BLOCK_TRIALS
                )
            )
        if whole < trials:
            parts.append(np.ascontiguousarray(rows[:, :, whole:])[:, :, None, :])
        at = first
        for part in parts:
            blocks = part.shape[2]
            self.block_sums[:, at : at + blocks] = part.sum(axis=3).transpose(0, 2, 1)
            self.block_squares[:, at : at + blocks] = (part * part).sum(axis=3).transpose(0, 2, 1)
            at += blocks


class Batch:
    """The trials of whole blocks from ``first_block``: the kernel's inputs (arrays: trial ×
    account or trial × seat) and, once run with ``keep_state``, every trial's final state
    (arrays: trial × column, the book then the new logos in the order they were won)."""

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
        self.slots = -(-max(slots, 0) // LOGO_SLOT_CHUNK) * LOGO_SLOT_CHUNK
        t, n = self.trials, self.n_book
        trial_ids = np.arange(start, start + t, dtype=np.uint64)[:, None]
        r = x.rates
        share = x.revenue / x.wallet
        self.book_wallet = np.ascontiguousarray(x.wallet, dtype=np.float64)
        self.book_share = np.ascontiguousarray(share, dtype=np.float64)
        self.book_floor = np.ascontiguousarray(r.floor_ratio * share, dtype=np.float64)
        self.book_ceiling = np.ascontiguousarray(
            share + r.ceiling_gain * (1.0 - share), dtype=np.float64
        )
        self.book_contacts = np.ascontiguousarray(x.contacts, dtype=np.int64)
        self.book_health = np.ascontiguousarray(x.health, dtype=np.float64)
        self.book_owner = np.ascontiguousarray(x.owner, dtype=np.int64)
        self.book_quadrant = np.ascontiguousarray(x.quadrant, dtype=np.int64)
        self.book_base = streams.base_key(x.seed, trial_ids, np.arange(n, dtype=np.uint64))
        if x.theta_beta is not None:
            u = streams.uniform(self.book_base, 0, THETA)
            self.book_theta = np.ascontiguousarray(
                x.theta_beta.monthly(
                    streams.beta_quantiles_from(x.theta_beta.a, x.theta_beta.b, u, x.theta_table)
                ),
                dtype=np.float64,
            )
        else:
            self.book_theta = np.broadcast_to(x.theta.astype(np.float64), (t, n)).copy()
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
        self.new_hire = np.zeros(self.n_seats, dtype=bool)
        self.new_hire[list(x.new_hires)] = True
        self.rp = pack_rates(x)
        self.seed_word = streams.seed_word(x.seed)
        self.policy = ATTENTION_POLICIES.index(x.attention_policy)
        self.handoff = np.flatnonzero(x.handoff).astype(np.int64)
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
        self.events_by_contacts = np.zeros(len(CONTACT_BUCKETS))
        self.lost_by_contacts = np.zeros(len(CONTACT_BUCKETS))
        self.final: tuple[NDArray[Any], ...] | None = None

    # ------------------------------------------------------------------ the whole horizon

    def run(self, output: BatchOutput, *, keep_state: bool = False) -> None:
        """Run every trial of the batch over the horizon and record its outputs.

        With ``keep_state`` every trial's final state is kept (:attr:`active` and the
        others); if a trial ended with more columns than were set aside, the batch runs
        again with room for them (the same draws, so the same outputs).
        """
        x = self.x
        t, horizon, n_arch = self.trials, x.horizon, self.n_archetypes
        width = self.n_book + self.slots
        keep = width if keep_state else 0
        while True:
            sums = np.zeros((t, horizon, kernel.N_SUMS))
            by_archetype = np.zeros((t, horizon, n_arch))
            quad = np.zeros((t, horizon, len(QUADRANTS), 3))
            lost_by_quadrant = np.zeros((t, horizon, len(QUADRANTS)))
            sourced = np.zeros((t, horizon, n_arch + 1))
            events = np.zeros(len(CONTACT_BUCKETS))
            lost_events = np.zeros(len(CONTACT_BUCKETS))
            kept = t if keep_state else 0
            keep_f = np.zeros((kept, kernel.N_F, keep))
            keep_f[:, kernel.F_WALLET] = 1.0
            keep_i = np.zeros((kept, kernel.N_I, keep), dtype=np.int64)
            keep_i[:, kernel.I_CONTACTS] = 1
            keep_u = np.zeros((kept, kernel.N_U, keep), dtype=np.uint64)
            keep_b = np.zeros((kept, kernel.N_B, keep), dtype=bool)
            keep_vacant = np.zeros((kept, self.n_seats), dtype=bool)
            keep_logos = np.zeros(kept, dtype=np.int64)
            most = kernel.run_trials(
                x.effects, self.policy, x.shared_coverage, self.rp, counter_table(horizon),
                self.seed_word, self.start, width,
                x.hours, x.capacity, x.seat_archetype, x.cost_month, x.keeps_logos,
                self.handoff, self.seat_entity_words, self.new_hire,
                self.proactive, self.close, self.ask, self.quality, self.neglect,
                self.prospecting,
                self.leave_table, self.event_table, self.wallet_table, x.theta_table,
                self.book_wallet, self.book_share, self.book_floor, self.book_ceiling,
                self.book_contacts, self.book_health, self.book_owner, self.book_quadrant,
                self.book_base, self.book_theta, self.seat_base, self.trial_base,
                sums, by_archetype, quad, lost_by_quadrant, sourced, events, lost_events,
                keep_f, keep_i, keep_u, keep_b, keep_vacant, keep_logos,
            )  # fmt: skip
            if not keep_state or most <= keep:
                break
            keep = most
        self.events_by_contacts += events
        self.lost_by_contacts += lost_events
        if keep_state:
            self.final = (keep_f, keep_i, keep_u, keep_b, keep_vacant, keep_logos)
        self._record(output, sums, by_archetype, quad, lost_by_quadrant, sourced)

    def _kept(self, index: int) -> NDArray[Any]:
        if self.final is None:
            raise RuntimeError("the batch's final state was not kept (run it with keep_state)")
        return self.final[index]

    @property
    def active(self) -> BoolArray:
        """Whether each (trial, column) is a customer at the end."""
        return np.asarray(self._kept(3)[:, kernel.B_ACTIVE], dtype=bool)

    @property
    def wallet(self) -> FloatArray:
        """Final wallet per (trial, column)."""
        return np.asarray(self._kept(0)[:, kernel.F_WALLET], dtype=np.float64)

    @property
    def share(self) -> FloatArray:
        """Final share of wallet per (trial, column)."""
        return np.asarray(self._kept(0)[:, kernel.F_SHARE], dtype=np.float64)

    @property
    def health(self) -> FloatArray:
        """Final health per (trial, column)."""
        return np.asarray(self._kept(0)[:, kernel.F_HEALTH], dtype=np.float64)

    @property
    def theta(self) -> FloatArray:
        """θ per (trial, column)."""
        return np.asarray(self._kept(0)[:, kernel.F_THETA], dtype=np.float64)

    @property
    def contacts(self) -> IntArray:
        """Final contacts per (trial, column)."""
        return np.asarray(self._kept(1)[:, kernel.I_CONTACTS], dtype=np.int64)

    @property
    def owner(self) -> IntArray:
        """Final owner (seat index) per (trial, column)."""
        return np.asarray(self._kept(1)[:, kernel.I_OWNER], dtype=np.int64)

    @property
    def quadrant(self) -> IntArray:
        """Quadrant code per (trial, column)."""
        return np.asarray(self._kept(1)[:, kernel.I_QUADRANT], dtype=np.int64)

    @property
    def source(self) -> IntArray:
        """Who sourced each (trial, column): 0 the book, else 1 + the archetype's index."""
        return np.asarray(self._kept(1)[:, kernel.I_SOURCE], dtype=np.int64)

    @property
    def base(self) -> U64Array:
        """Stream base word per (trial, column)."""
        return np.asarray(self._kept(2)[:, kernel.U_BASE], dtype=np.uint64)

    @property
    def entity(self) -> U64Array:
        """Entity per (trial, column): the book's row, or a new logo's child entity."""
        return np.asarray(self._kept(2)[:, kernel.U_ENTITY], dtype=np.uint64)

    @property
    def vacant(self) -> BoolArray:
        """Whether each (trial, seat) is vacant at the end."""
        return np.asarray(self._kept(4), dtype=bool)

    @property
    def logos(self) -> IntArray:
        """New logos won per trial."""
        return np.asarray(self._kept(5), dtype=np.int64)

    def _record(
        self,
        output: BatchOutput,
        sums: NDArray[np.float64],
        by_archetype: NDArray[np.float64],
        quad: NDArray[np.float64],
        lost_by_quadrant: NDArray[np.float64],
        sourced: NDArray[np.float64],
    ) -> None:
        """Turn the kernel's per-(trial, month) sums into the batch's outputs.

        Running totals are cumulative sums along the months: the same additions, in the
        same order, as adding one month at a time.
        """
        x = self.x
        t, horizon = self.trials, x.horizon
        lo = self.start - output.start
        hi = lo + t
        if x.effects and x.new_hires and horizon > 0:
            # A candidate's seat is filled in month 1: its hiring cost falls then.
            hiring = sum(12.0 * x.cost_month[s] * x.rates.hiring_share for s in x.new_hires)
            sums[:, 0, kernel.S_COST] += hiring
        revenue = np.ascontiguousarray(sums[:, :, kernel.S_REVENUE])
        wallet = sums[:, :, kernel.S_WALLET]
        count = np.ascontiguousarray(sums[:, :, kernel.S_COUNT])
        cost = np.ascontiguousarray(sums[:, :, kernel.S_COST])
        cost_total = np.cumsum(cost, axis=1)
        net = revenue - cost
        net_total = np.cumsum(net, axis=1)
        zeros = np.zeros((t, horizon))
        out = {
            "revenue": revenue,
            "revenue_cumulative": np.cumsum(revenue, axis=1),
            "active_accounts": count,
            "accounts_lost": np.cumsum(sums[:, :, kernel.S_LOST], axis=1),
            "wallet_share": np.divide(revenue, wallet, out=zeros.copy(), where=wallet > 0),
            "contacts_per_account": np.divide(
                sums[:, :, kernel.S_CONTACTS], count, out=zeros.copy(), where=count > 0
            ),
            "lost_after_mgmt_change": np.cumsum(sums[:, :, kernel.S_LOST_EVENT], axis=1),
            "reset_meetings": sums[:, :, kernel.S_MEETINGS],
            "new_logos": np.cumsum(sums[:, :, kernel.S_NEW], axis=1),
            "team_cost_cumulative": cost_total,
        }
        for name, values in out.items():
            output.values[name][lo:hi] = values
        output.by_archetype[:, lo:hi] = by_archetype.transpose(2, 0, 1)
        streamed: dict[str, NDArray[np.float64]] = {}
        for q, name in enumerate(QUADRANTS):
            q_revenue = quad[:, :, q, kernel.Q_REVENUE]
            q_wallet = quad[:, :, q, kernel.Q_WALLET]
            streamed[f"quadrant.{name}.revenue"] = q_revenue
            streamed[f"quadrant.{name}.wallet_share"] = np.divide(
                q_revenue, q_wallet, out=zeros.copy(), where=q_wallet > 0
            )
            streamed[f"quadrant.{name}.accounts_lost"] = lost_by_quadrant[:, :, q]
            streamed[f"quadrant.{name}.reset_meetings"] = quad[:, :, q, kernel.Q_MEETINGS]
        streamed["sourced_by.book"] = sourced[:, :, 0]
        for a, name in enumerate(x.archetype_names):
            streamed[f"sourced_by.{name}"] = sourced[:, :, a + 1]
        streamed["costs.team_cost"] = cost
        streamed["costs.team_cost_cumulative"] = cost_total
        streamed["costs.revenue_minus_cost"] = net
        streamed["costs.revenue_minus_cost_cumulative"] = net_total
        output.add_streamed(lo, streamed)


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
    keep_state: bool = True,
) -> Batch:
    """Simulate trials of blocks ``first_block`` … into ``recorder``; returns the batch, with
    every trial's final state unless ``keep_state`` is False.

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
    batch.run(output, keep_state=keep_state)
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
