"""Rep archetypes and role time allocation (pure: no files, no terminal).

An :class:`Archetype` is the behaviour of one kind of rep, per account-month
where it concerns accounts. Four are bundled (DESIGN.md §1): ``farmer`` (sows
and reaps), ``order_taker`` (services well but rarely asks or develops),
``hunter`` (wins new logos, impatient with servicing) and ``hybrid`` (splits
its time and does each job less well). A scenario may override their fields or
define new ones.

A team seat later may come from an assessed profile (``{profile: ..., role: ...}``);
the profile's behaviour tendencies will then produce an :class:`Archetype` for
that seat, so everything downstream already works per seat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Literal

Role = Literal["hunter", "account_manager", "hybrid"]


@dataclass(frozen=True)
class Archetype:
    """Behaviour parameters of one kind of rep."""

    name: str
    role: Role
    """Job the seat is hired into: ``account_manager`` seats receive handed-off new logos."""
    hunting_time: float
    """Share of working time spent prospecting for new logos (0–1); the rest goes to accounts."""
    capacity: float
    """Accounts the rep is meant to carry with all of their time (accounts): the assignment
    policy fills seats up to it, and a load above it raises the rep's quit hazard. Attention
    itself comes from hours (``selling_hours_monthly``), not from this number."""
    proactive_rate: float
    """Proactive business conversations (reset meetings, discovery) per account-month at full
    attention."""
    close_rate: float
    """Probability that an opportunity from a proactive conversation is won."""
    ask_rate: float
    """Probability per account-month at full attention of asking for an introduction or a
    referral."""
    service_quality: float
    """Health (0–1) an account drifts to under this rep's full attention."""
    neglect: float
    """Share of attention the rep withholds from accounts (0 attentive, 1 ignores them)."""
    prospecting_rate: float
    """New logos per month of full-time prospecting at full productivity."""
    cost_annual: float = 0.0
    """Yearly cost of a filled seat: salary and variable pay (currency units a year)."""


ARCHETYPE_FIELD_DOCS: Mapping[str, str] = MappingProxyType(
    {
        "role": "job the seat is hired into: hunter, account_manager or hybrid",
        "hunting_time": "share of time prospecting for new logos (0–1)",
        "capacity": "accounts the rep is meant to carry (assignment; above it quits rise)",
        "proactive_rate": "proactive conversations per account-month at full attention",
        "close_rate": "probability an opportunity is won",
        "ask_rate": "probability of an ask per account-month at full attention",
        "service_quality": "health an account drifts to under full attention (0–1)",
        "neglect": "share of attention withheld from accounts (0–1)",
        "prospecting_rate": "new logos per month of full-time prospecting",
        "cost_annual": "yearly cost of a filled seat, salary and variable (currency a year)",
    }
)
"""One line per archetype field (with its unit), for help text and docs."""

NUMERIC_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(Archetype) if f.name not in ("name", "role")
)

BUNDLED_ARCHETYPES: Mapping[str, Archetype] = MappingProxyType(
    {
        # Capacity: 150 accounts for a full-time account manager (SMB/mid-market 80–200 per
        # account manager, one consultant's view, secondary). Close rate of a hunter: about
        # 20 % (HubSpot survey of >1,000 reps, secondary); yearly cost: on-target earnings of an
        # account manager $85–150 k and of an SMB account executive $100–140 k (a 2024–25
        # compilation of Bridge Group, RepVue and Pavilion figures, secondary), taken near the
        # middle; the rest are modelling assumptions.
        "farmer": Archetype(
            name="farmer",
            role="account_manager",
            hunting_time=0.0,
            capacity=150.0,
            proactive_rate=0.25,
            close_rate=0.30,
            ask_rate=0.20,
            service_quality=0.85,
            neglect=0.05,
            prospecting_rate=0.0,
            cost_annual=115_000.0,
        ),
        "order_taker": Archetype(
            name="order_taker",
            role="account_manager",
            hunting_time=0.0,
            capacity=150.0,
            proactive_rate=0.03,
            close_rate=0.15,
            ask_rate=0.02,
            service_quality=0.85,
            neglect=0.05,
            prospecting_rate=0.0,
            cost_annual=115_000.0,
        ),
        "hunter": Archetype(
            name="hunter",
            role="hunter",
            hunting_time=0.9,
            capacity=150.0,
            proactive_rate=0.10,
            close_rate=0.20,
            ask_rate=0.10,
            service_quality=0.5,
            neglect=0.4,
            prospecting_rate=1.2,
            cost_annual=120_000.0,
        ),
        # A hybrid behaves like a farmer with accounts and like a hunter when prospecting; it
        # pays one penalty, role_switching_cost (an assumption), on the hours of both jobs.
        "hybrid": Archetype(
            name="hybrid",
            role="hybrid",
            hunting_time=0.5,
            capacity=150.0,
            proactive_rate=0.25,
            close_rate=0.30,
            ask_rate=0.20,
            service_quality=0.85,
            neglect=0.05,
            prospecting_rate=1.2,
            cost_annual=120_000.0,
        ),
    }
)
"""The bundled archetypes; see docs/model.md for the reasoning behind each value."""


def effectiveness(hunting_time: float, switching_cost: float) -> float:
    """How well a rep does each job when splitting time: 1 for pure roles, lowest at 50/50."""
    return 1.0 - switching_cost * 4.0 * hunting_time * (1.0 - hunting_time)


def account_capacity(archetype: Archetype) -> float:
    """Accounts the rep can serve fully with the time left after prospecting."""
    return archetype.capacity * (1.0 - archetype.hunting_time)


def prospecting_intensity(archetype: Archetype, switching_cost: float) -> float:
    """New logos per month at full productivity, after the time split and switching cost."""
    return (
        archetype.prospecting_rate
        * archetype.hunting_time
        * effectiveness(archetype.hunting_time, switching_cost)
    )


def ramp_factor(tenure_months: float, ramp_months: float, start: float) -> float:
    """Productivity of a rep ``tenure_months`` into the job (linear ramp from ``start`` to 1)."""
    if ramp_months <= 0.0 or tenure_months >= ramp_months:
        return 1.0
    return start + (1.0 - start) * tenure_months / ramp_months
