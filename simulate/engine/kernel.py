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
    beta_quantile,
    child_word,
    inverse_normal,
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
        revenue_sum = 0.0
        wallet_sum = 0.0
        count = 0.0
        contacts_sum = 0.0
        lost = 0.0
        lost_event = 0.0
        meetings_sum = 0.0
        for j in range(columns):
            referral[i, j] = False
            if not active[i, j]:
                continue
            b = base[i, j]
            o = owner[i, j]
            event = False
            conversations = 0
            if effects:
                filled = not vacant[i, o]
                if policy == UNIFORM:
                    attention = attention_seat[o] if filled else cover_attention
                else:
                    unit = per_weight[o] if filled else cover
                    attention = 1.0 - math.exp(-weights[j] * unit / rp[HOURS_SCALE])
                service = attention * (1.0 - neglect[i, o]) if filled else attention
                # Wallet drift: the trial's economy plus the account's own noise.
                z = inverse_normal(uniform_word(b, ctr[3]))
                wallet[i, j] *= math.exp(shock + rp[ACCOUNT_SD] * z)
                # Conversations (Poisson by inverse CDF), won at the owner's close rate.
                rate = proactive[i, o] * attention if filled else 0.0
                u = uniform_word(b, ctr[4])
                if policy == UNIFORM:  # noqa: SIM108
                    p0 = quiet_seat[o] if filled else 1.0
                else:
                    p0 = math.exp(-rate)
                if u > p0:
                    conversations = poisson_count_from(u, rate, p0, max_conversations)
                if conversations > 0:
                    p_win = 1.0 - (1.0 - close[i, o]) ** conversations
                    if uniform_word(b, ctr[5]) < p_win:
                        share[i, j] += rp[CAPTURE] * max(ceiling[i, j] - share[i, j], 0.0)
                # Competitors pull the share toward its floor.
                share[i, j] -= rp[PRESSURE] * max(share[i, j] - floor[i, j], 0.0)
                # Asks: contacts and referrals, likelier when health is high.
                ask = (ask_rate[i, o] * attention if filled else 0.0) * health[i, j]
                k = contacts[i, j]
                # (A draw whose probability is 0 is not made: every draw is keyed.)
                if ask > 0.0:
                    if uniform_word(b, ctr[6]) < ask * rp[ASK_CONTACT_SUCCESS]:
                        k = min(k + 1, max_contacts)
                    referral[i, j] = uniform_word(b, ctr[7]) < ask * rp[ASK_REFERRAL_SUCCESS]
                # Contacts beyond the first leave at the data-decay rate.
                if k > 1 and uniform_word(b, ctr[8]) < leave_table[k]:
                    k -= 1
                # Health moves toward the service the account gets.
                target = quality[i, o] * service + rp[HEALTH_NEGLECTED] * (1.0 - service)
                h = health[i, j] + rp[HEALTH_RATE] * (target - health[i, j])
                health[i, j] = h
                # Management change and churn (θ is the month-0 book's churn).
                event = uniform_word(b, ctr[9]) < rp[MGMT_CHANGE_P]
                capped = min(max(float(k), 1.0), rp[CONTACTS_CAP])
                hazard = (
                    theta[i, j]
                    * (
                        math.exp(
                            -rp[HEALTH_EFFECT] * (h - rp[HEALTH_REFERENCE])
                            - rp[CONTACTS_EFFECT] * (capped - rp[CONTACTS_REFERENCE])
                        )
                        * (1.0 + rp[OWNER_EFFECT] * (1.0 - service))
                    )
                    / rp[CHURN_REFERENCE]
                )
                if event:
                    hazard *= event_table[k]
                churned = uniform_word(b, ctr[10]) < min(hazard, 1.0)
                if event:
                    bucket = 0 if k == 1 else (1 if k == 2 else 2)
                    events[bucket] += 1.0
                    if churned:
                        lost_events[bucket] += 1.0
                    else:
                        k = max(k - 1, 1)
                contacts[i, j] = k
                meetings_sum += conversations
                quad[i, quadrant[i, j], Q_MEETINGS] += conversations
            else:
                churned = uniform_word(b, ctr[10]) < min(theta[i, j], 1.0)
            if churned:
                active[i, j] = False
                lost += 1.0
                lost_by_quadrant[i, quadrant[i, j]] += 1.0
                if event:
                    lost_event += 1.0
                continue
            revenue = share[i, j] * wallet[i, j]
            revenue_sum += revenue
            wallet_sum += wallet[i, j]
            count += 1.0
            contacts_sum += contacts[i, j]
            by_archetype[i, seat_archetype[o]] += revenue
            quad[i, quadrant[i, j], Q_REVENUE] += revenue
            quad[i, quadrant[i, j], Q_WALLET] += wallet[i, j]
            sourced[i, source[i, j]] += revenue
            if effects:
                load[i, o] += 1.0
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
                    rp, seed_word, first_trial, size_step, theta_step, i, n_book + logos[i], o, e,
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
                rp, seed_word, first_trial, size_step, theta_step, i, n_book + logos[i], o, e,
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
        p = beta_quantile(rp[THETA_A], rp[THETA_B], uniform_word(b, theta_step))
        if rp[THETA_YEARLY] > 0.0:
            # A yearly draw p compounds to the monthly 1 − (1 − p)^(1/12).
            p = -math.expm1(math.log1p(-min(p, 1.0)) / 12.0)
        theta[i, column] = p
    else:
        theta[i, column] = rp[LOGO_THETA]
