"""Generate ``examples/answers.csv``: synthetic candidates answering the bundled questionnaire.

Run it from the repository root (``.venv/bin/python examples/make_answers.py``); the same
seed always writes the same bytes. The data come from a latent-trait model so that every
feature of ``assess`` (trait bands, role fit, order-taker warning, red flags, reliability)
shows on real-looking answers; they describe no real person.

The model, per candidate:

* a latent level per trait, in population standard-deviation units (0 = the provisional
  norm mean): the archetype's mean below plus N(0, ``LATENT_NOISE_SD``) person noise;
* a Likert answer = round(clip(centre + loading × latent + N(0, ``RESPONSE_NOISE_SD``)))
  with a loading drawn per item in ``LOADING_RANGE`` and centre = the trait's provisional
  norm mean less the judgement part of the raw score of someone choosing situational options
  at random (so a candidate at latent 0 lands on the norm mean); a reverse-keyed ("-") item
  is mirrored (min + max − x);
* a situational choice by softmax over the options' utilities Σ weight × latent, scaled by
  ``JUDGEMENT_SENSITIVITY``;
* social-desirability items from a separate latent (honest candidates mostly disagree);
* attention checks answered as asked by every attentive candidate.

Archetype means (SD units; need_for_approval is the risk trait, so "low" is good there)::

    trait                   hunter  farmer  order_taker  hybrid  faker
    need_for_approval        -0.8    -0.6      +1.4       -0.4   -1.5
    rejection_resistance     +1.2    +0.5      -0.7       +0.2   +1.5
    closing_urgency          +1.2    +0.5      -1.5       +0.1   +1.5
    emotional_control        +0.8    +0.6      -0.1       +0.2   +1.5
    listening_questioning    -0.3    +0.8      +0.2       +0.2   +1.5
    proactivity              +0.3    +1.1      -1.0       +0.1   +1.5
    comfort_asking           +0.8    +1.0      -1.5       +0.1   +1.5
    relationship_nurturing   -0.6    +0.8      +1.5       +0.5   +1.5
    prospecting_drive        +1.4    -0.2      -0.8       +0.3   +1.5
    account_planning         -0.6    +1.1      -0.4       +0.2   +1.5
    money_comfort            +0.6    +0.6      -0.9       +0.2   +1.5
    account_strategy         -0.2    +1.1      -0.6       +0.1   +1.5

Response styles on top of the archetypes: ``attentive`` (the model above),
``skip_scattered`` (four items of different traits left blank), ``skip_money`` (four
money_comfort items left blank, so that trait has too few answers), ``faker`` (faking good:
the desirable pole everywhere, low noise, endorses the social-desirability items) and four
careless styles that ignore the content: ``straight_line`` (Agree to everything),
``random`` (uniform answers), ``sawtooth`` (1-2-3-4-5-4-3-2-... pattern) and
``acquiescent`` (Agree or Strongly agree at random, whatever the keying).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import as_file
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from assess.calibration import ARCHETYPE_MEANS as CALIBRATION_MEANS
from assess.calibration import TRAIT_ORDER
from assess.fileio import RepfitError, atomic_write, load_yaml
from questionnaires import bundled

DEFAULT_SEED = 20261123
"""Seed used for the committed ``examples/answers.csv``."""

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "answers.csv"
"""Where :func:`main` writes the CSV unless told otherwise."""

LATENT_NOISE_SD = 0.5
"""Person-level spread around the archetype mean (population SD units)."""

RESPONSE_NOISE_SD = 0.8
"""Item-level answer noise (scale points) for attentive candidates."""

FAKER_RESPONSE_NOISE_SD = 0.5
"""Item-level answer noise for the faker, who answers in a deliberate, polished way."""

LOADING_RANGE = (0.7, 0.9)
"""Range of the per-item loading (scale points per latent SD), drawn uniformly per item."""

JUDGEMENT_SENSITIVITY = 1.5
"""Softmax inverse temperature for situational choices (per unit of Σ weight × latent)."""

DESIRABILITY_CENTRE = 1.8
"""Expected answer of an average honest candidate to a social-desirability item."""

DESIRABILITY_LOADING = 0.6
"""Scale points per SD of the social-desirability latent."""

FAKER_DESIRABILITY_LATENT = 4.0
"""The faker's social-desirability latent (SD units): agrees with the implausible claims."""

ARCHETYPE_MEANS: dict[str, tuple[float, ...]] = {
    **CALIBRATION_MEANS,
    "faker": (-1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5),
}
"""Archetype latent means per trait, in :data:`TRAIT_ORDER` (see the module docstring)."""

Style = Literal[
    "attentive",
    "skip_scattered",
    "skip_money",
    "faker",
    "straight_line",
    "random",
    "sawtooth",
    "acquiescent",
]
CARELESS_STYLES: frozenset[Style] = frozenset(
    ("straight_line", "random", "sawtooth", "acquiescent")
)


@dataclass(frozen=True)
class CandidateSpec:
    """One synthetic candidate before answers are drawn."""

    archetype: str
    """Key of :data:`ARCHETYPE_MEANS` the latent traits are drawn around."""
    role: str
    """Role applied for (a role id of the questionnaire)."""
    style: Style = "attentive"
    """How the candidate answers (see the module docstring)."""


def _repeat(archetype: str, role: str, count: int) -> list[CandidateSpec]:
    return [CandidateSpec(archetype, role) for _ in range(count)]


ROSTER: tuple[CandidateSpec, ...] = (
    *_repeat("hunter", "hunter", 7),
    CandidateSpec("hunter", "hunter", "skip_scattered"),
    *_repeat("hunter", "hybrid", 2),
    *_repeat("farmer", "farmer", 9),
    CandidateSpec("farmer", "farmer", "skip_money"),
    *_repeat("farmer", "hybrid", 2),
    *_repeat("order_taker", "farmer", 6),
    *_repeat("order_taker", "order_taker", 4),
    *_repeat("hybrid", "hybrid", 5),
    CandidateSpec("hybrid", "hunter"),
    CandidateSpec("hybrid", "farmer"),
    CandidateSpec("hybrid", "farmer", "straight_line"),
    CandidateSpec("hunter", "hunter", "random"),
    CandidateSpec("hybrid", "hybrid", "sawtooth"),
    CandidateSpec("farmer", "farmer", "acquiescent"),
    CandidateSpec("faker", "farmer", "faker"),
)
"""Who is in the example file (44 candidates); shuffled with the seed before ids are given."""

NAMES = (
    "Amira Haddad", "Bram de Vries", "Carla Mendes", "Dmitri Volkov", "Elin Sandberg",
    "Femi Adeyemi", "Grace O'Neill", "Hiroshi Tanaka", "Ines Duarte", "Jonas Keller",
    "Kavya Raman", "Liam Gallagher-Stone", "Maja Kowalska", "Nikhil Batra", "Olivia Brandt",
    "Pablo Herrera", "Quinn Morales", "Rosa Lindqvist", "Samuel Okoro", "Tanja Petrović",
    "Umar Siddiqui", "Vera Novak", "Wen Li", "Xavier Dubois", "Yasmin El-Sayed",
    "Zoltan Farkas", "Aoife Byrne", "Bilal Qureshi", "Chloé Martin", "Daniel Eriksen",
    "Esra Yilmaz", "Felix Hoffmann", "Gabriela Souza", "Hamza Benali", "Ingrid Olsen",
    "Jakub Novotný", "Keiko Sato", "Lucas Moreau", "Mariam Nasser", "Noah Fischer",
    "Oona Virtanen", "Priya Nair", "Rafael Ortega", "Sofia Russo",
)  # fmt: skip
"""Invented names, given in candidate-id order."""

SKIPPED_ITEMS = 4
"""Items left blank by the two ``skip_*`` candidates."""

Matrix = NDArray[np.float64]


def _softmax_choice(utilities: Matrix, uniforms: Matrix) -> NDArray[np.int64]:
    """Option index per row, drawn by inverse CDF of softmax(utilities) with one uniform each."""
    shifted = np.exp(utilities - utilities.max(axis=1, keepdims=True))
    cumulative = np.cumsum(shifted / shifted.sum(axis=1, keepdims=True), axis=1)
    below: NDArray[np.int64] = np.count_nonzero(cumulative < uniforms[:, None], axis=1)
    chosen: NDArray[np.int64] = np.minimum(below, utilities.shape[1] - 1)
    return chosen


def _chance_judgement(items: Sequence[Mapping[str, Any]], trait_ids: Sequence[str]) -> Matrix:
    """Judgement score per trait of someone choosing every situational option at random.

    A candidate at latent 0 chooses uniformly, so subtracting this (scaled) from the norm mean
    gives the Likert centre at which an average candidate's raw score lands on the norm mean.
    """
    expected = np.zeros(len(trait_ids))
    best = np.zeros(len(trait_ids))
    for item in items:
        if item["type"] != "situational":
            continue
        weights = np.array(
            [[float(option["weights"].get(t, 0)) for t in trait_ids] for option in item["options"]]
        )
        used = np.any(weights != 0, axis=0)
        expected += np.where(used, weights.mean(axis=0), 0.0)
        best += np.where(used, weights.max(axis=0), 0.0)
    chance: Matrix = np.divide(expected, best, out=np.zeros_like(expected), where=best > 0)
    return chance


def _careless_answers(
    style: Style, items: Sequence[Mapping[str, Any]], low: int, high: int, rng: np.random.Generator
) -> list[int]:
    """Answers that ignore the content: one per item, situational ones as option numbers."""
    answers: list[int] = []
    cycle = [*range(low, high + 1), *range(high - 1, low, -1)]
    for position, item in enumerate(items):
        if item["type"] == "situational":
            count = len(item["options"])
            if style == "straight_line":
                answers.append(1)
            elif style == "sawtooth":
                answers.append(position % count + 1)
            else:
                answers.append(int(rng.integers(1, count + 1)))
        elif style == "straight_line":
            answers.append(min(high, low + 3))
        elif style == "sawtooth":
            answers.append(cycle[position % len(cycle)])
        elif style == "acquiescent":
            answers.append(int(rng.integers(high - 1, high + 1)))
        else:
            answers.append(int(rng.integers(low, high + 1)))
    return answers


def _shuffled_roster(rng: np.random.Generator) -> list[CandidateSpec]:
    """:data:`ROSTER` in the order of the CSV rows (the generator's first draw)."""
    return [ROSTER[int(i)] for i in rng.permutation(len(ROSTER))]


def candidate_specs(seed: int = DEFAULT_SEED) -> list[CandidateSpec]:
    """Who each row of the CSV written with ``seed`` is: row ``k`` is candidate ``c-{k+1:03d}``."""
    return _shuffled_roster(np.random.default_rng(seed))


def generate(questionnaire_data: Mapping[str, Any], seed: int = DEFAULT_SEED) -> str:
    """The answers CSV text for :data:`ROSTER` answering ``questionnaire_data`` (parsed YAML)."""
    rng = np.random.default_rng(seed)
    low = int(questionnaire_data["scale"]["min"])
    high = int(questionnaire_data["scale"]["max"])
    items: list[Mapping[str, Any]] = list(questionnaire_data["items"])
    norms = (questionnaire_data.get("norms") or {}).get("traits", {})
    trait_ids = [trait["id"] for trait in questionnaire_data["traits"]]
    trait_index = {trait_id: position for position, trait_id in enumerate(trait_ids)}
    norm_means = np.array(
        [float(norms.get(t, {}).get("mean", (low + high) / 2)) for t in trait_ids]
    )
    judgement_weight = float(questionnaire_data.get("judgement_weight", 0.25))
    centres = norm_means - judgement_weight * (high - low) / 2 * _chance_judgement(items, trait_ids)
    roster = _shuffled_roster(rng)
    n = len(roster)

    means = np.array(
        [
            [
                ARCHETYPE_MEANS[spec.archetype][TRAIT_ORDER.index(t)] if t in TRAIT_ORDER else 0.0
                for t in trait_ids
            ]
            for spec in roster
        ]
    )
    latent = means + rng.normal(0.0, LATENT_NOISE_SD, size=means.shape)
    is_faker = np.array([spec.style == "faker" for spec in roster])
    desirability = rng.normal(0.0, 1.0, size=n)
    desirability[is_faker] = FAKER_DESIRABILITY_LATENT
    response_sd = np.where(is_faker, FAKER_RESPONSE_NOISE_SD, RESPONSE_NOISE_SD)

    values = np.full((n, len(items)), np.nan)
    for column, item in enumerate(items):
        if item["type"] == "situational":
            weights = np.array(
                [
                    [float(option["weights"].get(t, 0)) for t in trait_ids]
                    for option in item["options"]
                ]
            )
            utilities = JUDGEMENT_SENSITIVITY * (latent @ weights.T)
            values[:, column] = _softmax_choice(utilities, rng.random(n)) + 1
        elif item.get("validity") == "attention_check":
            values[:, column] = int(item["expect"])
        elif item.get("validity") == "social_desirability":
            noise = rng.normal(0.0, 1.0, size=n) * response_sd
            keyed = DESIRABILITY_CENTRE + DESIRABILITY_LOADING * desirability + noise
            # A reverse-keyed desirability item admits a common fault: agreeing is honest.
            values[:, column] = keyed if item.get("keyed", "+") == "+" else low + high - keyed
        elif item.get("trait") in trait_index:
            position = trait_index[item["trait"]]
            loading = rng.uniform(*LOADING_RANGE)
            noise = rng.normal(0.0, 1.0, size=n) * response_sd
            keyed = centres[position] + loading * latent[:, position] + noise
            values[:, column] = keyed if item.get("keyed", "+") == "+" else low + high - keyed
    likert = np.array([item["type"] == "likert" for item in items])
    values[:, likert] = np.clip(np.rint(values[:, likert]), low, high)

    rows: list[list[str]] = []
    for row, spec in enumerate(roster):
        answers: list[int | None] = [int(v) for v in values[row]]
        if spec.style in CARELESS_STYLES:
            answers = list(_careless_answers(spec.style, items, low, high, rng))
        elif spec.style == "skip_money":
            money = [c for c, item in enumerate(items) if item.get("trait") == "money_comfort"]
            for column in rng.choice(money, size=min(SKIPPED_ITEMS, len(money)), replace=False):
                answers[int(column)] = None
        elif spec.style == "skip_scattered":
            by_trait: dict[str, list[int]] = {}
            for c, item in enumerate(items):
                if item.get("trait"):
                    by_trait.setdefault(str(item["trait"]), []).append(c)
            chosen = rng.choice(
                len(by_trait), size=min(SKIPPED_ITEMS, len(by_trait)), replace=False
            )
            for trait_position in chosen:
                columns = list(by_trait.values())[int(trait_position)]
                answers[columns[int(rng.integers(len(columns)))]] = None
        rows.append(
            [
                f"c-{row + 1:03d}",
                NAMES[row % len(NAMES)],
                spec.role,
                *("" if answer is None else str(answer) for answer in answers),
            ]
        )

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["candidate_id", "name", "role", *(str(item["id"]) for item in items)])
    writer.writerows(rows)
    return buffer.getvalue()


def load_bundled_questionnaire(questionnaire_id: str = "sales-traits") -> Any:
    """The parsed YAML of a bundled questionnaire (plain data, before model validation)."""
    with as_file(bundled(questionnaire_id)) as path:
        return load_yaml(path, what="questionnaire").data


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the example answers CSV."""
    parser = argparse.ArgumentParser(description="Write synthetic example answers (CSV).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--questionnaire", type=Path, default=None, help="questionnaire YAML (default: bundled)"
    )
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="CSV to write")
    args = parser.parse_args(argv)
    try:
        data = (
            load_bundled_questionnaire()
            if args.questionnaire is None
            else load_yaml(args.questionnaire, what="questionnaire").data
        )
        atomic_write(args.output, generate(data, args.seed))
    except RepfitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(ROSTER)} candidates to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
