"""Scoring rules checked against hand-computed values (docs/scoring.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from assess.model import LikertItem, Norms, Questionnaire, TraitNorm
from assess.profiles import load_questionnaire
from assess.scoring import (
    SCORER_VERSION,
    InvalidAnswersError,
    band_of,
    bands_reached,
    inside_risk_band,
    keyed_likert_matrix,
    norm_scores,
    not_distinguishable_from_next,
    response_matrix,
    response_times,
    role_fit_intervals,
    role_fit_matrix,
    score_answers,
    score_matrix,
    standard_errors,
    true_score_intervals,
)
from tests.assess.helpers import likert7, make_answers, mini

nan = np.nan

ALL_NEUTRAL = {
    "nfa1": 3, "nfa2": 3, "nfa3": 3, "ask1": 3, "ask2": 3, "ask3": 3,
    "clo1": 3, "clo2": 3, "clo3": 3, "nur1": 3, "nur2": 3, "nur3": 3,
}  # fmt: skip


def test_response_matrix_and_reverse_keying() -> None:
    q = likert7()
    answers = [make_answers(q, {"d1": 7, "d2": 2, "c2": 7}), make_answers(q, {"d3": 1}, "c-002")]
    matrix = response_matrix(q, answers)
    assert_allclose(matrix, [[7, 2, np.nan, np.nan, 7], [np.nan, np.nan, 1, np.nan, np.nan]])
    timed = [make_answers(q, {"d1": 7}, ms=1500), make_answers(q, {"c1": 2}, "c-002")]
    assert_allclose(
        response_times(q, timed), [[1500, nan, nan, nan, nan], [nan, nan, nan, nan, nan]]
    )
    keyed = keyed_likert_matrix(q, matrix)
    # d2 and c2 are keyed "-": 1 + 7 − x.
    assert_allclose(keyed, [[7, 6, np.nan, np.nan, 1], [np.nan, np.nan, 1, np.nan, np.nan]])


def test_situational_columns_hold_the_option_number_and_are_not_keyed() -> None:
    q = mini()
    matrix = response_matrix(q, [make_answers(q, {"sjt1": 3, "ask2": 2})])
    column = q.item_ids().index("sjt1")
    assert matrix[0, column] == 3
    assert np.isnan(keyed_likert_matrix(q, matrix)[0, column])
    assert keyed_likert_matrix(q, matrix)[0, q.item_ids().index("ask2")] == 4


def test_likert_score_is_the_mean_of_keyed_answers_without_norms() -> None:
    q = likert7()
    [profile] = score_answers(q, [make_answers(q, {"d1": 7, "d2": 2, "d3": 5, "c1": 4, "c2": 1})])
    drive = profile.traits["drive"]
    assert drive.likert == pytest.approx((7 + 6 + 5) / 3, abs=1e-3)
    assert drive.raw == drive.likert  # no situational items: raw = Likert score
    assert drive.judgement is None
    assert profile.traits["calm"].likert == 5.5  # (4 + (8 − 1)) / 2
    assert (drive.z, drive.t, drive.percentile, drive.band) == (None, None, None, None)
    assert profile.norms is None
    assert profile.role_fit == []
    assert profile.best_fit is None
    assert "No norms" in profile.notes[0]
    assert profile.scorer_version == SCORER_VERSION


def ten_item_questionnaire() -> Questionnaire:
    return Questionnaire.model_validate(
        {
            "id": "ten",
            "version": "1",
            "title": "Ten",
            "scale": {"min": 0, "max": 10},
            "traits": [{"id": "x", "name": "X"}],
            "items": [{"id": f"x{i}", "trait": "x", "text": "t"} for i in range(10)],
        }
    )


def test_seventy_percent_rule_and_pro_rating() -> None:
    q = ten_item_questionnaire()
    seven = {f"x{i}": i for i in range(7)}  # 0..6 answered, 7 of 10 = 70 %: scored
    six = {f"x{i}": 10 for i in range(6)}  # 60 %: insufficient
    ok, short = score_answers(q, [make_answers(q, seven), make_answers(q, six, "c-002")])
    assert ok.traits["x"].status == "ok"
    assert ok.traits["x"].raw == 3.0  # mean of the answered items (0+…+6)/7, not their sum
    assert (ok.traits["x"].items_answered, ok.traits["x"].items_total) == (7, 10)
    assert short.traits["x"].status == "insufficient"
    assert short.traits["x"].raw is None
    assert short.traits["x"].likert is None
    assert [flag.code for flag in short.red_flags] == ["insufficient:x"]
    assert short.red_flags[0].reason == (
        "Only 6 of 10 x items were answered (70 % are needed), so this trait is not scored."
    )


def test_judgement_scores_by_hand() -> None:
    q = mini()
    # sjt1 option 2: closing +2, asking +1; sjt2 option 1: nurturing +1.
    [p] = score_answers(q, [make_answers(q, {**ALL_NEUTRAL, "sjt1": 2, "sjt2": 1})])
    assert p.traits["closing_urgency"].judgement == 1.0  # 2 / best 2
    assert p.traits["comfort_asking"].judgement == 0.25  # (1 + 0) / (2 + 2)
    assert p.traits["relationship_nurturing"].judgement == 1.0  # 1 / 1
    assert p.traits["need_for_approval"].judgement == 0.0  # (0 + 0) / (1 + 1)
    # raw = Likert + 0.25 × (5 − 1)/2 × judgement
    assert p.traits["closing_urgency"].raw == 3.5
    assert p.traits["comfort_asking"].raw == 3.125
    # Only answered situational items count: sjt2 skipped -> asking = 1 / 2.
    [p] = score_answers(q, [make_answers(q, {**ALL_NEUTRAL, "sjt1": 2})])
    assert p.traits["comfort_asking"].judgement == 0.5
    assert p.traits["relationship_nurturing"].judgement is None
    assert p.traits["relationship_nurturing"].raw == 3.0
    # A negative weight: sjt1 option 1 gives closing −1 / 2.
    [p] = score_answers(q, [make_answers(q, {**ALL_NEUTRAL, "sjt1": 1})])
    assert p.traits["closing_urgency"].judgement == -0.5
    assert p.traits["closing_urgency"].raw == 2.75


def test_z_t_percentile_and_band_by_hand() -> None:
    q = mini()
    values = {**ALL_NEUTRAL, "nfa1": 4, "nfa2": 2, "nfa3": 4, "clo3": 4}
    [p] = score_answers(q, [make_answers(q, values)])
    nfa = p.traits["need_for_approval"]
    assert nfa.raw == 4.0  # 4, 1 + 5 − 2 = 4, 4
    assert nfa.z == pytest.approx(1.667, abs=1e-3)  # (4 − 3) / 0.6
    assert nfa.t == 66.7
    assert nfa.percentile == 95.2  # 100 Φ(1.667)
    assert nfa.band == "high"
    assert nfa.interpretation == "Avoids asks that might cost goodwill."
    asking = p.traits["comfort_asking"]
    assert (asking.raw, asking.z, asking.t, asking.percentile, asking.band) == (
        3.0,
        0.0,
        50.0,
        50.0,
        "average",
    )
    closing = p.traits["closing_urgency"]  # the norms give a percentile table
    assert closing.raw == pytest.approx(10 / 3, abs=1e-3)
    assert closing.t == 56.7
    assert closing.percentile == 72.2  # 50 + (90 − 50) × (3.333 − 3.0) / (3.6 − 3.0)
    assert p.traits["relationship_nurturing"].t == 40.0  # (3 − 3.5) / 0.5 = −1
    assert p.traits["relationship_nurturing"].band == "average"  # 40 is not below 40


@pytest.mark.parametrize(
    ("t", "band"),
    [(39.9, "low"), (40.0, "average"), (50.0, "average"), (60.0, "average"), (60.1, "high")],
)
def test_band_edges(t: float, band: str) -> None:
    assert band_of(t) == band


def test_percentile_table_clamps_outside_its_ranks() -> None:
    q = mini()
    low = {**ALL_NEUTRAL, "clo1": 1, "clo2": 5, "clo3": 1}
    [p] = score_answers(q, [make_answers(q, low)])
    assert p.traits["closing_urgency"].percentile == 10.0  # below the 10th-percentile raw


def test_role_fit_by_hand_for_each_direction() -> None:
    q = mini()
    # Trait order: need_for_approval, comfort_asking, closing_urgency, relationship_nurturing.
    t = np.array([[50.0, 45.0, 50.0, 70.0], [30.0, 70.0, 80.0, 60.0], [90.0, 10.0, 10.0, 20.0]])
    roles, fit = role_fit_matrix(q, t)
    assert roles == ["farmer", "hunter", "order_taker"]
    # farmer: asking at_least 55 (w2) short by 10; nfa at_most 45 (w2) over by 5;
    # nurturing at_least 55 met: sqrt((2·100 + 2·25 + 0) / 5) = 7.071.
    assert fit[0, 0] == pytest.approx(100 * (1 - math.sqrt(250 / 5) / 30))
    # hunter: closing at_least 60 (w2) short by 10; nfa at_most 40 (w1) over by 10.
    assert fit[0, 1] == pytest.approx(100 * (1 - 10 / 30))
    # order_taker: near counts both sides: nurturing 70 vs 60, asking 45 vs 40.
    assert fit[0, 2] == pytest.approx(100 * (1 - math.sqrt((100 + 25) / 2) / 30))
    # Targets met on the right side cost nothing (at_least above, at_most below).
    assert fit[1, 0] == 100.0
    assert fit[1, 1] == 100.0
    # near: 60 is exact, asking 70 vs 40 is 30 over: sqrt(900 / 2) = 21.2.
    assert fit[1, 2] == pytest.approx(100 * (1 - math.sqrt(900 / 2) / 30))
    # Far off: the fit stops at 0.
    assert fit[2, 0] == 0.0


def test_profile_ranks_roles_and_names_the_best_fit() -> None:
    q = mini()
    hunter_like = {
        **ALL_NEUTRAL, "nfa1": 1, "nfa2": 5, "nfa3": 1, "clo1": 5, "clo2": 1, "clo3": 5,
        "ask1": 4, "ask3": 4, "nur1": 2, "nur3": 2,
    }  # fmt: skip
    [p] = score_answers(q, [make_answers(q, hunter_like, role="farmer")])
    fits = [fit.fit for fit in p.role_fit]
    assert fits == sorted((f for f in fits if f is not None), reverse=True)
    assert p.best_fit == "hunter"
    assert p.role_fit[0].role == "hunter"
    assert p.role_fit[0].fit == 100.0
    codes = [flag.code for flag in p.red_flags]
    assert "best_fit_differs_from_role" in codes


def test_order_taker_red_flag_needs_distinguishable_fits() -> None:
    q = mini()
    order_taker = {
        "nfa1": 5, "nfa2": 1, "nfa3": 5, "ask1": 1, "ask2": 5, "ask3": 1,
        "clo1": 1, "clo2": 5, "clo3": 1, "nur1": 5, "nur2": 1, "nur3": 5,
    }  # fmt: skip
    approving_less = {**order_taker, "nfa1": 3, "nfa2": 3, "nfa3": 3}
    flagged, not_flagged = score_answers(
        q, [make_answers(q, order_taker), make_answers(q, approving_less, "c-002")]
    )
    codes = [flag.code for flag in flagged.red_flags]
    assert codes[0] == "likely_order_taker_as_farmer"
    assert flagged.red_flags[0].reason.startswith(
        "Fits the order taker profile better than the farmer profile (fit 15 against 0, a "
        "difference beyond the measurement error) (relationship nurturing T 80.0, comfort "
        "asking T 10.0"
    )
    assert "high_need_for_approval" in codes  # risk pole high, band high
    assert "low_comfort_asking" in codes  # risk pole low, band low
    assert "likely_order_taker_as_farmer" not in [flag.code for flag in not_flagged.red_flags]


def test_validity_indicators_and_careless_flag() -> None:
    q = mini()
    straight = {item_id: 4 for item_id in q.item_ids() if not item_id.startswith("sjt")}
    careless = {**straight, "ac1": 1}
    [p] = score_answers(q, [make_answers(q, careless, ms=800)])
    v = p.validity
    assert v.attention_checks_failed == 1
    assert v.attention_checks_answered == 1
    assert v.longstring == 14  # 14 identical answers before ac1
    assert v.too_fast_share == 1.0
    assert v.median_ms == 800.0
    assert v.social_desirability == 3.0  # sd1 = 4, sd2 keyed: 1 + 5 − 4 = 2
    assert v.consistency_disagreement == 0.0
    assert v.consistency_pairs_answered == 3
    assert v.flags == ["attention", "longstring", "too_fast"]  # 2 desirability items: no faking
    assert p.red_flags[0].code == "careless_responding"
    assert p.red_flags[0].reason.startswith(
        "The answers look careless (failed 1 of 1 attention checks; 14 identical answers in "
        "a row; 100% of the answers too fast to have been read)"
    )


def test_social_desirability_flag() -> None:
    q = mini()
    pattern = [2, 4, 2, 4, 2, 4, 3, 4, 3, 4, 3, 4]  # pairs agree, no long runs
    varied = dict(zip(ALL_NEUTRAL, pattern, strict=True))
    [p] = score_answers(q, [make_answers(q, {**varied, "sd1": 5, "sd2": 1})])
    assert p.validity.social_desirability == 5.0
    assert "social_desirability" in p.validity.flags
    assert [flag.code for flag in p.red_flags] == ["socially_desirable_responding"]


def test_explicit_norms_override_and_forced_is_recorded() -> None:
    q = likert7()
    norms = Norms(
        source="local sample",
        n=120,
        date="2026-11-20",
        traits={"drive": TraitNorm(mean=4.0, sd=1.0), "calm": TraitNorm(mean=4.0, sd=2.0)},
    )
    answers = make_answers(q, {"d1": 6, "d2": 2, "d3": 6, "c1": 4, "c2": 4})
    [p] = score_answers(q, [answers], norms, forced=True)
    assert p.forced is True
    assert p.traits["drive"].t == 70.0
    assert p.traits["calm"].t == 50.0
    assert p.norms is not None
    assert (p.norms.source, p.norms.n, p.norms.provisional) == ("local sample", 120, False)
    assert p.notes == ["The questionnaire defines no roles, so there is no role fit."]


def test_answers_that_do_not_fit_are_refused() -> None:
    q = likert7()
    with pytest.raises(InvalidAnswersError, match=r"c-001: answers\.d1\.value: expected an answer"):
        score_answers(q, [make_answers(q, {"d1": 8})])
    with pytest.raises(InvalidAnswersError, match=r"answers\.zz: unknown item 'zz'"):
        score_answers(q, [make_answers(q, {"zz": 1})])


def test_score_matrix_refuses_answers_that_do_not_fit() -> None:
    q = likert7()
    records = [make_answers(q, {"d1": 3})]
    matrix = response_matrix(q, records)
    matrix[0, 0] = 8
    with pytest.raises(InvalidAnswersError, match=r"c-001: answers\.d1: 8 is not a whole number "
                       r"from 1 to 7"):  # fmt: skip
        score_matrix(q, records, matrix)
    matrix[0, 0] = 2.5
    with pytest.raises(InvalidAnswersError, match=r"answers\.d1: 2\.5 is not a whole number"):
        score_matrix(q, records, matrix)
    with pytest.raises(InvalidAnswersError, match=r"the response matrix is 1 × \d+; expected 2"):
        score_matrix(q, records * 2, matrix)


likert_values = st.integers(min_value=1, max_value=5)


@settings(max_examples=60, deadline=None)
@given(
    values=st.fixed_dictionaries({item_id: likert_values for item_id in ALL_NEUTRAL}),
    sjt1=st.integers(1, 3),
    reversed_item=st.sampled_from(["nfa2", "ask2", "clo2", "nur2"]),
)
def test_raising_a_reverse_keyed_answer_lowers_its_trait(
    values: dict[str, int], sjt1: int, reversed_item: str
) -> None:
    q = mini()
    item = q.item(reversed_item)
    assert isinstance(item, LikertItem)
    assert item.keyed == "-"
    assert item.trait is not None
    lower = {**values, "sjt1": sjt1, reversed_item: 1}
    higher = {**lower, reversed_item: 5}
    before, after = score_answers(q, [make_answers(q, lower), make_answers(q, higher, "c-002")])
    raw_before, raw_after = before.traits[item.trait].raw, after.traits[item.trait].raw
    assert raw_before is not None
    assert raw_after is not None
    assert raw_after < raw_before
    # The keyed answer drops by 4 points, one of the trait's 3 items: the mean by 4 / 3.
    assert raw_before - raw_after == pytest.approx(4 / 3, abs=2e-3)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.fixed_dictionaries({k: likert_values for k in ALL_NEUTRAL}), min_size=1, max_size=6)
)
def test_batch_scoring_equals_one_by_one(rows: list[dict[str, int]]) -> None:
    q = mini()
    answers = [make_answers(q, row, f"c-{i}") for i, row in enumerate(rows)]
    batch = score_answers(q, answers)
    single = [score_answers(q, [a])[0] for a in answers]
    assert batch == single


def test_the_worked_example_in_docs_scoring_md() -> None:
    q = mini()
    values = {**ALL_NEUTRAL, "nfa1": 4, "nfa2": 2, "nfa3": 4, "sjt1": 1, "sjt2": 2}
    [p] = score_answers(q, [make_answers(q, values)])
    nfa = p.traits["need_for_approval"]
    assert (nfa.likert, nfa.judgement, nfa.raw) == (4.0, 0.0, 4.0)
    assert (nfa.z, nfa.t, nfa.percentile, nfa.band) == (1.667, 66.7, 95.2, "high")
    # Default reliability 0.8: SEM = 10 √0.2 = 4.47; true-score estimate 50 + 0.8 × 16.7 =
    # 63.36, SEE = 4.47 × √0.8 = 4.0, 90 % interval 63.36 ± 1.645 × 4.0 = 56.8–69.9.
    assert (nfa.sem, nfa.t_interval, nfa.interval_bands) == (4.5, (56.8, 69.9), ["average", "high"])
    # The interval reaches into the average band, so no risky-trait flag is raised.
    assert "high_need_for_approval" not in [flag.code for flag in p.red_flags]
    _, fit = role_fit_matrix(q, np.array([[50 + 50 / 3, 45.0, 50.0, 70.0]]))
    assert round(float(fit[0, 0]), 1) == 49.7


def test_no_best_fit_when_a_role_cannot_be_scored() -> None:
    q = mini()
    values = {**ALL_NEUTRAL}
    del values["nfa1"]  # need for approval: 2 of 3 answered, insufficient
    [p] = score_answers(q, [make_answers(q, values)])
    assert [(fit.role, fit.fit) for fit in p.role_fit][-2:] == [("farmer", None), ("hunter", None)]
    assert p.role_fit[0].role == "order_taker"
    assert p.best_fit is None
    assert p.notes[-1] == (
        "No best fit is named: Farmer, Hunter could not be scored because a trait they target "
        "has too few answers."
    )


def test_standard_error_and_interval_by_hand() -> None:
    # Reliability 0.75 on 9 items, 6 answered: r_6 = (2/3 × 0.75) / (1 + (2/3 − 1) × 0.75)
    # = 0.5 / 0.75 = 0.6667; SEM = 10 √(1 − 0.6667) = 5.774.
    sem = standard_errors(np.array([0.75]), np.array([[9.0], [6.0]]), np.array([9.0]))
    assert_allclose(sem[:, 0], [10 * np.sqrt(0.25), 10 * np.sqrt(1 / 3)])
    # T = 70, SEM = 5 (r = 0.75): centre 50 + 0.75 × 20 = 65, half-width 1.645 × 5 × √0.75.
    centre, half = true_score_intervals(np.array([70.0]), np.array([5.0]))
    assert_allclose(centre, [65.0])
    assert_allclose(half, [1.6448536269514722 * 5 * np.sqrt(0.75)])  # 7.12: 57.9–72.1


def test_bands_reached_and_risk_band() -> None:
    assert bands_reached(56.8, 69.9) == ["average", "high"]
    assert bands_reached(61.0, 70.0) == ["high"]
    assert bands_reached(35.0, 65.0) == ["low", "average", "high"]
    assert inside_risk_band("high", (60.1, 70.0))
    assert not inside_risk_band("high", (60.0, 70))
    assert inside_risk_band("low", (30.0, 39.9))
    assert not inside_risk_band("none", (0.0, 10.0))


def test_t_is_rounded_once_so_the_band_agrees_with_the_shown_t() -> None:
    q = mini()
    norms = q.norms
    assert norms is not None
    # need_for_approval norm mean 3.0, sd 0.6: raw 2.37 gives z = −1.05, T = 39.5 exactly.
    normed = norm_scores(q, np.array([[2.37, 3.0, 3.0, 3.5]]), norms)
    t = float(normed.t[0, 0])
    assert t == 39.5
    assert band_of(t) == "low"
    assert f"{t:.1f}" == "39.5"  # shown as 39.5, never as "40 … low"


def test_fit_interval_by_finite_differences() -> None:
    q = mini()
    # Farmer: asking ≥ 55 (w 2), approval ≤ 45 (w 2), nurturing ≥ 55 (w 1). Only asking
    # misses (T 45): rms = sqrt(2 × 100 / 5) = 6.32, fit 78.9.
    t = np.array([[45.0, 45.0, 50.0, 60.0]])  # approval, asking, closing, nurturing
    sem = np.full((1, 4), 5.0)
    role_ids, fit = role_fit_matrix(q, t)
    low, high = role_fit_intervals(q, t, sem)
    farmer = role_ids.index("farmer")
    assert round(float(fit[0, farmer]), 1) == 78.9

    def fit_at(asking: float, approval: float, nurturing: float) -> float:
        d = [min(asking - 55, 0), max(approval - 45, 0), min(nurturing - 55, 0)]
        rms = math.sqrt((2 * d[0] ** 2 + 2 * d[1] ** 2 + d[2] ** 2) / 5)
        return 100 * max(0.0, 1 - rms / 30)

    base = fit_at(45, 45, 60)
    down = [base - fit_at(40, 45, 60), base - fit_at(45, 50, 60), base - fit_at(45, 45, 55)]
    up = [fit_at(50, 45, 60) - base, 0.0, 0.0]
    assert_allclose(low[0, farmer], base - 1.6448536269514722 * np.sqrt(np.sum(np.square(down))))
    assert_allclose(high[0, farmer], base + 1.6448536269514722 * np.sqrt(np.sum(np.square(up))))


def test_not_distinguishable_from_next() -> None:
    fits = [80.0, 60.0, 75.0, None]
    intervals = [(72.0, 88.0), (50.0, 70.0), (70.0, 80.0), None]
    # Ranked 80, 75, 60: 80's interval (72–88) overlaps 75's (70–80); 75's does not
    # reach 60's (50–70 ends where 70–80 starts: touching counts as overlapping).
    assert not_distinguishable_from_next(fits, intervals) == [True, False, True, False]


def test_risk_poles_per_role() -> None:
    q = load_questionnaire()
    assert q.roles is not None
    hunter = q.roles["hunter"].risk_poles or {}
    assert hunter["prospecting_drive"] == "low"
    assert q.trait("prospecting_drive").risk_pole == "none"
    # A very low relationship nurturing is a risk for a farmer, not for a hunter.
    values = {item.id: 3 for item in q.likert_items()}
    for item in q.likert_items_of("relationship_nurturing"):
        values[item.id] = 1 if item.keyed == "+" else 5
    for item in q.likert_items():
        if item.validity == "attention_check" and item.expect is not None:
            values[item.id] = item.expect
    farmer = make_answers(q, values, "c-farmer", role="farmer")
    hunter_answers = make_answers(q, values, "c-hunter", role="hunter")
    as_farmer, as_hunter = score_answers(q, [farmer, hunter_answers])
    assert "low_relationship_nurturing" in [f.code for f in as_farmer.red_flags]
    assert "low_relationship_nurturing" not in [f.code for f in as_hunter.red_flags]
    assert as_farmer.traits["relationship_nurturing"].risk_pole_applied == "low"
    assert as_hunter.traits["relationship_nurturing"].risk_pole == "none"


def test_profiles_built_without_validation_are_what_validation_gives() -> None:
    """_profile builds its models with model_construct: validating each profile again must
    accept it and change nothing (types, rounding, order), flagged candidates included."""
    from assess.model import Profile
    from assess.profiles import irt_for, profile_to_data, read_answers_run
    from tests.conftest import REPO_ROOT

    q = load_questionnaire()
    table = read_answers_run([REPO_ROOT / "examples" / "answers.csv"], q)
    profiles = score_matrix(
        q, table.respondents, table.matrix, table.times, irt=irt_for(None, None, q)
    )
    assert any(profile.red_flags for profile in profiles)
    for profile in profiles:
        data = profile_to_data(profile)
        again = profile_to_data(Profile.model_validate(data))
        assert repr(again) == repr(data)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=0, max_value=2**32 - 1),
    st.booleans(),
)
def test_moved_fits_are_the_full_perturbation_to_the_last_bit(
    k: int, seed: int, broken: bool
) -> None:
    """_moved_fits copies the unmoved terms instead of building candidates × traits × traits;
    the result must be exactly that of the full array (NaN scores and errors included)."""
    from assess.scoring import _fit, _moved_fits

    rng = np.random.default_rng(seed)
    scores = np.round(rng.uniform(10, 90, size=(30, k)), 1)
    errors = rng.uniform(0, 8, size=(30, k))
    scores[rng.random(scores.shape) < 0.05] = np.nan
    if broken:
        errors[rng.random(errors.shape) < 0.1] = rng.choice([np.nan, np.inf])
    target = rng.uniform(30, 70, size=k)
    weight = rng.uniform(0.5, 2, size=k)
    at_least = rng.random(k) < 0.4
    at_most = ~at_least & (rng.random(k) < 0.5)
    with np.errstate(invalid="ignore"):  # 0 × inf off the diagonal, as in the full array
        step = np.eye(k)[None, :, :] * errors[:, :, None]
    for sign in (-1.0, 1.0):
        full = _fit(scores[:, None, :] + sign * step, target, weight, at_least, at_most, False)
        fast = _moved_fits(scores, errors, target, weight, at_least, at_most, sign)
        np.testing.assert_array_equal(fast, full)  # exact; NaN where NaN (any sign bit)
