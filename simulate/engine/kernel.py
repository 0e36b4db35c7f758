"""The model's months, fused per account-month and compiled by numba (pure; cached on disk).

:func:`run_trials` runs each trial of a batch over the whole horizon, one trial after
the other, on that trial's own state (about 120 bytes per column: the book and the
new logos it wins, a few hundred kilobytes that stay in the core's cache for all its
months). A month (:func:`_month`) is a short pass over the seats (turnover, hours,
attention), at most one pass over the accounts for departures and attention weights,
then one pass over the active accounts (wallet, conversations and wins, competitors'
pressure, asks, contacts, health, management change, churn and every output sum),
then the month's new logos (:func:`_count_new_logos`, :func:`_activate`) and the
tenure. Draws come from the compiled twins in :mod:`simulate.engine.streams`, keyed
exactly as the numpy functions key them, so a draw that is not needed (anything of an
account that has churned, an ask of probability 0) is simply not made; one that is
cheaper made than skipped (contact decay, whose table never takes the last contact) is
made for every account.

The account loop walks a list of the trial's active columns in column order (the
book, then new logos in the order they were won), so sums over accounts have one order
whatever the batch size, the number of slots, the workers or the backend.

The kernel knows nothing of scenarios: :mod:`simulate.engine.core` packs the
model's rates into the float array ``rp`` (indices below) and turns the per-(trial,
month) sums into the run's outputs.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from simulate.engine.streams import (
    base_word,
    beta_log_norm,
    beta_quantile_normed,
    child_word,
    draw_word,
    high_unit,
    inverse_normal,
    lognormal_factor,
    low_unit,
    uniform_word,
)

# Indices of ``rp``, the packed rates (see :func:`simulate.engine.core.pack_rates`).
(
    P_QUIT,
    P_FILL,
    OVERLOAD_QUIT,
    DEPARTURE_HEALTH,
    DEPARTURE_CONTACT,
    RAMP_MONTHS,
    RAMP_START,
    DRIFT,
    ECONOMY_SD,
    ACCOUNT_SD,
    CAPTURE,
    CEILING_GAIN,
    FLOOR_RATIO,
    PRESSURE,
    MAX_CONVERSATIONS,
    ASK_CONTACT_SUCCESS,
    ASK_REFERRAL_SUCCESS,
    MAX_CONTACTS,
    HEALTH_RATE,
    HEALTH_NEGLECTED,
    MGMT_CHANGE_P,
    HEALTH_EFFECT,
    HEALTH_REFERENCE,
    CONTACTS_EFFECT,
    CONTACTS_REFERENCE,
    CONTACTS_CAP,
    OWNER_EFFECT,
    COVER_ATTENTION,
    HOURS_SCALE,
    PRIORITY_EXPONENT,
    KEY_WEIGHT,
    MAX_LOGOS,
    LOGO_SIGMA,
    LOGO_MULTIPLE,
    LOGO_HEALTH,
    HIRING_SHARE,
    CHURN_REFERENCE,
    SIZE_MEDIAN,
    POTENTIAL_MEDIAN,
    LOGO_MEDIAN,
    LOGO_THETA,
    SIZE_THRESHOLD,
    POTENTIAL_THRESHOLD,
    THETA_A,
    THETA_B,
    THETA_YEARLY,
) = range(46)
N_RATES = 46
"""THETA_A and THETA_B are the book's beta distribution of θ (0 when θ is not drawn)."""

# Stream mechanisms the account loop draws from (the ids of simulate.engine.core): the
# wallet's normal; conversations (high half) and the win (low half); the contact ask (high)
# and the referral ask (low); contact decay; churn (high) and the management change (low).
WALLET_STREAM, CONVERSATIONS_STREAM, ASK_STREAM, DECAY_STREAM, CHURN_STREAM = 3, 4, 6, 8, 10
# ... and the new logos' streams: prospecting (per month), and size and θ (month 0).
THETA_STREAM, LOGO_SIZE_STREAM, PROSPECTING_STREAM = 1, 11, 14
N_STREAMS = 16
"""Mechanism ids below this: the columns of the counters table (:func:`run_trials`)."""

# Attention policies as codes (the order of core.ATTENTION_POLICIES).
UNIFORM, POTENTIAL, SIZE, KEY_ACCOUNTS = range(4)

# Columns of the per-trial month outputs ``sums``.
(
    S_REVENUE,
    S_WALLET,
    S_COUNT,
    S_CONTACTS,
    S_LOST,
    S_LOST_EVENT,
    S_MEETINGS,
    S_COST,
    S_NEW,
) = range(9)
N_SUMS = 9

# Columns of the per-trial quadrant outputs ``quad`` (per quadrant).
Q_REVENUE, Q_WALLET, Q_MEETINGS = range(3)


@njit(inline="always")  # inlined: compiled (and cached) in its callers
def poisson_count(u: float, lam: float, cap: int) -> int:
    """Inverse CDF of Poisson(lam) at ``u``, truncated at ``cap`` (one uniform per count)."""
    return poisson_count_from(u, lam, math.exp(-lam), cap)


@njit(inline="always")  # inlined: compiled (and cached) in its callers
def poisson_count_from(u: float, lam: float, p0: float, cap: int) -> int:
    """:func:`poisson_count` given ``p0 = exp(−lam)`` already computed."""
    term = p0
    cdf = term
    count = 0
    for i in range(1, cap + 1):
        if u > cdf:
            count += 1
        else:
            break
        term = term * lam / i
        cdf = cdf + term
    return count


@njit(inline="always")  # inlined: compiled (and cached) in its callers
def _seat_terms(
    s: int,
    filled: bool,
    attention: float,
    proactive: float,
    ask_rate: float,
    quality: float,
    neglect: float,
    health_neglected: float,
    owner_effect: float,
    seat_rate: np.ndarray,
    seat_ask: np.ndarray,
    seat_target: np.ndarray,
    seat_factor: np.ndarray,
) -> None:
    """What an account gets from seat ``s`` at ``attention``: its conversation rate, ask
    rate (before health), health target and the owner factor of its churn hazard."""
    service = attention * (1.0 - neglect) if filled else attention
    seat_rate[s] = proactive * attention if filled else 0.0
    seat_ask[s] = ask_rate * attention if filled else 0.0
    seat_target[s] = quality * service + health_neglected * (1.0 - service)
    seat_factor[s] = 1.0 + owner_effect * (1.0 - service)


@njit(inline="always")  # inlined: compiled (and cached) in its callers
def ramp(tenure: int, rp: np.ndarray) -> float:
    """Productivity ``tenure`` months into the job: linear from ramp_start to 1."""
    if rp[RAMP_MONTHS] <= 0.0:
        return 1.0
    done = min(1.0, tenure / rp[RAMP_MONTHS])
    return float(rp[RAMP_START] + (1.0 - rp[RAMP_START]) * done)


# Rows of a trial's state (:func:`run_trials` keeps one trial's columns in four small
# 2-D arrays, so a trial's whole horizon runs on state that stays in the core's cache).
F_WALLET, F_SHARE, F_FLOOR, F_CEILING, F_HEALTH, F_THETA, F_WEIGHT = range(7)
N_F = 7
I_CONTACTS, I_OWNER, I_QUADRANT, I_SOURCE, I_REFERRED, I_LIVE, I_REFERRALS = range(7)
N_I = 7
"""I_LIVE lists a trial's active columns in order (the account loop walks it, skipping the
accounts lost), I_REFERRALS the columns that gave a referral this month, in order."""
U_BASE, U_ENTITY = range(2)
N_U = 2
B_ACTIVE = 0
N_B = 1
# Rows of the per-seat scratch space of :func:`_month`.
(
    T_ATTENTION,
    T_QUIET,
    T_FILLED,
    T_P0,
    T_RATE,
    T_ASK,
    T_TARGET,
    T_FACTOR,
    T_LOSE,
    T_PER_SEAT,
    T_PER_WEIGHT,
) = range(11)
N_T = 11
SLOT_CHUNK = 32
"""New-logo columns are added to a trial's state in chunks of this many (speed only)."""
EXP_GRID_LOW = -64.0
EXP_GRID_STEPS = 8.0
EXP_GRID_CELLS = 1024
"""exp is tabled at EXP_GRID_LOW + i / EXP_GRID_STEPS, i = 0 … EXP_GRID_CELLS (an upper bound
of the churn hazard's exponential: exact to a factor of e^(1/8) at most)."""
EXP_GRID_MARGIN = 1.000001
"""Slack on that bound, far above the rounding of a few products (so a draw the bound settles
would never have churned with the exact hazard)."""


@njit(nogil=True, error_model="numpy")  # called from compiled code only: cached in its callers
def _month(
    effects: bool,
    policy: int,
    shared_coverage: bool,
    rp: np.ndarray,
    ctr: np.ndarray,
    live: int,
    # per seat (constants)
    hours_seat: np.ndarray,
    capacity: np.ndarray,
    # per seat, this trial's behaviour
    proactive: np.ndarray,
    close: np.ndarray,
    ask_rate: np.ndarray,
    quality: np.ndarray,
    neglect: np.ndarray,
    # per seat (constants)
    seat_archetype: np.ndarray,
    cost_month: np.ndarray,
    leave_table: np.ndarray,
    event_table: np.ndarray,
    wallet_table: np.ndarray,
    # this trial's state per column
    fs: np.ndarray,
    ints: np.ndarray,
    words: np.ndarray,
    flags: np.ndarray,
    # this trial's state per seat
    seat_base: np.ndarray,
    vacant: np.ndarray,
    tenure: np.ndarray,
    load: np.ndarray,
    hired: np.ndarray,
    trial_base: np.uint64,
    # outputs: this trial-month's sums, and the cumulative losses by quadrant
    sums: np.ndarray,
    by_archetype: np.ndarray,
    quad: np.ndarray,
    lost_by_quadrant: np.ndarray,
    sourced: np.ndarray,
    events: np.ndarray,
    lost_events: np.ndarray,
    tmp: np.ndarray,
    seat_cdf: np.ndarray,
    seat_win: np.ndarray,
    exp_grid: np.ndarray,
) -> tuple[int, int]:
    """Advance one trial by one month; write the month's sums. Returns how many columns
    are still active (the first entries of the live list) and how many gave a referral.

    ``ctr[m]`` is the stream counter of this month for mechanism ``m``; the first ``live``
    entries of the I_LIVE row are the active columns, in order. ``tmp``
    (:data:`N_T` × seats), ``seat_cdf`` and ``seat_win`` (seats × conversations + 1) and
    the weight row of ``fs`` are scratch space; ``exp_grid`` is :func:`exp_grid_table`.
    """
    seats = vacant.shape[0]
    n_arch = by_archetype.shape[0]
    max_conversations = int(rp[MAX_CONVERSATIONS])
    attention_seat = tmp[T_ATTENTION]
    quiet_seat = tmp[T_QUIET]
    cover_attention = 0.0
    max_contacts = int(rp[MAX_CONTACTS])
    seat_filled = tmp[T_FILLED]
    seat_p0 = tmp[T_P0]
    seat_rate = tmp[T_RATE]
    seat_ask = tmp[T_ASK]
    seat_target = tmp[T_TARGET]
    seat_factor = tmp[T_FACTOR]
    seat_lose = tmp[T_LOSE]
    per_seat = tmp[T_PER_SEAT]
    per_weight = tmp[T_PER_WEIGHT]
    for s in range(seats):
        attention_seat[s] = 0.0
        quiet_seat[s] = 1.0
        seat_filled[s] = 0.0
        seat_p0[s] = 1.0
        seat_rate[s] = 0.0
        seat_ask[s] = 0.0
        seat_target[s] = 0.0
        seat_factor[s] = 1.0
        seat_lose[s] = 1.0
    hours_scale = rp[HOURS_SCALE]
    account_sd = rp[ACCOUNT_SD]
    capture = rp[CAPTURE]
    pressure = rp[PRESSURE]
    ask_contact_success = rp[ASK_CONTACT_SUCCESS]
    ask_referral_success = rp[ASK_REFERRAL_SUCCESS]
    health_rate = rp[HEALTH_RATE]
    health_neglected = rp[HEALTH_NEGLECTED]
    mgmt_change_p = rp[MGMT_CHANGE_P]
    contacts_cap = rp[CONTACTS_CAP]
    health_effect = rp[HEALTH_EFFECT]
    health_reference = rp[HEALTH_REFERENCE]
    contacts_effect = rp[CONTACTS_EFFECT]
    contacts_reference = rp[CONTACTS_REFERENCE]
    owner_effect = rp[OWNER_EFFECT]
    inverse_reference = 1.0 / rp[CHURN_REFERENCE]
    bound_scale = inverse_reference * EXP_GRID_MARGIN
    step_wallet = ctr[WALLET_STREAM]
    step_conversations = ctr[CONVERSATIONS_STREAM]
    step_ask = ctr[ASK_STREAM]
    step_decay = ctr[DECAY_STREAM]
    step_churn = ctr[CHURN_STREAM]
    # Row views: the account loop reads each state value once, keeps it in a register and
    # writes it back once.
    active_i = flags[B_ACTIVE]
    live_i = ints[I_LIVE]
    referrals_i = ints[I_REFERRALS]
    wallet_i = fs[F_WALLET]
    share_i = fs[F_SHARE]
    floor_i = fs[F_FLOOR]
    ceiling_i = fs[F_CEILING]
    health_i = fs[F_HEALTH]
    theta_i = fs[F_THETA]
    weights = fs[F_WEIGHT]
    contacts_i = ints[I_CONTACTS]
    owner_i = ints[I_OWNER]
    quadrant_i = ints[I_QUADRANT]
    source_i = ints[I_SOURCE]
    base_i = words[U_BASE]
    for c in range(sums.shape[0]):
        sums[c] = 0.0
    for a in range(n_arch):
        by_archetype[a] = 0.0
    for q in range(4):
        for c in range(3):
            quad[q, c] = 0.0
    for a in range(sourced.shape[0]):
        sourced[a] = 0.0
    cost = 0.0
    if effects:
        # Seats turn over: quits (likelier when overloaded) and hires.
        any_quit = False
        for s in range(seats):
            hired[s] = False
            if vacant[s]:
                if uniform_word(seat_base[s], ctr[13]) < rp[P_FILL]:
                    vacant[s] = False
                    hired[s] = True
                    tenure[s] = 0
            else:
                over = max(load[s] / max(capacity[s], 1e-9) - 1.0, 0.0)
                p_quit = min(rp[P_QUIT] * (1.0 + rp[OVERLOAD_QUIT] * over), 1.0)
                if uniform_word(seat_base[s], ctr[12]) < p_quit:
                    vacant[s] = True
                    any_quit = True
                    per_seat[s] = -1.0  # marks a quit for the departure pass
                    continue
            per_seat[s] = 0.0
        # Departures cost the accounts their health and contacts; attention weights
        # (uniform: every active account weighs 1, so a seat's total is its load, an
        # exact count, and the pass is needed only for departures).
        if any_quit or policy != UNIFORM:
            for jj in range(live):
                j = live_i[jj]
                o = owner_i[j]
                if any_quit and per_seat[o] < 0.0:
                    health_i[j] *= 1.0 - rp[DEPARTURE_HEALTH]
                    if contacts_i[j] > 1 and (
                        uniform_word(base_i[j], ctr[15]) < rp[DEPARTURE_CONTACT]
                    ):
                        contacts_i[j] -= 1
                if policy == UNIFORM:
                    w = 1.0
                elif policy == KEY_ACCOUNTS:
                    w = rp[KEY_WEIGHT] if quadrant_i[j] <= 1 else 1.0
                elif policy == SIZE:
                    w = (share_i[j] * wallet_i[j] / rp[SIZE_MEDIAN]) ** rp[PRIORITY_EXPONENT]
                else:
                    potential = max(wallet_i[j] * (1.0 - share_i[j]), 0.0)
                    w = (potential / rp[POTENTIAL_MEDIAN]) ** rp[PRIORITY_EXPONENT]
                weights[j] = w
        if policy == UNIFORM:
            for s in range(seats):
                per_seat[s] = load[s]
        else:
            for s in range(seats):
                per_seat[s] = 0.0
            for jj in range(live):
                j = live_i[jj]
                per_seat[owner_i[j]] += weights[j]
        # Each filled seat's hours split by weight; vacant seats' accounts may be covered.
        n_filled = 0
        orphaned = 0.0
        for s in range(seats):
            if vacant[s]:
                orphaned += per_seat[s]
            else:
                n_filled += 1
        covered = shared_coverage and n_filled > 0
        extra = orphaned / max(n_filled, 1) if covered else 0.0
        filled_sum = 0.0
        for s in range(seats):
            denominator = per_seat[s] + extra
            if vacant[s] or denominator <= 0.0:
                per_weight[s] = 0.0
            else:
                per_weight[s] = hours_seat[s] * ramp(tenure[s], rp) / denominator
            if not vacant[s]:
                filled_sum += per_weight[s]
        cover = rp[COVER_ATTENTION] * filled_sum / max(n_filled, 1) if covered else 0.0
        shock = rp[DRIFT] + rp[ECONOMY_SD] * inverse_normal(uniform_word(trial_base, ctr[2]))
        # Under uniform attention every account of a seat gets the same attention, so its
        # exponentials are taken once per seat (the same arithmetic as per account).
        if policy == UNIFORM:
            for s in range(seats):
                attention_seat[s] = 1.0 - math.exp(-1.0 * per_weight[s] / rp[HOURS_SCALE])
                quiet_seat[s] = math.exp(-(proactive[s] * attention_seat[s]))
            cover_attention = 1.0 - math.exp(-1.0 * cover / rp[HOURS_SCALE])
        for s in range(seats):
            load[s] = 0.0
        for s in range(seats):
            filled = not vacant[s]
            seat_filled[s] = 1.0 if filled else 0.0
            if policy == UNIFORM:
                attention = attention_seat[s] if filled else cover_attention
                seat_p0[s] = quiet_seat[s] if filled else 1.0
                _seat_terms(
                    s, filled, attention, proactive[s], ask_rate[s], quality[s], neglect[s],
                    health_neglected, owner_effect, seat_rate, seat_ask, seat_target,
                    seat_factor,
                )  # fmt: skip
            seat_lose[s] = 1.0 - close[s]
            if policy == UNIFORM:
                # poisson_count_from's running CDF and the chance of a win after c
                # conversations, with the same arithmetic as per account.
                lam = seat_rate[s]
                term = seat_p0[s]
                cdf = term
                for c in range(max_conversations):
                    seat_cdf[s, c] = cdf
                    term = term * lam / (c + 1)
                    cdf = cdf + term
                seat_win[s, 0] = 0.0
                for c in range(1, max_conversations + 1):
                    seat_win[s, c] = 1.0 - seat_lose[s] ** c
    else:
        shock = 0.0
        cover = 0.0
    economy = math.exp(shock)
    revenue_sum = 0.0
    wallet_sum = 0.0
    count = 0.0
    contacts_sum = 0.0
    lost = 0.0
    lost_event = 0.0
    meetings_sum = 0.0
    kept = 0
    referrals = 0
    for jj in range(live):
        j = live_i[jj]
        live_i[kept] = j  # stays on the list unless lost this month
        b = base_i[j]
        o = owner_i[j]
        event = False
        conversations = 0
        if effects:
            if policy != UNIFORM:
                filled = seat_filled[o] > 0.0
                unit = per_weight[o] if filled else cover
                attention = 1.0 - math.exp(-weights[j] * unit / hours_scale)
                _seat_terms(
                    o, filled, attention, proactive[o], ask_rate[o], quality[o], neglect[o],
                    health_neglected, owner_effect, seat_rate, seat_ask, seat_target,
                    seat_factor,
                )  # fmt: skip
                p0 = math.exp(-seat_rate[o])
            # Wallet drift: the trial's economy plus the account's own noise.
            u = uniform_word(b, step_wallet)
            w = wallet_i[j] * (economy * lognormal_factor(u, account_sd, wallet_table))
            wallet_i[j] = w
            # Conversations (Poisson by inverse CDF), won at the owner's close rate: the
            # high and the low half of one word.
            word = draw_word(b, step_conversations)
            u = high_unit(word)
            sh = share_i[j]
            if policy == UNIFORM:
                # The seat's CDF and win chances are tabled (the same numbers): the count
                # and the win without a data-dependent branch (adding 0 changes no share).
                for c in range(max_conversations):
                    conversations += u > seat_cdf[o, c]
                gain = capture * max(ceiling_i[j] - sh, 0.0)
                sh += gain if low_unit(word) < seat_win[o, conversations] else 0.0
            else:
                if u > p0:
                    conversations = poisson_count_from(u, seat_rate[o], p0, max_conversations)
                if conversations > 0:
                    p_win = 1.0 - seat_lose[o] ** conversations
                    if low_unit(word) < p_win:
                        sh += capture * max(ceiling_i[j] - sh, 0.0)
            # Competitors pull the share toward its floor.
            sh -= pressure * max(sh - floor_i[j], 0.0)
            share_i[j] = sh
            # Asks: contacts and referrals, likelier when health is high (one word).
            h = health_i[j]
            ask = seat_ask[o] * h
            k = contacts_i[j]
            # (A draw whose probability is 0 is not made: every draw is keyed.)
            if ask > 0.0:
                word = draw_word(b, step_ask)
                if high_unit(word) < ask * ask_contact_success:
                    k = min(k + 1, max_contacts)
                if low_unit(word) < ask * ask_referral_success:
                    referrals_i[referrals] = j
                    referrals += 1
            # Contacts beyond the first leave at the data-decay rate (leave_table[1] < 0:
            # the draw, made for every account, never takes the last contact).
            k -= uniform_word(b, step_decay) < leave_table[k]
            # Health moves toward the service the account gets.
            h = h + health_rate * (seat_target[o] - h)
            health_i[j] = h
            # Churn and management change (θ is the month-0 book's churn): one word.
            word = draw_word(b, step_churn)
            event = low_unit(word) < mgmt_change_p
            capped = min(max(float(k), 1.0), contacts_cap)
            exponent = -health_effect * (h - health_reference) - contacts_effect * (
                capped - contacts_reference
            )
            u = high_unit(word)
            # Most draws are far above any hazard the account could have: a bound from
            # the exponential tabled at the next grid point settles them without exp.
            grid = (exponent - EXP_GRID_LOW) * EXP_GRID_STEPS
            maybe = True
            if grid >= 0.0 and grid < EXP_GRID_CELLS:
                bound = theta_i[j] * (exp_grid[int(grid) + 1] * seat_factor[o]) * bound_scale
                if event:
                    bound *= event_table[k]
                maybe = u < bound
            churned = False
            if maybe:
                hazard = theta_i[j] * (math.exp(exponent) * seat_factor[o]) * inverse_reference
                if event:
                    hazard *= event_table[k]
                churned = u < min(hazard, 1.0)
            if event:
                bucket = 0 if k == 1 else (1 if k == 2 else 2)
                events[bucket] += 1.0
                if churned:
                    lost_events[bucket] += 1.0
                else:
                    k = max(k - 1, 1)
            contacts_i[j] = k
            meetings_sum += conversations
            quad[quadrant_i[j], Q_MEETINGS] += conversations
        else:
            churned = high_unit(draw_word(b, step_churn)) < min(theta_i[j], 1.0)
            sh = share_i[j]
            w = wallet_i[j]
        if churned:
            active_i[j] = False
            lost += 1.0
            lost_by_quadrant[quadrant_i[j]] += 1.0
            if event:
                lost_event += 1.0
            continue
        kept += 1
        revenue = sh * w
        revenue_sum += revenue
        wallet_sum += w
        count += 1.0
        contacts_sum += contacts_i[j]
        by_archetype[seat_archetype[o]] += revenue
        q = quadrant_i[j]
        quad[q, Q_REVENUE] += revenue
        quad[q, Q_WALLET] += w
        sourced[source_i[j]] += revenue
        if effects:
            load[o] += 1.0
    if effects:
        for s in range(seats):
            if not vacant[s]:
                cost += cost_month[s]
        for s in range(seats):
            if hired[s]:
                cost += 12.0 * cost_month[s] * rp[HIRING_SHARE]
    sums[S_REVENUE] = revenue_sum
    sums[S_WALLET] = wallet_sum
    sums[S_COUNT] = count
    sums[S_CONTACTS] = contacts_sum
    sums[S_LOST] = lost
    sums[S_LOST_EVENT] = lost_event
    sums[S_MEETINGS] = meetings_sum
    sums[S_COST] = cost
    return kept, referrals


@njit(nogil=True)  # called from compiled code only: cached in its callers
def _count_new_logos(
    rp: np.ndarray,
    step: np.uint64,
    prospecting: np.ndarray,
    vacant: np.ndarray,
    tenure: np.ndarray,
    seat_base: np.ndarray,
    referrals: int,
    found: np.ndarray,
) -> int:
    """New logos each seat of a trial finds this month (``found``); returns the total with
    this month's referrals. ``step`` is the stream counter of (month, PROSPECTING)."""
    cap = int(rp[MAX_LOGOS])
    total = 0
    for s in range(vacant.shape[0]):
        found[s] = 0
        if prospecting[s] <= 0.0:
            continue
        intensity = 0.0 if vacant[s] else prospecting[s] * ramp(tenure[s], rp)
        found[s] = poisson_count(uniform_word(seat_base[s], step), intensity, cap)
        total += found[s]
    return total + referrals


@njit(nogil=True)  # called from compiled code only: cached in its callers
def _activate(
    rp: np.ndarray,
    seed_word: np.uint64,
    trial: np.uint64,
    first_column: int,
    size_step: np.uint64,
    theta_step: np.uint64,
    theta_table: np.ndarray,
    theta_norm: float,
    found: np.ndarray,
    keeps_logos: np.ndarray,
    handoff: np.ndarray,
    seat_entities: np.ndarray,
    seat_archetype: np.ndarray,
    vacant: np.ndarray,
    load: np.ndarray,
    won: np.ndarray,
    referrals: int,
    live: int,
    fs: np.ndarray,
    ints: np.ndarray,
    words: np.ndarray,
    flags: np.ndarray,
) -> int:
    """Start a trial's new logos of this month from column ``first_column`` on (the room
    must be there); returns how many.

    The new columns join the live list after its first ``live`` entries. Each prospecting
    seat's finds in seat order (the seat keeps them or hands each to the
    least-loaded filled account manager), then referrals in column order. A logo's entity
    is (its source, the source's ordinal), so its draws never depend on the team or on the
    column it lands in; θ is drawn from the book's beta distribution where there is one,
    else the book's mean.
    """
    logo_share = 1.0 / rp[LOGO_MULTIPLE]
    column = first_column
    for s in range(vacant.shape[0]):
        for _ in range(found[s]):
            if keeps_logos[s]:
                o = s
            else:
                o = -1
                best = 0.0
                for h in range(handoff.shape[0]):
                    m = handoff[h]
                    key = load[m] + (1e12 if vacant[m] else 0.0)
                    if o < 0 or key < best:
                        o = m
                        best = key
            e = child_word(seat_entities[s], np.uint64(won[s]))
            won[s] += 1
            _start(
                rp, seed_word, trial, size_step, theta_step, theta_table, theta_norm, column, o, e,
                seat_archetype[s] + 1, logo_share, fs, ints, words, flags,
            )  # fmt: skip
            ints[I_LIVE, live + column - first_column] = column
            column += 1
            load[o] += 1.0
    for r in range(referrals):
        j = ints[I_REFERRALS, r]
        o = ints[I_OWNER, j]
        e = child_word(words[U_ENTITY, j], np.uint64(ints[I_REFERRED, j]))
        ints[I_REFERRED, j] += 1
        _start(
            rp, seed_word, trial, size_step, theta_step, theta_table, theta_norm, column, o, e,
            seat_archetype[o] + 1, logo_share, fs, ints, words, flags,
        )  # fmt: skip
        ints[I_LIVE, live + column - first_column] = column
        column += 1
        load[o] += 1.0
    return column - first_column


@njit(inline="always")  # inlined: compiled (and cached) in its callers
def _start(
    rp: np.ndarray,
    seed_word: np.uint64,
    trial: np.uint64,
    size_step: np.uint64,
    theta_step: np.uint64,
    theta_table: np.ndarray,
    theta_norm: float,
    column: int,
    o: int,
    e: np.uint64,
    src: int,
    logo_share: float,
    fs: np.ndarray,
    ints: np.ndarray,
    words: np.ndarray,
    flags: np.ndarray,
) -> None:
    """One new logo in ``column`` of a trial's state, sized from its own keyed draw."""
    b = base_word(seed_word, trial, e)
    z = inverse_normal(uniform_word(b, size_step))
    revenue = rp[LOGO_MEDIAN] * math.exp(rp[LOGO_SIGMA] * z)
    w = revenue * rp[LOGO_MULTIPLE]
    flags[B_ACTIVE, column] = True
    fs[F_WALLET, column] = w
    fs[F_SHARE, column] = logo_share
    fs[F_FLOOR, column] = rp[FLOOR_RATIO] * logo_share
    fs[F_CEILING, column] = logo_share + rp[CEILING_GAIN] * (1.0 - logo_share)
    fs[F_HEALTH, column] = rp[LOGO_HEALTH]
    ints[I_CONTACTS, column] = 1
    ints[I_OWNER, column] = o
    large = revenue >= rp[SIZE_THRESHOLD]
    high = w - revenue >= rp[POTENTIAL_THRESHOLD]
    ints[I_QUADRANT, column] = (0 if large else 1) if high else (2 if large else 3)
    ints[I_SOURCE, column] = src
    ints[I_REFERRED, column] = 0
    words[U_ENTITY, column] = e
    words[U_BASE, column] = b
    if rp[THETA_A] > 0.0:
        p = beta_quantile_normed(
            rp[THETA_A], rp[THETA_B], uniform_word(b, theta_step), theta_table, theta_norm
        )
        if rp[THETA_YEARLY] > 0.0:
            # A yearly draw p compounds to the monthly 1 − (1 − p)^(1/12).
            p = -math.expm1(math.log1p(-min(p, 1.0)) / 12.0)
        fs[F_THETA, column] = p
    else:
        fs[F_THETA, column] = rp[LOGO_THETA]


@njit(cache=False)  # called from compiled code only: cached in its callers
def _widened(state: np.ndarray, width: int, columns: int) -> np.ndarray:
    """``state`` (rows × columns) copied into a wider array (the first ``columns`` kept)."""
    wider = np.zeros((state.shape[0], width), dtype=state.dtype)
    wider[:, :columns] = state[:, :columns]
    return wider


@njit(cache=True, nogil=True, error_model="numpy")
def run_trials(
    effects: bool,
    policy: int,
    shared_coverage: bool,
    rp: np.ndarray,
    ctr: np.ndarray,
    seed_word: np.uint64,
    first_trial: int,
    initial_columns: int,
    # per seat (constants)
    hours_seat: np.ndarray,
    capacity: np.ndarray,
    seat_archetype: np.ndarray,
    cost_month: np.ndarray,
    keeps_logos: np.ndarray,
    handoff: np.ndarray,
    seat_entities: np.ndarray,
    new_hire: np.ndarray,
    # per (trial, seat): a hired candidate's behaviour is drawn per trial
    proactive: np.ndarray,
    close: np.ndarray,
    ask_rate: np.ndarray,
    quality: np.ndarray,
    neglect: np.ndarray,
    prospecting: np.ndarray,
    # tables
    leave_table: np.ndarray,
    event_table: np.ndarray,
    wallet_table: np.ndarray,
    theta_table: np.ndarray,
    # the book (per account)
    book_wallet: np.ndarray,
    book_share: np.ndarray,
    book_floor: np.ndarray,
    book_ceiling: np.ndarray,
    book_contacts: np.ndarray,
    book_health: np.ndarray,
    book_owner: np.ndarray,
    book_quadrant: np.ndarray,
    # per (trial, account) and per (trial, seat), per trial: keys and θ
    book_base: np.ndarray,
    book_theta: np.ndarray,
    seat_base: np.ndarray,
    trial_base: np.ndarray,
    # outputs per (trial, month, ...)
    sums: np.ndarray,
    by_archetype: np.ndarray,
    quad: np.ndarray,
    lost_by_quadrant: np.ndarray,
    sourced: np.ndarray,
    events: np.ndarray,
    lost_events: np.ndarray,
    # final state (width 0: not kept)
    keep_f: np.ndarray,
    keep_i: np.ndarray,
    keep_u: np.ndarray,
    keep_b: np.ndarray,
    keep_vacant: np.ndarray,
    keep_logos: np.ndarray,
) -> int:
    """Run every trial (row of the per-trial inputs) over the whole horizon; returns the
    most columns (book and new logos) any trial used.

    A trial's months run one after the other on its own state (about 120 bytes per
    column: it stays in the core's cache), new logos included; ``sums`` and the other
    outputs get each (trial, month)'s sums, ``lost_by_quadrant`` the cumulative losses.
    ``ctr[m, k]`` is the stream counter of (month m, mechanism k). When ``keep_f`` is wide
    enough, each trial's final state is copied into the ``keep_*`` arrays (tests).
    """
    trials, n_book = book_base.shape
    seats = hours_seat.shape[0]
    horizon = sums.shape[1]
    width = max(initial_columns, n_book)
    fs = np.zeros((N_F, width))
    ints = np.zeros((N_I, width), dtype=np.int64)
    words = np.zeros((N_U, width), dtype=np.uint64)
    flags = np.zeros((N_B, width), dtype=np.bool_)
    vacant = np.zeros(seats, dtype=np.bool_)
    hired = np.zeros(seats, dtype=np.bool_)
    tenure = np.zeros(seats, dtype=np.int64)
    load = np.zeros(seats)
    won = np.zeros(seats, dtype=np.int64)
    found = np.zeros(seats, dtype=np.int64)
    tmp = np.zeros((N_T, seats))
    conversations_cap = int(rp[MAX_CONVERSATIONS])
    seat_cdf = np.ones((seats, conversations_cap + 1))
    seat_win = np.zeros((seats, conversations_cap + 1))
    exp_grid = np.empty(EXP_GRID_CELLS + 1)
    for c in range(EXP_GRID_CELLS + 1):
        exp_grid[c] = math.exp(EXP_GRID_LOW + c / EXP_GRID_STEPS)
    size_step = ctr[0, LOGO_SIZE_STREAM]
    theta_step = ctr[0, THETA_STREAM]
    theta_norm = beta_log_norm(rp[THETA_A], rp[THETA_B]) if rp[THETA_A] > 0.0 else 0.0
    most = n_book
    for i in range(trials):
        trial = np.uint64(first_trial + i)
        for j in range(n_book):
            fs[F_WALLET, j] = book_wallet[j]
            fs[F_SHARE, j] = book_share[j]
            fs[F_FLOOR, j] = book_floor[j]
            fs[F_CEILING, j] = book_ceiling[j]
            fs[F_HEALTH, j] = book_health[j]
            fs[F_THETA, j] = book_theta[i, j]
            ints[I_CONTACTS, j] = book_contacts[j]
            ints[I_OWNER, j] = book_owner[j]
            ints[I_QUADRANT, j] = book_quadrant[j]
            ints[I_SOURCE, j] = 0  # the book
            ints[I_REFERRED, j] = 0
            words[U_BASE, j] = book_base[i, j]
            words[U_ENTITY, j] = np.uint64(j)
            flags[B_ACTIVE, j] = True
            ints[I_LIVE, j] = j
        for j in range(n_book, fs.shape[1]):
            flags[B_ACTIVE, j] = False
        for s in range(seats):
            vacant[s] = False
            hired[s] = False
            tenure[s] = 0 if new_hire[s] else 10_000
            load[s] = 0.0
            won[s] = 0
        for j in range(n_book):
            load[book_owner[j]] += 1.0
        columns = n_book
        live = n_book
        for month in range(1, horizon + 1):
            live, referrals = _month(
                effects, policy, shared_coverage, rp, ctr[month], live,
                hours_seat, capacity, proactive[i], close[i], ask_rate[i], quality[i],
                neglect[i], seat_archetype, cost_month, leave_table, event_table,
                wallet_table, fs, ints, words, flags, seat_base[i], vacant, tenure, load,
                hired, trial_base[i], sums[i, month - 1], by_archetype[i, month - 1],
                quad[i, month - 1], lost_by_quadrant[i, month - 1], sourced[i, month - 1],
                events, lost_events, tmp, seat_cdf, seat_win, exp_grid,
            )  # fmt: skip
            if month < horizon:
                for q in range(lost_by_quadrant.shape[2]):
                    lost_by_quadrant[i, month, q] = lost_by_quadrant[i, month - 1, q]
            needed = 0
            if effects:
                needed = _count_new_logos(
                    rp, ctr[month, PROSPECTING_STREAM], prospecting[i], vacant, tenure,
                    seat_base[i], referrals, found,
                )  # fmt: skip
                if needed > 0:
                    if columns + needed > fs.shape[1]:
                        logos = fs.shape[1] - n_book
                        more = max(columns + needed - n_book, logos + logos // 2)
                        grown = n_book + -(-more // SLOT_CHUNK) * SLOT_CHUNK
                        fs = _widened(fs, grown, columns)
                        ints = _widened(ints, grown, columns)
                        words = _widened(words, grown, columns)
                        flags = _widened(flags, grown, columns)
                    columns += _activate(
                        rp, seed_word, trial, columns, size_step, theta_step, theta_table,
                        theta_norm, found, keeps_logos, handoff, seat_entities, seat_archetype,
                        vacant, load, won, referrals, live, fs, ints, words, flags,
                    )  # fmt: skip
                    live += needed
                # Tenure counts the month after this month's new logos (their ramp is this
                # month's).
                for s in range(seats):
                    if not vacant[s]:
                        tenure[s] += 1
            sums[i, month - 1, S_NEW] = needed
        most = max(most, columns)
        if columns <= keep_f.shape[2]:
            keep_f[i, :, :columns] = fs[:, :columns]
            keep_i[i, :, :columns] = ints[:, :columns]
            keep_u[i, :, :columns] = words[:, :columns]
            keep_b[i, :, :columns] = flags[:, :columns]
            keep_vacant[i] = vacant
            keep_logos[i] = columns - n_book
    return int(most)
