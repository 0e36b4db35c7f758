"""Every constant of the simulation model, as a named, documented assumption.

Each :class:`Assumption` carries its value, unit, a one-line description and
its source: a public figure (with the kind of source, see docs/sources.md) or the
words "modelling assumption" where no solid figure exists. A scenario's
``assumptions:`` mapping overrides any of them by name
(:func:`resolve_assumptions`). The engine reads values only through the
resolved mapping, so a run can always print what it assumed.

Annual rates become monthly as probabilities (``1 - (1 - p) ** (1 / 12)``) or
as log-rates (``/ 12``); see :func:`monthly_probability`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from assess.errors import did_you_mean
from simulate.errors import SimulateError


@dataclass(frozen=True)
class Assumption:
    """One model constant: its value, unit, meaning and where the value comes from."""

    name: str
    value: float
    unit: str
    description: str
    source: str
    minimum: float | None = None
    maximum: float | None = None

    def with_value(self, value: float) -> Assumption:
        """A copy with another value (bounds are not checked here)."""
        return replace(self, value=float(value))


def monthly_probability(annual: float) -> float:
    """An annual probability as the monthly probability that compounds to it."""
    return float(1.0 - (1.0 - annual) ** (1.0 / 12.0))


MODELLING = "modelling assumption"

_ASSUMPTIONS: tuple[Assumption, ...] = (
    # ---------------------------------------------------------------- churn
    Assumption(
        "base_churn_annual",
        0.10,
        "probability per account-year",
        "Base churn θ for book accounts without a churn_propensity and for new logos when the "
        "book gives θ per account; used monthly as 1 − (1 − p)^(1/12) ≈ 0.87 %. θ is the "
        "observed churn of the book in its month-0 state (hazards are divided by the month-0 "
        "book's mean hazard factor).",
        "B2B SaaS median annual logo churn, KBCM SaaS survey 2016 (secondary)",
        0.0,
        1.0,
    ),
    Assumption(
        "churn_reference_health",
        0.7,
        "health (0–1)",
        "Health at which the health factor of the churn hazard is 1 (θ is the churn of an "
        "account in the reference state).",
        MODELLING,
        0.0,
        1.0,
    ),
    Assumption(
        "health_churn_effect",
        2.5,
        "log-hazard per unit of health",
        "Health factor = exp(−effect × (health − reference)): health 0.3 multiplies churn by "
        "2.7, health 0.9 by 0.61; 0 switches the factor off.",
        MODELLING,
        0.0,
        20.0,
    ),
    Assumption(
        "churn_reference_contacts",
        2.0,
        "contacts",
        "Contacts at which the contacts factor of the churn hazard is 1.",
        MODELLING,
        1.0,
        20.0,
    ),
    Assumption(
        "contacts_churn_effect",
        0.08,
        "log-hazard per contact",
        "Contacts factor = exp(−effect × (min(contacts, cap) − reference)): one contact "
        "multiplies churn by 1.08, four by 0.85; 0 switches the factor off.",
        MODELLING + " (no controlled study of multi-threading found; docs/sources.md); kept "
        "small so that the order-taker gap settles (docs/model.md, calibration)",
        0.0,
        5.0,
    ),
    Assumption(
        "contacts_effect_cap",
        6.0,
        "contacts",
        "Contacts beyond this number no longer lower churn.",
        MODELLING,
        1.0,
        50.0,
    ),
    Assumption(
        "owner_neglect_churn_effect",
        1.0,
        "hazard multiplier increase at full neglect",
        "Owner factor = 1 + effect × (1 − service attention): an attentive owner gives 1, a "
        "vacant uncovered seat or a fully neglecting owner gives 1 + effect.",
        MODELLING,
        0.0,
        20.0,
    ),
    # ------------------------------------------------------- management change
    Assumption(
        "mgmt_change_monthly",
        0.012,
        "probability per account-month",
        "Chance that the customer's decision maker or champion changes in a month.",
        MODELLING + ", below the 2.1 %/month B2B contact decay (industry data-quality reports, "
        "secondary) because only the key contact counts",
        0.0,
        1.0,
    ),
    Assumption(
        "mgmt_change_churn_uplift",
        10.0,
        "hazard multiplier increase with one contact",
        "Event factor in a month with a management change = 1 + uplift × contacts^(−exponent); "
        "0 switches the effect off.",
        MODELLING + " (no solid figure for a champion leaving; docs/sources.md)",
        0.0,
        1000.0,
    ),
    Assumption(
        "mgmt_change_contacts_exponent",
        2.5,
        "exponent",
        "How fast the management-change multiplier shrinks with contacts: with the defaults 11× "
        "for one contact, 2.8× for two, 1.6× for three.",
        MODELLING,
        0.0,
        10.0,
    ),
    # ------------------------------------------------------------- contacts
    Assumption(
        "contact_decay_monthly",
        0.021,
        "probability per contact-month",
        "Each contact beyond the first leaves (role or company change) with this probability a "
        "month; the account always keeps one contact.",
        "B2B contact data decay about 2.1 % a month, industry data-quality reports (secondary)",
        0.0,
        1.0,
    ),
    Assumption(
        "max_contacts",
        10.0,
        "contacts",
        "Most contacts an account can have; asks beyond it add none.",
        MODELLING,
        1.0,
        100.0,
    ),
    Assumption(
        "ask_contact_success",
        0.25,
        "probability per ask at health 1",
        "An ask adds a contact (an introduction) with probability success × health, so asks "
        "work better where the relationship is good.",
        MODELLING,
        0.0,
        1.0,
    ),
    Assumption(
        "ask_referral_success",
        0.01,
        "probability per ask at health 1",
        "An ask yields a referral new logo with probability success × health.",
        MODELLING,
        0.0,
        1.0,
    ),
    # ------------------------------------------------------ growth and erosion
    Assumption(
        "win_capture_share",
        0.8,
        "share of the room to the ceiling",
        "A won opportunity moves this share of the way from the account's share s to its "
        "ceiling: s becomes s + capture × (ceiling − s).",
        MODELLING + "; calibrated with competitor_pressure_monthly and the ceiling and floor "
        "(docs/model.md, calibration)",
        0.0,
        1.0,
    ),
    Assumption(
        "share_ceiling_gain",
        0.5,
        "share of the month-0 uncaptured wallet",
        "Ceiling of an account's share of wallet: s0 + gain × (1 − s0), s0 its month-0 share. "
        "Proactive wins move the share toward it; nobody wins the whole wallet.",
        MODELLING + "; calibrated (docs/model.md)",
        0.0,
        1.0,
    ),
    Assumption(
        "share_floor_ratio",
        0.92,
        "share of the month-0 share",
        "Floor of an account's share of wallet: ratio × s0. Reactive business (orders that keep "
        "coming) holds it without any proactive work; competitors pull the share down to it.",
        MODELLING + "; calibrated (docs/model.md)",
        0.0,
        1.0,
    ),
    Assumption(
        "competitor_pressure_monthly",
        0.08,
        "share of the excess over the floor per month",
        "Competitors take this share of (s − floor) every month from every account, whoever owns "
        "it; only proactive wins push back, so every account settles between floor and ceiling.",
        MODELLING + "; calibrated so that order-takers leave 15–25 % of a farmer team's revenue "
        "behind at every horizon from 24 to 120 months (DESIGN.md §1.6, a calibration target)",
        0.0,
        1.0,
    ),
    Assumption(
        "max_conversations_per_month",
        4.0,
        "conversations per account-month",
        "Cap on proactive conversations counted on one account in a month.",
        MODELLING,
        1.0,
        20.0,
    ),
    # ------------------------------------------------------------- attention
    Assumption(
        "selling_hours_monthly",
        100.0,
        "hours per rep-month",
        "Hours a full-time rep spends on customers and their accounts in a month (of a "
        "full-time month's ~173 hours; internal meetings, admin and travel take the rest). "
        "Prospecting takes hunting_time of it.",
        MODELLING + " (a full-time month is 40 h × 52 / 12 ≈ 173 h)",
        1.0,
        400.0,
    ),
    Assumption(
        "attention_hours_scale",
        0.55,
        "hours per account-month",
        "Attention an account gets from t hours of its owner's time is 1 − exp(−t / scale): "
        "diminishing returns, so spare capacity is worth something and overload hurts.",
        MODELLING + "; two farmers on 300 accounts give each about 0.7",
        0.01,
        100.0,
    ),
    Assumption(
        "priority_exponent",
        0.5,
        "exponent",
        "Under attention: size or potential, an account's share of its owner's time is "
        "proportional to (its revenue or uncaptured wallet / the book's median)^exponent.",
        MODELLING,
        0.0,
        3.0,
    ),
    Assumption(
        "key_account_time_weight",
        2.5,
        "time weight",
        "Under attention: key_accounts, high-potential accounts (key and develop quadrants) get "
        "this many times the time of the others.",
        MODELLING + " (DESIGN.md §1.7: key accounts are those with the most potential)",
        1.0,
        100.0,
    ),
    Assumption(
        "churn_reference_service",
        0.8,
        "service attention (0–1)",
        "Service attention of the reference owner in θ's reference state: θ is the churn of the "
        "book's month-0 accounts served with this attention (a farmer carrying 100 accounts: "
        "attention 0.84 × (1 − neglect 0.05)).",
        MODELLING,
        0.0,
        1.0,
    ),
    # ---------------------------------------------------------------- health
    Assumption(
        "health_adjust_rate",
        0.15,
        "share of the gap per month",
        "Health moves this share of the way to its target each month: target = service quality "
        "× service attention + neglected level × (1 − service attention).",
        MODELLING,
        0.0,
        1.0,
    ),
    Assumption(
        "health_neglected_level",
        0.3,
        "health (0–1)",
        "Health an account drifts to when nobody serves it.",
        MODELLING,
        0.0,
        1.0,
    ),
    # ---------------------------------------------------------------- wallet
    Assumption(
        "economy_drift_annual",
        0.03,
        "log-drift per year",
        "Default economy-wide wallet drift when the scenario gives no economy.drift_annual.",
        MODELLING + " (nominal growth of a category's spend)",
        -1.0,
        1.0,
    ),
    Assumption(
        "economy_volatility_annual",
        0.08,
        "log-sd per year",
        "Default economy-wide wallet volatility (one shock per trial and month shared by all "
        "accounts) when the scenario gives no economy.volatility_annual.",
        MODELLING,
        0.0,
        2.0,
    ),
    Assumption(
        "wallet_volatility_annual",
        0.10,
        "log-sd per year",
        "Account-specific wallet noise, independent between accounts and months.",
        MODELLING,
        0.0,
        2.0,
    ),
    # ---------------------------------------------------------------- reps
    Assumption(
        "rep_attrition_annual",
        0.27,
        "probability per rep-year",
        "A filled seat's rep quits with monthly probability 1 − (1 − p)^(1/12).",
        "Sales rep attrition 25–30 % a year: CSO Insights 25.8 %, HBR 2017 about 27 % (secondary)",
        0.0,
        1.0,
    ),
    Assumption(
        "vacancy_months_mean",
        2.0,
        "months",
        "Mean months a seat stays vacant (each vacant month ends with probability 1/mean).",
        "Time to fill a sales seat 47–62 days: HRO Today 58, Workable 47 (secondary)",
        1.0,
        60.0,
    ),
    Assumption(
        "ramp_months",
        5.0,
        "months",
        "Months for a new hire to reach full productivity (linear ramp).",
        "Account executive ramp about 5 months, Bridge Group (secondary)",
        0.0,
        60.0,
    ),
    Assumption(
        "ramp_start_productivity",
        0.3,
        "share of full productivity",
        "A new hire's productivity in the first month; the ramp is linear from here to 1.",
        MODELLING,
        0.0,
        1.0,
    ),
    Assumption(
        "vacancy_cover_attention",
        0.5,
        "share of the covering reps' attention",
        "Under vacancy_coverage: shared, a vacant seat's accounts get this share of the hours "
        "per unit of time weight the filled seats give their own accounts (service only, no "
        "proactive work or asks); the filled seats' hours are spread over the orphaned "
        "accounts too.",
        MODELLING,
        0.0,
        1.0,
    ),
    Assumption(
        "role_switching_cost",
        0.25,
        "effectiveness lost at a 50/50 split",
        "The one penalty a hybrid pays: a rep splitting time between hunting and farming "
        "has 1 − cost × 4 × hunting_time × (1 − hunting_time) of their hours' worth on both jobs "
        "(pure roles lose nothing); behaviour values are otherwise those of the pure roles.",
        MODELLING + " (DESIGN.md §1.8: one person doing both meets only some goals)",
        0.0,
        1.0,
    ),
    Assumption(
        "overload_quit_effect",
        1.0,
        "quit hazard increase per 100 % overload",
        "A rep's quit probability is multiplied by 1 + effect × max(0, load / capacity − 1): "
        "a rep carrying twice their capacity quits twice as often with the default.",
        MODELLING,
        0.0,
        20.0,
    ),
    Assumption(
        "departure_health_loss",
        0.15,
        "share of health",
        "When a rep leaves, each of their accounts loses this share of its health.",
        MODELLING,
        0.0,
        1.0,
    ),
    Assumption(
        "departure_contact_loss",
        0.5,
        "probability per account",
        "When a rep leaves, each of their accounts with more than one contact loses one with "
        "this probability (the contact who dealt with the rep).",
        MODELLING,
        0.0,
        1.0,
    ),
    Assumption(
        "hiring_cost_share",
        0.25,
        "share of the seat's yearly cost",
        "Cost of filling a vacant seat (recruiting fees, interviews), as a share of the seat's "
        "yearly cost.",
        MODELLING + " (no solid public figure for the cost of a replacement hire; docs/sources.md)",
        0.0,
        5.0,
    ),
    # ------------------------------------------------------------- new logos
    Assumption(
        "new_logo_revenue_share",
        0.4,
        "share of the book's median monthly revenue",
        "Median first-month revenue of a new logo: new logos start small.",
        MODELLING,
        0.0,
        10.0,
    ),
    Assumption(
        "new_logo_size_sigma",
        0.6,
        "log-sd",
        "Spread of new logos' starting revenue around that median (lognormal).",
        MODELLING,
        0.0,
        3.0,
    ),
    Assumption(
        "new_logo_wallet_multiple",
        3.0,
        "wallet / revenue",
        "A new logo's wallet is this multiple of its starting revenue (we start with a third).",
        MODELLING,
        1.0,
        100.0,
    ),
    Assumption(
        "new_logo_health",
        0.7,
        "health (0–1)",
        "Health of a new logo when it is won.",
        MODELLING,
        0.0,
        1.0,
    ),
    Assumption(
        "max_new_logos_per_seat_month",
        6.0,
        "new logos per seat-month",
        "Cap on the new logos one seat can win in a month (the inverse-CDF count's top).",
        MODELLING,
        1.0,
        50.0,
    ),
    # ------------------------------------------------------------ book defaults
    Assumption(
        "default_contacts",
        1.0,
        "contacts",
        "Contacts of a book account whose contacts column is empty or missing.",
        MODELLING + " (single-threaded unless known otherwise)",
        1.0,
        100.0,
    ),
    Assumption(
        "default_health",
        0.7,
        "health (0–1)",
        "Health of a book account whose health column is empty or missing.",
        MODELLING + " (the churn reference state)",
        0.0,
        1.0,
    ),
)

DEFAULT_ASSUMPTIONS: Mapping[str, Assumption] = MappingProxyType(
    {assumption.name: assumption for assumption in _ASSUMPTIONS}
)
"""Every model constant of DESIGN.md §5 by name, with its default value."""


def resolve_assumptions(
    overrides: Mapping[str, float], where: str = "assumptions"
) -> dict[str, Assumption]:
    """The default assumptions with ``overrides`` applied; unknown names and bad values refused.

    ``where`` is the field path used in error messages (``assumptions.<name>``).
    """
    resolved = dict(DEFAULT_ASSUMPTIONS)
    for name, value in overrides.items():
        path = f"{where}.{name}"
        if name not in resolved:
            raise SimulateError(
                f"{path}: unknown assumption '{name}'{did_you_mean(name, resolved)}; "
                f"`simulate assumptions` lists all {len(resolved)} with their units."
            )
        default = resolved[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SimulateError(f"{path}: expected a number ({default.unit}); found {value!r}.")
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise SimulateError(f"{path}: expected a finite number; found {value!r}.")
        if default.minimum is not None and number < default.minimum:
            raise SimulateError(
                f"{path}: expected at least {default.minimum:g} ({default.unit}); found {number:g}."
            )
        if default.maximum is not None and number > default.maximum:
            raise SimulateError(
                f"{path}: expected at most {default.maximum:g} ({default.unit}); found {number:g}."
            )
        resolved[name] = default.with_value(number)
    return resolved
