"""``assess review``: the comparison grid, sorting by role fit, opening a candidate, CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assess.model import Questionnaire
from assess.profiles import load_profile
from assess.tui.app import ReviewApp, make_review_app
from assess.tui.comparison import BEST_FIT, comparison_csv, sort_views
from assess.tui.results_model import ResultsView, results_view
from assess.tui.screens.comparison import ComparisonScreen
from assess.tui.screens.results import ResultsScreen
from assess.tui.widgets.comparison_table import ComparisonTable
from assess.tui.widgets.path_prompt import PathPromptScreen
from tests.assess.tui.conftest import run_async, write_profiles
from tests.conftest import CliRunner

pytestmark = pytest.mark.tui


@pytest.fixture
def views(bundled: Questionnaire, tmp_path: Path) -> list[ResultsView]:
    """The four synthetic candidates, as the review app shows them."""
    return [results_view(load_profile(p), p) for p in write_profiles(bundled, tmp_path / "p")]


def _expected_order(views: list[ResultsView], role_id: str) -> list[str]:
    fits = {view.candidate_id: view.fit_for(role_id) for view in views}
    return sorted(fits, key=lambda candidate_id: -(fits[candidate_id] or 0.0))


def _shown(app: ReviewApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, ComparisonScreen)
    return [view.candidate_id for view in screen.shown]


@run_async
async def test_r_cycles_roles_and_sorts_candidates_by_fit(views: list[ResultsView]) -> None:
    app = make_review_app(views)
    async with app.run_test(size=(120, 40)) as pilot:
        assert _shown(app) == ["c-101", "c-102", "c-103", "c-104"]
        await pilot.press("r")
        assert _shown(app) == _expected_order(views, "farmer")
        assert _shown(app)[0] == "c-102"
        title = str(app.screen.query_one("#review-title").render())
        assert "sorted by fit for Farmer (account manager)" in title
        await pilot.press("r")
        assert _shown(app) == _expected_order(views, "hunter")
        assert _shown(app)[0] == "c-101"
        await pilot.press("r", "r", "r")
        assert _shown(app) == _expected_order(views, "farmer"), "r wraps around the roles"
        await pilot.press("s")
        best = {view.candidate_id: view.best_fit() for view in views}
        fits = [best[candidate_id].fit for candidate_id in _shown(app)]  # type: ignore[union-attr]
        assert fits == sorted(fits, reverse=True)  # type: ignore[type-var]


@run_async
async def test_enter_opens_the_selected_candidate_and_escape_returns(
    views: list[ResultsView],
) -> None:
    app = make_review_app(views)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        order = _expected_order(views, "farmer")
        screen = app.screen
        assert isinstance(screen, ComparisonScreen)
        best = screen.selected()
        assert best is not None
        assert best.candidate_id == order[0], "after sorting, the best candidate is selected"
        await pilot.press("right", "enter")
        assert isinstance(app.screen, ResultsScreen)
        assert app.screen.view.candidate_id == order[1]
        assert str(app.screen.query_one("#results-title").render()).startswith(
            f"Results: {app.screen.view.title}"
        )
        await pilot.press("escape")
        assert isinstance(app.screen, ComparisonScreen)
        await pilot.press("home", "enter")
        assert isinstance(app.screen, ResultsScreen), "the trait-name column is never selected"
        assert app.screen.view.candidate_id == order[0]


@run_async
async def test_e_exports_the_comparison_in_the_shown_order(
    views: list[ResultsView], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "cmp.csv"
    target.parent.mkdir()
    app = make_review_app(views, target)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "r", "e")
        assert isinstance(app.screen, PathPromptScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ComparisonScreen)
        status = str(app.screen.query_one("#review-status").render())
        assert status == f"Exported to {target.resolve()}"
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [row["candidate_id"] for row in rows] == _expected_order(views, "hunter")
    assert [row["rank"] for row in rows] == ["1", "2", "3", "4"]
    by_id = {row["candidate_id"]: row for row in rows}
    ana = next(view for view in views if view.candidate_id == "c-101")
    assert by_id["c-101"]["fit_hunter"] == f"{ana.fit_for('hunter'):.1f}"
    assert by_id["c-101"]["best_fit"] == "hunter"
    need = next(line for line in ana.traits if line.trait_id == "need_for_approval")
    assert by_id["c-101"]["need_for_approval_t"] == f"{need.t:.1f}"
    assert by_id["c-101"]["need_for_approval_band"] == need.band
    assert by_id["c-103"]["red_flag_count"] == str(
        len(next(v for v in views if v.candidate_id == "c-103").flags)
    )
    assert target.read_text(encoding="utf-8") == comparison_csv(views, "hunter")


@run_async
async def test_export_to_an_unwritable_place_says_so(
    views: list[ResultsView], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    app = make_review_app(views, blocker / "x.csv")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "enter")
        assert isinstance(app.screen, ComparisonScreen)
        assert str(app.screen.query_one("#review-status").render()) == ""
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@run_async
async def test_two_profiles_with_one_candidate_id_are_both_shown_with_a_warning(
    views: list[ResultsView], tmp_path: Path
) -> None:
    original = views[0].saved_to
    assert original is not None
    retake = tmp_path / "retake" / original.name
    retake.parent.mkdir()
    retake.write_bytes(original.read_bytes())
    app = make_review_app([*views, results_view(load_profile(retake), retake)])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _shown(app) == ["c-101", "c-102", "c-103", "c-104", "c-101"]
        warnings = [n for n in app._notifications if n.severity == "warning"]
        assert [n.message for n in warnings] == [
            f"Candidate id 'c-101' appears twice: {original} and {retake}. "
            "Both are shown; check which profile is the right one."
        ]
        title = str(app.screen.query_one("#review-title").render())
        assert "⚠ candidate id in more than one file: c-101 (one column per file)" in title
        await pilot.press("r")
        assert _shown(app).count("c-101") == 2, "sorting keeps both columns"


@run_async
async def test_distinct_candidate_ids_raise_no_warning(views: list[ResultsView]) -> None:
    app = make_review_app(views)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not [n for n in app._notifications if n.severity == "warning"]
        assert "⚠" not in str(app.screen.query_one("#review-title").render())


def test_candidates_without_fit_sort_last(views: list[ResultsView]) -> None:
    without = ResultsView(
        candidate_id="z-0",
        name=None,
        role=None,
        traits=(),
        fits=(),
        flags=(),
        validity=(),
        norm_source=None,
        norm_n=None,
        provisional=False,
    )
    ordered = sort_views([without, *views], BEST_FIT)
    assert ordered[-1] is without
    assert sort_views([without, *views], None)[0] is without


def test_review_cli_refuses_missing_paths(tmp_path: Path, assess_inproc: CliRunner) -> None:
    result = assess_inproc("review", tmp_path / "nothing-here")
    assert result.returncode == 2
    missing = tmp_path / "nothing-here"
    assert result.stderr.strip() == f"error: {missing}: no such profile file or folder."
    empty = tmp_path / "empty"
    empty.mkdir()
    result = assess_inproc("review", empty)
    assert result.returncode == 2
    assert "no *.profile.yaml files in this folder" in result.stderr


def test_review_cli_names_a_bad_profile_file(tmp_path: Path, assess_inproc: CliRunner) -> None:
    bad = tmp_path / "c-002.profile.yaml"
    bad.write_text("schema: repfit.profile/1\n", encoding="utf-8")
    result = assess_inproc("review", tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {bad}: ")
    assert "candidate" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@run_async
async def test_results_opened_from_review_fit_80_columns(views: list[ResultsView]) -> None:
    from assess.tui.widgets.results_panel import ResultsPanel

    app = make_review_app(views)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        panel = app.screen.query_one(ResultsPanel)
        assert panel.max_scroll_x == 0, "no horizontal overflow"
        assert panel.max_scroll_y > 0, "the rest scrolls vertically"
        for widget in panel.children:
            assert widget.region.right <= 80


@run_async
async def test_rough_edges_of_review_issue_12(bundled: Questionnaire, tmp_path: Path) -> None:
    # Opened from a file, the profile says where it is, not that it was just saved; the
    # grid shows each candidate's id and the role applied for; duplicate toasts are short.
    paths = write_profiles(bundled, tmp_path / "p")
    views = [results_view(load_profile(p), p, opened=True) for p in paths]
    app = make_review_app(views)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ComparisonScreen)
        table = screen.query_one(ComparisonTable)
        ids = [str(cell) for cell in table.get_row("candidate-id")][1:]
        assert ids == [view.candidate_id for view in views]
        applied = [str(cell) for cell in table.get_row("applied-for")][1:]
        assert applied == [view.role or "—" for view in views]
        await pilot.press("enter")
        assert isinstance(app.screen, ResultsScreen)
        saved = str(app.screen.query_one("#saved-to").render())
        assert saved.startswith("Profile file: ")
        assert "saved" not in saved


def test_no_fit_says_why_when_norms_exist(bundled: Questionnaire, tmp_path: Path) -> None:
    # Issue 12: the results screen said "no fit without norms" when a trait had too few answers.
    from assess.tui.results_model import results_view as view_of

    profile = load_profile(write_profiles(bundled, tmp_path / "p")[0])
    fits = [fit.model_copy(update={"fit": None, "fit_interval": None}) for fit in profile.role_fit]
    unscored = profile.model_copy(update={"role_fit": fits})
    assert {line.note for line in view_of(unscored).fits} == {
        "no fit: a trait it needs has too few answers"
    }
    without_norms = unscored.model_copy(update={"norms": None})
    assert {line.note for line in view_of(without_norms).fits} == {"no fit without norms"}
