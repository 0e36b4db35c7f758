"""The monthly step, fused per account-month and compiled by numba (pure; cached on disk).

One call advances every trial of a batch by one month. Each trial is one row of
the state arrays; its month is two passes over its accounts (the attention
weights per seat, then everything else: wallet, conversations and wins,
competitors' pressure, asks, contacts, health, management change, churn and
every output sum) and a short pass over its seats, instead of about fifty
whole-array numpy passes. Draws come from the compiled twins in
:mod:`simulate.engine.streams`, keyed exactly as the numpy functions key them,
so a draw that is not needed (the win of an account without a conversation,
anything of an account that has churned) is simply not made.

Sums over accounts run in column order (the book, then new-logo slots in order,
empty slots adding nothing), one trial at a time, so no statistic depends on
the batch size, the number of slots, the workers or the backend.

The kernel knows nothing of scenarios: :mod:`simulate.engine.core` packs the
model's rates into the float array ``rp`` (indices below) and owns the state.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from simulate.engine.streams import (
    base_word,
    beta_quantile_from,
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


@njit(cache=True, inline="always")
def poisson_count(u: float, lam: float, cap: int) -> int:
    """Inverse CDF of Poisson(lam) at ``u``, truncated at ``cap`` (one uniform per count)."""
    return poisson_count_from(u, lam, math.exp(-lam), cap)


@njit(cache=True, inline="always")
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


@njit(cache=True, inline="always")
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


@njit(cache=True, inline="always")
def ramp(tenure: int, rp: np.ndarray) -> float:
    """Productivity ``tenure`` months into the job: linear from ramp_start to 1."""
    if rp[RAMP_MONTHS] <= 0.0:
        return 1.0
    done = min(1.0, tenure / rp[RAMP_MONTHS])
    return float(rp[RAMP_START] + (1.0 - rp[RAMP_START]) * done)


@njit(cache=True, nogil=True, error_model="numpy")
def step_month(
    effects: bool,
    policy: int,
    shared_coverage: bool,
    rp: np.ndarray,
    ctr: np.ndarray,
    # per seat (constants)
    hours_seat: np.ndarray,
    capacity: np.ndarray,
    # per (trial, seat): a hired candidate's behaviour is drawn per trial
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
    # state per (trial, column)
    active: np.ndarray,
    wallet: np.ndarray,
    share: np.ndarray,
    floor: np.ndarray,
    ceiling: np.ndarray,
    contacts: np.ndarray,
    health: np.ndarray,
    owner: np.ndarray,
    quadrant: np.ndarray,
    source: np.ndarray,
    base: np.ndarray,
    theta: np.ndarray,
    referral: np.ndarray,
    # state per (trial, seat)
    seat_base: np.ndarray,
    vacant: np.ndarray,
    tenure: np.ndarray,
    load: np.ndarray,
    hired: np.ndarray,
    # per trial
    trial_base: np.ndarray,
    # outputs
    sums: np.ndarray,
    by_archetype: np.ndarray,
    quad: np.ndarray,
    lost_by_quadrant: np.ndarray,
    sourced: np.ndarray,
    events: np.ndarray,
    lost_events: np.ndarray,
    weights: np.ndarray,
    per_seat: np.ndarray,
    per_weight: np.ndarray,
) -> None:
    """Advance every trial (row) by one month; write the month's sums per trial.

    ``ctr[m]`` is the stream counter of this month for mechanism ``m``. ``referral``
    marks the accounts that gave a referral this month (for :func:`win_new_logos`).
    ``weights``, ``per_seat`` and ``per_weight`` are scratch space.
    """
    trials, columns = active.shape
    seats = vacant.shape[1]
    n_arch = by_archetype.shape[1]
    max_conversations = int(rp[MAX_CONVERSATIONS])
    attention_seat = np.zeros(seats)
    quiet_seat = np.ones(seats)
    cover_attention = 0.0
    max_contacts = int(rp[MAX_CONTACTS])
    seat_filled = np.zeros(seats, dtype=np.bool_)
    seat_p0 = np.ones(seats)
    seat_rate = np.zeros(seats)
    seat_ask = np.zeros(seats)
    seat_target = np.zeros(seats)
    seat_factor = np.ones(seats)
    seat_lose = np.ones(seats)
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
    step_wallet = ctr[WALLET_STREAM]
    step_conversations = ctr[CONVERSATIONS_STREAM]
    step_ask = ctr[ASK_STREAM]
    step_decay = ctr[DECAY_STREAM]
    step_churn = ctr[CHURN_STREAM]
    for i in range(trials):
        for c in range(sums.shape[1]):
            sums[i, c] = 0.0
        for a in range(n_arch):
            by_archetype[i, a] = 0.0
        for q in range(4):
            for c in range(3):
                quad[i, q, c] = 0.0
        for a in range(sourced.shape[1]):
            sourced[i, a] = 0.0
        cost = 0.0
        if effects:
            # Seats turn over: quits (likelier when overloaded) and hires.
            any_quit = False
            for s in range(seats):
                hired[i, s] = False
                if vacant[i, s]:
                    if uniform_word(seat_base[i, s], ctr[13]) < rp[P_FILL]:
                        vacant[i, s] = False
                        hired[i, s] = True
                        tenure[i, s] = 0
                else:
                    over = max(load[i, s] / max(capacity[s], 1e-9) - 1.0, 0.0)
                    p_quit = min(rp[P_QUIT] * (1.0 + rp[OVERLOAD_QUIT] * over), 1.0)
                    if uniform_word(seat_base[i, s], ctr[12]) < p_quit:
                        vacant[i, s] = True
                        any_quit = True
                        per_seat[s] = -1.0  # marks a quit for the departure pass
                        continue
                per_seat[s] = 0.0
            # Departures cost the accounts their health and contacts; attention weights
            # (uniform: every active account weighs 1, so a seat's total is its load, an
            # exact count, and the pass is needed only for departures).
            if any_quit or policy != UNIFORM:
                for j in range(columns):
                    if not active[i, j]:
                        continue
                    o = owner[i, j]
                    if any_quit and per_seat[o] < 0.0:
                        health[i, j] *= 1.0 - rp[DEPARTURE_HEALTH]
                        if contacts[i, j] > 1 and (
                            uniform_word(base[i, j], ctr[15]) < rp[DEPARTURE_CONTACT]
                        ):
                            contacts[i, j] -= 1
                    if policy == UNIFORM:
                        w = 1.0
                    elif policy == KEY_ACCOUNTS:
                        w = rp[KEY_WEIGHT] if quadrant[i, j] <= 1 else 1.0
                    elif policy == SIZE:
                        w = (share[i, j] * wallet[i, j] / rp[SIZE_MEDIAN]) ** rp[
                            PRIORITY_EXPONENT
                        ]
                    else:
                        potential = max(wallet[i, j] * (1.0 - share[i, j]), 0.0)
                        w = (potential / rp[POTENTIAL_MEDIAN]) ** rp[PRIORITY_EXPONENT]
                    weights[j] = w
            if policy == UNIFORM:
                for s in range(seats):
                    per_seat[s] = load[i, s]
            else:
                for s in range(seats):
                    per_seat[s] = 0.0
                for j in range(columns):
                    if active[i, j]:
                        per_seat[owner[i, j]] += weights[j]
            # Each filled seat's hours split by weight; vacant seats' accounts may be covered.
            n_filled = 0
            orphaned = 0.0
            for s in range(seats):
                if vacant[i, s]:
                    orphaned += per_seat[s]
                else:
                    n_filled += 1
            covered = shared_coverage and n_filled > 0
            extra = orphaned / max(n_filled, 1) if covered else 0.0
            filled_sum = 0.0
            for s in range(seats):
                denominator = per_seat[s] + extra
                if vacant[i, s] or denominator <= 0.0:
                    per_weight[s] = 0.0
                else:
                    per_weight[s] = hours_seat[s] * ramp(tenure[i, s], rp) / denominator
                if not vacant[i, s]:
                    filled_sum += per_weight[s]
            cover = rp[COVER_ATTENTION] * filled_sum / max(n_filled, 1) if covered else 0.0
            shock = rp[DRIFT] + rp[ECONOMY_SD] * inverse_normal(
                uniform_word(trial_base[i], ctr[2])
            )
            # Under uniform attention every account of a seat gets the same attention, so
            # its exponentials are taken once per seat (the same arithmetic as per account).
            if policy == UNIFORM:
                for s in range(seats):
                    attention_seat[s] = 1.0 - math.exp(-1.0 * per_weight[s] / rp[HOURS_SCALE])
                    quiet_seat[s] = math.exp(-(proactive[i, s] * attention_seat[s]))
                cover_attention = 1.0 - math.exp(-1.0 * cover / rp[HOURS_SCALE])
            for s in range(seats):
                load[i, s] = 0.0
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
        # Row views and per-seat constants: the account loop reads each state value once,
        # keeps it in a register and writes it back once.
        active_i = active[i]
        wallet_i = wallet[i]
        share_i = share[i]
        floor_i = floor[i]
        ceiling_i = ceiling[i]
        contacts_i = contacts[i]
        health_i = health[i]
        owner_i = owner[i]
        quadrant_i = quadrant[i]
        source_i = source[i]
        base_i = base[i]
        theta_i = theta[i]
        referral_i = referral[i]
        quad_i = quad[i]
        by_archetype_i = by_archetype[i]
        sourced_i = sourced[i]
        lost_by_quadrant_i = lost_by_quadrant[i]
        load_i = load[i]
        if effects:
            for s in range(seats):
                filled = not vacant[i, s]
                seat_filled[s] = filled
                if policy == UNIFORM:
                    attention = attention_seat[s] if filled else cover_attention
                    seat_p0[s] = quiet_seat[s] if filled else 1.0
                    _seat_terms(
                        s, filled, attention, proactive[i, s], ask_rate[i, s], quality[i, s],
                        neglect[i, s], health_neglected, owner_effect, seat_rate, seat_ask,
                        seat_target, seat_factor,
                    )  # fmt: skip
                seat_lose[s] = 1.0 - close[i, s]
        for j in range(columns):
            referral_i[j] = False
            if not active_i[j]:
                continue
            b = base_i[j]
            o = owner_i[j]
            event = False
            conversations = 0
            if effects:
                if policy == UNIFORM:
                    p0 = seat_p0[o]
                else:
                    filled = seat_filled[o]
                    unit = per_weight[o] if filled else cover
                    attention = 1.0 - math.exp(-weights[j] * unit / hours_scale)
                    _seat_terms(
                        o, filled, attention, proactive[i, o], ask_rate[i, o], quality[i, o],
                        neglect[i, o], health_neglected, owner_effect, seat_rate, seat_ask,
                        seat_target, seat_factor,
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
                if u > p0:
                    conversations = poisson_count_from(u, seat_rate[o], p0, max_conversations)
                sh = share_i[j]
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
                    referral_i[j] = low_unit(word) < ask * ask_referral_success
                # Contacts beyond the first leave at the data-decay rate.
                if k > 1 and uniform_word(b, step_decay) < leave_table[k]:
                    k -= 1
                # Health moves toward the service the account gets.
                h = h + health_rate * (seat_target[o] - h)
                health_i[j] = h
                # Churn and management change (θ is the month-0 book's churn): one word.
                word = draw_word(b, step_churn)
                event = low_unit(word) < mgmt_change_p
                capped = min(max(float(k), 1.0), contacts_cap)
                hazard = (
                    theta_i[j]
                    * (
                        math.exp(
                            -health_effect * (h - health_reference)
                            - contacts_effect * (capped - contacts_reference)
                        )
                        * seat_factor[o]
                    )
                    * inverse_reference
                )
                if event:
                    hazard *= event_table[k]
                churned = high_unit(word) < min(hazard, 1.0)
                if event:
                    bucket = 0 if k == 1 else (1 if k == 2 else 2)
                    events[bucket] += 1.0
                    if churned:
                        lost_events[bucket] += 1.0
                    else:
                        k = max(k - 1, 1)
                contacts_i[j] = k
                meetings_sum += conversations
                quad_i[quadrant_i[j], Q_MEETINGS] += conversations
            else:
                churned = high_unit(draw_word(b, step_churn)) < min(theta_i[j], 1.0)
                sh = share_i[j]
                w = wallet_i[j]
            if churned:
                active_i[j] = False
                lost += 1.0
                lost_by_quadrant_i[quadrant_i[j]] += 1.0
                if event:
                    lost_event += 1.0
                continue
            revenue = sh * w
            revenue_sum += revenue
            wallet_sum += w
            count += 1.0
            contacts_sum += contacts_i[j]
            by_archetype_i[seat_archetype[o]] += revenue
            q = quadrant_i[j]
            quad_i[q, Q_REVENUE] += revenue
            quad_i[q, Q_WALLET] += w
            sourced_i[source_i[j]] += revenue
            if effects:
                load_i[o] += 1.0
        if effects:
            for s in range(seats):
                if not vacant[i, s]:
                    cost += cost_month[s]
            for s in range(seats):
                if hired[i, s]:
                    cost += 12.0 * cost_month[s] * rp[HIRING_SHARE]
        sums[i, S_REVENUE] = revenue_sum
        sums[i, S_WALLET] = wallet_sum
        sums[i, S_COUNT] = count
        sums[i, S_CONTACTS] = contacts_sum
        sums[i, S_LOST] = lost
        sums[i, S_LOST_EVENT] = lost_event
        sums[i, S_MEETINGS] = meetings_sum
        sums[i, S_COST] = cost


@njit(cache=True, nogil=True)
def count_new_logos(
    rp: np.ndarray,
    step: np.uint64,
    prospecting: np.ndarray,
    vacant: np.ndarray,
    tenure: np.ndarray,
    seat_base: np.ndarray,
    referral: np.ndarray,
    found: np.ndarray,
    needed: np.ndarray,
) -> None:
    """New logos each seat finds this month (``found``), and referrals; ``needed`` per trial.

    ``prospecting`` is per (trial, seat), like the behaviour arrays of :func:`step_month`.

    ``step`` is the stream counter of (month, PROSPECTING); ``needed`` gets the total.
    """
    trials, seats = vacant.shape
    cap = int(rp[MAX_LOGOS])
    for i in range(trials):
        total = 0
        for s in range(seats):
            found[i, s] = 0
            if prospecting[i, s] <= 0.0:
                continue
            intensity = 0.0 if vacant[i, s] else prospecting[i, s] * ramp(tenure[i, s], rp)
            found[i, s] = poisson_count(uniform_word(seat_base[i, s], step), intensity, cap)
            total += found[i, s]
        for j in range(referral.shape[1]):
            if referral[i, j]:
                total += 1
        needed[i] = total


@njit(cache=True, nogil=True)
def activate_new_logos(
    rp: np.ndarray,
    seed_word: np.uint64,
    first_trial: int,
    n_book: int,
    size_step: np.uint64,
    theta_step: np.uint64,
    theta_table: np.ndarray,
    found: np.ndarray,
    keeps_logos: np.ndarray,
    handoff: np.ndarray,
    seat_entities: np.ndarray,
    seat_archetype: np.ndarray,
    vacant: np.ndarray,
    load: np.ndarray,
    won: np.ndarray,
    logos: np.ndarray,
    referral: np.ndarray,
    active: np.ndarray,
    wallet: np.ndarray,
    share: np.ndarray,
    floor: np.ndarray,
    ceiling: np.ndarray,
    contacts: np.ndarray,
    health: np.ndarray,
    owner: np.ndarray,
    quadrant: np.ndarray,
    source: np.ndarray,
    entity: np.ndarray,
    base: np.ndarray,
    referred: np.ndarray,
    theta: np.ndarray,
) -> None:
    """Start this month's new logos in the next free slots (the room must be there).

    Per trial: each prospecting seat's finds in seat order (the seat keeps them or hands
    each to the least-loaded filled account manager), then referrals in column order. A
    logo's entity is (its source, the source's ordinal), so its draws never depend on the
    team or on the slot it lands in; θ is drawn from the book's beta distribution where
    there is one, else the book's mean.
    """
    trials, seats = vacant.shape
    logo_share = 1.0 / rp[LOGO_MULTIPLE]
    for i in range(trials):
        for s in range(seats):
            for _ in range(found[i, s]):
                if keeps_logos[s]:
                    o = s
                else:
                    o = -1
                    best = 0.0
                    for h in range(handoff.shape[0]):
                        m = handoff[h]
                        key = load[i, m] + (1e12 if vacant[i, m] else 0.0)
                        if o < 0 or key < best:
                            o = m
                            best = key
                e = child_word(seat_entities[s], np.uint64(won[i, s]))
                won[i, s] += 1
                _start(
                    rp, seed_word, first_trial, size_step, theta_step, theta_table, i,
                    n_book + logos[i], o, e,
                    seat_archetype[s] + 1, logo_share, active, wallet, share, floor, ceiling,
                    contacts, health, owner, quadrant, source, entity, base, referred, theta,
                )  # fmt: skip
                logos[i] += 1
                load[i, o] += 1.0
        for j in range(referral.shape[1]):
            if not referral[i, j]:
                continue
            o = owner[i, j]
            e = child_word(entity[i, j], np.uint64(referred[i, j]))
            referred[i, j] += 1
            _start(
                rp, seed_word, first_trial, size_step, theta_step, theta_table, i,
                n_book + logos[i], o, e,
                seat_archetype[o] + 1, logo_share, active, wallet, share, floor, ceiling,
                contacts, health, owner, quadrant, source, entity, base, referred, theta,
            )  # fmt: skip
            logos[i] += 1
            load[i, o] += 1.0


@njit(cache=True, inline="always")
def _start(
    rp: np.ndarray,
    seed_word: np.uint64,
    first_trial: int,
    size_step: np.uint64,
    theta_step: np.uint64,
    theta_table: np.ndarray,
    i: int,
    column: int,
    o: int,
    e: np.uint64,
    src: int,
    logo_share: float,
    active: np.ndarray,
    wallet: np.ndarray,
    share: np.ndarray,
    floor: np.ndarray,
    ceiling: np.ndarray,
    contacts: np.ndarray,
    health: np.ndarray,
    owner: np.ndarray,
    quadrant: np.ndarray,
    source: np.ndarray,
    entity: np.ndarray,
    base: np.ndarray,
    referred: np.ndarray,
    theta: np.ndarray,
) -> None:
    """One new logo in ``column`` of trial row ``i``, sized from its own keyed draw."""
    b = base_word(seed_word, np.uint64(first_trial + i), e)
    z = inverse_normal(uniform_word(b, size_step))
    revenue = rp[LOGO_MEDIAN] * math.exp(rp[LOGO_SIGMA] * z)
    w = revenue * rp[LOGO_MULTIPLE]
    active[i, column] = True
    wallet[i, column] = w
    share[i, column] = logo_share
    floor[i, column] = rp[FLOOR_RATIO] * logo_share
    ceiling[i, column] = logo_share + rp[CEILING_GAIN] * (1.0 - logo_share)
    contacts[i, column] = 1
    health[i, column] = rp[LOGO_HEALTH]
    owner[i, column] = o
    large = revenue >= rp[SIZE_THRESHOLD]
    high = w - revenue >= rp[POTENTIAL_THRESHOLD]
    quadrant[i, column] = (0 if large else 1) if high else (2 if large else 3)
    source[i, column] = src
    entity[i, column] = e
    base[i, column] = b
    referred[i, column] = 0
    if rp[THETA_A] > 0.0:
        p = beta_quantile_from(rp[THETA_A], rp[THETA_B], uniform_word(b, theta_step), theta_table)
        if rp[THETA_YEARLY] > 0.0:
            # A yearly draw p compounds to the monthly 1 − (1 − p)^(1/12).
            p = -math.expm1(math.log1p(-min(p, 1.0)) / 12.0)
        theta[i, column] = p
    else:
        theta[i, column] = rp[LOGO_THETA]
