"""The questionnaire/answers/profile schema: cross-field checks with field paths, sha256."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from assess.fileio import FileFormatError
from assess.model import LikertItem, Questionnaire, SituationalItem, questionnaire_sha256
from assess.profiles import load_questionnaire
from tests.assess.helpers import LIKERT7, MINI, likert7, mini

HEADER = """\
schema: repfit.questionnaire/1
id: t
version: 1.0
title: T
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "q.yaml"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(FileFormatError) as info:
        load_questionnaire(path)
    return info.value.message


def test_mini_questionnaire_loads_with_every_part() -> None:
    q = mini()
    assert q.version == "1.10"  # text stays text
    assert q.trait_ids() == [
        "need_for_approval",
        "comfort_asking",
        "closing_urgency",
        "relationship_nurturing",
    ]
    assert [item.id for item in q.likert_items_of("comfort_asking")] == ["ask1", "ask2", "ask3"]
    assert isinstance(q.item("sjt1"), SituationalItem)
    assert list(q.sections())[:3] == ["approval", "comfort_asking", "closing_urgency"]
    assert q.sections()["situations"] == [q.item("sjt1"), q.item("sjt2")]
    assert q.norms is not None
    assert q.norms.provisional
    assert q.norms.traits["closing_urgency"].percentiles == {10: 2.4, 50: 3.0, 90: 3.6}
    assert q.roles is not None
    assert list(q.roles) == ["farmer", "hunter", "order_taker"]


def test_likert_only_questionnaire_on_a_seven_point_scale_is_valid() -> None:
    q = likert7()
    assert (q.scale.min, q.scale.max, q.scale.labels) == (1, 7, None)
    assert (q.norms, q.roles, q.validity) == (None, None, None)
    item = q.item("d2")
    assert isinstance(item, LikertItem)
    assert item.keyed == "-"


def test_cross_field_errors_name_each_field_path_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        scale: {min: 0, max: 10}
        traits:
          - {id: a, name: A}
        items:
          - {id: a1, trait: a, text: x}
          - {id: a1, trait: b, text: y}
          - {id: ac, validity: attention_check, expect: 11, text: z}
          - id: s1
            type: situational
            text: s
            options: [{text: o, weights: {zz: 1}}, {text: p, weights: {a: 1}}]
        validity: {consistency_pairs: [[a1, nope], [a1, s1]]}
        norms: {source: s, n: 0, traits: {a: {mean: 1, sd: 1}, c: {mean: 1, sd: 1}}}
        roles: {farmer: {name: F, targets: {d: {t: 50, direction: near, weight: 1}}}}
        interpretation: {e: {low: l}}
        """,
    )
    message = error_of(path)
    assert message.startswith(f"{path}: 9 problems: items[1].id (line 10): duplicate item id 'a1'")
    for expected in [
        "items[1].trait (line 10): unknown trait 'b'; expected one of: a",
        "items[2].expect (line 11): expected an answer on the scale (0 to 10); found 11",
        "items[3].options[0].weights.zz (line 15): unknown trait 'zz'",
        "validity.consistency_pairs[0][1] (line 16): unknown item 'nope'",
    ]:
        assert expected in message
    assert message.endswith("and 4 more problems.")


def test_more_reference_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        scale: {min: 1, max: 5}
        traits:
          - {id: a, name: A}
          - {id: b, name: B}
        items:
          - {id: a1, trait: a, text: x}
          - id: s1
            type: situational
            text: s
            options: [{text: o, weights: {a: 1}}, {text: p, weights: {a: 2}}]
        validity: {consistency_pairs: [[a1, s1]]}
        roles: {farmer: {name: F, targets: {d: {t: 50, direction: near, weight: 1}}}}
        interpretation: {e: {low: l}}
        """,
    )
    message = error_of(path)
    assert (
        "traits[1].id (line 8): trait 'b' has no Likert items; every trait needs at least one"
        in message
    )
    assert "validity.consistency_pairs[0][1] (line 15): item 's1' is situational" in message
    assert "roles.farmer.targets.d (line 16): unknown trait 'd'" in message
    assert "interpretation.e (line 17): unknown trait 'e'" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "scale: {min: 1, max: 5, labels: [No, Yes]}\n",
            "scale.labels (line 5): expected 5 labels (one per point from 1 to 5); found 2",
        ),
        ("scale: {min: 3, max: 3}\n", "scale.max (line 5): must be greater than min (3); found 3"),
    ],
)
def test_scale_errors(tmp_path: Path, body: str, expected: str) -> None:
    path = write(
        tmp_path, body + "traits: [{id: a, name: A}]\nitems: [{id: a1, trait: a, text: x}]\n"
    )
    assert expected in error_of(path)


def test_item_shape_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        scale: {min: 1, max: 5}
        traits: [{id: a, name: A, risk_pole: up}]
        items:
          - {id: a1, trait: a, keyed: "x", text: x}
          - {id: a2, text: neither trait nor validity}
          - {id: a3, type: quiz, text: q}
        """,
    )
    message = error_of(path)
    assert (
        "traits[0].risk_pole (line 6): Input should be 'high', 'low' or 'none'; found 'up'"
        in message
    )
    assert "items[0].keyed (line 8): Input should be '+' or '-'; found 'x'" in message
    assert "items[1].trait (line 9): a Likert item needs exactly one of 'trait'" in message
    assert "items[2] (line 10): 'type' must be 'likert' or 'situational'" in message


def test_sha256_ignores_comments_order_and_line_endings(tmp_path: Path) -> None:
    original = MINI.read_text(encoding="utf-8")
    variant = tmp_path / "variant.yaml"
    variant.write_bytes(("# a new comment\n" + original).replace("\n", "\r\n").encode())
    assert questionnaire_sha256(load_questionnaire(variant)) == questionnaire_sha256(mini())
    changed = tmp_path / "changed.yaml"
    changed.write_text(original.replace("I ask for the order.", "I ask for the order!"))
    assert questionnaire_sha256(load_questionnaire(changed)) != questionnaire_sha256(mini())
    digest = questionnaire_sha256(mini())
    assert re.fullmatch(r"[0-9a-f]{64}", digest)


def test_model_built_in_code_is_checked_too() -> None:
    data = likert7().model_dump(by_alias=True)
    data["items"][0]["trait"] = "nope"
    with pytest.raises(ValueError, match=r"items\[0\]\.trait: unknown trait 'nope'"):
        Questionnaire.model_validate(data)


def test_questionnaire_helpers() -> None:
    q = mini()
    assert q.scale.label(4) == "Agree"
    assert likert7().scale.label(6) == "6"
    assert q.section_of(q.item("sd1")) == "social_desirability"
    assert q.ref().sha256 == questionnaire_sha256(q)
    assert LIKERT7.name == "likert7.questionnaire.yaml"
