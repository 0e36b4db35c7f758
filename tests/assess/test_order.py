"""Presentation order (issue 12, point 4): interleaved by default, the whole questionnaire
shuffled with a seed, and order-dependent validity indices read in the order shown."""

from __future__ import annotations

import numpy as np
import pytest

from assess.model import Questionnaire
from assess.order import group_of, longest_same_group_run, presentation_order, section_of
from assess.profiles import load_questionnaire
from assess.scoring import score_answers
from assess.validity import longstring
from tests.assess.helpers import make_answers, mini


@pytest.fixture(scope="module")
def bundled() -> Questionnaire:
    return load_questionnaire()


def test_default_order_interleaves_traits(bundled: Questionnaire) -> None:
    order = presentation_order(bundled)
    assert sorted(order) == sorted(item.id for item in bundled.items)
    statements = [i for i in order if section_of(bundled.item(i)) != "situations"]
    # No block of three consecutive items shares a trait (in fact no two in a row).
    assert longest_same_group_run(bundled, statements) <= 2
    assert longest_same_group_run(bundled, order[: len(statements)]) == 1
    # Each trait's items keep the questionnaire's order; the situations come last, together.
    for trait in bundled.traits:
        ids = [i for i in order if bundled.item(i).__dict__.get("trait") == trait.id]
        assert ids == [item.id for item in bundled.likert_items_of(trait.id)]
    assert [section_of(bundled.item(i)) for i in order[len(statements) :]] == ["situations"] * 15
    assert order[:3] != ["nfa01", "nfa02", "nfa03"]


def test_shuffle_shuffles_the_whole_questionnaire_and_keeps_the_property(
    bundled: Questionnaire,
) -> None:
    plain = presentation_order(bundled)
    first = presentation_order(bundled, 7)
    assert first == presentation_order(bundled, 7)
    assert first != plain
    assert first != presentation_order(bundled, 8)
    statements = [i for i in first if section_of(bundled.item(i)) != "situations"]
    assert longest_same_group_run(bundled, statements) <= 2
    # Within a trait the order is shuffled too (not only between traits).
    nfa = [i for i in first if group_of(bundled.item(i)) == "need_for_approval"]
    assert nfa != sorted(nfa)
    for seed in range(20):
        assert longest_same_group_run(bundled, presentation_order(bundled, seed)[:-15]) <= 2


def test_without_presentation_every_item_is_interleaved() -> None:
    q = mini()
    order = presentation_order(q)
    assert longest_same_group_run(q, order) <= 2
    assert sorted(order) == sorted(q.item_ids())


def test_longstring_follows_the_order_shown() -> None:
    q = mini()
    likert = [i for i in q.item_ids() if not i.startswith("sjt")]
    values = {item_id: 3 for item_id in likert}
    values.update({"nfa1": 5, "nfa2": 5, "nfa3": 5, "ac1": 4})
    listed = make_answers(q, values, "c-listed")
    shown = make_answers(q, values, "c-shown")
    # Shown with the three 5s spread among the 3s: the long runs are broken up.
    fives = ["nfa1", "nfa2", "nfa3", "ac1"]
    rest = [i for i in likert if i not in fives]
    spread = [*rest[:3], fives[0], *rest[3:6], fives[1], *rest[6:9], fives[2], *rest[9:], fives[3]]
    shown.order = [*spread, *[i for i in q.item_ids() if i.startswith("sjt")]]
    as_listed, as_shown = score_answers(q, [listed, shown])

    def runs(order: list[str]) -> int:
        answers = np.array([[values[i] for i in order]], dtype=np.float64)
        return int(longstring(answers)[0])

    assert as_listed.validity.longstring == runs(likert)
    assert as_shown.validity.longstring == runs(spread)
    assert as_shown.validity.longstring < as_listed.validity.longstring
