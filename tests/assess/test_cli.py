"""The assess commands end to end, as a user runs them: through the entry point, in-process.

(``run_inprocess`` calls ``main``: the same exit codes, error paragraphs and output as
``python -m assess``, whose own start is covered by tests/test_cli_conventions.py.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from assess.profiles import load_profile
from tests.assess.helpers import ASSESS_DATA, MINI
from tests.conftest import EXAMPLES, REPO_ROOT, run_inprocess

CSV_FILE = ASSESS_DATA / "mini.answers.csv"
YAML_FILE = ASSESS_DATA / "c-010.answers.yaml"
Q = ("--questionnaire", str(MINI))


def assess(*args: str | os.PathLike[str]) -> tuple[int, str, str]:
    result = run_inprocess("assess", *args)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["score", "export", "validate", "show"])
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command: str) -> None:
    code, out, _ = assess(command, "--help")
    assert code == 0
    assert f"Example: assess {command} " in out
    assert f"assess {command}" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_score_to_stdout_is_one_yaml_document_per_candidate() -> None:
    code, out, err = assess("score", CSV_FILE, YAML_FILE, *Q)
    assert code == 0
    assert err == ""
    documents = list(yaml.safe_load_all(out))
    assert [d["candidate"]["id"] for d in documents] == [
        "c-001", "c-002", "c-003", "c-004", "c-005", "c-010",
    ]  # fmt: skip
    assert all(d["schema"] == "repfit.profile/1" for d in documents)


def test_score_out_writes_one_profile_per_candidate(tmp_path: Path) -> None:
    out = tmp_path / "profiles"
    code, stdout, err = assess("score", CSV_FILE, *Q, "--out", out)
    assert code == 0
    assert stdout == ""
    assert err == f"wrote 5 profiles to {out}/\n"
    assert sorted(p.name for p in out.iterdir()) == [
        "assess-score.manifest.yaml",
        *(f"c-00{i}.profile.yaml" for i in range(1, 6)),
    ]
    profile = load_profile(out / "c-003.profile.yaml")
    assert profile.red_flags[0].code == "likely_order_taker_as_farmer"


def test_score_json_and_csv_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "all.json"
    code, _, err = assess("score", CSV_FILE, *Q, "--format", "json", "-o", target)
    assert code == 0
    assert err == f"wrote 5 profiles to {target}\n"
    assert [p["best_fit"] for p in json.loads(target.read_text())] == [
        "hunter", "farmer", "farmer", "farmer", None,
    ]  # fmt: skip
    code, out, _ = assess("score", CSV_FILE, *Q, "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith(
        "candidate_id,name,role,questionnaire,best_fit,fit_farmer"
    )


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    good_rows = CSV_FILE.read_text(encoding="utf-8")
    bad.write_text(good_rows + "c-006,Zed,,1,2,3,4,5,1,2,3,4,5,1,9,2,3,4,1,1\n")
    out = tmp_path / "profiles"
    code, stdout, err = assess("score", YAML_FILE, bad, *Q, "--out", out)
    assert code == 2
    assert stdout == ""
    assert err == (
        f"error: {bad}: row 7, column 'nur3': expected an answer from 1 to 5; found 9.\n"
    )
    assert not out.exists()


def test_duplicate_candidate_across_files(tmp_path: Path) -> None:
    code, _, err = assess("score", CSV_FILE, CSV_FILE, *Q)
    assert code == 2
    assert err == (
        f"error: {CSV_FILE}: duplicate candidate id 'c-001' (also in {CSV_FILE}); candidate ids "
        "must be unique within one run.\n"
    )


def test_changed_questionnaire_needs_force_which_is_recorded(tmp_path: Path) -> None:
    changed = tmp_path / "mini-changed.yaml"
    changed.write_text(MINI.read_text(encoding="utf-8").replace("I ask for the order.", "Ask!"))
    code, _, err = assess("score", YAML_FILE, "--questionnaire", changed)
    assert code == 2
    assert err.startswith(f"error: {YAML_FILE}: the answers were given to questionnaire mini-sales")
    assert "add --force to score anyway (the profile records forced: true)." in err
    code, out, _ = assess("score", YAML_FILE, "--questionnaire", changed, "--force")
    assert code == 0
    assert yaml.safe_load(out)["forced"] is True


def test_out_is_safe_for_hostile_candidate_ids(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.csv"
    hostile.write_text("candidate_id,nfa1\n../../escape,3\n/abs/path,2\n.hidden,1\n")
    out = tmp_path / "deep" / "profiles"
    code, _, _ = assess("score", hostile, *Q, "--out", out)
    assert code == 0
    names = sorted(p.name for p in out.glob("*.profile.yaml"))
    assert len(names) == 3
    assert len(list(out.iterdir())) == 4  # and the manifest
    assert all(not name.startswith(".") for name in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "hostile.csv"]
    assert {load_profile(out / n).candidate.id for n in names} == {
        "../../escape", "/abs/path", ".hidden",
    }  # fmt: skip


def test_ids_differing_only_in_case_are_refused_before_writing(tmp_path: Path) -> None:
    clash = tmp_path / "clash.csv"
    clash.write_text("candidate_id,nfa1\nAnn,3\nann,2\n")
    out = tmp_path / "profiles"
    code, _, err = assess("score", clash, *Q, "--out", out)
    assert code == 2
    assert "candidates 'Ann' and 'ann' would both be saved as" in err
    assert not out.exists()


def test_usage_errors() -> None:
    code, _, err = assess("score", CSV_FILE, "--out", "x", "-o", "y.yaml")
    assert code == 2
    assert "use either --out DIR (one file per candidate) or -o FILE." in err
    code, _, err = assess("score", CSV_FILE, "--out", "x", "--format", "csv")
    assert code == 2
    assert "--out writes one YAML profile per candidate" in err


def test_norms_option(tmp_path: Path) -> None:
    norms = tmp_path / "norms.yaml"
    traits = ["need_for_approval", "comfort_asking", "closing_urgency", "relationship_nurturing"]
    sha = yaml.safe_load(YAML_FILE.read_text())["questionnaire"]["sha256"]
    norms.write_text(
        "schema: repfit.norms/1\n"
        f"questionnaire: {{id: mini-sales, version: '1.10', sha256: {sha}}}\n"
        "source: local sample\nn: 80\ndate: 2026-11-20\ntraits:\n"
        + "".join(f"  {t}: {{mean: 3.0, sd: 1.0}}\n" for t in traits)
    )
    code, out, _ = assess("score", YAML_FILE, *Q, "--norms", norms)
    assert code == 0
    profile = yaml.safe_load(out)
    assert profile["norms"] == {"source": "local sample", "n": 80, "date": "2026-11-20",
                                "provisional": False}  # fmt: skip
    # Likert 2.0, judgement (0 − 1) / 2 = −0.5: raw 2.0 + 0.25 × 2 × −0.5 = 1.75; T = 37.5
    assert profile["traits"]["need_for_approval"]["t"] == 37.5
    code, stdout, _ = assess("validate", norms)
    assert (code, stdout) == (0, f"{norms}: ok (repfit.norms/1)\n")
    norms.write_text(
        norms.read_text().replace("  relationship_nurturing: {mean: 3.0, sd: 1.0}\n", "")
    )
    code, _, err = assess("score", YAML_FILE, *Q, "--norms", norms)
    assert code == 2
    assert err == (
        f"error: {norms}: traits: no norm for relationship_nurturing (every trait of mini-sales "
        "needs one).\n"
    )


def test_export_folder_to_csv_matches_score_csv(tmp_path: Path) -> None:
    out = tmp_path / "profiles"
    assert assess("score", CSV_FILE, *Q, "--out", out)[0] == 0
    target = tmp_path / "export.csv"
    code, _, err = assess("export", out, "--format", "csv", "-o", target)
    assert code == 0
    assert err == f"wrote 5 profiles to {target}\n"
    _, direct, _ = assess("score", CSV_FILE, *Q, "--format", "csv")
    assert target.read_text(encoding="utf-8") == direct
    code, _, err = assess("export", out / "c-001.profile.yaml", out / "c-001.profile.yaml")
    assert code == 2
    assert "a second profile for candidate 'c-001'" in err


def test_export_reads_what_score_prints_to_stdout(tmp_path: Path) -> None:
    out = tmp_path / "profiles"
    assert assess("score", CSV_FILE, *Q, "--out", out)[0] == 0
    code, printed, _ = assess("score", CSV_FILE, *Q)
    assert code == 0
    stream = tmp_path / "all.yaml"
    stream.write_text(printed, encoding="utf-8")
    for fmt in ("csv", "json", "yaml"):
        from_stream = tmp_path / f"stream.{fmt}"
        from_folder = tmp_path / f"folder.{fmt}"
        code, _, err = assess("export", stream, "--format", fmt, "-o", from_stream)
        assert (code, err) == (0, f"wrote 5 profiles to {from_stream}\n")
        assert assess("export", out, "--format", fmt, "-o", from_folder)[0] == 0
        assert from_stream.read_text(encoding="utf-8") == from_folder.read_text(encoding="utf-8")
    code, _, err = assess("export", stream, out / "c-004.profile.yaml")
    assert code == 2
    assert err == (
        f"error: {out / 'c-004.profile.yaml'}: a second profile for candidate 'c-004' (also "
        f"{stream}, document 4); export each candidate once.\n"
    )


def test_export_names_the_bad_document_of_a_stream(tmp_path: Path) -> None:
    _, printed, _ = assess("score", CSV_FILE, *Q)
    documents = printed.split("---\n")[1:]
    documents[1] = documents[1].replace("status: ok", "status: fine", 1)
    stream = tmp_path / "all.yaml"
    stream.write_text("".join(f"---\n{d}" for d in documents), encoding="utf-8")
    line = 1 + sum(d.count("\n") + 1 for d in documents[:1]) + 1
    line += documents[1].split("status: fine")[0].count("\n")
    target = tmp_path / "x.csv"
    code, stdout, err = assess("export", stream, "--format", "csv", "-o", target)
    assert (code, stdout) == (2, "")
    assert err == (
        f"error: {stream}, document 2: 1 problem: traits.need_for_approval.status (line {line}): "
        "Input should be 'ok' or 'insufficient'; found 'fine'.\n"
    )
    assert not target.exists()


def test_validate_reports_each_file_and_exits_2_when_any_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: repfit.questionnaire/1\nid: x\nversion: 1\ntitle: X\n"
                   "scale: {min: 1, max: 5}\ntraits: [{id: a, name: A}]\n"
                   "items: [{id: a1, trait: b, text: t}]\n")  # fmt: skip
    unknown = tmp_path / "other.yaml"
    unknown.write_text("schema: acme.survey/3\n")
    code, out, err = assess("validate", MINI, bad, YAML_FILE, unknown, CSV_FILE, *Q)
    assert code == 2
    assert out == (
        f"{MINI}: ok (repfit.questionnaire/1)\n"
        f"{YAML_FILE}: ok (repfit.answers/1)\n"
        f"{CSV_FILE}: ok (bulk answers CSV, 5 candidates, mini-sales 1.10)\n"
    )
    assert err == (
        f"error: {bad}: 2 problems: items[0].trait (line 7): unknown trait 'b'; expected one of: "
        "a; traits[0].id (line 6): trait 'a' has no Likert items; every trait needs at least "
        "one.\n"
        f"error: {unknown}: unknown schema 'acme.survey/3'; expected one of: "
        "repfit.questionnaire/1, repfit.answers/1, repfit.profile/1, repfit.norms/1, "
        "repfit.irt/1.\n"
    )


def test_validate_reports_every_problem_in_a_csv(tmp_path: Path) -> None:
    # Issue 12: validate stopped at the first bad cell although the README promises every
    # problem.
    rows = CSV_FILE.read_text(encoding="utf-8").splitlines()
    cells = [row.split(",") for row in rows]
    cells[1][3] = "six"  # c-001, nfa1: not a number
    cells[1][18] = "9"  # c-001, sjt1: no such option
    cells[3][0] = "c-001"  # c-003: a duplicate candidate id
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(",".join(row) for row in cells) + "\n", encoding="utf-8")
    code, out, err = assess("validate", bad, CSV_FILE, *Q)
    assert code == 2
    assert out == f"{CSV_FILE}: ok (bulk answers CSV, 5 candidates, mini-sales 1.10)\n"
    assert err == (
        f"error: {bad}: row 2, column 'nfa1': expected a whole number from 1 to 5; found "
        "'six'.\n"
        f"error: {bad}: row 2, column 'sjt1': expected an option number from 1 to 3; found 9.\n"
        f"error: {bad}: row 4, column 'candidate_id': duplicate candidate id 'c-001' (also "
        "row 2); candidate ids must be unique.\n"
    )


def test_validate_caps_the_problems_listed_for_a_csv(tmp_path: Path) -> None:
    header = CSV_FILE.read_text(encoding="utf-8").splitlines()[0]
    width = len(header.split(","))
    bad = tmp_path / "bad.csv"
    rows = [f"c-{index:03d},,," + ",".join(["7"] * (width - 3)) for index in range(4)]
    bad.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code, out, err = assess("validate", bad, *Q)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    total = 4 * (width - 3)
    assert len(lines) == 51
    assert lines[0] == (
        f"error: {bad}: row 2, column 'nfa1': expected an answer from 1 to 5; found 7."
    )
    assert lines[-1] == f"error: {bad}: {total - 50} more problems not shown ({total} in all)."


def test_validate_profiles(tmp_path: Path) -> None:
    out = tmp_path / "profiles"
    assess("score", YAML_FILE, *Q, "--out", out)
    profile = out / "c-010.profile.yaml"
    code, stdout, _ = assess("validate", profile)
    assert (code, stdout) == (0, f"{profile}: ok (repfit.profile/1)\n")
    profile.write_text(profile.read_text().replace("status: ok", "status: fine", 1))
    code, _, err = assess("validate", profile)
    assert code == 2
    assert "traits.need_for_approval.status (line " in err
    assert "Input should be 'ok' or 'insufficient'; found 'fine'" in err


def test_show_prints_a_readable_report(tmp_path: Path) -> None:
    out = tmp_path / "profiles"
    assess("score", CSV_FILE, *Q, "--out", out)
    code, text, _ = assess("show", out / "c-003.profile.yaml")
    assert code == 0
    for expected in [
        "Cid Order  (c-003)  applied for: farmer",
        "Norms: provisional expert norms, n = 0, 2026-11-01  PROVISIONAL",
        "Need for approval",
        "▲ if high",
        "★ best fit",
        "Red flags (3)",
        "✖ likely_order_taker_as_farmer",
        "Attention checks failed",
        "Scores support, and must not replace, a structured hiring decision.",
    ]:
        assert expected in text


def test_show_without_norms_says_why(tmp_path: Path) -> None:
    answers = tmp_path / "seven.csv"
    answers.write_text("candidate_id,d1,d2,d3,c1,c2\nc1,7,1,6,4,4\n")
    out = tmp_path / "p"
    assert (
        assess("score", answers, "-q", ASSESS_DATA / "likert7.questionnaire.yaml", "--out", out)[0]
        == 0
    )
    code, text, _ = assess("show", out / "c1.profile.yaml")
    assert code == 0
    assert "Norms: none (raw scores only)" in text
    assert "Note: No norms" in text
    assert "Role fit: none (needs norms and roles)." in text


def test_bundled_questionnaire_scores_the_example_answers(tmp_path: Path) -> None:
    code, out, _ = assess("score", EXAMPLES / "answers.csv", "--format", "csv")
    assert code == 0
    rows = out.splitlines()
    assert len(rows) == 45
    assert "likely_order_taker_as_farmer" in out
    assert "careless_responding" in out


def test_out_refuses_a_planted_symlink_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "profiles"
    out.mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text("keep me\n")
    (out / "c-005.profile.yaml").symlink_to(outside)
    code, _, err = assess("score", CSV_FILE, *Q, "--out", out)
    assert code == 2
    assert err == f"error: {out / 'c-005.profile.yaml'}: refusing to write outside {out}.\n"
    assert outside.read_text() == "keep me\n"
    assert sorted(p.name for p in out.iterdir()) == ["c-005.profile.yaml"]


def test_readme_shows_real_assess_show_output(tmp_path: Path) -> None:
    out = tmp_path / "profiles"
    assert assess("score", EXAMPLES / "answers.csv", "--out", out)[0] == 0
    code, text, _ = assess("show", out / "c-021.profile.yaml")
    assert code == 0
    text = text.replace(str(out), "profiles")  # the path as typed in the README
    shown = "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("$ assess show profiles/c-021.profile.yaml\n") + len(
        "$ assess show profiles/c-021.profile.yaml\n"
    )
    block = readme[start : readme.index("\n```", start)]
    assert block == shown
