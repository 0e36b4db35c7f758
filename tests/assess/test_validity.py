"""Per-person validity indices against hand-computed values."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

from assess.validity import (
    DEFAULT_THRESHOLDS,
    ValidityArrays,
    attention_check_failures,
    consistency_disagreement,
    faking_index,
    intra_individual_variability,
    longstring,
    social_desirability,
    too_fast,
    validity_flags,
)

nan = np.nan


def test_longstring_counts_the_longest_run_and_missing_answers_break_runs() -> None:
    matrix = np.array(
        [
            [1, 1, 1, 2, nan, 2, 2],
            [3, 3, 3, 3, 3, 3, 3],
            [nan, nan, nan, nan, nan, nan, nan],
            [1, 2, 1, 2, 1, 2, 1],
        ]
    )
    assert_array_equal(longstring(matrix), [3, 7, 0, 1])
    assert_array_equal(longstring(np.empty((2, 0))), [0, 0])


def test_irv_is_the_sample_sd_of_answered_items_as_careless_irv() -> None:
    # Row 1: answers 1, 5, 1, 5 -> mean 3, squared deviations 4 × 4 = 16, 16 / (4 − 1).
    # Row 4: answers 2, 4 -> 2 / (2 − 1) = 2. R: careless::irv gives sd(), n − 1.
    matrix = np.array(
        [
            [1, 5, nan, 1, 5],
            [3, 3, 3, 3, 3],
            [4, nan, nan, nan, nan],
            [2, nan, 4, nan, nan],
        ]
    )
    assert_allclose(intra_individual_variability(matrix), [np.sqrt(16 / 3), 0.0, nan, np.sqrt(2.0)])


def test_low_irv_cutoff_is_on_the_population_sd() -> None:
    # 10 answers 2,4,2,4,...: population SD exactly 1.0, sample SD sqrt(10/9) = 1.054.
    answers = np.tile([2.0, 4.0], (1, 5))
    irv = intra_individual_variability(answers)
    assert_allclose(irv, [np.sqrt(10 / 9)])
    indicators = ValidityArrays(
        consistency_disagreement=np.array([nan, nan]),
        consistency_pairs_answered=np.array([0, 0]),
        social_desirability=np.array([nan, nan]),
        attention_checks_failed=np.array([0, 0]),
        attention_checks_answered=np.array([0, 0]),
        longstring=np.array([1, 1]),
        irv=np.array([1.05, 1.06]),  # either side of sqrt(10/9) × 1.0 = 1.0541
        likert_answered=np.array([10, 10]),
        too_fast_share=np.array([nan, nan]),
        median_ms=np.array([nan, nan]),
        faking_index=np.array([nan, nan]),
        desirability_answered=np.array([0, 0]),
    )
    # Range 0-8 gives a cut-off of 0.125 × 8 = 1.0 on the population SD.
    assert validity_flags(indicators, 0, 8)["low_irv"].tolist() == [True, False]


def test_consistency_disagreement_uses_answered_pairs_only() -> None:
    first = np.array([[1, 5, nan], [2, 2, 2]])
    second = np.array([[2, 2, 4], [2, nan, 2]])
    mean, answered = consistency_disagreement(first, second)
    assert_allclose(mean, [2.0, 0.0])  # (1 + 3) / 2 ; (0 + 0) / 2
    assert_array_equal(answered, [2, 2])


def test_attention_checks_count_wrong_answers_and_ignore_unanswered() -> None:
    failed, answered = attention_check_failures(np.array([[4, 2], [4, nan], [1, 1]]), [4, 2])
    assert_array_equal(failed, [0, 0, 2])
    assert_array_equal(answered, [2, 1, 2])


def test_faking_index_by_hand() -> None:
    # Desirability keyed 5 and 4: mean 4.5, 1.5 above the middle 3. Trait answers keyed 4
    # (high desirable, +1) and 2 (low desirable, −1): both 1 toward the desirable end.
    index = faking_index(np.array([[5.0, 4.0]]), np.array([[4.0, 2.0]]), [1, -1], 1, 5, 0.75)
    assert_allclose(index, [1.5 + 0.75 * 1.0])
    # A yes-sayer agrees (4) with a virtue (keyed +: 4) and a fault (keyed −: 5 + 1 − 4 = 2).
    yes = faking_index(np.array([[4.0, 2.0]]), np.array([[4.0, 2.0]]), [1, 1], 1, 5, 0.75)
    assert_allclose(yes, [0.0])


def test_social_desirability_and_too_fast() -> None:
    assert_allclose(social_desirability(np.array([[5, 4], [nan, nan]])), [4.5, nan])
    share, median = too_fast(np.array([[500, 2500, 1999, nan], [nan, nan, nan, nan]]), 2000)
    assert_allclose(share, [2 / 3, nan])
    assert_allclose(median, [1999, nan])


def test_flags_scale_with_the_answer_range() -> None:
    indicators = ValidityArrays(
        consistency_disagreement=np.array([1.6, 1.6]),
        consistency_pairs_answered=np.array([3, 3]),
        social_desirability=np.array([4.0, 4.0]),
        attention_checks_failed=np.array([0, 1]),
        attention_checks_answered=np.array([2, 2]),
        longstring=np.array([10, 9]),
        irv=np.array([0.4, 0.4]),
        likert_answered=np.array([20, 20]),
        too_fast_share=np.array([0.3, nan]),
        median_ms=np.array([1500.0, nan]),
        faking_index=np.array([0.08, 0.2]),
        desirability_answered=np.array([14, 3]),
    )
    on_five = validity_flags(indicators, 1, 5, DEFAULT_THRESHOLDS)
    assert {name: mask.tolist() for name, mask in on_five.items()} == {
        "attention": [False, True],
        "longstring": [True, False],
        "low_irv": [True, True],  # below 0.125 × 4 × sqrt(20 / 19) = 0.513
        "inconsistent": [True, True],  # above 0.375 × 4 = 1.5
        "too_fast": [True, False],
        "social_desirability": [True, True],  # at least 1 + 0.75 × 4 = 4
        "faking": [True, False],  # at least 0.02 × 4 = 0.08, with at least 4 items
    }
    on_eleven = validity_flags(indicators, 0, 10, DEFAULT_THRESHOLDS)
    assert on_eleven["low_irv"].all()  # 0.4 is below 0.125 × 10 × 1.026 = 1.28 too
    assert not on_eleven["inconsistent"].any()  # above 3.75
    assert not on_eleven["social_desirability"].any()  # at least 7.5
    assert not on_eleven["faking"].any()  # at least 0.2
