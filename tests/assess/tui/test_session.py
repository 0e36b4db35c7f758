"""The take session without a terminal: order, shuffling, navigation, times, resume."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assess.errors import AssessError
from assess.model import AnswerRecord, Candidate, Questionnaire
from assess.profiles import load_questionnaire
from assess.tui.session import (
    TakeSession,
    candidate_id_problem,
    options_of,
    picks_by_single_digit,
    presentation_order,
    section_of,
)

STARTED = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _sections(q: Questionnaire, order: list[str]) -> list[str]:
    return [section_of(q.item(item_id)) for item_id in order]


def test_default_order_is_interleaved_with_the_situations_together(
    bundled: Questionnaire,
) -> None:
    # The order itself is tested in tests/assess/test_order.py; the session uses it.
    order = presentation_order(bundled, None)
    assert sorted(order) == sorted(item.id for item in bundled.items)
    sections = _sections(bundled, order)
    assert sections[-15:] == ["situations"] * 15
    assert order[:2] != ["nfa01", "nfa02"]


def test_shuffle_is_reproducible_and_shuffles_the_whole_questionnaire(
    bundled: Questionnaire,
) -> None:
    plain = presentation_order(bundled, None)
    first = presentation_order(bundled, 7)
    assert first == presentation_order(bundled, 7)
    assert first != plain
    assert first != presentation_order(bundled, 8)
    assert _sections(bundled, first)[:3] != _sections(bundled, plain)[:3]


def test_options_are_numbered_by_position(mini: Questionnaire, wide: Questionnaire) -> None:
    likert = options_of(mini, mini.item("nfa1"))
    assert [(o.key, o.value, o.text) for o in likert][:2] == [
        (1, 1, "Strongly disagree"),
        (2, 2, "Disagree"),
    ]
    situation = options_of(mini, mini.item("sjt1"))
    assert [o.value for o in situation] == [1, 2, 3]
    zero_based = options_of(wide, wide.item("a1"))
    assert [(o.key, o.value) for o in zero_based] == [(v, v) for v in range(11)]
    assert (zero_based[0].text, zero_based[5].text, zero_based[10].text) == (
        "(lowest)",
        "",
        "(highest)",
    )
    assert picks_by_single_digit(likert)
    assert not picks_by_single_digit(zero_based)


@pytest.mark.parametrize(
    ("candidate_id", "ok"),
    [("c-001", True), ("Jane.Doe_2", True), ("", False), ("../x", False), ("a b", False)],
)
def test_candidate_ids_must_be_safe_file_names(candidate_id: str, ok: bool) -> None:
    assert (candidate_id_problem(candidate_id) is None) is ok


def test_changing_an_answer_keeps_the_earlier_time(mini: Questionnaire) -> None:
    session = TakeSession.new(mini, Candidate(id="c-1"), STARTED)
    session.record(4, 3000)
    session.go_to(0)
    session.record(2, 1500)
    assert session.answers[session.order[0]] == AnswerRecord(value=2, ms=4500)


def test_resume_starts_at_first_unanswered_and_keeps_order_and_times(mini: Questionnaire) -> None:
    session = TakeSession.new(mini, Candidate(id="c-1", name="Jo"), STARTED, shuffle_seed=3)
    for position in (0, 1, 3):
        session.go_to(position)
        session.record(3, 2000 + position)
    saved = session.to_answers()
    resumed = TakeSession.resume(mini, saved)
    assert resumed.position == 2
    assert resumed.order == session.order
    assert resumed.answers == session.answers
    assert resumed.recorded_ms() == 2000 + 2001 + 2003
    assert resumed.started == STARTED
    assert resumed.candidate.name == "Jo"


def test_resume_refuses_answers_to_another_questionnaire(
    mini: Questionnaire, bundled: Questionnaire
) -> None:
    saved = TakeSession.new(mini, Candidate(id="c-1"), STARTED).to_answers()
    with pytest.raises(AssessError, match=r"given to questionnaire mini-sales version 1\.10"):
        TakeSession.resume(bundled, saved)


def test_section_progress_counts_parts(mini: Questionnaire) -> None:
    session = TakeSession.new(mini, Candidate(id="c-1"), STARTED)
    number, parts, index, size = session.section_progress()
    assert (number, index) == (1, 1)
    # mini keeps no section together: every item is interleaved, one part.
    assert (parts, size) == (1, len(mini.items))
    bundled = load_questionnaire()
    shown = TakeSession.new(bundled, Candidate(id="c-2"), STARTED)
    assert shown.section_progress()[:2] == (1, 2)  # statements, then situations
    shown.go_to(shown.total - 1)
    assert shown.section_progress() == (2, 2, 15, 15)
    session.go_to(session.total - 1)
    number, parts, index, size = session.section_progress()
    assert number == parts
    assert index == size


def test_unlabelled_scales_with_negative_points_are_numbered_by_position(
    mini: Questionnaire,
) -> None:
    from assess.model import Scale

    signed = mini.model_copy(update={"scale": Scale(min=-3, max=3)})
    options = options_of(signed, signed.item("nfa1"))
    assert [(o.key, o.value) for o in options] == [(i + 1, i - 3) for i in range(7)]
    assert (options[0].text, options[3].text, options[6].text) == (
        "-3 (lowest)",
        "0",
        "3 (highest)",
    )
    assert picks_by_single_digit(options)
