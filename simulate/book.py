"""Books of accounts: read from a CSV file or drawn from a synthetic spec.

This is an I/O edge: it reads the book CSV (DESIGN.md §4) and turns every
problem into a :class:`~assess.fileio.FileFormatError` naming the file, the
line and the column, what was expected and what was found.

Columns: ``account_id``, ``revenue_monthly``, ``wallet_monthly`` are required;
``contacts`` (default: assumption ``default_contacts``), ``health`` (default:
``default_health``), ``churn_propensity`` (monthly θ; default: the monthly
form of ``base_churn_annual``), ``owner`` (a seat id such as ``farmer-1``;
empty = assigned by the scenario's ``policies.assignment``) and ``segment``
(free text) are optional.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from assess import csvsafe
from assess.fileio import CsvRows, FileFormatError, read_text
from simulate.errors import SimulateError

REQUIRED_COLUMNS = ("account_id", "revenue_monthly", "wallet_monthly")
OPTIONAL_COLUMNS = ("contacts", "health", "churn_propensity", "owner", "segment")
MAX_ACCOUNTS = 1_000_000

MAX_CONTACTS = 10_000
"""Most contacts an account may have (a plausibility bound on the book, not a model
constant: the engine caps their effect at assumption ``max_contacts`` long before)."""

MAX_MONTHLY_AMOUNT = 1e12
"""Largest monthly revenue or wallet of one account (currency units a month): far above any
real account, and low enough that sums over a million accounts and 600 months of growth
stay finite."""


def monthly_from_yearly(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """The monthly churn probability that compounds to a yearly ``p``: 1 − (1 − p)^(1/12)."""
    return np.asarray(-np.expm1(np.log1p(-np.minimum(p, 1.0)) / 12.0), dtype=np.float64)


@dataclass(frozen=True)
class ChurnBeta:
    """θ drawn from Beta(a, b) per account and trial (shifted-beta-geometric churn).

    With ``period`` ``year`` the draw p is a yearly churn probability and the account's
    monthly θ is 1 − (1 − p)^(1/12) (:func:`monthly_from_yearly`).
    """

    a: float
    b: float
    period: str = "month"

    @property
    def mean(self) -> float:
        """Mean monthly θ (for a yearly draw: 1 − B(a, b + 1/12) / B(a, b))."""
        if self.period == "year":
            a, b = self.a, self.b
            log_ratio = (
                math.lgamma(b + 1.0 / 12.0)
                - math.lgamma(a + b + 1.0 / 12.0)
                - math.lgamma(b)
                + math.lgamma(a + b)
            )
            return -math.expm1(log_ratio)
        return self.a / (self.a + self.b)

    def monthly(self, draws: NDArray[np.float64]) -> NDArray[np.float64]:
        """Monthly θ of Beta(a, b) ``draws`` (converted when they are yearly)."""
        return monthly_from_yearly(draws) if self.period == "year" else draws


@dataclass(frozen=True, eq=False)
class Book:
    """The accounts a team starts with; arrays are indexed by account (book order)."""

    account_id: tuple[str, ...]
    revenue: NDArray[np.float64]
    """Monthly revenue with us, r."""
    wallet: NDArray[np.float64]
    """Monthly category wallet W (our revenue plus competitors'); W ≥ r > 0."""
    contacts: NDArray[np.int64]
    health: NDArray[np.float64]
    theta: NDArray[np.float64]
    """Monthly base churn θ per account (the mean when ``theta_beta`` is set)."""
    theta_beta: ChurnBeta | None
    """When set, θ is drawn from this Beta per account and trial instead of ``theta``."""
    owner: tuple[str | None, ...]
    """Seat id per account, or None for accounts the assignment policy places."""
    segment: tuple[str, ...]
    source: str
    line_numbers: tuple[int, ...] = ()
    """CSV line of each account (empty for a synthetic book), for error messages."""

    @property
    def size(self) -> int:
        """Number of accounts."""
        return len(self.account_id)


def _parse_number(text: str, where: str, expected: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FileFormatError(f"{where}: expected {expected}; found '{text}'.") from None
    if not math.isfinite(value):
        raise FileFormatError(f"{where}: expected {expected}; found '{text}'.")
    return value


def read_book_csv(
    path: Path,
    *,
    default_contacts: int,
    default_health: float,
    default_theta: float,
    shown_as: str | None = None,
) -> Book:
    """Read and check a book CSV; every error names the file, line and column."""
    name = shown_as or str(path)
    text = read_text(path, "book CSV")
    reader = CsvRows(text, name, "book CSV")
    try:
        header = next(reader)
    except StopIteration:
        raise FileFormatError(
            f"{name}: the book CSV is empty; expected a header row with columns "
            f"{', '.join(REQUIRED_COLUMNS)}."
        ) from None
    header = [column.strip() for column in header]
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    if not any(column in known for column in header):
        # Not a book at all (another CSV, or a file that is not CSV): say so without
        # echoing its first line, which may be anything (a system file, personal data).
        raise FileFormatError(
            f"{name}: not a book CSV: line 1 has none of the columns "
            f"{', '.join(REQUIRED_COLUMNS)}; expected a header row naming them."
        )
    for column in header:
        if column not in known:
            raise FileFormatError(
                f"{name}: line 1: unknown column '{column}'; expected columns among "
                f"{', '.join(known)}."
            )
    if len(set(header)) != len(header):
        duplicate = next(c for c in header if header.count(c) > 1)
        raise FileFormatError(f"{name}: line 1: column '{duplicate}' appears twice.")
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise FileFormatError(
            f"{name}: line 1: missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; found columns {', '.join(header)}."
        )
    index = {column: i for i, column in enumerate(header)}
    ids: list[str] = []
    seen: dict[str, int] = {}
    revenue: list[float] = []
    wallet: list[float] = []
    contacts: list[int] = []
    health: list[float] = []
    theta: list[float] = []
    owner: list[str | None] = []
    segment: list[str] = []
    lines: list[int] = []
    for line_number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise FileFormatError(
                f"{name}: line {line_number}: expected {len(header)} values (one per column); "
                f"found {len(row)}."
            )
        if len(ids) >= MAX_ACCOUNTS:
            raise FileFormatError(f"{name}: more than {MAX_ACCOUNTS:,} accounts.")

        def cell(column: str, row: Sequence[str] = row) -> str:
            return row[index[column]].strip() if column in index else ""

        def where(column: str, line: int = line_number) -> str:
            return f"{name}: line {line}, column {column}"

        r_text, w_text = cell("revenue_monthly"), cell("wallet_monthly")

        account = cell("account_id")
        if not account:
            raise FileFormatError(f"{where('account_id')}: expected an account id; found nothing.")
        if account in seen:
            raise FileFormatError(
                f"{where('account_id')}: account id '{account}' already used on line "
                f"{seen[account]}; expected unique ids."
            )
        seen[account] = line_number
        expected_r = f"a number from 0 to {MAX_MONTHLY_AMOUNT:g}"
        r = _parse_number(r_text, where("revenue_monthly"), expected_r)
        if not 0 <= r <= MAX_MONTHLY_AMOUNT:
            raise FileFormatError(
                f"{where('revenue_monthly')}: expected {expected_r}; found {r_text}."
            )
        expected_w = f"a number above 0 and at most {MAX_MONTHLY_AMOUNT:g}"
        w = _parse_number(w_text, where("wallet_monthly"), expected_w)
        if not 0 < w <= MAX_MONTHLY_AMOUNT:
            raise FileFormatError(
                f"{where('wallet_monthly')}: expected {expected_w}; found {w_text}."
            )
        if r > w:
            raise FileFormatError(
                f"{where('revenue_monthly')}: revenue {r_text} is above the wallet {w_text}; "
                "expected revenue ≤ wallet_monthly (the wallet includes what the customer "
                "spends with us)."
            )
        k_text = cell("contacts")
        if k_text:
            expected_k = f"a whole number from 1 to {MAX_CONTACTS:,}"
            k = _parse_number(k_text, where("contacts"), expected_k)
            if not 1 <= k <= MAX_CONTACTS or k != int(k):
                raise FileFormatError(
                    f"{where('contacts')}: expected {expected_k}; found {k_text}."
                )
            k_value = int(k)
        else:
            k_value = default_contacts
        h_text = cell("health")
        h = (
            _parse_number(h_text, where("health"), "a number from 0 to 1")
            if h_text
            else default_health
        )
        if not 0.0 <= h <= 1.0:
            raise FileFormatError(
                f"{where('health')}: expected a number from 0 to 1; found {h_text}."
            )
        t_text = cell("churn_propensity")
        t = (
            _parse_number(t_text, where("churn_propensity"), "a monthly probability from 0 to 1")
            if t_text
            else default_theta
        )
        if not 0.0 <= t <= 1.0:
            raise FileFormatError(
                f"{where('churn_propensity')}: expected a monthly probability from 0 to 1; "
                f"found {t_text}."
            )
        ids.append(account)
        revenue.append(r)
        wallet.append(w)
        contacts.append(k_value)
        health.append(h)
        theta.append(t)
        owner.append(cell("owner") or None)
        segment.append(cell("segment"))
        lines.append(line_number)
    if not ids:
        raise FileFormatError(f"{name}: the book CSV has a header but no accounts.")
    return Book(
        account_id=tuple(ids),
        revenue=np.asarray(revenue, dtype=np.float64),
        wallet=np.asarray(wallet, dtype=np.float64),
        contacts=np.asarray(contacts, dtype=np.int64),
        health=np.asarray(health, dtype=np.float64),
        theta=np.asarray(theta, dtype=np.float64),
        theta_beta=None,
        owner=tuple(owner),
        segment=tuple(segment),
        source=name,
        line_numbers=tuple(lines),
    )


def book_csv_text(book: Book) -> str:
    """The book as CSV text with every column (used by the example generator)."""
    out = io.StringIO()
    writer = csvsafe.writer(out)  # formulas neutralised, cells quoted (assess.csvsafe)
    writer.writerow(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    for i in range(book.size):
        writer.writerow(
            [
                book.account_id[i],
                f"{book.revenue[i]:.2f}",
                f"{book.wallet[i]:.2f}",
                int(book.contacts[i]),
                f"{book.health[i]:.3f}",
                f"{book.theta[i]:.5f}",
                book.owner[i] or "",
                book.segment[i],
            ]
        )
    return out.getvalue()


def synthetic_book(
    *,
    revenue: NDArray[np.float64],
    wallet_multiple: NDArray[np.float64],
    contacts: NDArray[np.float64],
    health: NDArray[np.float64],
    theta: NDArray[np.float64],
    theta_beta: ChurnBeta | None,
    source: str,
) -> Book:
    """A book from drawn account attributes (wallet = revenue × multiple, multiple ≥ 1).

    Draws beyond :data:`MAX_MONTHLY_AMOUNT` or :data:`MAX_CONTACTS` (or not finite) are
    refused with a message naming the field of ``book.synthetic``.
    """
    wallet = revenue * np.maximum(wallet_multiple, 1.0)
    for field, values, limit in (
        ("revenue_monthly", revenue, MAX_MONTHLY_AMOUNT),
        ("wallet_multiple", wallet, MAX_MONTHLY_AMOUNT),
        ("contacts", contacts, MAX_CONTACTS),
    ):
        finite = values[np.isfinite(values)]
        if finite.size < values.size or (finite.size and float(finite.max()) > limit):
            top = float(finite.max()) if finite.size == values.size else math.inf
            what = "a month's wallet" if field == "wallet_multiple" else field.replace("_", " ")
            raise SimulateError(
                f"book.synthetic.{field}: draws reach {top:.3g}, above the limit of {limit:g} "
                f"for {what} per account; lower the distribution or add `max:` to it."
            )
    n = revenue.shape[0]
    width = len(str(n))
    return Book(
        account_id=tuple(f"A{i + 1:0{width}d}" for i in range(n)),
        revenue=revenue.astype(np.float64),
        wallet=wallet,
        contacts=np.maximum(np.rint(contacts), 1).astype(np.int64),
        health=np.clip(health, 0.0, 1.0),
        theta=np.clip(theta, 0.0, 1.0),
        theta_beta=theta_beta,
        owner=(None,) * n,
        segment=("",) * n,
        source=source,
    )
