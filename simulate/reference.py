"""The slow, obviously-correct twin of the engine (pure; used only by tests).

Plain Python loops, one trial, one seat and one account at a time, written
straight from docs/model.md with no vectorisation tricks. It uses the same
inputs as the engine (:func:`simulate.engine.prepare`) but its own random
streams, so the two agree statistically: means within Monte Carlo error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from simulate.behaviour import ramp_factor
from simulate.engine import ModelInputs
from simulate.results import METRICS


@dataclass
class _Account:
    wallet: float
    share: float
    contacts: int
    health: float
    theta: float
    owner: int
    active: bool = True


@dataclass
class ReferenceResult:
    """Per-trial values (trials × months) of every metric, and management-change counts."""

    values: dict[str, NDArray[np.float64]]
    by_archetype: NDArray[np.float64]
    events_by_contacts: list[int] = field(default_factory=lambda: [0, 0, 0])
    lost_by_contacts: list[int] = field(default_factory=lambda: [0, 0, 0])


def _poisson_count(u: float, lam: float, cap: int) -> int:
    """Smallest n with u ≤ P(N ≤ n) for N ~ Poisson(lam), at most ``cap``."""
    n = 0
    term = math.exp(-lam)
    cdf = term
    while u > cdf and n < cap:
        n += 1
        term *= lam / n
        cdf += term
    return n


def simulate_reference(x: ModelInputs, trials: int, seed: int) -> ReferenceResult:
    """Run ``trials`` trials of the model with scalar loops."""
    horizon = x.horizon
    values = {name: np.zeros((trials, horizon)) for name in METRICS}
    n_arch = len(x.archetype_names)
    by_archetype = np.zeros((n_arch, trials, horizon))
    result = ReferenceResult(values=values, by_archetype=by_archetype)
    root = np.random.SeedSequence(seed)
    for trial, child in enumerate(root.spawn(trials)):
        _one_trial(x, np.random.default_rng(child), trial, result)
    return result


def _one_trial(x: ModelInputs, rng: np.random.Generator, trial: int, out: ReferenceResult) -> None:
    r = x.rates
    n_seats = len(x.seat_ids)
    accounts: list[_Account] = []
    for i in range(x.revenue.shape[0]):
        if x.theta_beta is not None:
            theta = float(rng.beta(x.theta_beta.a, x.theta_beta.b))
        else:
            theta = float(x.theta[i])
        accounts.append(
            _Account(
                wallet=float(x.wallet[i]),
                share=float(x.revenue[i] / x.wallet[i]),
                contacts=int(x.contacts[i]),
                health=float(x.health[i]),
                theta=theta,
                owner=int(x.owner[i]),
            )
        )
    vacant = [False] * n_seats
    tenure = [10_000] * n_seats
    lost_total = 0
    logos_total = 0
    lost_event_total = 0
    revenue_total = 0.0
    for month in range(x.horizon):
        # Seats: a filled seat's rep may quit; a vacant seat may be filled by a new hire.
        if x.effects:
            for j in range(n_seats):
                u_quit, u_fill = rng.random(), rng.random()
                if not vacant[j] and u_quit < r.p_quit:
                    vacant[j] = True
                elif vacant[j] and u_fill < r.p_fill:
                    vacant[j] = False
                    tenure[j] = 0
        load = [0] * n_seats
        for account in accounts:
            if account.active:
                load[account.owner] += 1
        seat_attention = [0.0] * n_seats
        cover = 0.0
        if x.effects:
            filled = [j for j in range(n_seats) if not vacant[j]]
            orphaned = sum(load[j] for j in range(n_seats) if vacant[j])
            covered = x.shared_coverage and len(filled) > 0
            extra = orphaned / len(filled) if covered else 0.0
            for j in filled:
                effective = load[j] + extra
                fit = min(1.0, x.capacity[j] / effective) if effective > 0 else 1.0
                ramp = ramp_factor(tenure[j], r.ramp_months, r.ramp_start)
                seat_attention[j] = ramp * x.efficiency[j] * fit
            if covered:
                cover = r.cover_attention * sum(seat_attention[j] for j in filled) / len(filled)
        shock = float(rng.standard_normal())
        meetings = 0
        lost = 0
        lost_event = 0
        referrers: list[int] = []
        for account in accounts:
            if not account.active:
                continue
            churn_p = account.theta
            event = False
            if x.effects:
                j = account.owner
                if vacant[j]:
                    attention = cover
                    service = attention
                    rate = 0.0
                    ask = 0.0
                else:
                    attention = seat_attention[j]
                    service = attention * (1.0 - x.neglect[j])
                    rate = x.proactive[j] * attention
                    ask = x.ask[j] * attention
                noise = float(rng.standard_normal())
                account.wallet *= math.exp(r.drift + r.economy_sd * shock + r.account_sd * noise)
                n = _poisson_count(rng.random(), rate, r.max_conversations)
                meetings += n
                if n > 0 and rng.random() < 1.0 - (1.0 - x.close[j]) ** n:
                    account.share += r.capture * (1.0 - account.share)
                protection = min(1.0, rate / r.protection_rate)
                account.share *= math.exp(-r.erosion * (1.0 - protection))
                p_ask = ask * account.health
                if rng.random() < p_ask * r.ask_contact_success:
                    account.contacts = min(account.contacts + 1, r.max_contacts)
                if rng.random() < p_ask * r.ask_referral_success:
                    referrers.append(account.owner)
                if account.contacts > 1:
                    leave = 1.0 - (1.0 - r.contact_decay) ** (account.contacts - 1)
                    if rng.random() < leave:
                        account.contacts -= 1
                target = x.quality[j] * service + r.health_neglected * (1.0 - service)
                account.health += r.health_rate * (target - account.health)
                event = rng.random() < r.mgmt_change
                k = account.contacts
                churn_p *= math.exp(-r.health_effect * (account.health - r.health_reference))
                churn_p *= math.exp(
                    -r.contacts_effect * (min(k, r.contacts_cap) - r.contacts_reference)
                )
                churn_p *= 1.0 + r.owner_effect * (1.0 - service)
                if event:
                    churn_p *= 1.0 + r.mgmt_uplift * k ** (-r.mgmt_exponent)
            churned = rng.random() < min(churn_p, 1.0)
            if event:
                bucket = min(account.contacts, 3) - 1
                out.events_by_contacts[bucket] += 1
                if churned:
                    out.lost_by_contacts[bucket] += 1
                    lost_event += 1
                else:
                    account.contacts = max(1, account.contacts - 1)
            if churned:
                account.active = False
                lost += 1
        # Outputs at the month's end.
        revenue = 0.0
        wallet = 0.0
        active = 0
        contacts = 0
        for account in accounts:
            if account.active:
                value = account.share * account.wallet
                revenue += value
                wallet += account.wallet
                active += 1
                contacts += account.contacts
                out.by_archetype[x.seat_archetype[account.owner], trial, month] += value
        revenue_total += revenue
        lost_total += lost
        lost_event_total += lost_event
        # New logos: hunters' finds (seat order), then referrals (account order).
        new = 0
        if x.effects:
            load = [0] * n_seats
            for account in accounts:
                if account.active:
                    load[account.owner] += 1
            owners: list[int] = []
            for j in range(n_seats):
                intensity = (
                    0.0
                    if vacant[j]
                    else x.prospecting[j] * ramp_factor(tenure[j], r.ramp_months, r.ramp_start)
                )
                found = _poisson_count(rng.random(), intensity, r.max_logos)
                if x.prospecting[j] <= 0:
                    found = 0
                for _ in range(found):
                    if x.keeps_logos[j]:
                        owner = j
                    else:
                        candidates = [s for s in range(n_seats) if x.handoff[s]]
                        owner = min(
                            candidates, key=lambda s: (load[s] + (1e12 if vacant[s] else 0.0), s)
                        )
                    owners.append(owner)
                    load[owner] += 1
            owners.extend(referrers)
            for owner in owners:
                size = x.logo_median * math.exp(r.logo_sigma * float(rng.standard_normal()))
                if x.theta_beta is not None:
                    theta = float(rng.beta(x.theta_beta.a, x.theta_beta.b))
                else:
                    theta = x.logo_theta
                accounts.append(
                    _Account(
                        wallet=size * r.logo_multiple,
                        share=1.0 / r.logo_multiple,
                        contacts=1,
                        health=r.logo_health,
                        theta=theta,
                        owner=owner,
                    )
                )
            new = len(owners)
            for j in range(n_seats):
                if not vacant[j]:
                    tenure[j] += 1
        logos_total += new
        v = out.values
        v["revenue"][trial, month] = revenue
        v["revenue_cumulative"][trial, month] = revenue_total
        v["active_accounts"][trial, month] = active
        v["accounts_lost"][trial, month] = lost_total
        v["new_logos"][trial, month] = logos_total
        v["wallet_share"][trial, month] = revenue / wallet if wallet > 0 else 0.0
        v["contacts_per_account"][trial, month] = contacts / active if active else 0.0
        v["reset_meetings"][trial, month] = meetings
        v["lost_after_mgmt_change"][trial, month] = lost_event_total
