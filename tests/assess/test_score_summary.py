"""`assess score --format table`: a one-row-per-candidate summary for reading a batch."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLES, REPO_ROOT, CliRunner


def test_summary_table_lists_every_candidate_with_fit_and_flags(assess_inproc: CliRunner) -> None:
    result = assess_inproc("score", EXAMPLES / "answers.csv", "--format", "table")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "44 candidates scored"
    rows = {line.split()[0]: line for line in lines if line.strip().startswith("c-0")}
    assert len(rows) == 44
    # c-003 applied as a farmer but answers like an order-taker (see examples/make_answers.py).
    assert rows["c-003"].split()[3:6] == ["farmer", "order_taker", "81"]
    assert "order-taker risk" in rows["c-003"]
    assert rows["c-002"].split()[-1] == "none"
    assert "Scores support, and must not replace, a structured hiring decision." in result.stdout


def test_summary_table_to_file_is_plain_text(tmp_path: Path, assess_inproc: CliRunner) -> None:
    target = tmp_path / "summary.txt"
    result = assess_inproc("score", EXAMPLES / "answers.csv", "--format", "table", "-o", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == f"wrote a summary of 44 profiles to {target}"
    text = target.read_text(encoding="utf-8")
    assert "\x1b[" not in text
    assert text.splitlines()[0].strip() == "44 candidates scored"


def test_out_folder_needs_yaml_not_table(tmp_path: Path, assess_inproc: CliRunner) -> None:
    result = assess_inproc(
        "score", EXAMPLES / "answers.csv", "--format", "table", "--out", tmp_path / "p"
    )
    assert result.returncode == 2
    assert "--out writes one YAML profile per candidate" in result.stderr
    assert not (tmp_path / "p").exists()


def test_readme_quick_start_shows_real_summary_output(assess_inproc: CliRunner) -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick_start.split("```console\n")[2].split("```", 1)[0]
    shown = [line[3:].rstrip() for line in block.rstrip().splitlines()]
    assert "--top 8" in quick_start, "the quick start describes make demo's command"
    result = assess_inproc("score", EXAMPLES / "answers.csv", "--format", "table", "--top", "8")
    real = [line.rstrip() for line in result.stdout.splitlines()]
    assert shown == real[: len(shown)]


def test_percentiles_are_never_shown_as_0_or_100() -> None:
    from assess.report import percentile_text

    assert [percentile_text(p) for p in (99.97, 99.4, 50.0, 0.6, 0.02)] == [
        ">99",
        "99",
        "50",
        "1",
        "<1",
    ]
