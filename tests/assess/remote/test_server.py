"""``assess serve`` in-process on 127.0.0.1 (ephemeral port): who gets in, and who does not."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import make_mocked_request

from assess.profiles import load_answers
from assess.remote import store
from assess.remote.invitations import new_token
from assess.remote.security import FREE_BAD_TOKENS
from assess.remote.server import RemoteServer, ServeConfig
from tests.assess.remote.helpers import (
    SHELL_NAME,
    child_pids,
    invite,
    make_server,
    running,
    submitted_answers,
)
from tests.assess.tui.conftest import run_async


class Sleeps:
    """Stands in for asyncio.sleep: records the throttle's waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


async def _status(session: aiohttp.ClientSession, url: str) -> tuple[int, str, dict[str, str]]:
    async with session.get(url, allow_redirects=False) as response:
        return response.status, await response.text(), dict(response.headers)


async def _ws_status(session: aiohttp.ClientSession, url: str) -> int:
    try:
        async with session.ws_connect(url):
            return 101
    except aiohttp.WSServerHandshakeError as exc:
        return exc.status


@run_async
async def test_refused_links_get_a_plain_404_and_start_no_process(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "interviews"
    valid = invite(out, "c-001")
    expired = invite(out, "c-002", when=datetime.now(UTC) - timedelta(days=8))
    revoked = invite(out, "c-003")
    store.revoke(out, "c-003", datetime.now(UTC))
    submitted = invite(out, "c-004")
    submitted_answers(out, "c-004")
    wrong = new_token()
    sleeps = Sleeps()
    server = make_server(out, sleep=sleeps)
    before = child_pids()
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    async with running(server) as base, aiohttp.ClientSession() as session:
        paths = [
            "/",
            "/take",
            "/take/",
            "/ws",
            "/static/js/textual.js",
            "/download/x",
            "/take/not-a-token",
            "/take/not-a-token/ws",
        ]
        for token in (wrong, expired, revoked, submitted):
            paths += [f"/take/{token}", f"/take/{token}/", f"/take/{token}/static/textual.js"]
        for path in paths:
            status, body, headers = await _status(session, base + path)
            assert (status, body) == (404, "404: Not Found"), path
            assert headers["Content-Type"].startswith("text/plain")
            assert headers["X-Frame-Options"] == "DENY"
            assert headers["Referrer-Policy"] == "no-referrer"
            assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        for token in ("", wrong, expired, revoked, submitted):
            assert await _ws_status(session, f"{base}/take/{token}/ws") == 404
        async with session.post(f"{base}/take/{wrong}") as response:
            assert response.status == 404  # not 405: the routes are not revealed either
        # A page of another site cannot open a sitting, even with a valid token.
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(
                f"{base}/take/{valid}/ws", headers={"Origin": "https://evil.example"}
            )
        assert refused.value.status == 404
    assert server.processes_started == 0
    assert server.sittings == {}
    assert child_pids() <= before
    # Bad tokens from one address are slowed down: waits begin after the free ones and grow.
    assert sleeps.waits, "the address sending bad tokens was never slowed down"
    assert sleeps.waits[0] > 0
    assert sleeps.waits == sorted(sleeps.waits)
    assert server.throttle.bad_tokens("127.0.0.1") > FREE_BAD_TOKENS
    # No token reaches the access log.
    assert "/take/<token>" in caplog.text
    for token in (wrong, expired, revoked, submitted):
        assert token not in caplog.text


@run_async
async def test_a_valid_link_serves_only_its_page_and_named_files(tmp_path: Path) -> None:
    out = tmp_path / "interviews"
    token = invite(out, "c-001", name="Jane Doe")
    other = invite(out, "c-002", name="Other Person")
    server = make_server(out)
    async with running(server) as base, aiohttp.ClientSession() as session:
        status, page, headers = await _status(session, f"{base}/take/{token}")
        assert status == 200
        assert "Other Person" not in page
        assert other not in page
        assert f'src="{token}/static/textual.js"' in page
        assert "<script>" not in page  # no inline script: the policy allows none
        assert headers["Cache-Control"] == "no-store"
        status, script, _ = await _status(session, f"{base}/take/{token}/static/textual.js")
        assert status == 200
        assert len(script) > 10_000
        for path in (
            "static/",
            "static",
            "static/..%2Fserver.py",
            "static/app_index.html",
            "static/css",
            "c-002.answers.yaml",
            "../c-002",
            "results",
        ):
            status, _, _ = await _status(session, f"{base}/take/{token}/{path}")
            assert status == 404, path
    assert server.processes_started == 0


async def _wait_for(condition: object, what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.1)


def _identity(path: Path) -> int | None:
    """The file's inode (atomic writes replace it), or None when there is no file."""
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


def _answered(path: Path) -> int:
    try:
        return len(load_answers(path).answers)
    except Exception:
        return -1


async def _sitting(base: str, token: str, keys: list[str], answers: Path, count: int) -> None:
    """Open the websocket as the page does, press ``keys``, wait for ``count`` answers."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{base}/take/{token}/ws?width=80&height=24") as websocket,
    ):
        first = await asyncio.wait_for(websocket.receive(), 60)
        assert first.type == aiohttp.WSMsgType.BINARY  # the app drew its first screen
        before = _identity(answers)
        await websocket.send_json(["stdin", "\r"])  # Begin: (re)writes the answers file
        await _wait_for(lambda: _identity(answers) not in (None, before), "the answers file")
        for key in keys:
            await websocket.send_json(["stdin", key])
        await _wait_for(lambda: _answered(answers) >= count, f"{count} answers saved")


@run_async
async def test_a_token_opens_only_its_own_candidate_and_resumes_after_a_restart(
    tmp_path: Path,
) -> None:
    out = tmp_path / "interviews"
    token = invite(out, "c-001", name=SHELL_NAME)
    invite(out, "c-002", name="Other Person")
    answers = out / "c-001.answers.yaml"
    server = make_server(out)
    async with running(server) as base:
        await _sitting(base, token, ["4", "2"], answers, 2)
        assert server.processes_started == 1
    # The process got an argument list naming its own candidate only; no name, no token.
    saved = load_answers(answers)
    assert saved.candidate.id == "c-001"
    assert saved.candidate.name == SHELL_NAME  # stored as text ...
    assert not (out / "PWNED").exists()
    assert not Path("PWNED").exists()
    assert not (out / "c-002.answers.yaml").exists()
    argv = server.session_argv("c-001")
    assert argv[-2:] == ["--candidate-id", "c-001"]
    assert not any(SHELL_NAME in arg or token in arg for arg in argv)
    assert answers.stat().st_mode & 0o777 == 0o600

    # A new server (as after a restart) resumes the same link where it stopped.
    restarted = make_server(out)
    async with running(restarted) as base:
        await _sitting(base, token, ["5"], answers, 3)
    resumed = load_answers(answers)
    assert [record.value for record in resumed.answers.values()] == [4, 2, 5]
    assert resumed.finished is None
    assert not (out / "c-002.answers.yaml").exists()


@run_async
async def test_revoking_a_link_closes_its_open_sitting(tmp_path: Path) -> None:
    out = tmp_path / "interviews"
    token = invite(out, "c-001")
    server: RemoteServer = make_server(out)
    async with running(server) as base, aiohttp.ClientSession() as session:
        async with session.ws_connect(f"{base}/take/{token}/ws") as websocket:
            await asyncio.wait_for(websocket.receive(), 60)
            sitting = server.sittings["c-001"]
            process = sitting.service.process
            assert process is not None
            assert process.returncode is None
            store.revoke(out, "c-001", datetime.now(UTC))
            await server.close_withdrawn()
            assert process.returncode is not None
            ends = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)
            for _ in range(10_000):  # what the app drew before it was closed, then the close
                message = await asyncio.wait_for(websocket.receive(), 30)
                if message.type in ends:
                    break
            assert message.type in ends
        status, _, _ = await _status(session, f"{base}/take/{token}")
        assert status == 404


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_visitor(tmp_path: Path) -> None:
    request = make_mocked_request(
        "GET", "/take/x", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    )
    proxied = RemoteServer(
        ServeConfig(out_dir=tmp_path, public_url="https://assess.example.com", trust_forwarded=True)
    )
    assert proxied.client_address(request) == "203.0.113.7"  # what the proxy itself saw
    # Without --trust-forwarded the header is ignored (anyone can send it).
    assert make_server(tmp_path).client_address(request) != "203.0.113.7"
    assert proxied.websocket_origin == "wss://assess.example.com"
    assert (
        "connect-src 'self' wss://assess.example.com" in proxied.headers["Content-Security-Policy"]
    )
