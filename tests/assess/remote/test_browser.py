"""A candidate in real headless Chromium: open the link, answer, close the tab, reopen, submit.

Drives the Debian ``chromium`` (/usr/bin/chromium) through Playwright, with no browser
download; skipped, saying why, when either is missing. The server is ``assess serve``
itself, in a subprocess on 127.0.0.1 at a free port.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from assess.profiles import load_answers, load_profile
from tests.assess.remote.helpers import invite
from tests.conftest import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ITEMS = 17
"""Items in the mini questionnaire the invitation uses."""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is absent (apt-get install chromium; .ci/run does)",
    ),
]


def _wait(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def _inode(path: Path) -> int | None:
    """The file's inode (each atomic write replaces it), or None when there is none."""
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


def _answered(path: Path) -> int:
    try:
        return len(load_answers(path).answers)
    except Exception:
        return -1


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    """``assess serve`` on 127.0.0.1 at a free port over a folder with one invitation."""
    out = tmp_path / "interviews"
    token = invite(out, "c-001", name="Jane Doe")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "assess", "serve", "--out", str(out), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    assert server.stderr is not None
    first = server.stderr.readline()
    assert "serving invitations" in first, first
    base = first.split(" on ")[1].split()[0]
    try:
        yield f"{base}/take/{token}", out, server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)


def test_a_candidate_answers_closes_the_tab_reopens_and_submits(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    link, out, server = served
    answers = out / "c-001.answers.yaml"
    profile = out / "c-001.profile.yaml"
    csp_errors: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:

            def open_link() -> Page:
                page = browser.new_page(viewport={"width": 1000, "height": 640})
                page.on(
                    "console",
                    lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None,
                )
                response = page.goto(link)
                assert response is not None
                assert response.status == 200
                assert response.headers["x-frame-options"] == "DENY"
                assert response.headers["referrer-policy"] == "no-referrer"
                page.wait_for_selector("body.-first-byte", timeout=60_000)
                page.click("#terminal")
                return page

            def answer(page: Page, count: int) -> None:
                start = _answered(answers)
                for done in range(1, count + 1):
                    page.keyboard.press("2")
                    _wait(lambda: _answered(answers) >= start + done, "the answer to be saved")  # noqa: B023

            def begin(page: Page) -> None:
                before = _inode(answers)
                page.keyboard.press("Enter")  # begin (or resume): (re)writes the answers file
                _wait(lambda: _inode(answers) not in (None, before), "the answers file")

            page = open_link()
            begin(page)
            answer(page, 5)
            page.close()  # the candidate closes the tab ...

            page = open_link()  # ... and opens the same link again: it resumes
            begin(page)
            answer(page, ITEMS - 5)
            page.keyboard.press("Enter")  # every item answered: the review screen submits
            _wait(profile.exists, "the profile")
            page.close()

            page = browser.new_page()
            response = page.goto(link)  # a submitted link is closed for good
            assert response is not None
            assert response.status == 404
            assert "404: Not Found" in page.content()
        finally:
            browser.close()

    saved = load_answers(answers)
    assert saved.finished is not None
    assert len(saved.answers) == ITEMS
    assert saved.candidate.name == "Jane Doe"
    assert load_profile(profile).candidate.id == "c-001"
    assert csp_errors == []
    server.send_signal(signal.SIGINT)
    assert server.wait(timeout=60) == 130
    assert server.stderr is not None
    log = server.stderr.read()
    assert link.rsplit("/", 1)[1] not in log  # the token never reaches the log
    assert "GET /take/<token>" in log
