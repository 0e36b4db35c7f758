"""Readers and writers: answers YAML and CSV, profiles, norms, safe file names, exports."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from assess.errors import AssessError
from assess.fileio import FileFormatError, RepfitError
from assess.model import AnswerRecord, Answers, Candidate, NormsFile, TraitNorm
from assess.profiles import (
    check_questionnaire_match,
    export_profiles,
    load_answers,
    load_norms,
    load_profile,
    load_questionnaire,
    parse_profile_text,
    profile_filename,
    read_answers_csv,
    read_answers_file,
    read_answers_files,
    read_answers_run,
    read_answers_table,
    save_answers,
    save_norms,
    save_profile,
)
from assess.scoring import response_matrix, response_times, score_answers, score_matrix
from tests.assess.helpers import ASSESS_DATA, GOLDEN, MINI, mini

CSV_FILE = ASSESS_DATA / "mini.answers.csv"
YAML_FILE = ASSESS_DATA / "c-010.answers.yaml"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(RepfitError) as info:
        read_answers_file(path, mini())
    return info.value.message


def test_bundled_default_and_unknown_questionnaire_ids() -> None:
    with pytest.raises(AssessError, match=r"no bundled questionnaire 'nope' \(bundled: "):
        load_questionnaire("nope")
    assert load_questionnaire(str(MINI)).id == "mini-sales"


def test_csv_answers_are_read_with_names_roles_and_blanks() -> None:
    answers = read_answers_csv(CSV_FILE, mini())
    assert [a.candidate.id for a in answers] == ["c-001", "c-002", "c-003", "c-004", "c-005"]
    assert answers[0].candidate.name == "Ann Hunter"
    assert answers[0].candidate.role == "hunter"
    assert answers[4].candidate.role is None
    assert "nfa2" not in answers[4].answers  # empty cell = unanswered
    assert answers[0].answers["sjt1"] == AnswerRecord(value=2, ms=None)
    assert answers[0].questionnaire == mini().ref()


def test_yaml_answers_file() -> None:
    [answers] = read_answers_file(YAML_FILE, mini())
    assert answers.candidate.name == "Jo Example"
    assert answers.answers["nfa1"] == AnswerRecord(value=2, ms=4200)
    assert answers.finished is not None
    assert answers.finished.isoformat() == "2026-11-23T10:14:30+00:00"


HEADER = "candidate_id,name,nfa1,nfa2,sjt1\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            "the answers CSV is empty; expected a header row with candidate_id and one column "
            "per item id.",
        ),
        ("name,nfa1\nAnn,3\n", "row 1 (header): the 'candidate_id' column is missing; found "
         "columns: name, nfa1."),
        ("candidate_id,nfa1,nfa1\nc1,3,3\n", "row 1 (header): column 'nfa1' appears twice "
         "(columns 2 and 3); each column must appear once."),
        ("candidate_id,nfa9\nc1,3\n", "row 1 (header), column 2: unknown column 'nfa9'; expected "
         "candidate_id, name, role or an item id of mini-sales 1.10 "
         "(nfa1, nfa2, nfa3, ask1, ...)."),
        (HEADER, "the answers CSV has a header but no candidate rows."),
        (HEADER + "c1,Ann,3,x,1\n", "row 2, column 'nfa2': expected a whole number from 1 to 5; "
         "found 'x'."),
        (HEADER + "c1,Ann,3,2.5,1\n", "row 2, column 'nfa2': expected a whole number from 1 to 5; "
         "found '2.5'."),
        (HEADER + "c1,Ann,3,6,1\n", "row 2, column 'nfa2': expected an answer from 1 to 5; "
         "found 6."),
        (HEADER + "c1,Ann,3,2,4\n", "row 2, column 'sjt1': expected an option number from 1 to 3; "
         "found 4."),
        (HEADER + "c1,Ann,3,2\n", "row 2: expected 5 cells (one per header column); found 4."),
        (HEADER + ",Ann,3,2,1\n", "row 2, column 'candidate_id': empty; every row needs a "
         "candidate id."),
        (HEADER + "c1,Ann,3,2,1\nc2,Bo,3,2,1\nc1,Cy,3,2,1\n", "row 4, column 'candidate_id': "
         "duplicate candidate id 'c1' (also row 2); candidate ids must be unique."),
    ],
)  # fmt: skip
def test_bad_csv_names_file_row_and_column(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "answers.csv", text)
    assert error_of(path) == f"{path}: {message}"


def test_extra_columns_are_kept_only_when_asked_for(tmp_path: Path) -> None:
    path = write(tmp_path, "answers.csv", "candidate_id,group,nfa1\nc1,north,3\nc2,south,\n")
    table = read_answers_table(path, mini(), extra_columns=["group"])
    assert table.extra == {"group": ["north", "south"]}
    assert [a.answers for a in table.answers] == [{"nfa1": AnswerRecord(value=3)}, {}]
    with pytest.raises(AssessError, match="unknown column 'group'"):
        read_answers_csv(path, mini())


# Problems in several rows: the error names the first row (file order) and, within a row,
# the first problem in the order: cell count, candidate id, items in questionnaire order.
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "c1,Ann,3,2,9\nc2,Bo,3,2\n", "row 2, column 'sjt1': expected an option number "
         "from 1 to 3; found 9."),
        (HEADER + "c1,Ann,3,2\nc2,Bo,3,x,1\n", "row 2: expected 5 cells (one per header column); "
         "found 4."),
        (HEADER + "c1,Ann,3,2,1\nc2,Bo,3,2,1\nc2,Cy,7,2,1\n", "row 4, column 'candidate_id': "
         "duplicate candidate id 'c2' (also row 3); candidate ids must be unique."),
        (HEADER + "c1,Ann,3,2,1\n,Bo,3,9,1\n", "row 3, column 'candidate_id': empty; every row "
         "needs a candidate id."),
        ("candidate_id,sjt1,nfa2\nc1,4,x\n", "row 2, column 'nfa2': expected a whole number from "
         "1 to 5; found 'x'."),
        (HEADER + "c1,Ann,3,2,1\nc2,Bo,0,2,1\n", "row 3, column 'nfa1': expected an answer from "
         "1 to 5; found 0."),
        (HEADER + "c1,Ann,3,2,1\nc2,Bo,3,-2.0,1\n", "row 3, column 'nfa2': expected an answer "
         "from 1 to 5; found -2."),
        (HEADER + "c1,Ann,3,2,1\n\nc3,Cy,3,2,1\n", "row 3: expected 5 cells (one per header "
         "column); found 0."),
    ],
)  # fmt: skip
def test_first_problem_in_file_order_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "answers.csv", text)
    assert error_of(path) == f"{path}: {message}"


def test_csv_table_matrix_in_questionnaire_order(tmp_path: Path) -> None:
    q = mini()
    # Columns out of questionnaire order, padded and signed whole numbers, a blank line at the end.
    path = write(
        tmp_path,
        "answers.csv",
        "sjt1,candidate_id,nfa2,role,nfa1\n 2 ,c1, +4 ,farmer,3.0\n,c2,,,1\n\n",
    )
    table = read_answers_table(path, q)
    assert table.candidate_ids == ["c1", "c2"]
    assert [r.candidate.role for r in table.respondents] == ["farmer", None]
    assert table.times is None
    expected = np.full((2, len(q.items)), np.nan)
    column = {item_id: index for index, item_id in enumerate(q.item_ids())}
    expected[0, [column["sjt1"], column["nfa2"], column["nfa1"]]] = [2, 4, 3]
    expected[1, column["nfa1"]] = 1
    assert_array_equal(table.matrix, expected)
    assert [a.answers for a in table.answers] == [
        {
            "nfa1": AnswerRecord(value=3),
            "nfa2": AnswerRecord(value=4),
            "sjt1": AnswerRecord(value=2),
        },
        {"nfa1": AnswerRecord(value=1)},
    ]
    assert_array_equal(response_matrix(q, table.answers), table.matrix)


def test_a_run_of_csv_and_yaml_scores_as_the_answers_records() -> None:
    q = mini()
    table = read_answers_run([CSV_FILE, YAML_FILE], q)
    records = read_answers_files([CSV_FILE, YAML_FILE], q)
    assert table.candidate_ids == [a.candidate.id for a in records]
    assert table.times is not None  # the YAML answers are timed
    assert_array_equal(table.matrix, response_matrix(q, records))
    assert_array_equal(table.times, response_times(q, records))
    fast = score_matrix(q, table.respondents, table.matrix, table.times)
    assert fast == score_answers(q, records)


def answers_yaml(body: str) -> str:
    return "schema: repfit.answers/1\n" + textwrap.dedent(body)


def test_bad_answers_yaml(tmp_path: Path) -> None:
    sha = mini().ref().sha256
    head = f"questionnaire: {{id: mini-sales, version: '1.10', sha256: {sha}}}\n"
    path = write(
        tmp_path,
        "a.yaml",
        answers_yaml(
            head + "candidate: {id: c1}\nanswers: {nfa1: {value: 9}, zz: {value: 1}, "
            "sjt1: {value: 0}}\n"
        ),
    )
    assert error_of(path) == (
        f"{path}: answers.nfa1.value (line 4): expected an answer from 1 to 5; found 9; "
        "answers.zz (line 4): unknown item 'zz' (not in mini-sales 1.10); answers.sjt1.value "
        "(line 4): expected an option number from 1 to 3; found 0."
    )
    newer = write(tmp_path, "b.yaml", "schema: repfit.answers/2\n")
    assert error_of(newer) == (
        f"{newer}: the file uses schema 'repfit.answers/2', which is newer than this version of "
        "repfit understands ('repfit.answers/1'). Upgrade repfit to read it."
    )
    wrong = write(tmp_path, "c.yaml", "schema: repfit.profile/1\n")
    assert error_of(wrong) == (
        f"{wrong}: schema: expected 'repfit.answers/1', found 'repfit.profile/1'."
    )
    empty = write(tmp_path, "d.yaml", "")
    assert error_of(empty) == f"{empty}: the answers file is empty; expected a YAML mapping."
    shape = write(
        tmp_path,
        "e.yaml",
        answers_yaml(head + "candidate: {id: c1}\nanswers: {nfa1: {value: high}}\n"),
    )
    assert error_of(shape) == (
        f"{shape}: 1 problem: answers.nfa1.value (line 4): expected a whole number; "
        "found 'high'."
    )


def test_changed_questionnaire_is_refused_unless_forced(tmp_path: Path) -> None:
    text = YAML_FILE.read_text(encoding="utf-8").replace(mini().ref().sha256, "0" * 64)
    path = write(tmp_path, "old.yaml", text)
    message = error_of(path)
    assert message == (
        f"{path}: the answers were given to questionnaire mini-sales 1.10 (sha256 {'0' * 64}), "
        f"but the questionnaire used for scoring is mini-sales 1.10 (sha256 "
        f"{mini().ref().sha256}); its content differs, so scores could be wrong. Score with the "
        "questionnaire the answers were given to, or add --force to score anyway (the profile "
        "records forced: true)."
    )
    assert read_answers_file(path, mini(), force=True)[0].candidate.id == "c-010"
    check_questionnaire_match(mini(), load_answers(YAML_FILE), "x")  # the matching one passes


def test_duplicate_candidates_across_files_are_refused(tmp_path: Path) -> None:
    text = YAML_FILE.read_text(encoding="utf-8").replace("id: c-010", "id: c-001")
    clash = write(tmp_path, "c-001.yaml", text)
    with pytest.raises(AssessError) as info:
        read_answers_files([CSV_FILE, clash], mini())
    assert info.value.message == (
        f"{clash}: duplicate candidate id 'c-001' (also in {CSV_FILE}); candidate ids must be "
        "unique within one run."
    )


@pytest.mark.parametrize(
    ("candidate_id", "expected"),
    [
        ("c-001", "c-001.profile.yaml"),
        ("Jane.Doe_2", "Jane.Doe_2.profile.yaml"),
        ("../../etc/passwd", "_.._etc_passwd-"),
        ("a/b", "a_b-"),
        ("..", "candidate-"),
        ("ünï cödé", "_n__c_d_-"),
    ],
)
def test_profile_filenames_are_safe(candidate_id: str, expected: str) -> None:
    name = profile_filename(candidate_id)
    assert name.startswith(expected)
    assert name.endswith(".profile.yaml")
    assert "/" not in name
    assert "\\" not in name
    assert not name.startswith(".")


def test_changed_ids_never_share_a_file_name() -> None:
    assert profile_filename("a/b") != profile_filename("a_b")
    assert profile_filename("a/b") != profile_filename("a:b")


def test_norms_file_round_trip(tmp_path: Path) -> None:
    q = mini()
    norms = NormsFile(
        questionnaire=q.ref(),
        source="local sample",
        n=240,
        date="2026-11-20",
        traits={t: TraitNorm(mean=3.0, sd=0.5, n=240) for t in q.trait_ids()},
    )
    path = tmp_path / "norms.yaml"
    save_norms(path, norms)
    assert path.read_text(encoding="utf-8").startswith("schema: repfit.norms/1\nquestionnaire:")
    assert load_norms(path) == norms
    assert norms.norms().n == 240


def scored() -> list:  # type: ignore[type-arg]
    q = mini()
    return score_answers(q, read_answers_files([CSV_FILE, YAML_FILE], q))


def test_profile_yaml_round_trip(tmp_path: Path) -> None:
    for profile in scored():
        path = tmp_path / profile_filename(profile.candidate.id)
        save_profile(path, profile)
        assert load_profile(path) == profile


@pytest.mark.parametrize("fmt", ["csv", "json", "yaml"])
def test_exports_match_the_golden_files_byte_for_byte(fmt: str) -> None:
    text = export_profiles(scored(), fmt)  # type: ignore[arg-type]
    golden = GOLDEN / f"profiles.{fmt}"
    assert text.encode("utf-8") == golden.read_bytes()


def test_exports_parse_back() -> None:
    profiles = scored()
    rows = list(csv.DictReader(io.StringIO(export_profiles(profiles, "csv"))))
    assert [row["candidate_id"] for row in rows] == [p.candidate.id for p in profiles]
    assert rows[2]["red_flags"].split(";")[0] == "likely_order_taker_as_farmer"
    assert rows[2]["comfort_asking_band"] == "low"
    data = json.loads(export_profiles(profiles, "json"))
    assert data[0]["schema"] == "repfit.profile/1"
    documents = export_profiles(profiles, "yaml").split("---\n")[1:]
    assert [parse_profile_text(d, "x.yaml") for d in documents] == profiles


def test_csv_export_neutralises_spreadsheet_formulas() -> None:
    q = mini()
    answers = Answers(
        questionnaire=q.ref(), candidate=Candidate(id="=cmd()", name="+SUM(A1)"), answers={}
    )
    text = export_profiles(score_answers(q, [answers]), "csv")
    assert text.splitlines()[1].startswith("'=cmd(),'+SUM(A1),")


ids = st.text(alphabet="abcxyz019-_", min_size=1, max_size=8)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    candidate_id=ids,
    name=st.one_of(st.none(), st.text(min_size=1, max_size=20)),
    values=st.dictionaries(
        st.sampled_from(["nfa1", "ask2", "clo3", "sd1", "ac1"]),
        st.builds(
            AnswerRecord, value=st.integers(1, 5), ms=st.one_of(st.none(), st.integers(0, 10**6))
        ),
    ),
)
def test_answers_yaml_round_trip(
    tmp_path: Path, candidate_id: str, name: str | None, values: dict[str, AnswerRecord]
) -> None:
    q = mini()
    answers = Answers(
        questionnaire=q.ref(),
        candidate=Candidate(id=candidate_id, name=name, role="farmer"),
        answers=values,
        order=list(values),
    )
    path = tmp_path / "answers.yaml"
    save_answers(path, answers)
    assert load_answers(path) == answers
    assert read_answers_file(path, q) == [answers]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(permutation=st.permutations(range(5)))
def test_permuting_csv_rows_permutes_the_profiles(tmp_path: Path, permutation: list[int]) -> None:
    q = mini()
    header, *rows = CSV_FILE.read_text(encoding="utf-8").splitlines()
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("\n".join([header] + [rows[i] for i in permutation]) + "\n")
    original = score_answers(q, read_answers_csv(CSV_FILE, q))
    permuted = score_answers(q, read_answers_csv(shuffled, q))
    assert permuted == [original[i] for i in permutation]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"no such answers file\.$"):
        read_answers_file(tmp_path / "nope.yaml", mini())


def test_answers_for_another_questionnaire_are_refused_even_with_force(tmp_path: Path) -> None:
    text = YAML_FILE.read_text(encoding="utf-8").replace("id: mini-sales", "id: other-survey")
    path = write(tmp_path, "other.yaml", text)
    with pytest.raises(AssessError) as info:
        read_answers_file(path, mini(), force=True)
    assert info.value.message == (
        f"{path}: the answers are for questionnaire other-survey 1.10, not mini-sales 1.10; "
        "name the right one with --questionnaire ID|PATH."
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.dictionaries(
        st.sampled_from(mini().item_ids()), st.integers(1, 2), min_size=0, max_size=17
    ),
    ms=st.one_of(st.none(), st.integers(0, 60_000)),
    with_norms=st.booleans(),
)
def test_profile_yaml_round_trip_property(
    tmp_path: Path, values: dict[str, int], ms: int | None, with_norms: bool
) -> None:
    q = mini() if with_norms else mini().model_copy(update={"norms": None})
    answers = Answers(
        questionnaire=q.ref(),
        candidate=Candidate(id="c-1", name="Zoë Ünal", role="farmer"),
        answers={item_id: AnswerRecord(value=v, ms=ms) for item_id, v in values.items()},
    )
    [profile] = score_answers(q, [answers])
    path = tmp_path / "p.profile.yaml"
    save_profile(path, profile)
    assert load_profile(path) == profile


def test_bundled_files_read_with_libyaml_give_the_same_data_and_errors(tmp_path: Path) -> None:
    """parse_yaml_text(trusted=True) uses libyaml's parser for the bundled questionnaire
    and item parameters: the same data (types and source text of numbers too), and on a
    problem the message of the pure-Python parser."""
    import questionnaires
    from assess.fileio import FileFormatError, parse_yaml_text

    def deep(value: object) -> object:
        if isinstance(value, dict):
            return [(key, deep(item)) for key, item in value.items()]
        if isinstance(value, list):
            return [deep(item) for item in value]
        return (type(value).__name__, value, getattr(value, "source", None))

    bundled = ("sales-traits", questionnaires.bundled, questionnaires.bundled_irt)
    for resource in (bundled[1](bundled[0]), bundled[2](bundled[0])):
        text = resource.read_text(encoding="utf-8")
        path = Path(str(resource))
        slow, fast = parse_yaml_text(text, path), parse_yaml_text(text, path, trusted=True)
        assert deep(fast.data) == deep(slow.data)
        assert fast.line_of(["traits", 0]) == slow.line_of(["traits", 0])
    for broken in ("a: [1, 2\n", "a: 1\na: 2\n", "a: b: c\n", "x: \x07\n", "- a\nb: c\n"):
        messages = []
        for trusted in (False, True):
            with pytest.raises(FileFormatError) as caught:
                parse_yaml_text(broken, tmp_path / "q.yaml", trusted=trusted)
            messages.append(str(caught.value))
        assert messages[0] == messages[1]
