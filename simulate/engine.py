"""The vectorised Monte Carlo engine (pure: no files, no terminal).

One monthly step of DESIGN.md §5, vectorised over trials × accounts, trials
processed in batches of whole blocks. docs/model.md describes the model; this
module is its fast implementation and :mod:`simulate.reference` its slow,
obviously-correct twin.

Randomness and common random numbers
------------------------------------
Every stream is keyed by ``SeedSequence(seed, spawn_key=(block, mechanism))``,
a block being ``BLOCK_TRIALS`` trials (a constant independent of the batch size):

* per (block, mechanism, month): an SFC64 generator seeded from the stream's key
  and the month (:func:`monthly_generator`) draws uniforms (or standard normals)
  laid out ``[BLOCK_TRIALS × book accounts]`` then one
  ``[BLOCK_TRIALS × LOGO_SLOT_CHUNK]`` array per chunk of new-logo slots, so the
  book's draws never depend on how many slots exist and slot ``j``'s draws
  never depend on later slots;
* per (block, mechanism, seat id hash): one uniform per trial and month for a
  seat (quit, fill, prospecting), so adding a seat leaves other seats' draws
  unchanged.

Every random quantity whose distribution depends on the team or policies is a
uniform through a threshold (an event) or an inverse CDF (a small count).
Same seed, same result, whatever ``batch_trials``; a block's draws are always
made in full, so trial ``i`` also gets the same draws whatever ``trials`` is.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.random.bit_generator import ISeedSequence
from numpy.typing import NDArray

from simulate.assumptions import monthly_probability
from simulate.behaviour import account_capacity, effectiveness, prospecting_intensity
from simulate.book import ChurnBeta
from simulate.errors import SimulateError
from simulate.results import CONTACT_BUCKETS, METRICS, SimulationResult, TrialRecorder

BLOCK_TRIALS = 32
"""Trials per random-number block; batches are whole blocks, so results never depend on them."""
LOGO_SLOT_CHUNK = 32
"""New-logo slots are allocated (and their random numbers drawn) in chunks of this many."""
TARGET_BATCH_ELEMENTS = 65_536
"""Trials × columns aimed at per batch (keeps the working set in cache; DESIGN.md §7)."""
MAX_OUTPUT_BYTES = 2 * 2**30
"""Largest per-trial, per-month output kept (trials × months × metrics, float64)."""

# Mechanism ids in the SeedSequence spawn keys; never renumber (results would change).
THETA, ECONOMY, WALLET, CONVERSATIONS, WIN, ASK_CONTACT, ASK_REFERRAL = 1, 2, 3, 4, 5, 6, 7
CONTACT_DECAY, MGMT_CHANGE, CHURN, LOGO_INIT, REP_QUIT, SEAT_FILL, PROSPECTING = (
    8,
    9,
    10,
    11,
    12,
    13,
    14,
)

if TYPE_CHECKING:
    from simulate.model import Scenario

F32 = np.float32
Float32Array = NDArray[np.float32]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class SimulationInterrupted(SimulateError):
    """The run was stopped between batches (``should_stop`` returned True)."""


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Rates:
    """The assumptions in the units the monthly step uses."""

    p_quit: float
    p_fill: float
    ramp_months: float
    ramp_start: float
    drift: float
    economy_sd: float
    account_sd: float
    erosion: float
    protection_rate: float
    capture: float
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
    cover_attention: float
    max_logos: int
    logo_sigma: float
    logo_multiple: float
    logo_health: float


@dataclass(frozen=True, eq=False)
class ModelInputs:
    """Everything the monthly step needs, resolved from a scenario (shared with the reference)."""

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
    seat_ids: tuple[str, ...]
    seat_keys: tuple[int, ...]
    seat_archetype: IntArray
    archetype_names: tuple[str, ...]
    capacity: FloatArray
    efficiency: FloatArray
    proactive: FloatArray
    close: FloatArray
    ask: FloatArray
    quality: FloatArray
    neglect: FloatArray
    prospecting: FloatArray
    keeps_logos: BoolArray
    """Seats that keep the new logos they win (hybrids; hunters unless handed off)."""
    handoff: BoolArray
    """Seats that may receive handed-off new logos (account managers)."""
    shared_coverage: bool
    rates: Rates
    logo_median: float
    logo_theta: float
    target: tuple[str, int | None, float] | None


def _rates(scenario: Scenario) -> Rates:
    v = scenario.value
    return Rates(
        p_quit=monthly_probability(v("rep_attrition_annual")),
        p_fill=1.0 / v("vacancy_months_mean"),
        ramp_months=v("ramp_months"),
        ramp_start=v("ramp_start_productivity"),
        drift=scenario.economy.drift_annual / 12.0,
        economy_sd=scenario.economy.volatility_annual / math.sqrt(12.0),
        account_sd=v("wallet_volatility_annual") / math.sqrt(12.0),
        erosion=v("erosion_annual") / 12.0,
        protection_rate=v("protection_reference_rate"),
        capture=v("win_capture_share"),
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
        cover_attention=v("vacancy_cover_attention"),
        max_logos=int(v("max_new_logos_per_seat_month")),
        logo_sigma=v("new_logo_size_sigma"),
        logo_multiple=v("new_logo_wallet_multiple"),
        logo_health=v("new_logo_health"),
    )


def seat_key(seat_id: str) -> int:
    """A stable number for a seat id, used in its random streams' keys."""
    return zlib.crc32(seat_id.encode("utf-8"))


def assign_accounts(scenario: Scenario) -> IntArray:
    """Seat index per book account: the book's owner, else placed by ``policies.assignment``.

    Accounts without an owner go to account-manager seats (else hybrids, else any
    seat). ``round_robin`` deals them in book order; ``potential`` (most uncaptured
    wallet first) and ``size`` (largest revenue first) give each account to the
    seat with the most spare capacity at that point (ties: the first seat).
    """
    book, seats = scenario.book, scenario.seats
    index = {seat.seat_id: i for i, seat in enumerate(seats)}
    owner = np.array([index[o] if o is not None else -1 for o in book.owner], dtype=np.int64)
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
    target = scenario.target
    return ModelInputs(
        horizon=scenario.horizon_months,
        trials=scenario.trials,
        seed=scenario.seed,
        effects=scenario.effects == "all",
        revenue=book.revenue.astype(np.float64),
        wallet=book.wallet.astype(np.float64),
        contacts=book.contacts.astype(np.int64),
        health=book.health.astype(np.float64),
        theta=book.theta.astype(np.float64),
        theta_beta=book.theta_beta,
        owner=assign_accounts(scenario),
        seat_ids=tuple(s.seat_id for s in seats),
        seat_keys=tuple(seat_key(s.seat_id) for s in seats),
        seat_archetype=np.array([names.index(s.archetype.name) for s in seats], dtype=np.int64),
        archetype_names=names,
        capacity=np.array([account_capacity(s.archetype) for s in seats]),
        efficiency=np.array([effectiveness(s.archetype.hunting_time, cost) for s in seats]),
        proactive=np.array([s.archetype.proactive_rate for s in seats]),
        close=np.array([s.archetype.close_rate for s in seats]),
        ask=np.array([s.archetype.ask_rate for s in seats]),
        quality=np.array([s.archetype.service_quality for s in seats]),
        neglect=np.array([s.archetype.neglect for s in seats]),
        prospecting=np.array([prospecting_intensity(s.archetype, cost) for s in seats]),
        keeps_logos=keeps,
        handoff=handoff,
        shared_coverage=scenario.policies.vacancy_coverage == "shared",
        rates=_rates(scenario),
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


# ------------------------------------------------------------------------ random numbers


def generator(seed: int, *key: int) -> np.random.Generator:
    """The stream for ``key`` (block, mechanism[, seat]) under ``seed``, made once per batch."""
    return np.random.Generator(np.random.SFC64(np.random.SeedSequence(seed, spawn_key=key)))


_MASK64 = (1 << 64) - 1


@functools.lru_cache(maxsize=4096)
def _stream_key(seed: int, block: int, mechanism: int) -> tuple[int, int]:
    words = np.random.SeedSequence(seed, spawn_key=(block, mechanism)).generate_state(2, np.uint64)
    return int(words[0]), int(words[1])


class _MonthSeed(ISeedSequence):
    """Seed words for one month of a (block, mechanism) stream, by SplitMix64.

    SplitMix64 is the seeding routine SFC-family generators are designed for;
    starting it from the stream's 128-bit SeedSequence key and the month gives
    each month its own generator in microseconds instead of a SeedSequence hash.
    """

    def __init__(self, key: tuple[int, int], month: int) -> None:
        self.key = key
        self.month = month

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> NDArray[Any]:
        wide = np.dtype(dtype) == np.uint64
        x = (self.key[0] + self.month * 0xD1B54A32D192ED03) & _MASK64
        words = []
        for _ in range(n_words if wide else (n_words + 1) // 2):
            x = (x + 0x9E3779B97F4A7C15) & _MASK64
            z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
            words.append((z ^ (z >> 31)) ^ self.key[1])
        state = np.array(words, dtype=np.uint64)
        return state if wide else state.view(np.uint32)[:n_words]


def monthly_generator(seed: int, block: int, mechanism: int, month: int) -> np.random.Generator:
    """Month ``month`` of the (block, mechanism) stream keyed by ``SeedSequence(seed)``.

    The stream's key is ``SeedSequence(seed, spawn_key=(block, mechanism))``; each month
    gets its own SFC64 generator seeded from that key and the month (:class:`_MonthSeed`),
    so any month is reached without drawing the ones before it.
    """
    seed_words: Any = _MonthSeed(_stream_key(seed, block, mechanism), month)
    return np.random.Generator(np.random.SFC64(seed_words))


def block_draws(
    seed: int,
    block: int,
    mechanism: int,
    month: int,
    n_book: int,
    n_chunks: int,
    normal: bool,
    out: Float32Array | None = None,
) -> Float32Array:
    """One block's draws for a mechanism and month: book columns, then slot chunks.

    ``out`` (rows ≤ ``BLOCK_TRIALS``) receives the first rows; the block's draws are
    always made in full so that a trial's numbers never depend on the trial count.
    """
    g = monthly_generator(seed, block, mechanism, month)
    draw = g.standard_normal if normal else g.random
    width = n_book + n_chunks * LOGO_SLOT_CHUNK
    if out is None:
        out = np.empty((BLOCK_TRIALS, width), dtype=F32)
    rows = out.shape[0]
    out[:, :n_book] = draw((BLOCK_TRIALS, n_book), dtype=F32)[:rows]
    for c in range(n_chunks):
        column = n_book + c * LOGO_SLOT_CHUNK
        out[:, column : column + LOGO_SLOT_CHUNK] = draw(
            (BLOCK_TRIALS, LOGO_SLOT_CHUNK), dtype=F32
        )[:rows]
    return out


def poisson_count(
    u: Float32Array | FloatArray, lam: Float32Array | FloatArray | float, cap: int
) -> IntArray:
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


# ----------------------------------------------------------------------------- the batch


@dataclass(frozen=True)
class _SeatTerms:
    """Per (trial, seat) terms of one month; accounts take their owner seat's values."""

    conversation_rate: FloatArray
    """Proactive conversations per account-month (0 for a vacant seat)."""
    no_conversation: FloatArray
    """exp(−rate): the Poisson probability of no conversation."""
    erosion: FloatArray
    """Factor on the share of wallet from competitors' erosion this month."""
    ask_rate: FloatArray
    """Probability of an ask per account-month before the health factor."""
    health_target: FloatArray
    """Health the owner's service pulls an account toward."""
    owner_factor: FloatArray
    """Owner factor of the churn hazard (1 for an attentive owner)."""


class Batch:
    """State of ``trials`` trials (whole blocks from ``first_block``) over the horizon."""

    def __init__(self, inputs: ModelInputs, first_block: int, n_blocks: int, slots: int) -> None:
        self.x = inputs
        self.first_block = first_block
        self.n_blocks = n_blocks
        start = first_block * BLOCK_TRIALS
        self.start = start
        self.trials = min(inputs.trials, (first_block + n_blocks) * BLOCK_TRIALS) - start
        self.n_book = inputs.revenue.shape[0]
        self.n_seats = len(inputs.seat_ids)
        t, n = self.trials, self.n_book
        self.slots = 0
        self.active = np.ones((t, n), dtype=bool)
        self.wallet = np.broadcast_to(inputs.wallet.astype(F32), (t, n)).copy()
        self.share = np.broadcast_to((inputs.revenue / inputs.wallet).astype(F32), (t, n)).copy()
        self.contacts = np.broadcast_to(inputs.contacts.astype(np.int16), (t, n)).copy()
        self.health = np.broadcast_to(inputs.health.astype(F32), (t, n)).copy()
        self.owner = np.broadcast_to(inputs.owner.astype(np.int32), (t, n)).copy()
        if inputs.theta_beta is not None:
            beta = inputs.theta_beta
            rows = [
                generator(inputs.seed, b, THETA).beta(beta.a, beta.b, (BLOCK_TRIALS, n))
                for b in self._blocks()
            ]
            self.theta = np.concatenate(rows)[:t].astype(F32)
        else:
            self.theta = np.broadcast_to(inputs.theta.astype(F32), (t, n)).copy()
        self._grow(slots)
        self.logos = np.zeros(t, dtype=np.int64)
        r = inputs.rates
        k = np.arange(r.max_contacts + 2, dtype=np.float64)
        self.leave_table = np.where(k > 1, 1.0 - (1.0 - r.contact_decay) ** (k - 1.0), -1.0)
        self.leave_table = self.leave_table.astype(F32)
        capped = np.minimum(np.maximum(k, 1.0), r.contacts_cap)
        self.contacts_factor = np.exp(-r.contacts_effect * (capped - r.contacts_reference)).astype(
            F32
        )
        self.event_factor = (1.0 + r.mgmt_uplift * np.maximum(k, 1.0) ** (-r.mgmt_exponent)).astype(
            F32
        )
        self.n_archetypes = len(inputs.archetype_names)
        self.archetype_of_seat = inputs.seat_archetype.astype(np.int64)
        self.book_archetype = np.zeros((self.n_book, self.n_archetypes))
        self.book_archetype[np.arange(self.n_book), inputs.seat_archetype[inputs.owner]] = 1.0
        self.load = np.zeros((self.trials, self.n_seats))
        self.events_by_contacts = np.zeros(len(CONTACT_BUCKETS))
        self.lost_by_contacts = np.zeros(len(CONTACT_BUCKETS))
        self.vacant = np.zeros((t, self.n_seats), dtype=bool)
        self.tenure = np.full((t, self.n_seats), 10_000, dtype=np.int64)
        self.seat_draws = {
            mech: self._seat_uniforms(mech) for mech in (REP_QUIT, SEAT_FILL, PROSPECTING)
        }
        self.economy = np.concatenate(
            [
                generator(inputs.seed, b, ECONOMY).standard_normal((BLOCK_TRIALS, inputs.horizon))
                for b in self._blocks()
            ]
        )[:t]

    def _blocks(self) -> range:
        return range(self.first_block, self.first_block + self.n_blocks)

    def _seat_uniforms(self, mechanism: int) -> FloatArray:
        """(trials, seats, months) uniforms; each seat's from its own stream."""
        x = self.x
        out = np.empty((self.trials, self.n_seats, x.horizon))
        for j, key in enumerate(x.seat_keys):
            rows = [
                generator(x.seed, b, mechanism, key).random((BLOCK_TRIALS, x.horizon))
                for b in self._blocks()
            ]
            out[:, j, :] = np.concatenate(rows)[: self.trials]
        return out

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
        self.contacts = pad(self.contacts, 1)
        self.health = pad(self.health, 0.0)
        self.owner = pad(self.owner, 0)
        self.theta = pad(self.theta, 0.0)
        self.slots += extra

    def draws(self, mechanism: int, month: int, normal: bool = False) -> Float32Array:
        """(trials, book + slots) draws of a mechanism for a month (see :func:`block_draws`)."""
        chunks = self.slots // LOGO_SLOT_CHUNK
        out = np.empty((self.trials, self.n_book + self.slots), dtype=F32)
        for i, b in enumerate(self._blocks()):
            lo = i * BLOCK_TRIALS
            rows = out[lo : lo + BLOCK_TRIALS]
            block_draws(self.x.seed, b, mechanism, month, self.n_book, chunks, normal, out=rows)
        return out

    # ------------------------------------------------------------------ one month

    def step(self, month: int, recorder: TrialRecorder) -> None:
        """Advance every trial of the batch by one month and record its outputs."""
        x, r = self.x, self.x.rates
        t = self.trials
        rows = np.arange(t)[:, None]
        active = self.active
        out: dict[str, FloatArray] = {}
        # Each account's owner seat as a flat index into (trials × seats) arrays.
        flat = self.owner + (rows * self.n_seats).astype(np.int32)
        if x.effects:
            self._seats_turn_over(month)
            self.load = self._loads(flat)
            seat = self._seat_terms(self.load)

            def gather(values: FloatArray) -> Float32Array:
                return np.take(values.astype(F32).ravel(), flat)

            # Wallet drift: economy-wide shock per trial and month plus account noise.
            z = self.draws(WALLET, month, normal=True)
            shock = (r.drift + r.economy_sd * self.economy[:, month - 1 : month]).astype(F32)
            self.wallet *= np.exp(shock + F32(r.account_sd) * z)
            # Proactive growth: conversations (a Poisson count by inverse CDF) create
            # opportunities on the uncaptured wallet, won at the owner's close rate.
            u = self.draws(CONVERSATIONS, month)
            some = active & (u > gather(seat.no_conversation))
            ti, ci = np.nonzero(some)
            conversations = poisson_count(
                u[ti, ci], seat.conversation_rate[ti, self.owner[ti, ci]], r.max_conversations
            )
            out["reset_meetings"] = np.asarray(
                np.bincount(ti, weights=conversations, minlength=t), dtype=np.float64
            )
            close = x.close[self.owner[ti, ci]]
            won = self.draws(WIN, month)[ti, ci] < 1.0 - (1.0 - close) ** conversations
            wi, wc = ti[won], ci[won]
            self.share[wi, wc] += F32(r.capture) * (1.0 - self.share[wi, wc])
            # Erosion without proactive work.
            self.share *= gather(seat.erosion)
            # Asks: contacts and referrals, likelier when health is high.
            ask = gather(seat.ask_rate) * self.health
            added = active & (self.draws(ASK_CONTACT, month) < ask * F32(r.ask_contact_success))
            self.contacts = np.minimum(self.contacts + added, r.max_contacts).astype(np.int16)
            referral = active & (
                self.draws(ASK_REFERRAL, month) < ask * F32(r.ask_referral_success)
            )
            # Contacts beyond the first leave at the data-decay rate.
            left = self.draws(CONTACT_DECAY, month) < np.take(self.leave_table, self.contacts)
            self.contacts = (self.contacts - left).astype(np.int16)
            # Health moves toward the service the account gets.
            self.health += F32(r.health_rate) * (gather(seat.health_target) - self.health)
            # Management change and churn.
            event = active & (self.draws(MGMT_CHANGE, month) < r.mgmt_change)
            hazard = (
                self.theta
                * np.exp(F32(-r.health_effect) * (self.health - F32(r.health_reference)))
                * np.take(self.contacts_factor, self.contacts)
                * gather(seat.owner_factor)
            )
            ei, ec = np.nonzero(event)
            hazard[ei, ec] *= np.take(self.event_factor, self.contacts[ei, ec])
        else:
            out["reset_meetings"] = np.zeros(t)
            hazard = self.theta
            event = np.zeros_like(active)
            referral = event
        churned = active & (self.draws(CHURN, month) < np.minimum(hazard, 1.0))
        if x.effects:
            self._count_events(event, churned)
            survivors = event & ~churned
            self.contacts = np.maximum(self.contacts - survivors, 1).astype(np.int16)
        active &= ~churned
        # Outputs at the month's end (new logos won this month start next month).
        revenue_each = np.where(active, self.share * self.wallet, F32(0.0))
        revenue = revenue_each.sum(axis=1, dtype=np.float64)
        wallet = np.where(active, self.wallet, F32(0.0)).sum(axis=1, dtype=np.float64)
        count = active.sum(axis=1).astype(np.float64)
        prev = month - 2
        values = recorder.values
        lo, hi = self.start, self.start + t

        def cumulative(name: str, now: FloatArray) -> FloatArray:
            return now + (values[name][lo:hi, prev] if prev >= 0 else 0.0)

        out["revenue"] = revenue
        out["revenue_cumulative"] = cumulative("revenue_cumulative", revenue)
        out["active_accounts"] = count
        out["accounts_lost"] = cumulative("accounts_lost", churned.sum(axis=1).astype(np.float64))
        out["wallet_share"] = np.divide(revenue, wallet, out=np.zeros(t), where=wallet > 0)
        contacts = np.where(active, self.contacts, 0).sum(axis=1).astype(np.float64)
        out["contacts_per_account"] = np.divide(contacts, count, out=np.zeros(t), where=count > 0)
        out["lost_after_mgmt_change"] = cumulative(
            "lost_after_mgmt_change", (event & churned).sum(axis=1).astype(np.float64)
        )
        # Book accounts never change owner: their revenue by archetype is a matrix product.
        n = self.n_book
        by_archetype = (revenue_each[:, :n].astype(np.float64) @ self.book_archetype).T
        slot_revenue = np.bincount(
            self.archetype_of_seat[self.owner[:, n:]].ravel()
            + np.repeat(np.arange(t) * self.n_archetypes, self.slots),
            weights=revenue_each[:, n:].ravel(),
            minlength=t * self.n_archetypes,
        )
        by_archetype += slot_revenue.reshape(t, self.n_archetypes).T
        if x.effects:
            ci, cc = np.nonzero(churned)
            np.subtract.at(self.load, (ci, self.owner[ci, cc]), 1.0)
        new = self._new_logos(month, referral) if x.effects else np.zeros(t)
        out["new_logos"] = cumulative("new_logos", new)
        recorder.record(lo, month - 1, out, by_archetype)
        if x.effects:
            self.tenure += ~self.vacant

    def _seat_terms(self, load: FloatArray) -> _SeatTerms:
        """Per (trial, seat) quantities of the month: attention and what follows from it."""
        x, r = self.x, self.x.rates
        filled = ~self.vacant
        n_filled = filled.sum(axis=1)
        orphaned = np.where(self.vacant, load, 0.0).sum(axis=1)
        covered = x.shared_coverage & (n_filled > 0)
        extra = np.where(covered, orphaned / np.maximum(n_filled, 1), 0.0)
        effective_load = load + extra[:, None]
        fit = np.where(
            effective_load > 0,
            np.minimum(1.0, x.capacity / np.maximum(effective_load, 1e-9)),
            1.0,
        )
        attention = np.where(filled, self._ramp() * x.efficiency * fit, 0.0)
        cover = np.where(
            covered, r.cover_attention * attention.sum(axis=1) / np.maximum(n_filled, 1), 0.0
        )
        # A vacant seat's accounts get the covering reps' attention: service only.
        service = np.where(filled, attention * (1.0 - x.neglect), cover[:, None])
        rate = np.where(filled, x.proactive * attention, 0.0)
        protection = np.minimum(1.0, rate / r.protection_rate)
        return _SeatTerms(
            conversation_rate=rate,
            no_conversation=np.exp(-rate),
            erosion=np.exp(-r.erosion * (1.0 - protection)),
            ask_rate=np.where(filled, x.ask * attention, 0.0),
            health_target=x.quality * service + r.health_neglected * (1.0 - service),
            owner_factor=1.0 + r.owner_effect * (1.0 - service),
        )

    def _ramp(self) -> FloatArray:
        """Productivity of each seat's rep: linear from ramp_start to 1 over ramp_months."""
        r = self.x.rates
        if r.ramp_months <= 0:
            return np.ones(self.tenure.shape)
        done = np.minimum(1.0, self.tenure / r.ramp_months)
        return r.ramp_start + (1.0 - r.ramp_start) * done

    def _seats_turn_over(self, month: int) -> None:
        r = self.x.rates
        was_vacant = self.vacant
        quit_ = ~was_vacant & (self.seat_draws[REP_QUIT][:, :, month - 1] < r.p_quit)
        hired = was_vacant & (self.seat_draws[SEAT_FILL][:, :, month - 1] < r.p_fill)
        self.vacant = (was_vacant & ~hired) | quit_
        self.tenure = np.where(hired, 0, self.tenure)

    def _loads(self, flat: NDArray[np.int32] | None = None) -> FloatArray:
        """Active accounts per (trial, seat)."""
        t, s = self.trials, self.n_seats
        if flat is None:
            flat = self.owner + (np.arange(t, dtype=np.int32) * s)[:, None]
        counts = np.bincount(flat[self.active], minlength=t * s)
        return counts.reshape(t, s).astype(np.float64)

    def _count_events(self, event: BoolArray, churned: BoolArray) -> None:
        k = self.contacts
        buckets = (k == 1, k == 2, k >= 3)
        events = np.array([np.count_nonzero(event & b) for b in buckets], dtype=np.float64)
        lost = np.array([np.count_nonzero(event & churned & b) for b in buckets], dtype=np.float64)
        self.events_by_contacts += events
        self.lost_by_contacts += lost

    def _new_logos(self, month: int, referral: BoolArray) -> FloatArray:
        """Win this month's new logos into free slots; returns the count per trial."""
        x, r = self.x, self.x.rates
        t = self.trials
        intensity = np.where(self.vacant, 0.0, x.prospecting * self._ramp())
        found = poisson_count(self.seat_draws[PROSPECTING][:, :, month - 1], intensity, r.max_logos)
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
        trial_idx: list[IntArray] = []
        slot_idx: list[IntArray] = []
        owner_idx: list[IntArray] = []
        handoff = np.flatnonzero(x.handoff)
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
                trial_idx.append(trials)
                slot_idx.append(self.logos[trials].copy())
                owner_idx.append(owners)
                self.logos[trials] += 1
                load[trials, owners] += 1.0
        if referrals.any():
            ti, ci = np.nonzero(referral)  # row-major: by trial, then account order
            first = np.cumsum(referrals) - referrals
            rank = np.arange(ti.size) - first[ti]
            trial_idx.append(ti)
            slot_idx.append(self.logos[ti] + rank)
            owner_idx.append(self.owner[ti, ci].astype(np.int64))
            self.logos += referrals
        ti = np.concatenate(trial_idx)
        slot = np.concatenate(slot_idx)
        owners = np.concatenate(owner_idx)
        self._activate(month, ti, slot, owners)
        return np.asarray(total, dtype=np.float64)

    def _activate(self, month: int, ti: IntArray, slot: IntArray, owners: IntArray) -> None:
        """Start new logos in ``slot`` of trials ``ti``, sized from the slots' own draws."""
        x, r = self.x, self.x.rates
        # Slot j's draws come after those of slots < j, so only the chunks in use are drawn,
        # and only for blocks with a new logo this month (each (block, month) has its stream).
        chunks = int(slot.max()) // LOGO_SLOT_CHUNK + 1
        width = chunks * LOGO_SLOT_CHUNK
        z = np.zeros((self.trials, width))
        theta = np.zeros((self.trials, width))
        for i in np.unique(ti // BLOCK_TRIALS).tolist():
            g = monthly_generator(x.seed, self.first_block + i, LOGO_INIT, month)
            lo = i * BLOCK_TRIALS
            rows = min(BLOCK_TRIALS, self.trials - lo)
            for c in range(chunks):
                columns = slice(c * LOGO_SLOT_CHUNK, (c + 1) * LOGO_SLOT_CHUNK)
                z[lo : lo + rows, columns] = g.standard_normal((BLOCK_TRIALS, LOGO_SLOT_CHUNK))[
                    :rows
                ]
                if x.theta_beta is not None:
                    beta = x.theta_beta
                    draws = g.beta(beta.a, beta.b, (BLOCK_TRIALS, LOGO_SLOT_CHUNK))
                    theta[lo : lo + rows, columns] = draws[:rows]
        column = self.n_book + slot
        revenue = x.logo_median * np.exp(r.logo_sigma * z[ti, slot])
        self.active[ti, column] = True
        self.wallet[ti, column] = revenue * r.logo_multiple
        self.share[ti, column] = 1.0 / r.logo_multiple
        self.contacts[ti, column] = 1
        self.health[ti, column] = r.logo_health
        self.owner[ti, column] = owners
        if x.theta_beta is not None:
            self.theta[ti, column] = theta[ti, slot]
        else:
            self.theta[ti, column] = x.logo_theta


def _initial_slots(x: ModelInputs) -> int:
    """Slots for about the first six months' new logos; more are added when a trial needs them.

    Only speed depends on this: slots are added in whole chunks, 1.5× at a time, and a
    slot's random numbers do not depend on how many slots exist.
    """
    if not x.effects:
        return 0
    accounts = int(x.revenue.shape[0])
    referral = accounts * float(np.max(x.ask, initial=0.0)) * x.rates.ask_referral_success
    expected = (float(x.prospecting.sum()) + referral) * min(6, x.horizon)
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
    recorder = TrialRecorder(x.trials, x.horizon, x.archetype_names)
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
    )


__all__ = [
    "BLOCK_TRIALS",
    "LOGO_SLOT_CHUNK",
    "Batch",
    "ModelInputs",
    "SimulationInterrupted",
    "assign_accounts",
    "block_draws",
    "monthly_generator",
    "prepare",
    "run_batch",
    "run_simulation",
]
