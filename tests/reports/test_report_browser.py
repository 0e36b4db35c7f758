"""The HTML reports in real headless Chromium: they load offline, cleanly, with charts drawn.

Drives the Debian ``chromium`` (/usr/bin/chromium) through Playwright (no browser
download); skipped, saying why, when it is absent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from assess.model import Profile
from assess.profiles import load_questionnaire, read_answers_run
from assess.reports.candidate import render_candidate_html
from assess.scoring import score_matrix
from simulate.reports.html import render_calibrate_html, render_run_html, render_sweep_html
from tests.conftest import EXAMPLES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DATA = Path(__file__).resolve().parent / "data"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is absent (apt-get install chromium; .ci/run does)",
    ),
]


def _json(name: str) -> dict[str, object]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def _candidate() -> Profile:
    """The third bundled sample candidate, scored as `assess score` does."""
    q = load_questionnaire(None)
    table = read_answers_run((EXAMPLES / "answers.csv",), q, force=False)
    times = table.times[2:3] if table.times is not None else None
    return score_matrix(q, table.respondents[2:3], table.matrix[2:3], times, None)[0]


def _pages(tmp_path: Path) -> dict[str, tuple[Path, int]]:
    """Each report written to a file, with the number of charts it must show."""
    pages = {
        "run": (render_run_html(_json("run_result.json")), 4),
        "sweep": (render_sweep_html(_json("sweep_result.json")), 2),
        "calibrate": (render_calibrate_html(_json("calibrate_result.json")), 1),
        "candidate": (render_candidate_html(_candidate()), 1),
    }
    written = {}
    for name, (page, charts) in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(page, encoding="utf-8")
        written[name] = (path, charts)
    return written


def _open(browser: Browser, path: Path) -> tuple[Page, list[str], list[str]]:
    """Load a file, collecting console errors, page errors and every request made."""
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, errors, requests


def test_reports_load_offline_without_errors_and_draw_their_charts(
    browser: Browser, tmp_path: Path
) -> None:
    pages = _pages(tmp_path)
    for name, (path, charts) in pages.items():
        page, errors, requests = _open(browser, path)
        assert errors == [], (name, errors)
        assert requests == [path.as_uri()], (name, requests)
        assert page.locator("#summary").inner_text().strip(), name
        sizes = page.eval_on_selector_all(
            "figure.chart svg",
            "els => els.map(e => [e.getBoundingClientRect().width,"
            " e.getBoundingClientRect().height, e.querySelectorAll('path').length])",
        )
        assert len(sizes) == charts, (name, sizes)
        for width, height, paths in sizes:
            assert width > 100, (name, sizes)
            assert height > 50, (name, sizes)
            assert paths > 5, (name, sizes)
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF"), name
        page.close()
