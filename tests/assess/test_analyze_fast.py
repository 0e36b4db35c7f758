"""The fast paths of ``assess analyze`` give exactly what the straightforward ones gave.

- the JSON document written column by column (:func:`assess.jsonout.dumps_indented`) is,
  to the byte, ``json.dumps(..., indent=2)`` of the document built record by record;
- a plain answers CSV cut into cells with numpy (:mod:`assess.csvgrid`) reads into the same
  table as the ``csv`` module path, and anything unusual still goes through ``csv``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assess import csvgrid, jsonout
from assess.model import Questionnaire
from assess.profiles import AnswersTable, load_questionnaire, read_answers_table
from assess.psychometrics_analysis import SampleAnalysis, _careless_dict, analyze_sample
from tests.conftest import DATA, CliRunner


@pytest.fixture(scope="module")
def bundled() -> Questionnaire:
    return load_questionnaire()


def _answers(q: Questionnaire, n: int, seed: int) -> np.ndarray:
    """Plausible answers with the edge cases: skips, a blank respondent, one with a single
    answer, straight-liners (flagged), and out-of-pattern answerers (Mahalanobis)."""
    rng = np.random.default_rng(seed)
    low = np.array([q.scale.min if item.type == "likert" else 1 for item in q.items])
    high = np.array(
        [q.scale.max if item.type == "likert" else len(item.options) for item in q.items]
    )
    level = rng.normal(size=(n, 1))
    middle = (low + high) / 2
    matrix: np.ndarray = np.clip(
        np.rint(middle + level + rng.normal(0, 0.8, size=(n, len(q.items)))), low, high
    )
    matrix[rng.random(matrix.shape) < 0.05] = np.nan
    matrix[0] = np.nan  # answered nothing
    matrix[1] = np.nan
    matrix[1, 0] = low[0]  # answered one item
    likert = [i for i, item in enumerate(q.items) if item.type == "likert"]
    matrix[2:5, likert] = q.scale.max  # straight-liners
    matrix[5, likert] = rng.choice([q.scale.min, q.scale.max], size=len(likert))
    return matrix


def _record_by_record(analysis: SampleAnalysis) -> dict[str, Any]:
    """The JSON document as it was built before: one dictionary per respondent."""
    document: dict[str, Any] = analysis.to_dict()
    document["careless"]["respondents"] = {
        person.candidate_id: _careless_dict(person) for person in analysis.careless
    }
    return document


@pytest.mark.parametrize("questionnaire", ["bundled", "mini"])
def test_json_written_by_columns_is_byte_identical(
    questionnaire: str, bundled: Questionnaire
) -> None:
    q = (
        bundled
        if questionnaire == "bundled"
        else load_questionnaire(DATA / "assess" / "mini.questionnaire.yaml")
    )
    n = 300 if questionnaire == "bundled" else 12  # mini: too few for Mahalanobis (nulls)
    matrix = _answers(q, n, seed=7)
    ids = [f"r{i:03d}" for i in range(n)]
    ids[3] = 'Zoë "quoted" \\ tab\t'
    analysis = analyze_sample(q, matrix, ids)
    plain = _record_by_record(analysis)
    expected = jsonout.dumps(plain, indent=2, ensure_ascii=False)
    assert analysis.json_text() == expected
    assert analysis.to_dict() == plain
    people = plain["careless"]["respondents"]
    assert people["r000"]["irv"] is None
    assert people["r001"]["irv"] is None
    assert people[ids[3]]["flags"]
    assert analysis.flagged >= 3
    assert analysis.careless_mask().sum() == analysis.flagged
    if questionnaire == "mini":
        assert all(p["mahalanobis_d2"] is None for p in people.values())
    else:
        assert any(p["mahalanobis_p"] is not None for p in people.values())


def test_dumps_indented_matches_json_dumps_on_edge_cases() -> None:
    records = jsonout.RecordColumns(
        keys=["a", 'q"\\\u2028é', "%s"],
        columns={
            "n": [1, -2, 3],
            "x": [0.1, math.nan, None],
            "big": [1e300, -0.0, 5e-05],
            "flags": [[], ["x", "y"], ["é"]],
            "mixed": [{"a": []}, [1, {}], True],
            "%d": [False, None, "text"],
        },
    )
    data = {
        "a": 1,
        "empty": {},
        "none": [],
        "values": [1.5, None, True, False, "s\x1b", {"k": math.inf}, (1, 2)],
        3: "an int key",
        "records": records,
        "no records": jsonout.RecordColumns(keys=[], columns={}),
    }
    plain: dict[Any, Any] = {**data, "records": records.to_dict(), "no records": {}}
    assert jsonout.dumps_indented(data) == jsonout.dumps(plain, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError):
        jsonout.dumps_indented({"x": object()})


def _write(path: Path, rows: list[list[str]], newline: str = "\n", final: bool = True) -> Path:
    text = newline.join(",".join(row) for row in rows) + (newline if final else "")
    path.write_bytes(text.encode("utf-8"))
    return path


def _read_with_csv(path: Path, q: Questionnaire, **options: Any) -> AnswersTable:
    split = csvgrid.split_plain
    csvgrid.split_plain = lambda text, max_cell: None
    try:
        return read_answers_table(path, q, **options)
    finally:
        csvgrid.split_plain = split


@pytest.mark.parametrize(("newline", "final"), [("\n", True), ("\r\n", False)])
def test_plain_csv_reads_like_the_csv_module(
    bundled: Questionnaire, tmp_path: Path, newline: str, final: bool
) -> None:
    q = bundled
    items = q.item_ids()
    header = ["role", "candidate_id", *items[::-1], "gender", "name"]  # any column order
    matrix = _answers(q, 40, seed=3)
    rows = [header]
    for row in range(len(matrix)):
        cells = ["" if math.isnan(v) else str(int(v)) for v in matrix[row, ::-1]]
        rows.append(["farmer" if row % 3 else "", f" c{row} ", *cells, "fm"[row % 2], f"Zoë {row}"])
    rows[1][2], rows[1][3], rows[1][4] = " 4 ", "+2", "3.0"  # cells the reader also takes
    path = _write(tmp_path / "plain.csv", rows, newline, final)
    assert csvgrid.split_plain(path.read_text(encoding="utf-8"), 131072) is not None
    fast = read_answers_table(path, q, extra_columns=["gender"])
    slow = _read_with_csv(path, q, extra_columns=["gender"])
    assert np.array_equal(fast.matrix, slow.matrix, equal_nan=True)
    assert fast.candidate_ids == slow.candidate_ids == [f"c{row}" for row in range(40)]
    assert fast.extra == slow.extra
    assert [r.candidate for r in fast.respondents] == [r.candidate for r in slow.respondents]
    assert fast.matrix[0, items.index(items[-1])] == 4.0


@pytest.mark.parametrize(
    "text",
    [
        'candidate_id,a\n"x",1\n',  # a quote
        "candidate_id,a\nx,1\ry,2\n",  # a bare CR
        "candidate_id,a\nx,1\n\ny,2\n",  # a blank line
        "candidate_id,a\nx,1,2\n",  # a row too long
        "candidate_id,a\nx\n",  # a row too short
        "candidate_id\nx\n",  # one column
        "candidate_id,a\n",  # no rows
        "candidate_id,a\nx,\x00\n",  # a NUL
    ],
)
def test_anything_unusual_is_left_to_the_csv_module(text: str) -> None:
    assert csvgrid.split_plain(text, 131072) is None


def test_a_cell_longer_than_the_limit_is_left_to_the_csv_module() -> None:
    text = "candidate_id,a\n" + "x," + "1" * 50 + "\n" + "y,2\n" * 10
    assert csvgrid.split_plain(text, 40) is None
    assert csvgrid.split_plain(text, 60) is not None


def test_analyze_command_json_equals_the_record_by_record_document(
    assess_inproc: CliRunner, bundled: Questionnaire, tmp_path: Path
) -> None:
    matrix = _answers(bundled, 200, seed=11)
    rows = [["candidate_id", *bundled.item_ids()]]
    for row in range(len(matrix)):
        rows.append([f"c{row}", *("" if math.isnan(v) else str(int(v)) for v in matrix[row])])
    path = _write(tmp_path / "answers.csv", rows)
    result = assess_inproc("analyze", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    analysis = analyze_sample(bundled, matrix, [f"c{row}" for row in range(len(matrix))])
    expected = jsonout.dumps(_record_by_record(analysis), indent=2, ensure_ascii=False) + "\n"
    assert result.stdout == expected


@pytest.mark.parametrize("digits", [6, 8])
def test_rounded_texts_are_repr_of_round(digits: int) -> None:
    rng = np.random.default_rng(digits)
    magnitudes = 10.0 ** rng.uniform(-12, 12, size=20_000)
    values = np.concatenate(
        [
            magnitudes * rng.choice([-1.0, 1.0], size=magnitudes.size),
            rng.integers(-5, 5, size=200) / 8.0,  # exact halves and quarters
            [0.0, -0.0, math.nan, math.inf, -math.inf, 1e-4, 9.99999e-5, 5e-7, 4.9999e-9],
            [0.5 * 10.0**-digits, 123456789.1234567, 1e7 - 0.5e-8, 0.1 + 0.2],
        ]
    )
    expected = [
        float.__repr__(round(v, digits)) if math.isfinite(v) else "null" for v in values.tolist()
    ]
    assert jsonout.rounded_texts(values, digits) == expected
    repeated = np.concatenate([rng.integers(-40, 40, size=5_000) / 12.0, [math.nan, 0.0]])
    assert jsonout.rounded_texts(repeated, digits) == [  # few distinct values: written once each
        float.__repr__(round(v, digits)) if math.isfinite(v) else "null" for v in repeated.tolist()
    ]


def _straightforward(q: Questionnaire, matrix: np.ndarray) -> tuple[dict[str, Any], Any, Any]:
    """Reliability, per-person indicators and Mahalanobis distance of the whole matrix at
    once, through the plain functions (no blocks, no shared moments)."""
    from assess import psychometrics as psy
    from assess import scoring
    from assess.psychometrics_analysis import _trait_columns

    keyed = scoring.keyed_likert_matrix(q, matrix)
    columns = _trait_columns(q)
    ids = q.item_ids()
    values = list(range(q.scale.min, q.scale.max + 1))
    traits = {
        trait_id: psy.scale_reliability(
            keyed[:, cols], [ids[c] for c in cols], answer_values=values
        )
        for trait_id, cols in columns.items()
    }
    per_person = scoring.validity_arrays(q, matrix, None, keyed=keyed, faking=False)
    distance = psy.mahalanobis(keyed[:, [c for cols in columns.values() for c in cols]])
    return traits, per_person, distance


def test_blocks_and_shared_moments_give_the_straightforward_figures(
    bundled: Questionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """analyze_sample works in blocks of rows and takes every trait's reliability from one
    set of moments of all trait items: the same figures as each function on the whole
    matrix (per-person ones exactly, sums to round-off), with blocks of 64 rows here."""
    from assess import psychometrics as psy
    from assess import scoring
    from assess.psychometrics_analysis import _trait_columns

    q = bundled
    matrix = _answers(q, 500, seed=11)
    likert = [i for i, item in enumerate(q.items) if item.type == "likert"]
    matrix[6, likert[:60]] = np.nan  # skipped many items: measured on its own answer pattern
    matrix[7, likert[3]] = 2.5  # off the scale's whole points: counted the plain way
    traits, per_person, distance = _straightforward(q, matrix)
    monkeypatch.setattr(psy, "BLOCK_ROWS", 64)
    analysis = analyze_sample(q, matrix, [f"r{i}" for i in range(len(matrix))])

    for trait_id, expected in traits.items():
        got = analysis.traits[trait_id]
        assert (got.n, got.n_items, got.warnings) == (
            expected.n,
            expected.n_items,
            expected.warnings,
        )
        figures = ["alpha", "alpha_standardized", "omega_total", "mean_inter_item_r"]
        for name in figures:
            assert getattr(got, name) == pytest.approx(getattr(expected, name), rel=1e-10)
        assert got.alpha_ci95 == pytest.approx(expected.alpha_ci95, rel=1e-10)
        for item, reference in zip(got.items, expected.items, strict=True):
            assert (item.item_id, item.n, item.distribution, item.no_variance) == (
                reference.item_id,
                reference.n,
                reference.distribution,
                reference.no_variance,
            )
            for name in ("mean", "sd", "r_drop", "alpha_if_dropped"):
                assert getattr(item, name) == pytest.approx(
                    getattr(reference, name), rel=1e-10, nan_ok=True
                )
    people = analysis.per_respondent
    np.testing.assert_array_equal(people.longstring, per_person.longstring)
    np.testing.assert_array_equal(people.irv, per_person.irv)
    np.testing.assert_array_equal(
        people.consistency_disagreement, per_person.consistency_disagreement
    )
    np.testing.assert_array_equal(people.attention_failed, per_person.attention_checks_failed)
    keyed = scoring.keyed_likert_matrix(q, matrix)
    scales = [cols for cols in _trait_columns(q).values() if cols]
    np.testing.assert_array_equal(people.even_odd, psy.even_odd_consistency(keyed, scales))
    np.testing.assert_allclose(people.mahalanobis_d2, distance.d2, rtol=1e-10)
    np.testing.assert_allclose(people.mahalanobis_p, distance.p, rtol=1e-9, atol=1e-300)
    assert analysis.mahalanobis_df == distance.df
    assert np.isnan(people.mahalanobis_d2[0])  # answered nothing
    assert np.isfinite(people.mahalanobis_d2[6])
    odd_item = next(
        item
        for result in analysis.traits.values()
        for item in result.items
        if item.item_id == q.items[likert[3]].id
    )
    assert sum(odd_item.distribution.values()) == odd_item.n  # the 2.5 is counted too
