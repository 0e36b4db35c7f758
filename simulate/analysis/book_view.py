"""The key-account view of a book: size × potential quadrants and single threads (pure).

Classifies every account with :mod:`simulate.quadrants` (the same quadrants the
engine and the reports use) and sums, per quadrant, the accounts, our revenue,
their wallet, the wallet we do not capture and our share of it. Accounts
reached through a single contact are the ones a management change can take
away at once: they are listed with the revenue they carry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from simulate.quadrants import QUADRANT_LABELS, QUADRANTS, classify, default_thresholds


@dataclass(frozen=True)
class QuadrantSummary:
    """Totals of one quadrant (money per month)."""

    quadrant: str
    accounts: int
    revenue: float
    wallet: float
    single_threaded: int
    single_threaded_revenue: float

    @property
    def uncaptured(self) -> float:
        """Wallet we do not capture, ``W − r`` summed."""
        return self.wallet - self.revenue

    @property
    def share(self) -> float:
        """Our share of the quadrant's wallet (0 when it has none)."""
        return self.revenue / self.wallet if self.wallet > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "quadrant": self.quadrant,
            "label": QUADRANT_LABELS[self.quadrant],
            "accounts": self.accounts,
            "revenue_monthly": self.revenue,
            "wallet_monthly": self.wallet,
            "uncaptured_monthly": self.uncaptured,
            "wallet_share": self.share,
            "single_threaded": self.single_threaded,
            "single_threaded_revenue_monthly": self.single_threaded_revenue,
        }


@dataclass(frozen=True)
class AtRisk:
    """A single-threaded account."""

    account_id: str
    quadrant: str
    revenue: float
    wallet: float

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "account_id": self.account_id,
            "quadrant": self.quadrant,
            "revenue_monthly": self.revenue,
            "wallet_monthly": self.wallet,
        }


@dataclass(frozen=True)
class BookView:
    """The book by quadrant, with the single-threaded accounts at risk."""

    size_threshold: float
    potential_threshold: float
    quadrants: tuple[QuadrantSummary, ...]
    at_risk: tuple[AtRisk, ...]
    """Single-threaded accounts, largest revenue first."""
    contacts_known: bool

    @property
    def revenue(self) -> float:
        """The book's monthly revenue with us."""
        return sum(q.revenue for q in self.quadrants)

    @property
    def wallet(self) -> float:
        """The book's total monthly wallet."""
        return sum(q.wallet for q in self.quadrants)

    @property
    def share(self) -> float:
        """The book's wallet share."""
        return self.revenue / self.wallet if self.wallet > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The ``repfit.book-view/1`` JSON contract."""
        return {
            "schema": "repfit.book-view/1",
            "accounts": sum(q.accounts for q in self.quadrants),
            "revenue_monthly": self.revenue,
            "wallet_monthly": self.wallet,
            "wallet_share": self.share,
            "thresholds": {
                "size_revenue_monthly": self.size_threshold,
                "potential_uncaptured_monthly": self.potential_threshold,
            },
            "quadrants": [q.to_dict() for q in self.quadrants],
            "contacts_known": self.contacts_known,
            "single_threaded": {
                "accounts": len(self.at_risk),
                "revenue_monthly": sum(a.revenue for a in self.at_risk),
                "share_of_revenue": (
                    sum(a.revenue for a in self.at_risk) / self.revenue if self.revenue else 0.0
                ),
                "list": [a.to_dict() for a in self.at_risk],
            },
        }


def book_view(
    account_id: Sequence[str],
    revenue: NDArray[np.float64],
    wallet: NDArray[np.float64],
    contacts: NDArray[np.int64],
    *,
    size: float | None = None,
    potential: float | None = None,
    contacts_known: bool = True,
) -> BookView:
    """Quadrant totals and single-threaded accounts of a book (money per month)."""
    thresholds = default_thresholds(revenue, wallet, size=size, potential=potential)
    codes = classify(revenue, wallet, thresholds)
    single = np.asarray(contacts) <= 1
    summaries = []
    for code, name in enumerate(QUADRANTS):
        inside = codes == code
        summaries.append(
            QuadrantSummary(
                quadrant=name,
                accounts=int(inside.sum()),
                revenue=float(revenue[inside].sum()),
                wallet=float(wallet[inside].sum()),
                single_threaded=int((inside & single).sum()),
                single_threaded_revenue=float(revenue[inside & single].sum()),
            )
        )
    order = np.argsort(-np.where(single, revenue, -np.inf), kind="stable")
    at_risk = tuple(
        AtRisk(
            account_id=account_id[i],
            quadrant=QUADRANTS[codes[i]],
            revenue=float(revenue[i]),
            wallet=float(wallet[i]),
        )
        for i in order
        if single[i]
    )
    return BookView(
        size_threshold=thresholds.size,
        potential_threshold=thresholds.potential,
        quadrants=tuple(summaries),
        at_risk=at_risk,
        contacts_known=contacts_known,
    )
