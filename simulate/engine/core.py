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
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import betaincinv

from simulate.assumptions import monthly_probability
from simulate.behaviour import account_capacity, effectiveness, prospecting_intensity
from simulate.engine import streams
from simulate.errors import SimulateError
from simulate.quadrants import QUADRANTS, QuadrantThresholds, classify, default_thresholds
from simulate.results import (
    CONTACT_BUCKETS,
    METRICS,
    QUADRANT_METRICS,
    SimulationResult,
    TrialRecorder,
)

BLOCK_TRIALS = 32
"""Trials per block: batches are whole blocks and summaries add whole blocks in order."""
LOGO_SLOT_CHUNK = 32
"""New-logo slots (columns after the book) are added in chunks of this many."""
TARGET_BATCH_ELEMENTS = 65_536
"""Trials × columns aimed at per batch (keeps the working set in cache; DESIGN.md §7)."""
MAX_OUTPUT_BYTES = 2 * 2**30
"""Largest per-trial, per-month output kept (trials × months × metrics, float64)."""
INITIAL_SLOT_MONTHS = 6
"""New-logo slots allocated up front: about this many months' worth (speed only)."""

# Mechanism ids in the stream keys; never renumber (results would change).
THETA, ECONOMY, WALLET, CONVERSATIONS, WIN, ASK_CONTACT, ASK_REFERRAL = 1, 2, 3, 4, 5, 6, 7
CONTACT_DECAY, MGMT_CHANGE, CHURN, LOGO_SIZE, REP_QUIT, SEAT_FILL, PROSPECTING = (
    8,
    9,
    10,
    11,
    12,
    13,
    14,
)
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
    )


def poisson_count(u: FloatArray, lam: FloatArray | float, cap: int) -> IntArray:
    """Inverse CDF of Poisson(lam) at ``u``, truncated at ``cap`` (one uniform per count)."""
    lam = np.asarray(lam, dtype=np.float64)
    term = np.exp(-lam)
    cdf = term.copy()
    count = np.zeros(np.broadcast_shapes(np.shape(u), lam.shape), dtype=np.int64)
    for i in range(1, cap + 1):
        count += u > cdf
        term = term * lam / i
        cdf = cdf + term
    return count


def ramp(tenure: NDArray[Any], r: Rates) -> FloatArray:
    """Productivity of reps ``tenure`` months into the job: linear from ramp_start to 1."""
    if r.ramp_months <= 0:
        return np.ones(np.shape(tenure))
    done = np.minimum(1.0, tenure / r.ramp_months)
    return np.asarray(r.ramp_start + (1.0 - r.ramp_start) * done, dtype=np.float64)


# ----------------------------------------------------------------------------- the batch


class Batch:
    """State of the trials of whole blocks from ``first_block`` over the horizon."""

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
        self.quadrant = tile(x.quadrant, np.int64)
        self.source = np.zeros((t, n), dtype=np.int64)  # 0 = the book
        self.entity = tile(np.arange(n, dtype=np.uint64), np.uint64)
        self.base = streams.base_key(x.seed, trial_ids, self.entity)
        self.referred = np.zeros((t, n), dtype=np.int64)
        if x.theta_beta is not None:
            u = streams.uniform(self.base, 0, THETA)
            p = np.asarray(betaincinv(x.theta_beta.a, x.theta_beta.b, u), np.float64)
            self.theta = x.theta_beta.monthly(p)
        else:
            self.theta = tile(x.theta, np.float64)
        self._grow(slots)
        self.logos = np.zeros(t, dtype=np.int64)
        k = np.arange(r.max_contacts + 2, dtype=np.float64)
        self.leave_table = np.where(k > 1, 1.0 - (1.0 - r.contact_decay) ** (k - 1.0), -1.0)
        self.event_table = event_factor(r, k)
        self.n_archetypes = len(x.archetype_names)
        self.seat_base = streams.base_key(
            x.seed, trial_ids, np.array(x.seat_entities, dtype=np.uint64)[None, :]
        )
        self.trial_base = streams.base_key(
            x.seed, trial_ids[:, 0], np.full(t, streams.TRIAL_ENTITY, dtype=np.uint64)
        )
        self.won = np.zeros((t, self.n_seats), dtype=np.int64)
        self.vacant = np.zeros((t, self.n_seats), dtype=bool)
        self.tenure = np.full((t, self.n_seats), 10_000, dtype=np.int64)
        self.load = self._loads()
        self.events_by_contacts = np.zeros(len(CONTACT_BUCKETS))
        self.lost_by_contacts = np.zeros(len(CONTACT_BUCKETS))
        self.lost_by_quadrant = np.zeros((t, len(QUADRANTS)))
        self.cost_total = np.zeros(t)
        self.net_total = np.zeros(t)

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
        self.theta = pad(self.theta, 0.0)
        self.slots += extra

    def row_sum(self, values: FloatArray) -> FloatArray:
        """Per-trial sum over accounts in a fixed order: the book, then each slot chunk in turn.

        Empty slot chunks add exact zeros, so the sum does not depend on how many slots the
        batch holds (and so not on the batch size).
        """
        n = self.n_book
        total = values[:, :n].sum(axis=1)
        if self.slots:
            chunks = values[:, n:].reshape(self.trials, -1, LOGO_SLOT_CHUNK).sum(axis=2)
            for c in range(chunks.shape[1]):
                total = total + chunks[:, c]
        return np.asarray(total, dtype=np.float64)

    def _by_group(self, group: IntArray, n_groups: int, weights: FloatArray) -> FloatArray:
        """(trials, groups) sums of ``weights`` (sequential in column order: deterministic)."""
        t = self.trials
        flat = group + (np.arange(t, dtype=np.int64) * n_groups)[:, None]
        sums = np.bincount(flat.ravel(), weights=weights.ravel(), minlength=t * n_groups)
        return np.asarray(sums, dtype=np.float64).reshape(t, n_groups)

    def _loads(self) -> FloatArray:
        """Active accounts per (trial, seat)."""
        return self._by_group(self.owner, self.n_seats, self.active.astype(np.float64))

    # ------------------------------------------------------------------ one month

    def step(self, month: int, recorder: TrialRecorder) -> None:
        """Advance every trial of the batch by one month and record its outputs."""
        x, r = self.x, self.x.rates
        t = self.trials
        active = self.active
        out: dict[str, FloatArray] = {}
        hires = np.zeros((t, self.n_seats), dtype=bool)
        if x.effects:
            hires = self._seats_turn_over(month)
            attention, service, filled_owner = self._attention()
            # Wallet drift: economy-wide shock per trial and month plus account noise.
            shock = r.drift + r.economy_sd * streams.normal(self.trial_base, month, ECONOMY)
            z = streams.normal(self.base, month, WALLET)
            self.wallet *= np.exp(shock[:, None] + r.account_sd * z)
            # Proactive growth: conversations (a Poisson count by inverse CDF) create
            # opportunities, won at the owner's close rate; a win moves the share toward
            # the account's ceiling.
            rate = np.where(filled_owner, x.proactive[self.owner] * attention, 0.0)
            u = streams.uniform(self.base, month, CONVERSATIONS)
            some = active & (u > np.exp(-rate))
            ti, ci = np.nonzero(some)
            conversations = poisson_count(u[ti, ci], rate[ti, ci], r.max_conversations)
            meetings = np.zeros((t, self.n_book + self.slots))
            meetings[ti, ci] = conversations
            out["reset_meetings"] = self.row_sum(meetings)
            close = x.close[self.owner[ti, ci]]
            won = streams.uniform(self.base[ti, ci], month, WIN) < 1.0 - (1.0 - close) ** (
                conversations
            )
            wi, wc = ti[won], ci[won]
            room = np.maximum(self.ceiling[wi, wc] - self.share[wi, wc], 0.0)
            self.share[wi, wc] += r.capture * room
            # Competitors pull every account's share toward its floor.
            self.share -= r.pressure * np.maximum(self.share - self.floor, 0.0)
            # Asks: contacts and referrals, likelier when health is high.
            ask = np.where(filled_owner, x.ask[self.owner] * attention, 0.0) * self.health
            added = active & (
                streams.uniform(self.base, month, ASK_CONTACT) < ask * r.ask_contact_success
            )
            self.contacts = np.minimum(self.contacts + added, r.max_contacts)
            referral = active & (
                streams.uniform(self.base, month, ASK_REFERRAL) < ask * r.ask_referral_success
            )
            # Contacts beyond the first leave at the data-decay rate.
            left = (
                streams.uniform(self.base, month, CONTACT_DECAY) < self.leave_table[self.contacts]
            )
            self.contacts = self.contacts - left
            # Health moves toward the service the account gets.
            target = x.quality[self.owner] * service + r.health_neglected * (1.0 - service)
            self.health += r.health_rate * (target - self.health)
            # Management change and churn (θ keeps its meaning: the month-0 book's churn).
            event = active & (streams.uniform(self.base, month, MGMT_CHANGE) < r.mgmt_change)
            hazard = (
                self.theta
                * hazard_factors(r, self.health, self.contacts.astype(np.float64), service)
                / x.churn_reference
            )
            hazard = np.where(event, hazard * self.event_table[self.contacts], hazard)
        else:
            out["reset_meetings"] = np.zeros(t)
            hazard = self.theta
            event = np.zeros_like(active)
            referral = event
        churned = active & (streams.uniform(self.base, month, CHURN) < np.minimum(hazard, 1.0))
        if x.effects:
            self._count_events(event, churned)
            survivors = event & ~churned
            self.contacts = np.maximum(self.contacts - survivors, 1)
        active &= ~churned
        # Outputs at the month's end (new logos won this month start next month).
        revenue_each = np.where(active, self.share * self.wallet, 0.0)
        revenue = self.row_sum(revenue_each)
        wallet = self.row_sum(np.where(active, self.wallet, 0.0))
        count = self.row_sum(active.astype(np.float64))
        prev = month - 2
        values = recorder.values
        lo, hi = self.start, self.start + t

        def cumulative(name: str, now: FloatArray) -> FloatArray:
            return now + (values[name][lo:hi, prev] if prev >= 0 else 0.0)

        out["revenue"] = revenue
        out["revenue_cumulative"] = cumulative("revenue_cumulative", revenue)
        out["active_accounts"] = count
        out["accounts_lost"] = cumulative("accounts_lost", self.row_sum(churned.astype(np.float64)))
        out["wallet_share"] = np.divide(revenue, wallet, out=np.zeros(t), where=wallet > 0)
        contacts = self.row_sum(np.where(active, self.contacts, 0).astype(np.float64))
        out["contacts_per_account"] = np.divide(contacts, count, out=np.zeros(t), where=count > 0)
        out["lost_after_mgmt_change"] = cumulative(
            "lost_after_mgmt_change", self.row_sum((event & churned).astype(np.float64))
        )
        by_archetype = self._by_group(
            x.seat_archetype[self.owner], self.n_archetypes, revenue_each
        ).T
        # Breakdowns that stream (mean and standard error only).
        streamed: dict[str, FloatArray] = {}
        n_q = len(QUADRANTS)
        q_revenue = self._by_group(self.quadrant, n_q, revenue_each)
        q_wallet = self._by_group(self.quadrant, n_q, np.where(active, self.wallet, 0.0))
        self.lost_by_quadrant += self._by_group(self.quadrant, n_q, churned.astype(np.float64))
        q_meetings = (
            self._by_group(self.quadrant, n_q, meetings) if x.effects else np.zeros((t, n_q))
        )
        for q, name in enumerate(QUADRANTS):
            streamed[f"quadrant.{name}.revenue"] = q_revenue[:, q]
            streamed[f"quadrant.{name}.wallet_share"] = np.divide(
                q_revenue[:, q], q_wallet[:, q], out=np.zeros(t), where=q_wallet[:, q] > 0
            )
            streamed[f"quadrant.{name}.accounts_lost"] = self.lost_by_quadrant[:, q].copy()
            streamed[f"quadrant.{name}.reset_meetings"] = q_meetings[:, q]
        sourced = self._by_group(self.source, self.n_archetypes + 1, revenue_each)
        streamed["sourced_by.book"] = sourced[:, 0]
        for a, name in enumerate(x.archetype_names):
            streamed[f"sourced_by.{name}"] = sourced[:, a + 1]
        if x.effects:
            filled = ~self.vacant
            cost = np.where(filled, x.cost_month, 0.0).sum(axis=1) + np.where(
                hires, 12.0 * x.cost_month * r.hiring_share, 0.0
            ).sum(axis=1)
        else:
            cost = np.zeros(t)
        self.cost_total += cost
        self.net_total += revenue - cost
        streamed["costs.team_cost"] = cost
        streamed["costs.team_cost_cumulative"] = self.cost_total.copy()
        streamed["costs.revenue_minus_cost"] = revenue - cost
        streamed["costs.revenue_minus_cost_cumulative"] = self.net_total.copy()
        out["team_cost_cumulative"] = self.cost_total.copy()
        if x.effects:
            self.load = self._loads()
        new = self._new_logos(month, referral) if x.effects else np.zeros(t)
        out["new_logos"] = cumulative("new_logos", new)
        recorder.record(lo, month - 1, out, by_archetype, streamed)
        if x.effects:
            self.tenure += ~self.vacant

    def _weights(self) -> FloatArray:
        """Each account's claim on its owner's time under the attention policy."""
        x, r = self.x, self.x.rates
        policy = x.attention_policy
        if policy == "uniform":
            weights = np.ones(self.share.shape)
        elif policy == "key_accounts":
            high = (self.quadrant == 0) | (self.quadrant == 1)
            weights = np.where(high, r.key_weight, 1.0)
        elif policy == "size":
            revenue = self.share * self.wallet
            weights = (revenue / x.size_median) ** r.priority_exponent
        else:
            potential = np.maximum(self.wallet * (1.0 - self.share), 0.0)
            weights = (potential / x.potential_median) ** r.priority_exponent
        return np.where(self.active, weights, 0.0)

    def _attention(self) -> tuple[FloatArray, FloatArray, BoolArray]:
        """Per account: attention (0–1), service attention, and whether the owner is present.

        A filled seat's account hours (× ramp) are split over its accounts in proportion to
        the policy's weights; with shared coverage the vacant seats' accounts join the
        filled seats' denominators (spread evenly) and get ``vacancy_cover_attention`` of
        the time per unit weight they would get (service only). Attention is
        ``1 − exp(−hours / attention_hours_scale)``.
        """
        x, r = self.x, self.x.rates
        weights = self._weights()
        per_seat = self._by_group(self.owner, self.n_seats, weights)
        filled = ~self.vacant
        n_filled = filled.sum(axis=1)
        orphaned = np.where(self.vacant, per_seat, 0.0).sum(axis=1)
        covered = x.shared_coverage & (n_filled > 0)
        extra = np.where(covered, orphaned / np.maximum(n_filled, 1), 0.0)
        denominator = per_seat + extra[:, None]
        hours = np.where(filled, x.hours * ramp(self.tenure, r), 0.0)
        per_weight = np.divide(hours, denominator, out=np.zeros_like(hours), where=denominator > 0)
        cover = np.where(
            covered,
            r.cover_attention
            * np.where(filled, per_weight, 0.0).sum(axis=1)
            / np.maximum(n_filled, 1),
            0.0,
        )
        filled_owner = np.take_along_axis(filled, self.owner, axis=1)
        unit = np.where(
            filled_owner, np.take_along_axis(per_weight, self.owner, axis=1), cover[:, None]
        )
        attention = 1.0 - np.exp(-weights * unit / r.hours_scale)
        neglect = x.neglect[self.owner]
        service = np.where(filled_owner, attention * (1.0 - neglect), attention)
        return attention, service, filled_owner

    def _seats_turn_over(self, month: int) -> BoolArray:
        """Quits (likelier when overloaded) and hires; a departure costs the seat's accounts."""
        x, r = self.x, self.x.rates
        was_vacant = self.vacant
        overload = np.maximum(self.load / np.maximum(x.capacity, 1e-9) - 1.0, 0.0)
        p_quit = np.minimum(r.p_quit * (1.0 + r.overload_quit * overload), 1.0)
        quit_ = ~was_vacant & (streams.uniform(self.seat_base, month, REP_QUIT) < p_quit)
        hired = was_vacant & (streams.uniform(self.seat_base, month, SEAT_FILL) < r.p_fill)
        self.vacant = (was_vacant & ~hired) | quit_
        self.tenure = np.where(hired, 0, self.tenure)
        if quit_.any():
            hit = self.active & np.take_along_axis(quit_, self.owner, axis=1)
            self.health = np.where(hit, self.health * (1.0 - r.departure_health), self.health)
            lose = hit & (self.contacts > 1)
            lose &= streams.uniform(self.base, month, DEPARTURE) < r.departure_contact
            self.contacts = self.contacts - lose
        return np.asarray(hired)

    def _count_events(self, event: BoolArray, churned: BoolArray) -> None:
        k = self.contacts
        buckets = (k == 1, k == 2, k >= 3)
        events = np.array([np.count_nonzero(event & b) for b in buckets], dtype=np.float64)
        lost = np.array([np.count_nonzero(event & churned & b) for b in buckets], dtype=np.float64)
        self.events_by_contacts += events
        self.lost_by_contacts += lost

    def _new_logos(self, month: int, referral: BoolArray) -> FloatArray:
        """Win this month's new logos into free slots; returns the count per trial.

        A hunter's n-th new logo is the entity (seat, n); a referral is (referring account,
        n-th referral of that account): their draws never depend on the team or on which
        column they land in.
        """
        x, r = self.x, self.x.rates
        t = self.trials
        intensity = np.where(self.vacant, 0.0, x.prospecting * ramp(self.tenure, r))
        found = poisson_count(
            streams.uniform(self.seat_base, month, PROSPECTING), intensity, r.max_logos
        )
        found[:, x.prospecting <= 0] = 0
        referrals = referral.sum(axis=1)
        total = found.sum(axis=1) + referrals
        if not total.any():
            return np.zeros(t)
        needed = int((self.logos + total).max())
        if needed > self.slots:
            self._grow(max(needed, self.slots + self.slots // 2))
        load = self.load
        busy = np.where(self.vacant, 1e12, 0.0)
        handoff = np.flatnonzero(x.handoff)
        parts: list[tuple[IntArray, IntArray, IntArray, U64Array, IntArray]] = []
        for seat in np.flatnonzero(x.prospecting > 0).tolist():
            for level in range(1, r.max_logos + 1):
                trials = np.flatnonzero(found[:, seat] >= level)
                if trials.size == 0:
                    break
                if x.keeps_logos[seat]:
                    owners = np.full(trials.size, seat)
                else:
                    key = load[trials][:, handoff] + busy[trials][:, handoff]
                    owners = handoff[np.argmin(key, axis=1)]
                entity = streams.child_entity(
                    np.full(trials.size, x.seat_entities[seat], dtype=np.uint64),
                    self.won[trials, seat],
                )
                self.won[trials, seat] += 1
                source = np.full(trials.size, x.seat_archetype[seat] + 1)
                parts.append((trials, self.logos[trials].copy(), owners, entity, source))
                self.logos[trials] += 1
                load[trials, owners] += 1.0
        if referrals.any():
            ti, ci = np.nonzero(referral)  # row-major: by trial, then column order
            first = np.cumsum(referrals) - referrals
            rank = np.arange(ti.size) - first[ti]
            entity = streams.child_entity(self.entity[ti, ci], self.referred[ti, ci])
            self.referred[ti, ci] += 1
            owners = self.owner[ti, ci]
            source = x.seat_archetype[owners] + 1
            parts.append((ti, self.logos[ti] + rank, owners, entity, source))
            self.logos += referrals
            np.add.at(load, (ti, owners), 1.0)
        ti = np.concatenate([p[0] for p in parts])
        slot = np.concatenate([p[1] for p in parts])
        owners = np.concatenate([p[2] for p in parts])
        entity = np.concatenate([p[3] for p in parts])
        source = np.concatenate([p[4] for p in parts])
        self._activate(ti, slot, owners, entity, source)
        return np.asarray(total, dtype=np.float64)

    def _activate(
        self, ti: IntArray, slot: IntArray, owners: IntArray, entity: U64Array, source: IntArray
    ) -> None:
        """Start new logos in ``slot`` of trials ``ti``, sized from their own keyed draws."""
        x, r = self.x, self.x.rates
        base = streams.base_key(x.seed, (self.start + ti).astype(np.uint64), entity)
        revenue = x.logo_median * np.exp(r.logo_sigma * streams.normal(base, 0, LOGO_SIZE))
        wallet = revenue * r.logo_multiple
        share = 1.0 / r.logo_multiple
        column = self.n_book + slot
        self.active[ti, column] = True
        self.wallet[ti, column] = wallet
        self.share[ti, column] = share
        self.floor[ti, column] = r.floor_ratio * share
        self.ceiling[ti, column] = share + r.ceiling_gain * (1.0 - share)
        self.contacts[ti, column] = 1
        self.health[ti, column] = r.logo_health
        self.owner[ti, column] = owners
        self.quadrant[ti, column] = classify(revenue, wallet, x.thresholds)
        self.source[ti, column] = source
        self.entity[ti, column] = entity
        self.base[ti, column] = base
        self.referred[ti, column] = 0
        if x.theta_beta is not None:
            u = streams.uniform(base, 0, THETA)
            p = np.asarray(betaincinv(x.theta_beta.a, x.theta_beta.b, u), np.float64)
            self.theta[ti, column] = x.theta_beta.monthly(p)
        else:
            self.theta[ti, column] = x.logo_theta


def _initial_slots(x: ModelInputs) -> int:
    """Slots for about the first six months' new logos; more are added when a trial needs them.

    Only speed depends on this (never the horizon): slots are added in whole chunks and a
    new logo's draws are keyed by its source, not by its slot.
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
    recorder: TrialRecorder,
    *,
    initial_slots: int | None = None,
) -> Batch:
    """Simulate trials of blocks ``first_block`` … into ``recorder``; returns the final state."""
    batch = Batch(
        x, first_block, n_blocks, _initial_slots(x) if initial_slots is None else initial_slots
    )
    for month in range(1, x.horizon + 1):
        batch.step(month, recorder)
    recorder.add_events(batch.events_by_contacts, batch.lost_by_contacts)
    return batch


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


def run_simulation(
    scenario: Scenario,
    *,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    batch_trials: int | None = None,
    initial_slots: int | None = None,
) -> SimulationResult:
    """Run every trial of ``scenario``; the result does not depend on ``batch_trials``.

    ``progress(done, total)`` is called after each batch; ``should_stop()`` is checked
    between batches and stops the run with :class:`SimulationInterrupted`.
    ``initial_slots`` (tests) sets the new-logo slots allocated before any are needed.
    """
    x = prepare(scenario)
    kept = x.trials * x.horizon * (len(METRICS) + len(x.archetype_names)) * 8
    if kept > MAX_OUTPUT_BYTES:
        most = MAX_OUTPUT_BYTES // (x.horizon * (len(METRICS) + len(x.archetype_names)) * 8)
        raise SimulateError(
            f"trials: {x.trials:,} trials over {x.horizon} months would keep "
            f"{kept / 2**30:.1f} GiB of per-trial results; expected at most {most:,} trials "
            f"for this horizon (the limit is {MAX_OUTPUT_BYTES / 2**30:.0f} GiB)."
        )
    recorder = TrialRecorder(
        x.trials, x.horizon, x.archetype_names, streamed=streamed_names(x), block=BLOCK_TRIALS
    )
    per_batch = batch_trials if batch_trials is not None else default_batch_trials(x)
    if per_batch < 1:
        raise SimulateError(f"batch_trials: expected a whole number ≥ 1; found {per_batch}.")
    blocks_per_batch = max(1, per_batch // BLOCK_TRIALS)
    total_blocks = -(-x.trials // BLOCK_TRIALS)
    for first in range(0, total_blocks, blocks_per_batch):
        if should_stop is not None and should_stop():
            raise SimulationInterrupted(
                f"the simulation was interrupted after {min(first * BLOCK_TRIALS, x.trials):,} "
                f"of {x.trials:,} trials."
            )
        run_batch(
            x,
            first,
            min(blocks_per_batch, total_blocks - first),
            recorder,
            initial_slots=initial_slots,
        )
        if progress is not None:
            progress(min((first + blocks_per_batch) * BLOCK_TRIALS, x.trials), x.trials)
    return recorder.finish(
        scenario=scenario.name,
        seed=x.seed,
        effects=scenario.effects,
        target=x.target,
        assumptions=scenario.assumptions,
        quadrant_thresholds={"size": x.thresholds.size, "potential": x.thresholds.potential},
    )
