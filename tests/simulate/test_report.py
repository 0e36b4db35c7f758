"""The run report rendered from a ``repfit.result/1`` dict: tables, fan chart, CSV, JSON.

The fixture ``tests/data/simulate/result.json`` is a made-up but consistent
36-month result; the golden files beside it are the byte-for-byte contract of
each output format. Regenerate them after a deliberate change with
``REPFIT_UPDATE_GOLDEN=1 pytest tests/simulate/test_report.py`` and review the diff.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import os
from typing import Any

import plotext
import pytest

from simulate.report import (
    csv_columns,
    describe_target,
    format_money,
    format_share,
    render_assumptions,
    render_contacts_table,
    render_fan_chart,
    render_metrics_table,
    render_run_table,
    render_text,
    report_months,
    result_to_csv,
    result_to_json,
    run_report_text,
)
from tests.conftest import DATA

FIXTURE = DATA / "simulate" / "result.json"
GOLDEN = DATA / "simulate" / "golden"


def load_fixture() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return result


def truncated(result: dict[str, Any], horizon: int) -> dict[str, Any]:
    """The fixture cut to its first ``horizon`` months (as a shorter run would give)."""
    short = copy.deepcopy(result)
    short["months"] = short["months"][:horizon]
    for summary in short["metrics"].values():
        for stat in summary:
            summary[stat] = summary[stat][:horizon]
    for group in ("by_archetype", "sourced_by", "quadrants"):
        for name, series in short.get(group, {}).items():
            if name == "thresholds":
                continue
            for summary in series.values():
                for stat in summary:
                    summary[stat] = summary[stat][:horizon]
    for summary in short.get("costs", {}).values():
        for stat in summary:
            summary[stat] = summary[stat][:horizon]
    return short


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("REPFIT_UPDATE_GOLDEN"):
        path.write_bytes(actual.encode("utf-8"))
    assert path.read_bytes() == actual.encode("utf-8"), f"{name} differs from its golden file"


def test_run_table_matches_golden_file() -> None:
    check_golden("run-table.txt", render_text(render_run_table(load_fixture()), width=100))


def test_fan_chart_matches_golden_file() -> None:
    check_golden("fan-chart.txt", render_fan_chart(load_fixture(), width=100, height=20) + "\n")


def test_csv_matches_golden_file() -> None:
    check_golden("result.csv", result_to_csv(load_fixture()))


def test_json_matches_golden_file() -> None:
    check_golden("result.json", result_to_json(load_fixture()))


@pytest.mark.parametrize(
    ("horizon", "expected"),
    [(36, [6, 12, 24, 36]), (60, [6, 12, 24, 60]), (24, [6, 12, 24]), (12, [6, 12]), (3, [3])],
)
def test_report_months_are_6_12_24_and_the_horizon_within_it(
    horizon: int, expected: list[int]
) -> None:
    assert report_months(horizon) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (6120.4, "6,120"),
        (61_234.0, "61.2 k"),
        (612_345.0, "612.3 k"),
        (2_612_345.0, "2.61 M"),
        (83_861_000.0, "83.86 M"),
        (1_234_000_000.0, "1.23 B"),
        (-45_000.0, "-45.0 k"),
    ],
)
def test_money_is_compact_and_readable(value: float, text: str) -> None:
    assert format_money(value) == text


def test_shares_are_percentages() -> None:
    assert format_share(0.4123) == "41.2 %"


def test_table_shows_each_report_month_with_mean_se_and_percentiles() -> None:
    text = render_text(render_metrics_table(load_fixture()), width=100)
    lines = text.splitlines()
    first = lines.index(next(line for line in lines if "revenue in the month" in line))
    cells = [line.split("  ") for line in lines[first : first + 4]]
    rows = [[cell.strip() for cell in row if cell.strip()] for row in cells]
    assert rows == [
        ["revenue in the month", "6", "2.38 M", "5,203", "2.11 M", "2.38 M", "2.70 M"],
        ["12", "2.35 M", "7,359", "1.96 M", "2.35 M", "2.81 M"],
        ["24", "2.31 M", "10.4 k", "1.76 M", "2.30 M", "2.95 M"],
        ["36", "2.27 M", "12.7 k", "1.60 M", "2.27 M", "3.06 M"],
    ]


@pytest.mark.parametrize("width", [100, 80])
def test_report_fits_the_terminal_width_and_keeps_every_number(width: int) -> None:
    text = run_report_text(load_fixture(), width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    for number in ("3.06 M", "94.18 M", "249.0", "47.5 %", "1.99", "17.0", "63.4 %", "38.2 %"):
        assert number in text


def test_short_horizon_shows_only_months_within_it() -> None:
    text = render_text(render_run_table(truncated(load_fixture(), 3)), width=100)
    assert "month 3" in text
    assert "month 6" not in text
    assert "(2,000 trials, seed 7, 3 months)" in text


def test_target_is_described_with_probability_and_standard_error() -> None:
    text = render_text(render_run_table(load_fixture()), width=100)
    assert "Target: revenue in month 24 of at least 2,150,000." in text
    assert "Probability of meeting it: 63.4 % ± 1.08 % (standard error over 2,000 trials)." in text


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ({"metric": "revenue_year", "year": 2, "value": 30e6}, "revenue in year 2 (months 13–24)"),
        (
            {"metric": "revenue_total", "value": 9e7},
            "revenue over all 36 months of at least 90,000,000",
        ),
        ({"probability": 0.5, "se": 0.01}, None),
    ],
)
def test_target_descriptions(target: dict[str, Any], words: str | None) -> None:
    described = describe_target(target, horizon=36)
    if words is None:
        assert described is None
    else:
        assert described is not None
        assert described.startswith(words)


def test_a_result_without_target_says_so() -> None:
    result = load_fixture()
    result["target"] = None
    text = render_text(render_run_table(result), width=100)
    assert "Target: none set in the scenario" in text
    assert "Probability" not in text


def test_assumptions_show_value_unit_and_which_the_scenario_set() -> None:
    text = render_text(render_run_table(load_fixture()), width=100)
    rows = {line.split()[0]: line.split() for line in text.splitlines() if "_" in line}
    expected = ["0.012", "probability", "per", "account-month", "scenario"]
    assert rows["mgmt_change_monthly"][1:] == expected
    assert rows["vacancy_months"][1:] == ["2", "months", "default"]


def test_assumptions_marked_by_name_and_shown_in_detail() -> None:
    assumptions = {
        "ramp_months": {
            "value": 5.0,
            "unit": "months",
            "description": "Months a new hire takes to reach full productivity.",
            "source": "about 5 months' ramp (secondary)",
        }
    }
    compact = render_text(render_assumptions(assumptions, overridden={"ramp_months"}), width=100)
    assert "ramp_months" in compact
    assert "scenario" in compact
    detail = render_text(render_assumptions(assumptions, detail=True), width=100)
    assert "Months a new hire takes to reach full productivity." in detail
    assert "Source: about 5 months' ramp (secondary)" in detail


def test_missing_values_show_as_not_available() -> None:
    result = load_fixture()
    result["metrics"]["wallet_share"]["se"][5] = None
    result["metrics"]["wallet_share"]["p90"][5] = math.nan
    text = render_text(render_metrics_table(result), width=100)
    row = next(line for line in text.splitlines() if "share of wallet" in line)
    assert row.split()[-9:] == ["6", "41.9", "%", "n/a", "41.0", "%", "41.9", "%", "n/a"]


def test_fan_chart_has_no_colour_by_default_and_leaves_plotext_clean() -> None:
    result = load_fixture()
    first = render_fan_chart(result, width=90, height=18)
    second = render_fan_chart(result, width=90, height=18)
    assert first == second
    assert "\x1b[" not in first
    lines = first.splitlines()
    assert len(lines) == 18
    assert max(len(line) for line in lines) <= 90
    assert "P90" in first
    assert "P10" in first
    assert "P50 (median)" in first
    assert "mean" in first
    assert "3.00 M" in first  # y ticks in money
    assert "month" in lines[-1]
    # plotext's global figure is left empty: a new plot starts from nothing.
    plotext.plotsize(40, 5)
    assert "P90" not in plotext.build()
    plotext.clear_figure()


def test_fan_chart_in_colour_has_ansi_codes() -> None:
    assert "\x1b[" in render_fan_chart(load_fixture(), width=90, height=18, color=True)


def test_csv_has_one_row_per_month_and_every_statistic() -> None:
    result = load_fixture()
    rows = list(csv.DictReader(io.StringIO(result_to_csv(result))))
    assert len(rows) == 36
    assert [int(row["month"]) for row in rows] == list(range(1, 37))
    header = list(rows[0])
    assert header[:6] == ["month"] + [f"revenue_{s}" for s in ("mean", "se", "p10", "p50", "p90")]
    for metric in result["metrics"]:
        for stat in ("mean", "se", "p10", "p50", "p90"):
            assert f"{metric}_{stat}" in header
    assert header[-2:] == ["farmer_revenue_mean", "hunter_revenue_mean"]
    assert [float(row["revenue_p90"]) for row in rows] == result["metrics"]["revenue"]["p90"]
    assert float(rows[23]["wallet_share_mean"]) == result["metrics"]["wallet_share"]["mean"][23]
    assert len(csv_columns(result)) == 1 + 9 * 5 + 2


def test_csv_refuses_ragged_series() -> None:
    result = load_fixture()
    result["metrics"]["revenue"]["mean"].pop()
    with pytest.raises(ValueError, match="revenue_mean has 35 values, expected 36"):
        result_to_csv(result)


def test_json_round_trips_and_is_strict() -> None:
    result = load_fixture()
    assert json.loads(result_to_json(result)) == result
    result["target"]["se"] = math.nan
    text = result_to_json(result)
    assert json.loads(text)["target"]["se"] is None
    assert "NaN" not in text


def test_run_report_text_has_the_chart_before_the_assumptions() -> None:
    text = run_report_text(load_fixture(), width=100)
    assert text.index("Revenue in the month across trials") < text.index("Assumptions used")
    assert text.index("Outcomes across trials") < text.index("Revenue in the month across trials")
    assert "\x1b[" not in text


def test_losses_by_contacts_with_counts_show_a_binomial_standard_error() -> None:
    result = load_fixture()
    result["lost_after_mgmt_change_by_contacts"] = {"1": 0.3, "2": 0.1, "3+": 0.0}
    result["mgmt_changes_by_contacts"] = {"1": 2100, "2": 900, "3+": 0}
    text = render_text(render_contacts_table(result) or "", width=100)
    rows = [line.split() for line in text.splitlines() if line.strip()][-3:]
    # √(0.3 × 0.7 / 2100) = 1.00 %, √(0.1 × 0.9 / 900) = 1.00 %; no changes seen, no error
    assert rows == [
        ["1", "2,100", "30.0", "%", "±", "1.00", "%"],
        ["2", "900", "10.0", "%", "±", "1.00", "%"],
        ["3+", "0", "0.0", "%"],
    ]
    del result["mgmt_changes_by_contacts"]
    plain = render_text(render_contacts_table(result) or "", width=100)
    assert "changes seen" not in plain
    assert "±" not in plain
