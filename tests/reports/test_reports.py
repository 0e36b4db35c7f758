"""HTML reports and chart files: data pinned by golden files, deterministic charts, provenance.

The commands run in-process (``run_inprocess``): none of these properties needs a real process.
"""

from __future__ import annotations

import builtins
import json
import os
import re
from pathlib import Path
from typing import Any

import matplotlib
import pytest

from assess.profiles import load_profile
from assess.reports.candidate import render_candidate_html
from assess.reports.figures import MissingExtraError, require_matplotlib
from simulate.reports import charts
from simulate.reports.headline import run_headline
from simulate.reports.html import (
    render_calibrate_html,
    render_run_html,
    render_sweep_html,
    run_report_data,
)
from simulate.reports.terminal import headline_lines
from tests.conftest import EXAMPLES, CliRunner

DATA = Path(__file__).resolve().parent / "data"
REGENERATE = os.environ.get("REPFIT_UPDATE_GOLDEN") == "1"
"""Set REPFIT_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change."""
GOLDEN_MATPLOTLIB = "3.11"
"""Matplotlib minor version the golden SVG was written with (paths differ across versions)."""


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _embedded(page: str) -> Any:
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1).replace("<\\/", "</"))


def _golden(name: str, actual: str) -> None:
    path = DATA / name
    if REGENERATE:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed (REPFIT_UPDATE_GOLDEN=1)"


def test_run_report_data_matches_the_golden_file() -> None:
    result = _load("run_result.json")
    data = run_report_data(result)
    _golden("run_report_data.golden.json", json.dumps(data, indent=1, sort_keys=True) + "\n")
    page = render_run_html(result)
    assert _embedded(page) == json.loads(json.dumps(data))


def test_run_report_opens_with_the_answer_then_charts_tables_assumptions() -> None:
    result = _load("run_result.json")
    page = render_run_html(result)
    summary = page.index('id="summary"')
    assert summary < page.index('data-chart="fan"') < page.index("Month by month")
    assert page.index("Month by month") < page.index("Assumptions, with units and sources")
    assert page.count("<svg") == 4
    assert "2.90\u00a0M or more in month 24" in page
    for name, item in result["assumptions"].items():
        assert name in page
        assert item["unit"] in page
    provenance = result["provenance"]
    for key in ("repfit_version", "seed", "trials", "scenario_sha256", "book_sha256"):
        assert str(provenance[key]) in page
    # Self-contained: no external reference and no script that runs.
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script>" not in page
    assert "<script src" not in page


def test_headline_states_the_target_and_the_percentiles_at_the_target_month() -> None:
    result = _load("run_result.json")
    months = result["months"]
    revenue = result["metrics"]["revenue"]
    i = months.index(24)
    lines = [line.replace("\u00a0", " ") for line in run_headline(result)]
    percent = round(100 * result["target"]["probability"])
    assert f"in {percent} % of futures" in lines[0]
    assert f"median {revenue['p50'][i] / 1e6:.2f} M" in lines[1]
    assert f"{revenue['p10'][i] / 1e6:.2f} M (P10)" in lines[1]


def test_headline_wraps_at_80_columns_between_words_never_inside_a_number() -> None:
    lines = headline_lines(run_headline(_load("run_result.json")), 80)
    assert all(len(line) <= 80 for line in lines)
    for line in lines:
        assert not re.match(r"^(M|k|%)\b", line), f"a unit starts the line: {line!r}"


def test_sweep_and_calibrate_reports_embed_their_data() -> None:
    sweep = _load("sweep_result.json")
    page = render_sweep_html(sweep)
    assert page.count("<svg") == 2
    assert _embedded(page)["points"] == sweep["points"]
    fit = _load("calibrate_result.json")
    page = render_calibrate_html(fit)
    assert _embedded(page)["survival"] == fit["survival"]
    assert "within 0.6 points" in _embedded(page)["headline"][1]


def test_charts_are_byte_identical_from_run_to_run_and_carry_no_date() -> None:
    result = _load("run_result.json")
    for name, (build, _) in charts.RUN_CHARTS.items():
        for suffix in (".svg", ".png"):
            first = charts.chart_bytes(build(result), suffix, name)  # type: ignore[arg-type]
            again = charts.chart_bytes(build(result), suffix, name)  # type: ignore[arg-type]
            assert first == again, (name, suffix)
    svg = charts.chart_bytes(charts.fan_chart(result), ".svg", "fan")  # type: ignore[arg-type]
    assert b"<dc:date>" not in svg
    assert b"Matplotlib v" not in svg


def test_fan_chart_svg_matches_the_golden_file() -> None:
    figure = charts.fan_chart(_load("run_result.json"))
    assert figure is not None
    svg = charts.chart_bytes(figure, ".svg", "fan").decode("utf-8")
    if not REGENERATE and not matplotlib.__version__.startswith(GOLDEN_MATPLOTLIB):
        pytest.skip(f"golden SVG written with Matplotlib {GOLDEN_MATPLOTLIB}.x")
    _golden("fan.golden.svg", svg)


def test_candidate_report_leads_with_the_verdict(tmp_path: Path, assess_inproc: CliRunner) -> None:
    # Three candidates (c-001..c-003) rather than all 44: each report draws a Matplotlib
    # chart, and one report per profile is the same property for 3 rows as for 44.
    rows = (EXAMPLES / "answers.csv").read_text(encoding="utf-8").splitlines()[:4]
    assert [row.split(",")[0] for row in rows[1:]] == ["c-001", "c-002", "c-003"]
    answers = tmp_path / "answers.csv"
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "profiles"
    scored = assess_inproc("score", answers, "--out", out, "--reports")
    assert scored.returncode == 0, scored.stderr
    assert "and their HTML reports" in scored.stderr
    reports = {p.name.removesuffix(".report.html") for p in out.glob("*.report.html")}
    profiles = {p.name.removesuffix(".profile.yaml") for p in out.glob("*.profile.yaml")}
    assert reports == profiles == {"c-001", "c-002", "c-003"}
    profile = load_profile(out / "c-003.profile.yaml")
    page = render_candidate_html(profile)
    assert (out / "c-003.report.html").read_text(encoding="utf-8") == page
    data = _embedded(page)
    assert data["best_fit"] == profile.best_fit
    assert data["provenance"]["questionnaire_sha256"] == profile.questionnaire.sha256
    assert page.index('id="summary"') < page.index('data-chart="traits"') < page.index(">Traits<")
    shown = assess_inproc("show", out / "c-003.profile.yaml", "--report", tmp_path / "c.html")
    assert shown.returncode == 0, shown.stderr
    assert (tmp_path / "c.html").read_text(encoding="utf-8") == page


def test_report_needs_an_html_file_name(tmp_path: Path, simulate_inproc: CliRunner) -> None:
    result = simulate_inproc("run", EXAMPLES / "scenario.yaml", "--report", tmp_path / "r.pdf")
    assert result.returncode == 2
    assert "--report writes an HTML page" in result.stderr
    result = simulate_inproc("run", EXAMPLES / "scenario.yaml", "--plot", tmp_path / "r.jpg")
    assert result.returncode == 2
    assert "--plot writes .svg or .png" in result.stderr


def test_missing_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(MissingExtraError, match=r"repfit\[reports\]"):
        require_matplotlib()


def test_run_writes_report_plot_and_json_with_provenance(
    tmp_path: Path, simulate_inproc: CliRunner
) -> None:
    report, plot, out = tmp_path / "run.html", tmp_path / "fan.svg", tmp_path / "run.json"
    args = ("run", EXAMPLES / "scenario.yaml", "--trials", "20")
    result = simulate_inproc(
        *args, "--format", "json", "-o", out, "--report", report, "--plot", plot
    )
    assert result.returncode == 0, result.stderr
    provenance = json.loads(out.read_text(encoding="utf-8"))["provenance"]
    assert provenance["seed"] == 7
    assert provenance["trials"] == 20
    assert re.fullmatch(r"[0-9a-f]{64}", provenance["scenario_sha256"])
    assert re.fullmatch(r"[0-9a-f]{64}", provenance["book_sha256"])
    assert _embedded(report.read_text(encoding="utf-8"))["provenance"] == provenance
    assert plot.read_text(encoding="utf-8").startswith("<?xml")
    table = simulate_inproc(*args)
    assert table.returncode == 0, table.stderr
    assert "of futures" in " ".join(table.stdout.splitlines()[:2])
    assert table.stdout.index("of futures") < table.stdout.index("Outcomes across trials")
    assert "Assumptions used" not in table.stdout
    assert "--assumptions lists them" in table.stderr


def test_terminal_fan_chart_legend_shows_the_glyph_the_median_is_drawn_with() -> None:
    from simulate.report import render_fan_chart

    chart = render_fan_chart(_load("run_result.json"), width=80)
    legend = next(line for line in chart.splitlines() if "P50 (median)" in line)
    glyph = legend.split("P50")[0].strip()[-1]
    drawn = sum(line.count(glyph) for line in chart.splitlines() if "P50" not in line)
    assert drawn >= 30, f"the legend shows {glyph!r} but the chart draws it {drawn} times"
