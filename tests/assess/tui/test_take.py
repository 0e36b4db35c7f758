"""``assess take`` driven by key presses (Textual Pilot): answers, navigation, files, modes."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from rich.console import Console

from assess.model import Questionnaire
from assess.profiles import load_answers, load_profile
from assess.tui.app import TakeApp, make_take_app
from assess.tui.clock import FrozenClock
from assess.tui.commands import exit_report
from assess.tui.screens.help import HelpScreen
from assess.tui.screens.question import QuestionScreen
from assess.tui.screens.results import ResultsScreen
from assess.tui.screens.start import StartScreen
from assess.tui.screens.submit import SubmitScreen
from assess.tui.screens.thanks import ThankYouScreen
from assess.tui.session import options_of, presentation_order
from assess.tui.widgets.confirm import ConfirmScreen
from assess.tui.widgets.question import AnswerOptions
from tests.assess.tui.conftest import answer_value_keys, press_answers, run_async
from tests.conftest import CliRunner

pytestmark = pytest.mark.tui


def _app(
    q: Questionnaire, out: Path, clock: FrozenClock, candidate_id: str = "c-001", **options: object
) -> TakeApp:
    return make_take_app(q, out, candidate_id=candidate_id, clock=clock, **options)  # type: ignore[arg-type]


def _count_label(app: TakeApp) -> str:
    return str(app.screen.query_one("#count").render())


@run_async
async def test_complete_bundled_questionnaire_by_keys_matches_assess_score(
    bundled: Questionnaire, clock: FrozenClock, tmp_path: Path, assess_inproc: CliRunner
) -> None:
    out = tmp_path / "take"
    app = _app(bundled, out, clock, name="Jane Doe", role="farmer")
    keys = []
    digits = itertools.cycle([4, 2, 5, 3, 1, 4, 4])
    for item in bundled.items:
        count = len(options_of(bundled, item))
        keys.append(str(min(next(digits), count)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, QuestionScreen)
        await press_answers(pilot, clock, keys, ms_per_answer=3500)
        assert isinstance(app.screen, SubmitScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("q")
    answers_path = out / "c-001.answers.yaml"
    profile_path = out / "c-001.profile.yaml"
    answers = load_answers(answers_path)
    assert len(answers.answers) == len(bundled.items)
    assert answers.finished is not None
    assert {record.ms for record in answers.answers.values()} == {3500}
    assert answers.candidate.name == "Jane Doe"
    assert answers.candidate.role == "farmer"

    scored = tmp_path / "scored"
    result = assess_inproc("score", answers_path, "--out", scored)
    assert result.returncode == 0, result.stderr
    assert profile_path.read_text(encoding="utf-8") == (scored / "c-001.profile.yaml").read_text(
        encoding="utf-8"
    )
    assert app.return_value is not None
    assert app.return_value.profile_path == profile_path


@run_async
async def test_quit_asks_first_and_resume_continues_with_times_kept(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(mini, tmp_path, clock)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await press_answers(pilot, clock, answer_value_keys(app, [4, 2, 5]), ms_per_answer=2100)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("q", "y")
    assert app.return_value is not None
    assert app.return_value.profile_path is None
    saved = load_answers(tmp_path / "c-001.answers.yaml")
    assert saved.finished is None
    assert len(saved.answers) == 3

    later = FrozenClock()
    resumed = _app(mini, tmp_path, later)
    async with resumed.run_test() as pilot:
        await pilot.press("enter")
        assert isinstance(resumed.screen, QuestionScreen)
        assert _count_label(resumed) == f"4 / {len(mini.items)}"
        assert resumed.session is not None
        rest = [3] * (len(mini.items) - 3)
        keys = answer_value_keys(resumed, rest)
        await press_answers(pilot, later, keys, ms_per_answer=1000)
        await pilot.press("enter")
        assert isinstance(resumed.screen, ResultsScreen)
    final = load_answers(tmp_path / "c-001.answers.yaml")
    first_three = [final.answers[item_id].ms for item_id in saved.order or []][:3]
    assert first_three == [2100, 2100, 2100]
    assert (tmp_path / "c-001.profile.yaml").exists()


@run_async
async def test_back_shows_the_earlier_answer_which_can_be_changed(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(mini, tmp_path, clock)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.press("4", "2")
        assert app.session is not None
        await pilot.press("left")
        assert app.session.position == 1
        options = app.screen.query_one(AnswerOptions)
        assert options.highlighted == 1
        assert options.chosen == 2
        await pilot.press("5")
        assert app.session.position == 2
        await pilot.press("backspace", "backspace")
        assert app.session.position == 0
        await pilot.press("right")
        assert app.session.position == 1
    saved = load_answers(tmp_path / "c-001.answers.yaml")
    first, second = (saved.order or [])[:2]
    assert saved.answers[first].value == 4
    assert saved.answers[second].value == 5


@run_async
async def test_skipped_items_are_listed_for_review_and_can_be_answered(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(mini, tmp_path, clock)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert app.session is not None
        skipped = app.session.order[0]
        await pilot.press("right")
        await press_answers(pilot, clock, answer_value_keys(app, [3] * (len(mini.items) - 1)))
        assert isinstance(app.screen, SubmitScreen)
        assert [item_id for item_id, _, _ in app.screen.unanswered] == [skipped]
        await pilot.press("space")
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.current_item.id == skipped
        await pilot.press("2")
        assert isinstance(app.screen, SubmitScreen)
        assert app.screen.unanswered == []
    assert load_answers(tmp_path / "c-001.answers.yaml").answers[skipped].value == 2


@run_async
async def test_submitting_with_unanswered_items_needs_confirmation(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(mini, tmp_path, clock)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        for _ in mini.items:
            await pilot.press("right")
        assert isinstance(app.screen, SubmitScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, QuestionScreen), "keep answering goes to the first gap"
        assert app.session is not None
        assert app.session.position == 0
        await pilot.press("right")
        await pilot.press("enter", "y")
        assert isinstance(app.screen, ResultsScreen)
    profile = load_profile(tmp_path / "c-001.profile.yaml")
    assert all(score.status == "insufficient" for score in profile.traits.values())


@run_async
async def test_scales_over_nine_points_take_a_typed_number_and_enter(
    wide: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(wide, tmp_path, clock)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert app.session is not None
        await pilot.press("1", "0", "enter")
        await pilot.press("7", "backspace", "4", "enter")
        await pilot.press("1", "2", "enter")
        assert app.session.position == 2, "there is no option 12"
        assert "There is no option 12: choose 0-10." in str(app.screen.query_one("#typed").render())
        await pilot.press("0", "enter")
    answers = load_answers(tmp_path / "c-001.answers.yaml").answers
    # On an unlabelled 0-10 scale the typed numbers are the scale points.
    assert {item_id: record.value for item_id, record in answers.items()} == {
        "a1": 10,
        "a2": 4,
        "a3": 0,
    }


@run_async
async def test_clicking_an_option_answers_it(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(mini, tmp_path, clock)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.click(AnswerOptions, offset=(8, 3))
        assert app.session is not None
        assert app.session.position == 1
    saved = load_answers(tmp_path / "c-001.answers.yaml")
    assert saved.answers[(saved.order or [])[0]].value == 4


@run_async
async def test_help_and_theme_keys(mini: Questionnaire, clock: FrozenClock, tmp_path: Path) -> None:
    app = _app(mini, tmp_path, clock)
    async with app.run_test() as pilot:
        await pilot.press("enter", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, QuestionScreen)
        theme = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != theme


@run_async
async def test_start_screen_refuses_a_bad_candidate_id(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = make_take_app(mini, tmp_path, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press(*"a/b", "enter")
        assert isinstance(app.screen, StartScreen)
        assert "candidate id" in str(app.screen.query_one("#start-error").render())
        await pilot.press("backspace", "backspace", *"-b", "tab", *"Jo", "tab", *"nobody", "enter")
        assert isinstance(app.screen, StartScreen)
        assert "Unknown role 'nobody'" in str(app.screen.query_one("#start-error").render())
        for _ in "nobody":
            await pilot.press("backspace")
        await pilot.press(*"hunter", "enter")
        assert isinstance(app.screen, QuestionScreen)
    saved = load_answers(tmp_path / "a-b.answers.yaml")
    assert (saved.candidate.id, saved.candidate.name, saved.candidate.role) == (
        "a-b",
        "Jo",
        "hunter",
    )


@run_async
async def test_shuffle_order_is_recorded(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(mini, tmp_path, clock, shuffle_seed=11)
    async with app.run_test() as pilot:
        await pilot.press("enter", "3")
    assert load_answers(tmp_path / "c-001.answers.yaml").order == presentation_order(mini, 11)


async def _complete(app: TakeApp, clock: FrozenClock, q: Questionnaire) -> None:
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await press_answers(pilot, clock, answer_value_keys(app, [2] * len(q.items)))
        await pilot.press("enter")


@run_async
async def test_candidate_mode_thanks_and_never_reopens(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(mini, tmp_path, clock, candidate_mode=True)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await press_answers(pilot, clock, answer_value_keys(app, [2] * len(mini.items)))
        await pilot.press("enter")
        assert isinstance(app.screen, ThankYouScreen)
        assert not app.screen.query("TraitBars")
    assert (tmp_path / "c-001.profile.yaml").exists()

    again = _app(mini, tmp_path, FrozenClock(), candidate_mode=True)
    async with again.run_test() as pilot:
        await pilot.press("enter")
        assert isinstance(again.screen, StartScreen)
        assert "already submitted" in str(again.screen.query_one("#start-error").render())


@pytest.mark.parametrize("candidate_mode", [True, False])
@run_async
async def test_exit_report_names_the_profile_only_to_the_manager(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path, candidate_mode: bool
) -> None:
    app = _app(mini, tmp_path, clock, candidate_mode=candidate_mode)
    await _complete(app, clock, mini)
    outcome = app.outcome()
    assert outcome is not None
    profile = tmp_path / "c-001.profile.yaml"
    assert outcome.profile_path == profile
    report = exit_report(outcome, candidate_mode=candidate_mode)
    if candidate_mode:
        assert report == "Your answers were submitted. Thank you."
    else:
        assert report == (
            f"{len(mini.items)} of {len(mini.items)} items answered; answers saved to "
            f"{tmp_path / 'c-001.answers.yaml'}\nprofile saved to {profile}"
        )


@run_async
async def test_exit_report_before_submitting_says_how_to_continue(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(mini, tmp_path, clock, candidate_mode=True)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await press_answers(pilot, clock, answer_value_keys(app, [2]))
    outcome = app.outcome()
    assert outcome is not None
    assert exit_report(outcome, candidate_mode=True) == (
        f"1 of {len(mini.items)} items answered; answers saved to "
        f"{tmp_path / 'c-001.answers.yaml'}\n"
        "not submitted yet: run the same command again to continue."
    )


@run_async
async def test_manager_can_reopen_a_finished_assessment_at_the_review(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    await _complete(_app(mini, tmp_path, clock), clock, mini)
    again = _app(mini, tmp_path, FrozenClock())
    async with again.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(again.screen, SubmitScreen)
        await pilot.press("left")
        assert isinstance(again.screen, QuestionScreen)


def test_cli_refuses_a_finished_assessment_in_candidate_mode(
    mini: Questionnaire, tmp_path: Path, assess_inproc: CliRunner
) -> None:
    from assess.model import AnswerRecord, Answers, Candidate
    from assess.profiles import save_answers

    save_answers(
        tmp_path / "c-9.answers.yaml",
        Answers(
            questionnaire=mini.ref(),
            candidate=Candidate(id="c-9"),
            finished="2026-11-23T10:00:00Z",
            answers={"nfa1": AnswerRecord(value=3, ms=100)},
        ),
    )
    from tests.assess.helpers import MINI

    result = assess_inproc(
        "take", "--questionnaire", MINI, "--candidate", "--candidate-id", "c-9", "--out", tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: the assessment of candidate c-9 was already submitted")
    assert "cannot be reopened" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--candidate-id", "a b"], "error: --candidate-id 'a b': Use 1-64 letters"),
        (["--role", "boss"], "error: --role 'boss' is not a role of questionnaire sales-traits"),
        (["--questionnaire", "nope"], "error: no bundled questionnaire 'nope'"),
    ],
)
def test_cli_checks_options_before_starting(
    args: list[str], message: str, assess_inproc: CliRunner
) -> None:
    result = assess_inproc("take", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr


@run_async
async def test_start_screen_says_when_answers_exist(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    first = _app(mini, tmp_path, clock)
    async with first.run_test() as pilot:
        await pilot.press("enter", "3", "3", "q", "y")
    app = make_take_app(mini, tmp_path, clock=FrozenClock())
    async with app.run_test() as pilot:
        await pilot.press(*"c-00")
        assert str(app.screen.query_one("#start-note").render()) == ""
        await pilot.press("1")
        note = str(app.screen.query_one("#start-note").render())
        assert note == f"c-001 has answered 2 of {len(mini.items)}: Enter resumes."


@run_async
async def test_an_unusable_output_folder_is_reported_on_the_start_screen(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    app = _app(mini, not_a_folder, clock)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, StartScreen)
        error = str(app.screen.query_one("#start-error").render())
        assert error.startswith(f"Cannot write to {not_a_folder}:")


@run_async
async def test_results_without_norms_show_raw_scores(
    wide: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(wide, tmp_path, clock)
    async with app.run_test() as pilot:
        await pilot.press("enter", "1", "0", "enter", "4", "enter", "8", "enter", "enter")
        assert isinstance(app.screen, ResultsScreen)
        bars = app.screen.query_one("TraitBars")
        assert app.screen.view.norm_source is None
        rendered = app.screen.query_one("#results").query("Static")
        texts = [str(widget.render()) for widget in rendered]
        assert "No role fit (it needs norms and roles)." in texts
        assert "Scored without norms: no T-scores, bands or role fit." in texts
        profile = load_profile(tmp_path / "c-001.profile.yaml")
        raw = profile.traits["asking"].raw
        assert raw is not None
        console = Console(width=80, record=True, file=io.StringIO())
        console.print(bars.render())
        assert f"Comfort asking            raw {raw:.2f} (no norms)" in console.export_text()


@run_async
async def test_every_answer_reaches_the_file_while_the_screen_stays_in_place(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    app = _app(mini, tmp_path, clock)
    path = tmp_path / "c-001.answers.yaml"
    async with app.run_test() as pilot:
        await pilot.press("enter")
        screen = app.screen
        options = screen.query_one(AnswerOptions)
        for count, key in enumerate(["4", "2", "5"], start=1):
            clock.advance(1234)
            await pilot.press(key)
            assert app.autosaver is not None
            assert app.autosaver.flush() is None
            assert len(load_answers(path).answers) == count
        assert app.screen is screen, "advancing updates the item screen in place"
        assert screen.query_one(AnswerOptions) is options
        await pilot.press("ctrl+s")
        assert any(
            notification.message == f"Saved to {path}" for notification in app._notifications
        )
    assert [record.ms for record in load_answers(path).answers.values()] == [1234] * 3


def test_autosave_failures_are_reported(mini: Questionnaire, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from assess.model import Candidate
    from assess.tui.autosave import AnswersAutosaver
    from assess.tui.session import TakeSession

    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    errors: list[str] = []
    saver = AnswersAutosaver(blocker / "c-1.answers.yaml", errors.append)
    answers = TakeSession.new(mini, Candidate(id="c-1"), datetime.now(UTC)).to_answers()
    saver.save(answers)
    error = saver.close()
    assert error is not None
    assert errors == [error]
    assert error.startswith(f"{blocker / 'c-1.answers.yaml'}: cannot write here")


@run_async
async def test_saved_answers_out_of_range_are_refused_on_resume(
    mini: Questionnaire, clock: FrozenClock, tmp_path: Path
) -> None:
    from assess.model import AnswerRecord, Answers, Candidate
    from assess.profiles import save_answers

    path = tmp_path / "c-001.answers.yaml"
    save_answers(
        path,
        Answers(
            questionnaire=mini.ref(),
            candidate=Candidate(id="c-001"),
            answers={"nfa1": AnswerRecord(value=9, ms=100)},
        ),
    )
    app = _app(mini, tmp_path, clock)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, StartScreen)
        error = str(app.screen.query_one("#start-error").render())
        assert error.startswith(str(path))
        assert "nfa1" in error


@run_async
async def test_resuming_shows_the_saved_name_and_role_and_says_resume(
    mini: Questionnaire, tmp_path: Path
) -> None:
    # Issue 12: reopening showed Name and Role as the placeholder "optional" and a "Begin"
    # button.
    from textual.widgets import Button, Input

    from assess.model import AnswerRecord, Answers, Candidate
    from assess.profiles import save_answers

    save_answers(
        tmp_path / "c-7.answers.yaml",
        Answers(
            questionnaire=mini.ref(),
            candidate=Candidate(id="c-7", name="Dana Reyes", role="farmer"),
            answers={"nfa1": AnswerRecord(value=3, ms=900)},
        ),
    )
    app = make_take_app(mini, tmp_path, clock=FrozenClock())
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, StartScreen)
        assert str(app.screen.query_one("#begin", Button).label) == "Begin (Enter)"
        await pilot.press(*"c-7")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "Dana Reyes"
        assert app.screen.query_one("#role", Input).value == "farmer"
        assert str(app.screen.query_one("#begin", Button).label) == "Resume (Enter)"


def _footer_descriptions(app: TakeApp) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [
        key.description
        for key in app.screen.query(FooterKey)
        if key.description in ("Begin", "Resume")
    ]


@run_async
async def test_the_footer_says_resume_when_resuming(mini: Questionnaire, tmp_path: Path) -> None:
    # Issue 12: the button said "Resume" but the footer still said "⏎ Begin".
    from assess.model import AnswerRecord, Answers, Candidate
    from assess.profiles import save_answers

    save_answers(
        tmp_path / "c-7.answers.yaml",
        Answers(
            questionnaire=mini.ref(),
            candidate=Candidate(id="c-7"),
            answers={"nfa1": AnswerRecord(value=3, ms=900)},
        ),
    )
    app = make_take_app(mini, tmp_path, clock=FrozenClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert _footer_descriptions(app) == ["Begin"]
        await pilot.press(*"c-7")
        await pilot.pause()
        assert _footer_descriptions(app) == ["Resume"]
        await pilot.press("backspace")
        await pilot.pause()
        assert _footer_descriptions(app) == ["Begin"]
        await pilot.press("7", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session is not None
        assert app.session.answers["nfa1"].value == 3
