"""The slow, obviously-correct twin of the engine (pure; used only by tests).

Plain Python loops, one trial, one seat and one account at a time, written
straight from docs/model.md. It shares no logic with the engine: it resolves
the scenario itself (assignment of unowned accounts, hours, attention weights,
hand-over, new-logo slots, the churn reference) and draws its own random
numbers from a numpy Generator per trial, so the two agree statistically: means
within Monte Carlo error. Only the quadrant classification comes from
:mod:`simulate.quadrants`, the one definition every part of repfit shares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from simulate.quadrants import QUADRANTS, classify, default_thresholds
from simulate.results import METRICS, QUADRANT_METRICS

if TYPE_CHECKING:
    from simulate.book import ChurnBeta
    from simulate.model import Scenario


@dataclass
class _Account:
    wallet: float
    share: float
    floor: float
    ceiling: float
    contacts: int
    health: float
    theta: float
    owner: int
    quadrant: int
    source: int
    """0 for the book, else 1 + the index of the sourcing archetype."""
    active: bool = True


@dataclass
class _Seat:
    seat_id: str
    archetype: int
    role: str
    hours: float
    capacity: float
    proactive: float
    close: float
    ask: float
    quality: float
    neglect: float
    prospecting: float
    cost_month: float
    vacant: bool = False
    tenure: int = 10_000


@dataclass
class ReferenceResult:
    """Per-trial values (trials × months) of every metric and breakdown."""

    values: dict[str, NDArray[np.float64]]
    by_archetype: NDArray[np.float64]
    breakdowns: dict[str, NDArray[np.float64]]
    events_by_contacts: list[int] = field(default_factory=lambda: [0, 0, 0])
    lost_by_contacts: list[int] = field(default_factory=lambda: [0, 0, 0])


def _monthly_theta(beta: ChurnBeta, p: float) -> float:
    """An account's monthly θ from its Beta draw: a yearly p compounds to 1 − (1 − p)^(1/12)."""
    return 1.0 - (1.0 - p) ** (1.0 / 12.0) if beta.period == "year" else p


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


def _ramp(tenure: int, months: float, start: float) -> float:
    if months <= 0 or tenure >= months:
        return 1.0
    return start + (1.0 - start) * tenure / months


class _Model:
    """The scenario's constants, read by name."""

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        v = scenario.value
        self.v = v
        self.effects = scenario.effects == "all"
        book = scenario.book
        names: list[str] = []
        for seat in scenario.seats:
            if seat.archetype.name not in names:
                names.append(seat.archetype.name)
        self.archetypes = names
        cost = v("role_switching_cost")
        self.seats: list[_Seat] = []
        for seat in scenario.seats:
            a = seat.archetype
            h = a.hunting_time
            switching = 1.0 - cost * 4.0 * h * (1.0 - h)
            self.seats.append(
                _Seat(
                    seat_id=seat.seat_id,
                    archetype=names.index(a.name),
                    role=a.role,
                    hours=v("selling_hours_monthly") * (1.0 - h) * switching,
                    capacity=a.capacity * (1.0 - h),
                    proactive=a.proactive_rate,
                    close=a.close_rate,
                    ask=a.ask_rate,
                    quality=a.service_quality,
                    neglect=a.neglect,
                    prospecting=a.prospecting_rate * h * switching,
                    cost_month=a.cost_annual / 12.0,
                )
            )
        self.owner = self._assign()
        spec = scenario.spec.quadrants if scenario.spec is not None else None
        self.thresholds = default_thresholds(
            book.revenue,
            book.wallet,
            size=spec.size if spec is not None else None,
            potential=spec.potential if spec is not None else None,
        )
        self.quadrant = classify(book.revenue, book.wallet, self.thresholds)
        self.size_median = float(np.median(book.revenue))
        self.potential_median = float(np.median(book.wallet - book.revenue))
        self.logo_median = v("new_logo_revenue_share") * float(np.median(book.revenue))
        beta = book.theta_beta
        self.logo_theta = beta.mean if beta is not None else float(np.mean(book.theta))
        self.reference = self._churn_reference() if self.effects else 1.0
        self.handoff = [j for j, seat in enumerate(self.seats) if seat.role == "account_manager"]

    def _assign(self) -> list[int]:
        """The book's owner when it names a seat of the team, else placed by the policy."""
        book, seats = self.s.book, self.seats
        ids = [seat.seat_id for seat in seats]
        owner = [ids.index(o) if o in ids else -1 for o in book.owner]
        unowned = [i for i, o in enumerate(owner) if o < 0]
        eligible = [j for j, s in enumerate(seats) if s.role == "account_manager"]
        eligible = eligible or [j for j, s in enumerate(seats) if s.role == "hybrid"]
        eligible = eligible or list(range(len(seats)))
        policy = self.s.policies.assignment
        if policy == "round_robin":
            for n, i in enumerate(unowned):
                owner[i] = eligible[n % len(eligible)]
            return owner
        if policy == "potential":
            key = [float(book.wallet[i] - book.revenue[i]) for i in range(book.size)]
        else:
            key = [float(book.revenue[i]) for i in range(book.size)]
        order = sorted(unowned, key=lambda i: (-key[i], i))
        load = {j: sum(1 for o in owner if o == j) for j in eligible}
        for i in order:
            best = eligible[0]
            for j in eligible:
                if seats[j].capacity - load[j] > seats[best].capacity - load[best]:
                    best = j
            owner[i] = best
            load[best] += 1
        return owner

    def hazard_factor(self, health: float, contacts: int, service: float) -> float:
        v = self.v
        k = min(max(contacts, 1), v("contacts_effect_cap"))
        return (
            math.exp(-v("health_churn_effect") * (health - v("churn_reference_health")))
            * math.exp(-v("contacts_churn_effect") * (k - v("churn_reference_contacts")))
            * (1.0 + v("owner_neglect_churn_effect") * (1.0 - service))
        )

    def event_factor(self, contacts: int) -> float:
        v = self.v
        exponent = -v("mgmt_change_contacts_exponent")
        return float(1.0 + v("mgmt_change_churn_uplift") * float(max(contacts, 1)) ** exponent)

    def _churn_reference(self) -> float:
        book, v = self.s.book, self.v
        total = weight = 0.0
        for i in range(book.size):
            theta = float(book.theta[i]) if float(book.theta.sum()) > 0 else 1.0
            k = int(book.contacts[i])
            expected_event = 1.0 + v("mgmt_change_monthly") * (self.event_factor(k) - 1.0)
            factor = (
                self.hazard_factor(float(book.health[i]), k, v("churn_reference_service"))
                * expected_event
            )
            total += theta * factor
            weight += theta
        return total / weight


def simulate_reference(scenario: Scenario, trials: int, seed: int) -> ReferenceResult:
    """Run ``trials`` trials of the model with scalar loops."""
    model = _Model(scenario)
    horizon = scenario.horizon_months
    values = {name: np.zeros((trials, horizon)) for name in METRICS}
    by_archetype = np.zeros((len(model.archetypes), trials, horizon))
    names = [f"quadrant.{q}.{m}" for q in QUADRANTS for m in QUADRANT_METRICS]
    names += ["sourced_by.book", *(f"sourced_by.{a}" for a in model.archetypes)]
    names += [
        "costs.team_cost",
        "costs.team_cost_cumulative",
        "costs.revenue_minus_cost",
        "costs.revenue_minus_cost_cumulative",
    ]
    breakdowns = {name: np.zeros((trials, horizon)) for name in names}
    result = ReferenceResult(values=values, by_archetype=by_archetype, breakdowns=breakdowns)
    for trial, child in enumerate(np.random.SeedSequence(seed).spawn(trials)):
        _one_trial(model, np.random.default_rng(child), trial, result)
    return result


def _one_trial(m: _Model, rng: np.random.Generator, trial: int, out: ReferenceResult) -> None:
    s, v = m.s, m.v
    book = s.book
    seats = [_Seat(**{k: getattr(seat, k) for k in seat.__dataclass_fields__}) for seat in m.seats]
    floor_ratio, gain = v("share_floor_ratio"), v("share_ceiling_gain")
    accounts: list[_Account] = []
    for i in range(book.size):
        theta = (
            _monthly_theta(book.theta_beta, float(rng.beta(book.theta_beta.a, book.theta_beta.b)))
            if book.theta_beta is not None
            else float(book.theta[i])
        )
        share = float(book.revenue[i] / book.wallet[i])
        accounts.append(
            _Account(
                wallet=float(book.wallet[i]),
                share=share,
                floor=floor_ratio * share,
                ceiling=share + gain * (1.0 - share),
                contacts=int(book.contacts[i]),
                health=float(book.health[i]),
                theta=theta,
                owner=m.owner[i],
                quadrant=int(m.quadrant[i]),
                source=0,
            )
        )
    p_quit = 1.0 - (1.0 - v("rep_attrition_annual")) ** (1.0 / 12.0)
    p_fill = 1.0 / v("vacancy_months_mean")
    drift = s.economy.drift_annual / 12.0
    economy_sd = s.economy.volatility_annual / math.sqrt(12.0)
    account_sd = v("wallet_volatility_annual") / math.sqrt(12.0)
    ramp_months, ramp_start = v("ramp_months"), v("ramp_start_productivity")
    scale = v("attention_hours_scale")
    policy = s.policies.attention
    shared = s.policies.vacancy_coverage == "shared"
    keeps = s.policies.new_logo_owner == "hunter" or not m.handoff
    totals = {"lost": 0, "logos": 0, "lost_event": 0, "revenue": 0.0, "cost": 0.0, "net": 0.0}
    lost_by_quadrant = [0] * len(QUADRANTS)
    for month in range(s.horizon_months):
        load = [0] * len(seats)
        for a in accounts:
            if a.active:
                load[a.owner] += 1
        hires = [False] * len(seats)
        if m.effects:
            # Seats: quits (likelier when overloaded) and hires; a departure hurts accounts.
            for j, seat in enumerate(seats):
                u_quit, u_fill = rng.random(), rng.random()
                if not seat.vacant:
                    overload = max(0.0, load[j] / max(seat.capacity, 1e-9) - 1.0)
                    p = min(1.0, p_quit * (1.0 + v("overload_quit_effect") * overload))
                    if u_quit < p:
                        seat.vacant = True
                        for a in accounts:
                            if a.active and a.owner == j:
                                a.health *= 1.0 - v("departure_health_loss")
                                if a.contacts > 1 and rng.random() < v("departure_contact_loss"):
                                    a.contacts -= 1
                elif u_fill < p_fill:
                    seat.vacant = False
                    seat.tenure = 0
                    hires[j] = True
        # Attention: each filled seat's hours split over its accounts by weight.
        weight: dict[int, float] = {}
        for n, a in enumerate(accounts):
            if not a.active:
                continue
            if policy == "uniform":
                w = 1.0
            elif policy == "key_accounts":
                w = v("key_account_time_weight") if a.quadrant in (0, 1) else 1.0
            elif policy == "size":
                w = (a.share * a.wallet / m.size_median) ** v("priority_exponent")
            else:
                potential = max(a.wallet * (1.0 - a.share), 0.0)
                w = (potential / m.potential_median) ** v("priority_exponent")
            weight[n] = w
        seat_weight = [0.0] * len(seats)
        for n, w in weight.items():
            seat_weight[accounts[n].owner] += w
        filled = [j for j, seat in enumerate(seats) if not seat.vacant]
        orphaned = sum(seat_weight[j] for j, seat in enumerate(seats) if seat.vacant)
        covered = shared and len(filled) > 0
        extra = orphaned / len(filled) if covered else 0.0
        per_weight = [0.0] * len(seats)
        for j in filled:
            hours = seats[j].hours * _ramp(seats[j].tenure, ramp_months, ramp_start)
            denominator = seat_weight[j] + extra
            per_weight[j] = hours / denominator if denominator > 0 else 0.0
        cover = (
            v("vacancy_cover_attention") * sum(per_weight[j] for j in filled) / len(filled)
            if covered
            else 0.0
        )
        shock = float(rng.standard_normal())
        meetings = 0
        lost = lost_event = 0
        q_meetings = [0.0] * len(QUADRANTS)
        referrers: list[int] = []
        for n, a in enumerate(accounts):
            if not a.active:
                continue
            churn_p = a.theta
            event = False
            if m.effects:
                seat = seats[a.owner]
                if seat.vacant:
                    attention = 1.0 - math.exp(-weight[n] * cover / scale)
                    service, rate, ask = attention, 0.0, 0.0
                else:
                    attention = 1.0 - math.exp(-weight[n] * per_weight[a.owner] / scale)
                    service = attention * (1.0 - seat.neglect)
                    rate = seat.proactive * attention
                    ask = seat.ask * attention
                a.wallet *= math.exp(
                    drift + economy_sd * shock + account_sd * float(rng.standard_normal())
                )
                conversations = _poisson_count(
                    rng.random(), rate, int(v("max_conversations_per_month"))
                )
                meetings += conversations
                q_meetings[a.quadrant] += conversations
                won = rng.random() < 1.0 - (1.0 - seat.close) ** conversations
                if conversations > 0 and won and a.share < a.ceiling:
                    a.share += v("win_capture_share") * (a.ceiling - a.share)
                if a.share > a.floor:
                    a.share -= v("competitor_pressure_monthly") * (a.share - a.floor)
                p_ask = ask * a.health
                if rng.random() < p_ask * v("ask_contact_success"):
                    a.contacts = min(a.contacts + 1, int(v("max_contacts")))
                if rng.random() < p_ask * v("ask_referral_success"):
                    referrers.append(n)
                if a.contacts > 1:
                    leave = 1.0 - (1.0 - v("contact_decay_monthly")) ** (a.contacts - 1)
                    if rng.random() < leave:
                        a.contacts -= 1
                target = seat.quality * service + v("health_neglected_level") * (1.0 - service)
                a.health += v("health_adjust_rate") * (target - a.health)
                event = rng.random() < v("mgmt_change_monthly")
                churn_p *= m.hazard_factor(a.health, a.contacts, service) / m.reference
                if event:
                    churn_p *= m.event_factor(a.contacts)
            churned = rng.random() < min(churn_p, 1.0)
            if event:
                bucket = min(a.contacts, 3) - 1
                out.events_by_contacts[bucket] += 1
                if churned:
                    out.lost_by_contacts[bucket] += 1
                    lost_event += 1
                else:
                    a.contacts = max(1, a.contacts - 1)
            if churned:
                a.active = False
                lost += 1
                lost_by_quadrant[a.quadrant] += 1
        # Outputs at the month's end.
        revenue = wallet = 0.0
        active = contacts = 0
        q_revenue = [0.0] * len(QUADRANTS)
        q_wallet = [0.0] * len(QUADRANTS)
        sourced = [0.0] * (len(m.archetypes) + 1)
        for a in accounts:
            if a.active:
                value = a.share * a.wallet
                revenue += value
                wallet += a.wallet
                active += 1
                contacts += a.contacts
                q_revenue[a.quadrant] += value
                q_wallet[a.quadrant] += a.wallet
                sourced[a.source] += value
                out.by_archetype[seats[a.owner].archetype, trial, month] += value
        cost = 0.0
        if m.effects:
            for j, seat in enumerate(seats):
                if not seat.vacant:
                    cost += seat.cost_month
                if hires[j]:
                    cost += 12.0 * seat.cost_month * v("hiring_cost_share")
        totals["revenue"] += revenue
        totals["lost"] += lost
        totals["lost_event"] += lost_event
        totals["cost"] += cost
        totals["net"] += revenue - cost
        # New logos: hunters' finds (seat order, handed to the least-loaded filled account
        # manager unless kept), then referrals (account order) to the referrer's owner.
        new = 0
        if m.effects:
            load = [0] * len(seats)
            for a in accounts:
                if a.active:
                    load[a.owner] += 1
            logos: list[tuple[int, int]] = []
            for j, seat in enumerate(seats):
                intensity = (
                    0.0
                    if seat.vacant
                    else seat.prospecting * _ramp(seat.tenure, ramp_months, ramp_start)
                )
                found = _poisson_count(
                    rng.random(), intensity, int(v("max_new_logos_per_seat_month"))
                )
                if seat.prospecting <= 0:
                    found = 0
                for _ in range(found):
                    if seat.role == "hybrid" or keeps:
                        owner = j
                    else:
                        owner = min(
                            m.handoff,
                            key=lambda h: (load[h] + (1e12 if seats[h].vacant else 0.0), h),
                        )
                    logos.append((owner, seat.archetype + 1))
                    load[owner] += 1
            for n in referrers:
                owner = accounts[n].owner
                logos.append((owner, seats[owner].archetype + 1))
            for owner, source in logos:
                size = m.logo_median * math.exp(
                    v("new_logo_size_sigma") * float(rng.standard_normal())
                )
                theta = (
                    _monthly_theta(
                        book.theta_beta, float(rng.beta(book.theta_beta.a, book.theta_beta.b))
                    )
                    if book.theta_beta is not None
                    else m.logo_theta
                )
                wallet_new = size * v("new_logo_wallet_multiple")
                share = 1.0 / v("new_logo_wallet_multiple")
                quadrant = int(classify(np.array([size]), np.array([wallet_new]), m.thresholds)[0])
                accounts.append(
                    _Account(
                        wallet=wallet_new,
                        share=share,
                        floor=floor_ratio * share,
                        ceiling=share + gain * (1.0 - share),
                        contacts=1,
                        health=v("new_logo_health"),
                        theta=theta,
                        owner=owner,
                        quadrant=quadrant,
                        source=source,
                    )
                )
            new = len(logos)
            for seat in seats:
                if not seat.vacant:
                    seat.tenure += 1
        totals["logos"] += new
        val = out.values
        val["revenue"][trial, month] = revenue
        val["revenue_cumulative"][trial, month] = totals["revenue"]
        val["active_accounts"][trial, month] = active
        val["accounts_lost"][trial, month] = totals["lost"]
        val["new_logos"][trial, month] = totals["logos"]
        val["wallet_share"][trial, month] = revenue / wallet if wallet > 0 else 0.0
        val["contacts_per_account"][trial, month] = contacts / active if active else 0.0
        val["reset_meetings"][trial, month] = meetings
        val["lost_after_mgmt_change"][trial, month] = totals["lost_event"]
        val["team_cost_cumulative"][trial, month] = totals["cost"]
        b = out.breakdowns
        for q, name in enumerate(QUADRANTS):
            b[f"quadrant.{name}.revenue"][trial, month] = q_revenue[q]
            b[f"quadrant.{name}.wallet_share"][trial, month] = (
                q_revenue[q] / q_wallet[q] if q_wallet[q] > 0 else 0.0
            )
            b[f"quadrant.{name}.accounts_lost"][trial, month] = lost_by_quadrant[q]
            b[f"quadrant.{name}.reset_meetings"][trial, month] = q_meetings[q]
        b["sourced_by.book"][trial, month] = sourced[0]
        for i, name in enumerate(m.archetypes):
            b[f"sourced_by.{name}"][trial, month] = sourced[i + 1]
        b["costs.team_cost"][trial, month] = cost
        b["costs.team_cost_cumulative"][trial, month] = totals["cost"]
        b["costs.revenue_minus_cost"][trial, month] = revenue - cost
        b["costs.revenue_minus_cost_cumulative"][trial, month] = totals["net"]
