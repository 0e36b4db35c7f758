"""The bundled ``sales-traits`` questionnaire meets issue 4's content requirements.

The content checks read the file as plain data with the shared loader; then the file is
validated with the model, and ``examples/answers.csv`` is checked to be exactly what its
seeded generator writes, to look like real answers (reliable scales, careless and missing
rows present) and, once scored, to show each feature a demo relies on.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import sys
from collections import Counter
from importlib.resources import as_file
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from assess.calibration import (
    Population,
    desirable_direction,
    longest_option_matrix,
    simulate_responses,
)
from assess.fileio import load_yaml
from assess.model import Questionnaire
from assess.profiles import load_questionnaire, read_answers_csv
from assess.scoring import score_answers, trait_arrays
from questionnaires import bundled, bundled_ids
from tests.conftest import EXAMPLES

REQUIRED_TRAITS = {
    "need_for_approval": "nfa",
    "rejection_resistance": "rej",
    "closing_urgency": "clo",
    "emotional_control": "emo",
    "listening_questioning": "lis",
    "proactivity": "pro",
    "comfort_asking": "ask",
    "relationship_nurturing": "rel",
    "prospecting_drive": "hun",
    "account_planning": "pla",
    "money_comfort": "mon",
    "account_strategy": "str",
}
"""Trait ids DESIGN.md §1 requires, with the id prefix of their Likert items."""

ROLE_IDS = {"hunter", "farmer", "order_taker", "hybrid"}
"""The simulator's archetype ids; role targets must use exactly these."""

SITUATIONS = {
    "reset meeting": r"90-minute",
    "'call me next week' put-off": r"call me next week",
    "referral from a happy customer": r"thanked you.*(referral|colleague)",
    "champion leaving": r"leaving the company",
    "single-threaded key account": r"goes through one buyer",
    "order-only call": r"re-order",
    "taking over a newly won client": r"new-business team.*hands it over",
    "budget discussion": r"budget",
    "competitor in the account": r"competitor has started supplying",
    "missed quarterly review": r"cancelled the agreed quarterly review",
}
"""Account situations the judgement items must cover, with a pattern that finds each."""


@pytest.fixture(scope="module")
def questionnaire() -> dict[str, Any]:
    with as_file(bundled("sales-traits")) as path:
        data = load_yaml(path, what="questionnaire").data
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def items(questionnaire: dict[str, Any]) -> list[dict[str, Any]]:
    return list(questionnaire["items"])


def trait_items(items: list[dict[str, Any]], trait: str) -> list[dict[str, Any]]:
    return [item for item in items if item["type"] == "likert" and item.get("trait") == trait]


def situational(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for item in items if item["type"] == "situational"]


def test_is_bundled_with_its_header(questionnaire: dict[str, Any]) -> None:
    assert "sales-traits" in bundled_ids()
    assert questionnaire["schema"] == "repfit.questionnaire/1"
    assert questionnaire["id"] == "sales-traits"
    assert questionnaire["version"] == "1.0.0"
    assert questionnaire["scale"] == {
        "min": 1,
        "max": 5,
        "labels": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
    }
    assert questionnaire["judgement_weight"] == 0.25
    assert "20 minutes" in questionnaire["instructions"]


def test_traits_cover_the_domain(questionnaire: dict[str, Any]) -> None:
    traits = {trait["id"]: trait for trait in questionnaire["traits"]}
    assert len(traits) == len(questionnaire["traits"]) >= 12
    assert set(REQUIRED_TRAITS) <= set(traits)
    for trait in traits.values():
        assert trait["name"].strip()
        assert trait["description"].strip()
        assert trait["risk_pole"] in {"high", "low", "none"}
    assert traits["need_for_approval"]["risk_pole"] == "high"
    assert traits["comfort_asking"]["risk_pole"] == "low"
    assert traits["rejection_resistance"]["risk_pole"] == "low"


def test_item_ids_are_unique(items: list[dict[str, Any]]) -> None:
    duplicates = [i for i, n in Counter(item["id"] for item in items).items() if n > 1]
    assert duplicates == []


@pytest.mark.parametrize("trait", sorted(REQUIRED_TRAITS))
def test_each_trait_has_enough_items_a_third_reverse_keyed(
    items: list[dict[str, Any]], trait: str
) -> None:
    mine = trait_items(items, trait)
    reversed_count = sum(item["keyed"] == "-" for item in mine)
    assert len(mine) >= 8
    assert 3 * reversed_count >= len(mine), f"{trait}: {reversed_count} of {len(mine)} reversed"
    assert all(item["keyed"] in {"+", "-"} for item in mine)
    assert all(item["id"].startswith(REQUIRED_TRAITS[trait]) for item in mine)
    assert all(len(item["text"].split()) >= 6 for item in mine)


def test_sections_group_a_few_traits_each(items: list[dict[str, Any]]) -> None:
    assert all(isinstance(item.get("section"), str) for item in items)
    traits_by_section: dict[str, set[str]] = {}
    for item in items:
        if item.get("trait"):
            traits_by_section.setdefault(item["section"], set()).add(item["trait"])
    assert 4 <= len(traits_by_section) <= 7
    assert all(len(traits) >= 2 for traits in traits_by_section.values())
    assert {item["section"] for item in situational(items)} == {"situations"}


def test_situational_items_are_well_formed(
    questionnaire: dict[str, Any], items: list[dict[str, Any]]
) -> None:
    trait_ids = {trait["id"] for trait in questionnaire["traits"]}
    judgement_items = situational(items)
    assert len(judgement_items) >= 12
    for item in judgement_items:
        assert 3 <= len(item["options"]) <= 5, item["id"]
        for option in item["options"]:
            weights = option["weights"]
            assert 1 <= len(weights) <= 3, item["id"]
            assert set(weights) <= trait_ids, item["id"]
            assert all(
                type(w) is not bool and w == int(w) and -2 <= w <= 2 for w in weights.values()
            )
            assert all(w != 0 for w in weights.values()), item["id"]


def test_every_weighted_trait_has_a_positive_option(items: list[dict[str, Any]]) -> None:
    for item in situational(items):
        weighted = {trait for option in item["options"] for trait in option["weights"]}
        for trait in weighted:
            best = max(option["weights"].get(trait, 0) for option in item["options"])
            assert best > 0, f"{item['id']}: no option scores {trait} positively"


def test_every_trait_is_judged_by_at_least_two_situations(items: list[dict[str, Any]]) -> None:
    coverage = Counter(
        trait
        for item in situational(items)
        for trait in {trait for option in item["options"] for trait in option["weights"]}
    )
    assert {trait: coverage[trait] for trait in REQUIRED_TRAITS if coverage[trait] < 2} == {}


@pytest.mark.parametrize("situation", sorted(SITUATIONS))
def test_situations_cover_real_account_moments(items: list[dict[str, Any]], situation: str) -> None:
    texts = [
        " ".join([item["text"], *(option["text"] for option in item["options"])])
        for item in situational(items)
    ]
    pattern = re.compile(SITUATIONS[situation], re.IGNORECASE)
    assert any(pattern.search(text) for text in texts), situation


def test_consistency_pairs_join_items_of_one_trait(
    questionnaire: dict[str, Any], items: list[dict[str, Any]]
) -> None:
    by_id = {item["id"]: item for item in items}
    pairs = questionnaire["validity"]["consistency_pairs"]
    assert len(pairs) >= 6
    assert len({tuple(sorted(pair)) for pair in pairs}) == len(pairs)
    for first, second in pairs:
        assert first != second
        assert by_id[first]["type"] == by_id[second]["type"] == "likert"
        assert by_id[first]["trait"] == by_id[second]["trait"] is not None


def test_validity_items(questionnaire: dict[str, Any], items: list[dict[str, Any]]) -> None:
    desirability = [item for item in items if item.get("validity") == "social_desirability"]
    attention = [item for item in items if item.get("validity") == "attention_check"]
    assert len(desirability) >= 6
    assert all("trait" not in item for item in desirability)
    virtues = [item for item in desirability if item["keyed"] == "+"]
    faults = [item for item in desirability if item["keyed"] == "-"]
    # Balanced keying (issue 12): as many admitted faults as claimed virtues, so that
    # agreeing with everything (acquiescence) does not look like faking.
    assert len(virtues) == len(faults) >= 6
    assert all(re.search(r"\b(never|always|every|no customer)\b", i["text"], re.I) for i in virtues)
    assert not any(re.search(r"\b(never|always|every)\b", i["text"], re.I) for i in faults)
    assert len(attention) >= 2
    labels = questionnaire["scale"]["labels"]
    for item in attention:
        expect = item["expect"]
        assert type(expect) is not bool
        assert 1 <= expect <= 5
        assert f"choose {labels[expect - 1]}" in item["text"], item["id"]
    assert len({item["expect"] for item in attention}) >= 2


def test_provisional_norms_for_every_trait(questionnaire: dict[str, Any]) -> None:
    norms = questionnaire["norms"]
    assert norms["provisional"] is True
    assert norms["n"] == 0
    assert "provisional" in norms["source"]
    trait_ids = {trait["id"] for trait in questionnaire["traits"]}
    assert set(norms["traits"]) == trait_ids
    for trait, norm in norms["traits"].items():
        assert 1.5 <= norm["mean"] <= 4.5, trait
        assert 0.4 <= norm["sd"] <= 0.9, trait
    # Need for approval is the trait people deny; comfort asking is the widest-spread.
    means = {trait: norm["mean"] for trait, norm in norms["traits"].items()}
    assert means["need_for_approval"] == min(means.values())
    assert len(set(means.values())) >= 6


def test_role_targets(questionnaire: dict[str, Any]) -> None:
    roles = questionnaire["roles"]
    trait_ids = {trait["id"] for trait in questionnaire["traits"]}
    assert set(roles) == ROLE_IDS
    for role_id, role in roles.items():
        assert role["name"].strip()
        assert role["description"].strip()
        assert set(role["targets"]) <= trait_ids, role_id
        for target in role["targets"].values():
            assert target["direction"] in {"at_least", "at_most", "near"}
            assert 20 <= target["t"] <= 80
            assert target["weight"] in {1, 2, 3}
    farmer = roles["farmer"]["targets"]
    hunter = roles["hunter"]["targets"]
    taker = roles["order_taker"]["targets"]
    assert farmer["need_for_approval"]["direction"] == "at_most"
    assert farmer["need_for_approval"]["t"] <= 45
    for trait in ("comfort_asking", "proactivity", "account_planning", "account_strategy"):
        assert farmer[trait]["direction"] == "at_least", trait
        assert farmer[trait]["t"] >= 55, trait
    for trait in ("prospecting_drive", "rejection_resistance", "closing_urgency"):
        assert hunter[trait]["direction"] == "at_least", trait
        assert hunter[trait]["t"] >= 55, trait
    assert hunter["need_for_approval"]["direction"] == "at_most"
    # The order-taker profile is the farmer's mirror on asking and closing.
    assert taker["relationship_nurturing"]["direction"] == "at_least"
    assert taker["need_for_approval"]["direction"] == "at_least"
    for trait in ("comfort_asking", "closing_urgency", "proactivity"):
        assert taker[trait]["direction"] == "at_most"
        assert taker[trait]["t"] < farmer[trait]["t"]
    assert any(t["direction"] == "near" for t in roles["hybrid"]["targets"].values())


def test_interpretation_for_every_trait_and_band(questionnaire: dict[str, Any]) -> None:
    interpretation = questionnaire["interpretation"]
    assert set(interpretation) == {trait["id"] for trait in questionnaire["traits"]}
    for trait, bands in interpretation.items():
        assert set(bands) == {"low", "average", "high"}, trait
        assert all(isinstance(text, str) and len(text.split()) >= 10 for text in bands.values())


# ---------------------------------------------------------------- examples/answers.csv


@pytest.fixture(scope="module")
def make_answers() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_answers", EXAMPLES / "make_answers.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def answers_text() -> str:
    return (EXAMPLES / "answers.csv").read_bytes().decode("utf-8")


def test_example_answers_are_reproducible(
    make_answers: ModuleType, questionnaire: dict[str, Any], answers_text: str
) -> None:
    generated: str = make_answers.generate(questionnaire, make_answers.DEFAULT_SEED)
    assert generated == answers_text
    assert make_answers.generate(questionnaire, make_answers.DEFAULT_SEED + 1) != answers_text


def test_main_writes_the_same_file(
    make_answers: ModuleType, answers_text: str, tmp_path: Path
) -> None:
    target = tmp_path / "answers.csv"
    assert make_answers.main(["-o", str(target)]) == 0
    assert target.read_bytes().decode("utf-8") == answers_text


def test_example_answers_look_like_real_data(
    questionnaire: dict[str, Any], items: list[dict[str, Any]], answers_text: str
) -> None:
    rows = list(csv.DictReader(io.StringIO(answers_text)))
    header = answers_text.split("\n", 1)[0].split(",")
    assert header == ["candidate_id", "name", "role", *(item["id"] for item in items)]
    assert len(rows) >= 40
    assert len({row["candidate_id"] for row in rows}) == len(rows)
    assert {row["role"] for row in rows} == ROLE_IDS
    matrix = np.array([[float(row[item["id"]] or "nan") for item in items] for row in rows])
    for column, item in enumerate(items):
        answered = matrix[~np.isnan(matrix[:, column]), column]
        top = len(item["options"]) if item["type"] == "situational" else 5
        assert np.all((answered >= 1) & (answered <= top) & (answered == np.round(answered)))

    attention = [c for c, item in enumerate(items) if item.get("validity") == "attention_check"]
    expected = np.array([items[c]["expect"] for c in attention])
    failures = (matrix[:, attention] != expected).sum(axis=1)
    assert 4 <= np.count_nonzero(failures) <= len(rows) // 5
    assert 2 <= np.count_nonzero(np.isnan(matrix).any(axis=1)) <= 4

    # A trait with under 70 % of its items answered exists (an insufficient score to show).
    money = [c for c, item in enumerate(items) if item.get("trait") == "money_comfort"]
    assert np.any(np.isnan(matrix[:, money]).sum(axis=1) > 0.3 * len(money))

    # Attentive candidates give reliable scales: Cronbach's alpha per trait 0.7-0.95.
    attentive = matrix[(failures == 0) & ~np.isnan(matrix).any(axis=1)]
    for trait in REQUIRED_TRAITS:
        columns = [c for c, item in enumerate(items) if item.get("trait") == trait]
        keyed = attentive[:, columns].copy()
        reverse = [k for k, c in enumerate(columns) if items[c]["keyed"] == "-"]
        keyed[:, reverse] = 6 - keyed[:, reverse]
        k = len(columns)
        item_variance = keyed.var(axis=0, ddof=1).sum()
        alpha = k / (k - 1) * (1 - item_variance / keyed.sum(axis=1).var(ddof=1))
        assert 0.7 <= alpha <= 0.95, f"{trait}: alpha {alpha:.2f}"


# ------------------------------------------------- through the model and the scorer


def test_bundled_questionnaire_validates_with_the_model(items: list[dict[str, Any]]) -> None:
    q = load_questionnaire()
    assert q.id == "sales-traits"
    assert [item.id for item in q.items] == [item["id"] for item in items]
    assert list(q.sections()) == [
        "mindset",
        "conversations",
        "accounts",
        "new_business",
        "money",
        "situations",
    ]
    assert all(len(q.likert_items_of(trait)) == 9 for trait in REQUIRED_TRAITS)
    assert q.norms is not None
    assert q.norms.provisional


def test_example_answers_show_every_feature(make_answers: ModuleType) -> None:
    q = load_questionnaire()
    profiles = score_answers(q, read_answers_csv(EXAMPLES / "answers.csv", q))
    specs = make_answers.candidate_specs(make_answers.DEFAULT_SEED)
    assert [p.candidate.id for p in profiles] == [f"c-{k + 1:03d}" for k in range(len(specs))]
    careless = set(make_answers.CARELESS_STYLES)

    def flags(k: int) -> set[str]:
        return {flag.code for flag in profiles[k].red_flags}

    for k, spec in enumerate(specs):
        norms = profiles[k].norms
        assert norms is not None
        assert norms.provisional
        assert ("careless_responding" in flags(k)) == (spec.style in careless), k
        assert ("socially_desirable_responding" in flags(k)) >= (spec.style == "faker"), k
        insufficient = {t for t, s in profiles[k].traits.items() if s.status == "insufficient"}
        assert insufficient == ({"money_comfort"} if spec.style == "skip_money" else set()), k

    attentive = [k for k, spec in enumerate(specs) if spec.style in {"attentive", "skip_scattered"}]
    for archetype in ("hunter", "farmer", "order_taker"):
        mine = [k for k in attentive if specs[k].archetype == archetype]
        matching = sum(profiles[k].best_fit == archetype for k in mine)
        assert matching >= 0.8 * len(mine), archetype

    warned = [k for k in attentive if "likely_order_taker_as_farmer" in flags(k)]
    assert {specs[k].archetype for k in warned} == {"order_taker"}
    assert sum(specs[k].role == "farmer" for k in warned) >= 3


def _bundled_model() -> Questionnaire:
    return load_questionnaire()


def test_option_length_carries_no_information() -> None:
    # Issue 12: in scorer 1.1 the most desirable option was the longest in 14 of 15 items.
    q = _bundled_model()
    desirable = desirable_direction(q)
    longest_is_best = 0
    for item in q.situational_items():
        lengths = [len(option.text) for option in item.options]
        assert max(lengths) - min(lengths) <= 0.1 * min(lengths), item.id  # matched lengths
        value = [sum(w * desirable[t] for t, w in o.weights.items()) for o in item.options]
        longest_is_best += int(np.argmax(lengths) == np.argmax(value))
    # With four or five options, chance alone makes the longest the best in about 4 of 15.
    assert longest_is_best <= 5


def test_picking_the_longest_option_gains_almost_nothing() -> None:
    q = _bundled_model()
    honest = simulate_responses(q, Population(), 2000, np.random.default_rng(8))
    judgement = trait_arrays(q, honest).judgement
    longest = trait_arrays(q, longest_option_matrix(q)).judgement[0]
    toward = np.array([desirable_direction(q)[trait_id] for trait_id in q.trait_ids()])
    # Scale points toward each trait's desirable end (judgement moves raw by weight × 2 × j).
    gain = q.judgement_weight * 2 * (longest - np.nanmean(judgement, axis=0)) * toward
    # In SD units of a raw score (about 0.45 on 1-5): scorer 1.1 gave +0.13 to +0.71.
    assert np.all(gain / 0.45 < 0.35)
    assert np.mean(gain) / 0.45 < 0.1


def test_need_for_approval_is_weighted_both_ways_and_every_option_has_a_rationale() -> None:
    q = _bundled_model()
    weights = [
        option.weights["need_for_approval"]
        for item in q.situational_items()
        for option in item.options
        if "need_for_approval" in option.weights
    ]
    assert sum(w > 0 for w in weights) >= 5
    assert sum(w < 0 for w in weights) >= 5
    assert all(option.rationale for item in q.situational_items() for option in item.options)
