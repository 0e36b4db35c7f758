"""Book CSV files: defaults for optional columns and the exact error for each bad cell."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.fileio import FileFormatError
from simulate.book import Book, book_csv_text, read_book_csv
from tests.conftest import EXAMPLES

HEADER = "account_id,revenue_monthly,wallet_monthly,contacts,health,churn_propensity,owner,segment"


def read(path: Path) -> Book:
    return read_book_csv(path, default_contacts=1, default_health=0.7, default_theta=0.01)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "book.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_optional_columns_take_their_defaults(tmp_path: Path) -> None:
    book = read(write(tmp_path, "account_id,revenue_monthly,wallet_monthly\nA,100,250\nB,0,10\n"))
    assert book.account_id == ("A", "B")
    assert book.revenue.tolist() == [100.0, 0.0]
    assert book.wallet.tolist() == [250.0, 10.0]
    assert book.contacts.tolist() == [1, 1]
    assert book.health.tolist() == [0.7, 0.7]
    assert book.theta.tolist() == [0.01, 0.01]
    assert book.owner == (None, None)


def test_empty_cells_take_defaults_and_owners_are_kept(tmp_path: Path) -> None:
    text = f"{HEADER}\nA,100,250,3,0.9,0.02,farmer-1,smb\nB,100,250,,,,,\n"
    book = read(write(tmp_path, text))
    assert book.contacts.tolist() == [3, 1]
    assert book.health.tolist() == [0.9, 0.7]
    assert book.theta.tolist() == [0.02, 0.01]
    assert book.owner == ("farmer-1", None)
    assert book.segment == ("smb", "")
    assert book.line_numbers == (2, 3)


def test_book_round_trips_through_csv_text(tmp_path: Path) -> None:
    book = read(EXAMPLES / "book.csv")
    again = read(write(tmp_path, book_csv_text(book)))
    assert again.account_id == book.account_id
    np.testing.assert_allclose(again.revenue, book.revenue)
    np.testing.assert_allclose(again.theta, book.theta, atol=1e-5)
    assert again.owner == book.owner


def test_example_book_is_realistic() -> None:
    book = read(EXAMPLES / "book.csv")
    assert book.size >= 200
    assert (book.revenue <= book.wallet).all()
    assert 0.005 < float(book.theta.mean()) < 0.012
    assert {"farmer-1", "farmer-2", "hunter-1"} == set(book.owner)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "A,300,250,,,,,",
            "line 2, column revenue_monthly: revenue 300 is above the wallet 250; expected "
            "revenue ≤ wallet_monthly (the wallet includes what the customer spends with us).",
        ),
        (
            "A,-5,250,,,,,",
            "line 2, column revenue_monthly: expected a number from 0 to 1e+12; found -5.",
        ),
        (
            "A,lots,250,,,,,",
            "line 2, column revenue_monthly: expected a number from 0 to 1e+12; found 'lots'.",
        ),
        (
            "A,5,0,,,,,",
            "line 2, column wallet_monthly: expected a number above 0 and at most 1e+12; found 0.",
        ),
        (
            "A,5,10,0,,,,",
            "line 2, column contacts: expected a whole number from 1 to 10,000; found 0.",
        ),
        (
            "A,5,10,-2,,,,",
            "line 2, column contacts: expected a whole number from 1 to 10,000; found -2.",
        ),
        (
            "A,5,10,1.5,,,,",
            "line 2, column contacts: expected a whole number from 1 to 10,000; found 1.5.",
        ),
        ("A,5,10,,1.2,,,", "line 2, column health: expected a number from 0 to 1; found 1.2."),
        (
            "A,5,10,,,2,,",
            "line 2, column churn_propensity: expected a monthly probability from 0 to 1; found 2.",
        ),
        (",5,10,,,,,", "line 2, column account_id: expected an account id; found nothing."),
        (
            "A,5,10,,,,,\nA,5,10,,,,,",
            "line 3, column account_id: account id 'A' already used on line 2; expected unique "
            "ids.",
        ),
        ("A,5,10", "line 2: expected 8 values (one per column); found 3."),
    ],
)
def test_bad_row_names_file_line_column_expected_and_found(
    tmp_path: Path, rows: str, message: str
) -> None:
    path = write(tmp_path, f"{HEADER}\n{rows}\n")
    with pytest.raises(FileFormatError) as caught:
        read(path)
    assert caught.value.message == f"{path}: {message}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            "the book CSV is empty; expected a header row with columns account_id, "
            "revenue_monthly, wallet_monthly.",
        ),
        (
            "account_id,revenue_monthly\n",
            "line 1: missing required column wallet_monthly; "
            "found columns account_id, revenue_monthly.",
        ),
        (
            "account_id,revenue_monthly,wallet_monthly,colour\n",
            "line 1: unknown column 'colour'; "
            "expected columns among account_id, revenue_monthly, wallet_monthly, contacts, health, "
            "churn_propensity, owner, segment.",
        ),
        (
            "account_id,revenue_monthly,wallet_monthly\n",
            "the book CSV has a header but no accounts.",
        ),
    ],
)
def test_bad_header_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(FileFormatError) as caught:
        read(path)
    assert caught.value.message == f"{path}: {message}"


def test_missing_book_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError) as caught:
        read(tmp_path / "nope.csv")
    assert caught.value.message == f"{tmp_path / 'nope.csv'}: no such book CSV."


def test_example_book_is_regenerated_byte_for_byte_by_its_generator() -> None:
    spec = importlib.util.spec_from_file_location("make_book", EXAMPLES / "make_book.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = (EXAMPLES / "book.csv").read_text(encoding="utf-8")
    assert book_csv_text(module.build_book()) == expected


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.floats(0, 1e6, allow_nan=False),
            st.floats(1.0, 5.0),
            st.integers(1, 12),
            st.floats(0, 1),
            st.floats(0, 0.2),
            st.sampled_from(["", "farmer-1", "hunter-2"]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_any_valid_book_round_trips_through_csv(
    tmp_path: Path, rows: list[tuple[float, float, int, float, float, str]]
) -> None:
    lines = [HEADER]
    for i, (revenue, multiple, contacts, health, theta, owner) in enumerate(rows):
        wallet = max(revenue * multiple, 1.0)
        lines.append(
            f"id{i},{revenue:.2f},{wallet:.2f},{contacts},{health:.3f},{theta:.5f},{owner},seg"
        )
    book = read(write(tmp_path, "\n".join(lines) + "\n"))
    again = read(write(tmp_path, book_csv_text(book)))
    assert again.account_id == book.account_id
    assert again.owner == book.owner
    np.testing.assert_allclose(again.revenue, book.revenue)
    np.testing.assert_allclose(again.wallet, book.wallet)
    np.testing.assert_array_equal(again.contacts, book.contacts)
    np.testing.assert_allclose(again.health, book.health)
    np.testing.assert_allclose(again.theta, book.theta)
