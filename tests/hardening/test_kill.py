"""kill -9 of the writers (real processes): what is on disk afterwards is whole, private and
says what happened. Few and quick: each kills one process as soon as it is writing."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from assess.fileio import clean_stale_temporaries
from assess.profiles import load_answers, load_profile
from assess.score_output import MANIFEST_NAME, folder_warnings
from tests.assess.helpers import ASSESS_DATA, MINI
from tests.conftest import REPO_ROOT

TIMEOUT = 60.0
"""Seconds a child may take to reach the point where it is killed."""


def _start(*args: str | Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        [sys.executable, *map(str, args)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _kill_when(child: subprocess.Popen[str], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    try:
        while not ready():
            if child.poll() is not None:
                pytest.fail(f"the child ended (exit {child.returncode}) before it was killed")
            if time.monotonic() > deadline:
                pytest.fail("the child never reached the point where it is killed")
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL


def test_kill_9_of_a_single_file_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("the old export\n", encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import time
        from assess.fileio import atomic_open
        with atomic_open({str(target)!r}, private=True) as handle:
            handle.write("half of a new export")
            handle.flush()
            time.sleep(60)
        """
    )
    child = _start("-c", script)
    _kill_when(child, lambda: any(tmp_path.glob(".export.csv.*.tmp")))
    assert target.read_text(encoding="utf-8") == "the old export\n"
    (leftover,) = tmp_path.glob(".export.csv.*.tmp")
    assert stat.S_IMODE(leftover.stat().st_mode) == 0o600  # personal data stays private
    assert clean_stale_temporaries(tmp_path) == [leftover]  # the next write removes it


def test_kill_9_of_a_bulk_score_out_is_detectable(tmp_path: Path) -> None:
    lines = (ASSESS_DATA / "mini.answers.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    body = [
        f"k-{n:05d}," + row.split(",", 1)[1] for n, row in enumerate(rows * 200)
    ]  # 1,000 candidates: killed while they are being written
    answers = tmp_path / "many.csv"
    answers.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    out = tmp_path / "profiles"
    child = _start("-m", "assess", "score", answers, "--questionnaire", MINI, "--out", out)
    _kill_when(child, lambda: out.is_dir() and any(out.glob("*.profile.yaml")))

    manifest = yaml.safe_load((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["complete"] is False
    profiles = sorted(out.glob("*.profile.yaml"))
    assert 0 < len(profiles) < len(body)
    for path in profiles:  # every profile on disk is whole
        assert load_profile(path).candidate.id == path.name.removesuffix(".profile.yaml")
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    (warning,) = folder_warnings(out)
    assert "did not finish" in warning
    leftovers = sorted(out.glob(".*.tmp"))
    assert sorted(clean_stale_temporaries(out)) == leftovers  # the next run cleans them
    assert not list(out.glob(".*.tmp"))


TAKE_CHILD = """
import asyncio, itertools, sys
from pathlib import Path
from assess.profiles import load_questionnaire
from assess.tui.app import make_take_app
from assess.tui.clock import FrozenClock

async def main() -> None:
    q = load_questionnaire(None)
    clock = FrozenClock()
    app = make_take_app(q, Path(sys.argv[1]), candidate_id="c-001", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        for count in itertools.count(1):
            clock.advance(3000)
            await pilot.press("3")
            print(count, flush=True)
            await asyncio.sleep(0.05)  # a quick reader still takes a moment per item

asyncio.run(main())
"""


@pytest.mark.tui
def test_kill_9_of_assess_take_loses_at_most_the_answer_being_given(tmp_path: Path) -> None:
    child = _start("-c", TAKE_CHILD, tmp_path)
    given: list[int] = []

    def answered_enough() -> bool:
        assert child.stdout is not None
        given.append(int(child.stdout.readline()))
        return given[-1] >= 6

    _kill_when(child, answered_enough)
    saved = load_answers(tmp_path / "c-001.answers.yaml")
    assert len(saved.answers) >= given[-1] - 1
    assert saved.finished is None
