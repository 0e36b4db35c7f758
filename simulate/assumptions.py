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
        "book gives θ per account; used monthly as 1 − (1 − p)^(1/12) ≈ 0.87 %.",
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
        0.35,
        "log-hazard per contact",
        "Contacts factor = exp(−effect × (min(contacts, cap) − reference)): one contact "
        "multiplies churn by 1.42, four by 0.50; 0 switches the factor off.",
        MODELLING + " (no controlled study of multi-threading found; docs/sources.md)",
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
        25.0,
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
        "How fast the management-change multiplier shrinks with contacts: with the defaults 26× "
        "for one contact, 5.4× for two, 2.6× for three.",
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
        0.5,
        "probability per ask at health 1",
        "An ask adds a contact (an introduction) with probability success × health, so asks "
        "work better where the relationship is good.",
        MODELLING,
        0.0,
        1.0,
    ),
    Assumption(
        "ask_referral_success",
        0.02,
        "probability per ask at health 1",
        "An ask yields a referral new logo with probability success × health.",
        MODELLING,
        0.0,
        1.0,
    ),
    # ------------------------------------------------------ growth and erosion
    Assumption(
        "win_capture_share",
        0.08,
        "share of uncaptured wallet",
        "A won opportunity moves this share of the uncaptured wallet W − r to us "
        "(share s becomes s + capture × (1 − s)).",
        MODELLING + "; calibrated with erosion_annual (docs/model.md)",
        0.0,
        1.0,
    ),
    Assumption(
        "erosion_annual",
        0.02,
        "log-share per year",
        "Competitors' erosion of our share of wallet on an account with no proactive work; "
        "proactive work protects the share in proportion to its rate.",
        MODELLING + "; calibrated so that order-takers leave 15–25 % of a farmer team's month-24 "
        "revenue behind (DESIGN.md §1.6, a calibration target)",
        0.0,
        5.0,
    ),
    Assumption(
        "protection_reference_rate",
        0.2,
        "proactive conversations per account-month",
        "Proactive rate (× attention) at which an account is fully protected from erosion.",
        MODELLING,
        1e-6,
        10.0,
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
        "Under vacancy_coverage: shared, a vacant seat's accounts get this share of the "
        "attention the remaining reps can give (service only, no proactive work or asks); "
        "the covering reps' load grows by the orphaned accounts.",
        MODELLING,
        0.0,
        1.0,
    ),
    Assumption(
        "role_switching_cost",
        0.25,
        "effectiveness lost at a 50/50 split",
        "A rep splitting time between hunting and farming works at effectiveness "
        "1 − cost × 4 × hunting_time × (1 − hunting_time): pure roles lose nothing.",
        MODELLING + " (DESIGN.md §1.8: one person doing both meets only some goals)",
        0.0,
        1.0,
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
            known = ", ".join(sorted(resolved))
            raise SimulateError(f"{path}: unknown assumption '{name}'; expected one of: {known}.")
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
