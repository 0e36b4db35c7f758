"""The sample analysis behind ``assess analyze`` and ``assess norms``, in process."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from assess import scoring
from assess.model import Norms, Questionnaire, TraitNorm
from assess.profiles import load_questionnaire
from assess.psychometrics import CarelessThresholds
from assess.psychometrics_analysis import (
    ANALYSIS_SCHEMA,
    AnalysisOptions,
    analyze_sample,
    sample_norms,
)
from tests.conftest import DATA, REPO_ROOT

MINI = DATA / "assess" / "mini.questionnaire.yaml"


@pytest.fixture(scope="module")
def mini() -> Questionnaire:
    return load_questionnaire(MINI)


def simulated(q: Questionnaire, n: int, seed: int) -> np.ndarray:
    """Answers from one latent level per trait; reverse-keyed items answered reversed."""
    rng = np.random.default_rng(seed)
    trait_index = {t: i for i, t in enumerate(q.trait_ids())}
    levels = rng.normal(size=(n, len(trait_index)))
    columns = []
    for item in q.items:
        if item.type == "situational":
            columns.append(rng.integers(1, len(item.options) + 1, size=n).astype(float))
        elif item.expect is not None:
            columns.append(np.full(n, float(item.expect)))
        else:
            latent = levels[:, trait_index[item.trait]] if item.trait else np.zeros(n)
            sign = -1.0 if item.keyed == "-" else 1.0
            values = np.rint(3 + sign * latent + rng.normal(0, 0.7, size=n))
            columns.append(np.clip(values, 1, 5))
    return np.column_stack(columns)


def test_reverse_keyed_items_are_reversed_before_reliability(mini: Questionnaire) -> None:
    matrix = simulated(mini, 80, seed=1)
    ids = [f"r{i}" for i in range(80)]
    analysis = analyze_sample(mini, matrix, ids)
    columns = {item_id: i for i, item_id in enumerate(mini.item_ids())}
    frame = pd.DataFrame({c: matrix[:, columns[c]] for c in ("nfa1", "nfa2", "nfa3")})
    frame["nfa2"] = 6 - frame["nfa2"]
    assert analysis.traits["need_for_approval"].alpha == pytest.approx(
        pg.cronbach_alpha(frame)[0], abs=1e-12
    )
    assert analysis.traits["need_for_approval"].alpha > 0.6  # unreversed, it would collapse
    assert analysis.traits["need_for_approval"].items[1].r_drop > 0.3


def test_careless_flags_combine_profile_and_sample_indices(mini: Questionnaire) -> None:
    matrix = simulated(mini, 60, seed=2)
    likert = [i for i, item in enumerate(mini.items) if item.type == "likert"]
    matrix[0, likert] = 5.0  # straight-liner who also fails the attention check (expects 4)
    analysis = analyze_sample(mini, matrix, [f"r{i}" for i in range(60)])
    first = analysis.careless[0]
    assert first.longstring == len(likert)
    assert first.attention_failed == 1
    assert {"attention", "longstring", "low_irv"} <= set(first.flags)
    assert analysis.mahalanobis_df == 12
    assert analysis.flagged == int(analysis.careless_mask().sum())
    loose = analyze_sample(
        mini,
        matrix,
        [f"r{i}" for i in range(60)],
        options=AnalysisOptions(careless=CarelessThresholds(mahalanobis_p=1e-300)),
    )
    assert not any("mahalanobis" in p.flags for p in loose.careless)


def test_analysis_document_is_plain_json(mini: Questionnaire) -> None:
    matrix = simulated(mini, 30, seed=3)
    matrix[:, mini.item_ids().index("clo3")] = 2.0  # an item nobody varies on
    analysis = analyze_sample(mini, matrix, [f"r{i}" for i in range(30)])
    document = json.loads(json.dumps(analysis.to_dict(), allow_nan=False))
    assert document["schema"] == ANALYSIS_SCHEMA
    assert document["questionnaire"] == {"id": "mini-sales", "version": "1.10"}
    clo3 = document["traits"]["closing_urgency"]["items"]["clo3"]
    assert clo3["no_variance"] is True
    assert clo3["r_drop"] is None
    assert clo3["distribution"] == {"1": 0, "2": 30, "3": 0, "4": 0, "5": 0}
    assert document["traits"]["closing_urgency"]["n_items"] == 2
    assert (
        "closing_urgency: Item clo3 has no variance (everybody answered 2)"
        in (document["warnings"][0])
    )


def test_fairness_compares_with_the_largest_group_and_uses_the_norms(
    mini: Questionnaire,
) -> None:
    matrix = simulated(mini, 90, seed=4)
    groups = ["a"] * 40 + ["b"] * 30 + ["c"] * 15 + [""] * 5
    norms = Norms(
        source="test",
        n=90,
        traits={t: TraitNorm(mean=3.0, sd=0.8) for t in mini.trait_ids()},
    )
    analysis = analyze_sample(
        mini, matrix, [f"r{i}" for i in range(90)], groups=groups, group_column="sex", norms=norms
    )
    report = analysis.fairness
    assert report is not None
    assert (report.column, report.reference, report.unlabelled) == ("sex", "a", 5)
    differences = report.traits[0].differences
    assert [(d.group_a, d.group_b, d.n_a, d.n_b) for d in differences] == [
        ("b", "a", 30, 40),
        ("c", "a", 15, 40),
    ]
    raw = scoring.trait_arrays(mini, matrix).raw[:, 0]
    assert differences[0].hedges_g == pytest.approx(
        pg.compute_effsize(raw[40:70], raw[:40], eftype="hedges"), abs=1e-12
    )
    assert [role.role_id for role in report.roles] == list(mini.roles or {})
    t = scoring.norm_scores(mini, scoring.trait_arrays(mini, matrix).raw, norms).t
    _, fit = scoring.role_fit_matrix(mini, t)
    selected_a = int((fit[:40, 0] >= 60).sum())
    assert report.roles[0].groups[0].selected == selected_a


def test_sample_norms_leave_out_the_excluded(mini: Questionnaire) -> None:
    matrix = simulated(mini, 50, seed=5)
    exclude = np.zeros(50, dtype=bool)
    exclude[:10] = True
    built = sample_norms(mini, matrix, source="local", date="2026-11-23", exclude=exclude)
    raw = scoring.trait_arrays(mini, matrix).raw[10:]
    assert built.n == 40
    assert built.questionnaire == mini.ref()
    first = built.traits[mini.trait_ids()[0]]
    assert first.mean == pytest.approx(np.nanmean(raw[:, 0]))
    assert first.sd == pytest.approx(np.nanstd(raw[:, 0], ddof=1))
    assert first.percentiles is not None
    assert first.percentiles[50] == pytest.approx(np.nanmedian(raw[:, 0]))


@pytest.mark.parametrize("module", ["assess.psychometrics", "assess.psychometrics_analysis"])
def test_psychometrics_modules_are_pure(module: str) -> None:
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    loaded = json.loads(result.stdout)
    forbidden = ("rich", "click", "yaml", "textual", "plotext", "assess.fileio", "assess.cli")
    assert [m for m in loaded if m.split(".")[0] in forbidden or m in forbidden] == []
