"""``assess analyze`` and ``assess norms`` end to end, checked against pingouin and by hand."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import yaml

from assess.cli import main
from assess.profiles import load_questionnaire
from tests.conftest import EXAMPLES, REPO_ROOT, CliRunner

ANSWERS = EXAMPLES / "answers.csv"
CARELESS_EXAMPLES = {"c-015", "c-016", "c-025", "c-034"}  # the generator's careless styles

SEVEN_POINT = """\
schema: repfit.questionnaire/1
id: seven
version: "2.0"
title: Seven-point instrument
scale: {min: 1, max: 7}
traits:
  - {id: drive, name: Drive}
  - {id: calm, name: Calm}
  - {id: warmth, name: Warmth}
items:
  - {id: d1, type: likert, trait: drive, text: "I start things."}
  - {id: d2, type: likert, trait: drive, keyed: "-", text: "I wait to be asked."}
  - {id: d3, type: likert, trait: drive, text: "I push on."}
  - {id: d4, type: likert, trait: drive, keyed: "-", text: "I let things slide."}
  - {id: c1, type: likert, trait: calm, text: "I stay calm."}
  - {id: c2, type: likert, trait: calm, keyed: "-", text: "I get upset."}
  - {id: c3, type: likert, trait: calm, text: "I keep my head."}
  - {id: c4, type: likert, trait: calm, keyed: "-", text: "I panic."}
  - {id: w1, type: likert, trait: warmth, text: "I like people."}
  - {id: w2, type: likert, trait: warmth, keyed: "-", text: "People tire me."}
  - {id: w3, type: likert, trait: warmth, text: "I help others."}
  - {id: w4, type: likert, trait: warmth, keyed: "-", text: "I keep to myself."}
validity: {consistency_pairs: [[d1, d3], [c1, c3], [w1, w3]]}
"""


@pytest.fixture(scope="module")
def seven_point(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 1–7 questionnaire without norms and 150 simulated respondents with a gender column."""
    folder = tmp_path_factory.mktemp("seven")
    questionnaire = folder / "seven.questionnaire.yaml"
    questionnaire.write_text(SEVEN_POINT, encoding="utf-8")
    rng = np.random.default_rng(2026)
    n = 150
    traits = rng.normal(size=(n, 3))
    keys = np.array([1, -1, 1, -1] * 3)
    latent = np.repeat(traits, 4, axis=1) * keys
    answers = np.clip(np.rint(4 + 1.2 * latent + rng.normal(0, 0.9, size=(n, 12))), 1, 7)
    answers[0] = 7  # a straight-liner
    answers[5, 2] = np.nan
    ids = ["d1", "d2", "d3", "d4", "c1", "c2", "c3", "c4", "w1", "w2", "w3", "w4"]
    path = folder / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate_id", "gender", *ids])
        for row in range(n):
            cells = ["" if np.isnan(v) else str(int(v)) for v in answers[row]]
            writer.writerow(
                [f"p{row:03d}", ["f", "m", ""][row % 3 if row < 9 else row % 2], *cells]
            )
    return questionnaire, path


def run(capsys: pytest.CaptureFixture[str], *args: Any) -> tuple[int, str, str]:
    """Run ``assess`` in this process (same entry point as the console script)."""
    capsys.readouterr()
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *args: Any) -> dict[str, Any]:
    code, out, err = run(capsys, "analyze", *args, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def keyed_frame(path: Path, questionnaire: str | Path | None) -> pd.DataFrame:
    q = load_questionnaire(questionnaire)
    frame = pd.read_csv(path, dtype={"candidate_id": str})
    for item in q.likert_items():
        if item.keyed == "-":
            frame[item.id] = q.scale.min + q.scale.max - frame[item.id]
    return frame


def test_analyze_json_follows_the_contract_and_matches_pingouin(
    assess_inproc: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "analysis.json"
    result = assess_inproc("analyze", ANSWERS, "--format", "json", "-o", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"wrote the analysis of 44 respondents to {target}\n"
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["schema"] == "repfit.analysis/1"
    assert data["questionnaire"] == {"id": "sales-traits", "version": "1.0.0"}
    assert data["respondents"] == 44
    assert data["norms"]["provisional"] is True
    assert "must not replace, a structured hiring decision" in data["note"]
    frame = keyed_frame(ANSWERS, None)
    q = load_questionnaire()
    assert list(data["traits"]) == q.trait_ids()
    for trait_id, trait in data["traits"].items():
        assert set(trait) >= {
            "n", "n_items", "alpha", "alpha_ci95", "alpha_standardized", "omega_total",
            "mean_inter_item_r", "items",
        }  # fmt: skip
        columns = [item.id for item in q.likert_items_of(trait_id)]
        alpha, ci = pg.cronbach_alpha(frame[columns])
        assert trait["alpha"] == pytest.approx(alpha, abs=1e-6)
        assert np.round(trait["alpha_ci95"], 3).tolist() == pytest.approx(ci.tolist(), abs=1e-9)
        for item_id, item in trait["items"].items():
            assert set(item) >= {"n", "mean", "sd", "r_drop", "alpha_if_dropped"}
            assert item["n"] == frame[item_id].count()
            assert item["mean"] == pytest.approx(frame[item_id].mean(), abs=1e-6)
            rest = [c for c in columns if c != item_id]
            dropped = pg.cronbach_alpha(frame[rest])[0]
            assert item["alpha_if_dropped"] == pytest.approx(dropped, abs=1e-6)
            assert sum(item["distribution"].values()) == item["n"]
            assert list(item["distribution"]) == ["1", "2", "3", "4", "5"]
    careless = data["careless"]
    assert set(careless["respondents"]) == set(frame["candidate_id"])
    flagged = {cid for cid, person in careless["respondents"].items() if person["flags"]}
    assert careless["flagged"] == len(flagged)
    assert flagged >= CARELESS_EXAMPLES
    first = careless["respondents"]["c-001"]
    assert set(first) >= {"longstring", "irv", "even_odd", "mahalanobis_d2", "mahalanobis_p"}
    # 44 respondents cannot estimate a 108 × 108 covariance: said, not crashed.
    assert first["mahalanobis_d2"] is None
    assert data["warnings"] == [
        "Mahalanobis distance needs more respondents (44) than trait items (108) plus one; "
        "it is left empty."
    ]


def test_analyze_any_likert_range_with_mahalanobis_and_groups(
    capsys: pytest.CaptureFixture[str], seven_point: tuple[Path, Path]
) -> None:
    questionnaire, answers = seven_point
    data = run_json(capsys, answers, "-q", questionnaire, "--group", "gender")
    assert data["questionnaire"] == {"id": "seven", "version": "2.0"}
    assert data["norms"] is None
    frame = keyed_frame(answers, questionnaire)
    drive = data["traits"]["drive"]
    assert drive["alpha"] == pytest.approx(
        pg.cronbach_alpha(frame[["d1", "d2", "d3", "d4"]])[0], abs=1e-6
    )
    assert list(drive["items"]["d1"]["distribution"]) == [str(v) for v in range(1, 8)]
    assert data["careless"]["mahalanobis_df"] == 12
    straight = data["careless"]["respondents"]["p000"]
    assert straight["longstring"] == 12
    assert "mahalanobis" in straight["flags"]
    assert straight["mahalanobis_p"] < 0.001
    fairness = data["fairness"]
    assert fairness["column"] == "gender"
    assert fairness["unlabelled"] == 3
    assert fairness["reference"] in ("f", "m")
    assert fairness["roles"] == {}
    assert fairness["notes"] == ["No norms: role fit, and so selection rates, cannot be computed."]
    (difference,) = fairness["traits"]["calm"]
    assert difference["n"] + difference["n_reference"] == 147


def test_listwise_uses_complete_respondents(
    capsys: pytest.CaptureFixture[str], seven_point: tuple[Path, Path]
) -> None:
    questionnaire, answers = seven_point
    pairwise = run_json(capsys, answers, "-q", questionnaire, "--group", "gender")
    listwise = run_json(
        capsys, answers, "-q", questionnaire, "--group", "gender", "--missing", "listwise"
    )
    assert (pairwise["traits"]["drive"]["n"], listwise["traits"]["drive"]["n"]) == (150, 149)
    assert listwise["traits"]["calm"]["n"] == 150
    assert listwise["missing"] == "listwise"


def test_thresholds_are_overridable_from_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    default = run_json(capsys, ANSWERS)
    strict = run_json(capsys, ANSWERS, "--even-odd-min", "0.9", "--longstring-run", "5")
    assert strict["careless"]["flagged"] > default["careless"]["flagged"]
    for candidate_id, person in default["careless"]["respondents"].items():
        stricter = set(strict["careless"]["respondents"][candidate_id]["flags"])
        assert ("longstring" in stricter) == (person["longstring"] >= 5)
        even_odd = person["even_odd"]
        assert ("even_odd" in stricter) == (even_odd is not None and even_odd < 0.9)
        assert set(person["flags"]) <= stricter


def test_table_report_says_how_to_use_the_scores(
    capsys: pytest.CaptureFixture[str], seven_point: tuple[Path, Path]
) -> None:
    result_code, result_out, result_err = run(capsys, "analyze", ANSWERS, "--group", "role")
    assert result_code == 0, result_err
    text = result_out
    assert "These scores support, and must not replace, a structured hiring decision" in text
    assert "Norms (PROVISIONAL): provisional expert norms" in text
    assert "Careless responding: " in text
    assert "Selection rates at role fit ≥ 60" in text
    questionnaire, answers = seven_point
    other_code, other_out, _ = run(
        capsys, "analyze", answers, "-q", questionnaire, "--group", "gender"
    )
    assert other_code == 0
    assert "Norms: none (role fit and selection rates need norms)." in other_out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--group", "gender"],
            "error: {answers}: row 1 (header): no column 'gender' for --group; add a column "
            "with one group label per candidate (an empty cell leaves the candidate out).",
        ),
        (
            ["--group", "nfa01"],
            "error: --group nfa01: 'nfa01' is an item or identity column; name a column that "
            "holds group labels (e.g. gender or age_band).",
        ),
    ],
)
def test_analyze_bad_group_column(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    result_code, result_out, result_err = run(capsys, "analyze", ANSWERS, *args)
    assert result_code == 2
    assert result_out == ""
    assert result_err.strip() == message.format(answers=ANSWERS)


def test_analyze_bad_input_exits_2_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    result_code, _result_out, result_err = run(capsys, "analyze", empty)
    assert result_code == 2
    assert result_err.startswith(f"error: {empty}: the answers CSV is empty")
    out_of_range_code, _out_of_range_out, out_of_range_err = run(
        capsys, "analyze", ANSWERS, "--fit-threshold", "150"
    )
    assert out_of_range_code == 2
    assert "150.0 is not in the range 0<=x<=100" in out_of_range_err
    assert "Traceback" not in result_err + out_of_range_err


def test_commands_have_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("analyze", "norms"):
        result_code, result_out, _result_err = run(capsys, command, "--help")
        assert result_code == 0
        assert f"Example: assess {command} " in result_out


# ---------------------------------------------------------------- norms


def test_norms_round_trip_through_assess_score(assess_inproc: CliRunner, tmp_path: Path) -> None:
    norms_path = tmp_path / "acme.norms.yaml"
    result = assess_inproc(
        "norms", ANSWERS, "--source", "Acme sales hires 2026", "--date", "2026-11-23",
        "-o", norms_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        f"wrote norms for 12 traits from 39 respondents to {norms_path} "
        "(5 flagged as careless left out)\n"
        "warning: 39 respondents is a small sample for norms (fewer than 200): the file is "
        "marked provisional: true, and every profile scored with it says so. Collect more "
        "answers and rebuild the norms.\n"
    )
    document = yaml.safe_load(norms_path.read_text(encoding="utf-8"))
    assert document["schema"] == "repfit.norms/1"
    assert document["questionnaire"]["id"] == "sales-traits"
    # 39 people: provisional (issue 12), with each trait's alpha for the SEM.
    assert (document["n"], document["date"], document["provisional"]) == (39, "2026-11-23", True)
    assert 0.7 < document["traits"]["comfort_asking"]["reliability"] < 1
    table = document["traits"]["comfort_asking"]["percentiles"]
    assert [int(rank) for rank in table] == list(range(1, 100))

    scored = assess_inproc("score", ANSWERS, "--norms", norms_path, "--format", "json")
    assert scored.returncode == 0, scored.stderr
    profiles = json.loads(scored.stdout)
    assert {json.dumps(p["norms"], sort_keys=True) for p in profiles} == {
        json.dumps(
            {
                "source": "Acme sales hires 2026",
                "n": 39,
                "date": "2026-11-23",
                "provisional": True,
            },
            sort_keys=True,
        )
    }
    # Norms from these very respondents: their mean T-score is 50 on every trait.
    # c-009 answers attentively but its even-odd index is low by chance, so norms leave it out.
    left_out = CARELESS_EXAMPLES | {"c-009"}
    kept = [p for p in profiles if p["candidate"]["id"] not in left_out]
    for trait_id in document["traits"]:
        values = [
            p["traits"][trait_id]["t"] for p in kept if p["traits"][trait_id]["t"] is not None
        ]
        assert np.mean(values) == pytest.approx(50.0, abs=0.05)  # profiles round T to 0.1


def test_norms_can_include_careless_respondents(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    norms_path = tmp_path / "all.norms.yaml"
    result_code, _result_out, result_err = run(
        capsys, "norms", ANSWERS, "--source", "everyone", "--include-careless", "-o", norms_path
    )
    assert result_code == 0, result_err
    assert yaml.safe_load(norms_path.read_text(encoding="utf-8"))["n"] == 44


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--source", " "], "error: --source is empty; say where the sample comes from."),
        (
            ["--source", "x", "--date", "23/11/2026"],
            "error: --date: expected a date as YYYY-MM-DD; found '23/11/2026'.",
        ),
    ],
)
def test_norms_bad_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], message: str
) -> None:
    target = tmp_path / "n.yaml"
    result_code, _result_out, result_err = run(capsys, "norms", ANSWERS, *extra, "-o", target)
    assert result_code == 2
    assert result_err.strip() == message
    assert not target.exists()


def test_norms_from_too_small_a_sample_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = ANSWERS.read_text(encoding="utf-8").splitlines()
    small = tmp_path / "one.csv"
    small.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    target = tmp_path / "n.yaml"
    result_code, _result_out, result_err = run(
        capsys, "norms", small, "--source", "x", "--include-careless", "-o", target
    )
    assert result_code == 2
    assert result_err.strip() == (
        f"error: {small}: cannot build norms from 1 respondents: trait need_for_approval: "
        "1 score(s); norms need at least two."
    )
    assert not target.exists()


# ---------------------------------------------------------------- README


def readme_block(command: str) -> list[str]:
    """The lines printed under ``$ command`` in the README's reliability section."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Reliability, careless responding, norms and fairness") :]
    start = section.index(f"```console\n$ {command}\n") + len(f"```console\n$ {command}\n")
    block = section[start : section.index("```", start)]
    return [line.rstrip() for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "command",
    ["assess analyze examples/answers.csv", "assess analyze examples/answers.csv --group role"],
)
def test_readme_analyze_output_is_real(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    code, out, _ = run(capsys, *command.split()[1:])
    assert code == 0
    printed = {line.rstrip() for line in out.splitlines()}
    shown = [line for line in readme_block(command) if "…" not in line]
    assert len(shown) > 10
    assert [line for line in shown if line not in printed] == []


def test_an_unknown_column_points_analyze_to_group_but_not_score_or_norms(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    answers = tmp_path / "regions.csv"
    answers.write_text("candidate_id,region,nfa01\nc1,north,3\nc2,south,4\n", encoding="utf-8")
    expected = (
        f"error: {answers}: row 1 (header), column 2: unknown column 'region'; expected "
        "candidate_id, name, role or an item id of sales-traits 1.0.0 (nfa01, nfa02, nfa03, "
        "nfa04, ...)"
    )
    code, out, err = run(capsys, "analyze", answers)
    assert (code, out) == (2, "")
    hint = "; if it holds group labels, analyse by it with --group region."
    assert err.strip() == expected + hint
    for command in (["score", answers], ["norms", answers, "--source", "x", "-o", tmp_path / "n"]):
        code, out, err = run(capsys, *command)
        assert (code, out) == (2, "")
        assert err.strip() == expected + "."
