"""Valid files of every format repfit reads, made once per test session, and an in-process
runner for both CLIs (fast: no interpreter start per case)."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DATA, EXAMPLES, REPO_ROOT


@dataclass(frozen=True)
class Outcome:
    """What one CLI call returned and printed."""

    code: int
    stdout: str
    stderr: str


Run = Callable[..., Outcome]

INVITATION = textwrap.dedent(
    """\
    schema: repfit.invitation/1
    candidate:
      id: c-1
      name: Jo
      role: null
    questionnaire: mini-sales
    token_sha256: 88580fdb3fff2a2e37908b290e6074080324956570b55903bfc96df58d908454
    created: '2026-11-26T01:35:50.012136Z'
    expires: '2099-12-03T01:35:50.012136Z'
    revoked: null
    """
)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``assess ...`` or ``simulate ...`` in this process; exit code and output."""
    from assess.cli import main as assess_main
    from simulate.cli import main as simulate_main

    def call(*argv: str | Path) -> Outcome:
        tool, *args = [str(arg) for arg in argv]
        main = assess_main if tool == "assess" else simulate_main
        capsys.readouterr()
        code = main(args)
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return call


def _make_base(folder: Path) -> Path:
    """One valid file of every format, next to each other (as the catalogue names them)."""
    from assess.cli import main as assess_main

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("mini.questionnaire.yaml", "c-010.answers.yaml", "mini.answers.csv"):
        shutil.copy(DATA / "assess" / name, folder / name)
    shutil.copy(REPO_ROOT / "questionnaires" / "sales-traits.irt.yaml", folder)
    scenario = (EXAMPLES / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text(
        scenario.replace("trials: 2000", "trials: 4"), encoding="utf-8"
    )
    shutil.copy(EXAMPLES / "book.csv", folder / "book.csv")
    shutil.copy(EXAMPLES / "cohort.csv", folder / "cohort.csv")
    (folder / "histories.csv").write_text(
        "account_id,start,end\n"
        + "".join(f"a{i},0,{i % 7 + 1}\n" for i in range(30))
        + "".join(f"b{i},0,\n" for i in range(10)),
        encoding="utf-8",
    )
    (folder / "outcomes.csv").write_text(
        "candidate_id,quota_attainment\nc-010,1.1\n", encoding="utf-8"
    )
    (folder / "inv").mkdir()
    (folder / "inv" / "c-1.invitation.yaml").write_text(INVITATION, encoding="utf-8")
    quiet = [str(folder / "mini.answers.csv"), "-q", str(folder / "mini.questionnaire.yaml")]
    assert assess_main(["norms", *quiet, "-o", str(folder / "norms.yaml"), "--source", "t"]) == 0
    assert (
        assess_main(
            [
                "score",
                str(folder / "c-010.answers.yaml"),
                "-q",
                str(folder / "mini.questionnaire.yaml"),
                "-o",
                str(folder / "c-010.profile.yaml"),
            ]
        )
        == 0
    )
    return folder


@pytest.fixture(scope="session")
def base_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding one valid file of every format (read-only for tests: copy it)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # norms from four respondents
        return _make_base(tmp_path_factory.mktemp("base"))


@pytest.fixture
def files(base_files: Path, tmp_path: Path) -> Path:
    """A fresh copy of the valid files for one test to spoil."""
    target = tmp_path / "files"
    shutil.copytree(base_files, target)
    return target
