"""``assess analyze --irt``, ``assess calibrate-irt``, ``assess score --irt`` and their errors.

In-process (``run_inprocess``): nothing here needs a real process, and each fit is the cost.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from assess.irt import GrmItem, simulate_responses
from assess.profiles import load_irt_parameters, load_questionnaire
from tests.assess.helpers import ASSESS_DATA, MINI
from tests.conftest import REPO_ROOT, CliRunner


def _simulated_csv(path: Path, respondents: int = 400, seed: int = 5) -> Path:
    """Answers to the mini questionnaire's trait items from a known graded response model."""
    q = load_questionnaire(MINI)
    rng = np.random.default_rng(seed)
    columns: dict[str, np.ndarray] = {}
    for trait_id in q.trait_ids():
        items = q.likert_items_of(trait_id)
        truth = [GrmItem(1.2 + 0.3 * j, (-1.8, -0.6, 0.4, 1.5)) for j in range(len(items))]
        x = simulate_responses(truth, rng.standard_normal(respondents), rng) + q.scale.min
        for column, item in enumerate(items):
            keyed = x[:, column]
            columns[item.id] = q.scale.min + q.scale.max - keyed if item.keyed == "-" else keyed
    lines = ["candidate_id," + ",".join(columns)]
    for row in range(respondents):
        lines.append(f"s{row}," + ",".join(str(int(v[row])) for v in columns.values()))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _simulated_csv(tmp_path_factory.mktemp("irt") / "sample.csv")


@pytest.fixture(scope="module")
def params_file(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import run_inprocess

    out = tmp_path_factory.mktemp("params") / "mini.irt.yaml"
    result = run_inprocess(
        "assess",
        "calibrate-irt",
        sample,
        "-q",
        MINI,
        "--source",
        "test sample",
        "-o",
        out,
        "--date",
        "2026-11-25",
        "--include-careless",  # 3-item traits: even-odd and synonyms flag half of any sample
    )
    assert result.returncode == 0, result.stderr
    assert "wrote item parameters for 4 traits from 400 respondents" in result.stderr
    return out


def test_analyze_irt_json_has_the_contract_beside_the_traits(
    sample: Path, assess_inproc: CliRunner
) -> None:
    result = assess_inproc("analyze", sample, "-q", MINI, "--irt", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "traits" in data
    assert set(data["irt"]) == set(data["traits"])
    trait = data["irt"]["comfort_asking"]
    assert trait["converged"] is True
    assert isinstance(trait["loglik"], float)
    assert set(trait["items"]) == {"ask1", "ask2", "ask3"}
    for item in trait["items"].values():
        assert item["a"] > 0
        assert item["a_se"] > 0
        assert len(item["b"]) == 4
        assert item["b"] == sorted(item["b"])
    assert set(trait["information"]) == {"-3", "-2", "-1", "0", "1", "2", "3"}
    table = assess_inproc("analyze", sample, "-q", MINI, "--irt")
    assert table.returncode == 0, table.stderr
    assert "Graded response model" in table.stdout
    assert "ask2" in table.stdout


def test_calibrate_irt_writes_a_parameter_file_for_the_questionnaire(params_file: Path) -> None:
    params = load_irt_parameters(params_file)
    q = load_questionnaire(MINI)
    assert params.questionnaire.id == q.id
    assert params.questionnaire.sha256 == q.ref().sha256
    assert params.n == 400
    assert not params.provisional
    assert set(params.traits) == set(q.trait_ids())
    text = params_file.read_text(encoding="utf-8")
    assert text.startswith("schema: repfit.irt/1\nquestionnaire:")


def test_score_with_irt_adds_scores_and_scoring_irt_makes_them_drive(
    params_file: Path, tmp_path: Path, assess_inproc: CliRunner
) -> None:
    answers = ASSESS_DATA / "mini.answers.csv"
    result = assess_inproc("score", answers, "-q", MINI, "--irt", params_file, "--format", "json")
    assert result.returncode == 0, result.stderr
    profiles = json.loads(result.stdout)
    first = profiles[0]
    assert first["irt"]["drives"] is False
    assert first["irt"]["parameters"] == "test sample"
    score = first["irt"]["traits"]["comfort_asking"]
    low, high = score["t_interval"]
    assert low < score["t"] < high
    assert score["t"] == pytest.approx(50 + 10 * score["theta"], abs=0.06)
    assert score["classical_t"] == first["traits"]["comfort_asking"]["t"]
    without = assess_inproc("score", answers, "-q", MINI, "--format", "json")
    assert "irt" not in json.loads(without.stdout)[0]

    # beside the questionnaire as <name>.irt.yaml, with scoring: irt
    folder = tmp_path / "q"
    folder.mkdir()
    text = MINI.read_text(encoding="utf-8") + "scoring: irt\n"
    (folder / "mini.yaml").write_text(text, encoding="utf-8")
    shutil.copy(params_file, folder / "mini.irt.yaml")
    data = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    data["questionnaire"]["sha256"] = load_questionnaire(folder / "mini.yaml").ref().sha256
    (folder / "mini.irt.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    driven = assess_inproc("score", answers, "-q", folder / "mini.yaml", "--format", "json")
    assert driven.returncode == 0, driven.stderr
    profile = json.loads(driven.stdout)[0]
    assert profile["irt"]["drives"] is True
    trait = profile["traits"]["comfort_asking"]
    assert trait["t"] == profile["irt"]["traits"]["comfort_asking"]["t"]


def test_calibrating_too_few_respondents_is_refused(
    tmp_path: Path, assess_inproc: CliRunner
) -> None:
    out = tmp_path / "p.irt.yaml"
    answers = REPO_ROOT / "examples" / "answers.csv"
    result = assess_inproc("calibrate-irt", answers, "--source", "x", "-o", out)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "at least 200" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_parameters_for_other_items_are_refused(
    params_file: Path, tmp_path: Path, assess_inproc: CliRunner
) -> None:
    data = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    data["items_sha256"] = "0" * 64
    bad = tmp_path / "bad.irt.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    answers = ASSESS_DATA / "mini.answers.csv"
    result = assess_inproc("score", answers, "-q", MINI, "--irt", bad)
    assert result.returncode == 2
    assert "items_sha256" in result.stderr
    assert "calibrate-irt" in result.stderr
    data = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    data["traits"]["comfort_asking"]["items"]["ask1"]["b"] = [0.5, 0.2, 0.9, 1.0]
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = assess_inproc("score", answers, "-q", MINI, "--irt", bad)
    assert result.returncode == 2
    assert "ascend" in result.stderr


def test_take_adaptive_without_parameters_says_how_to_get_them(assess_inproc: CliRunner) -> None:
    result = assess_inproc("take", "--questionnaire", MINI, "--adaptive")
    assert result.returncode == 2
    assert "calibrate-irt" in result.stderr


def test_validate_reads_a_parameter_file(params_file: Path, assess_inproc: CliRunner) -> None:
    result = assess_inproc("validate", params_file, "-q", MINI)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok (repfit.irt/1)")
    bundled = REPO_ROOT / "questionnaires" / "sales-traits.irt.yaml"
    assert assess_inproc("validate", bundled).returncode == 0
