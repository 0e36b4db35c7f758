"""Helpers for the remote-delivery tests: invitations, child processes, a running server."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

from assess.model import Candidate
from assess.profiles import load_questionnaire, save_answers
from assess.remote import store
from assess.remote.server import RemoteServer, ServeConfig
from assess.tui.session import TakeSession
from tests.assess.helpers import MINI


def invite(
    out: Path,
    candidate_id: str,
    *,
    name: str | None = None,
    when: datetime | None = None,
    expires: str = "7d",
) -> str:
    """Invite ``candidate_id`` to the mini questionnaire; the link's token."""
    issued = store.invite(
        out, Candidate(id=candidate_id, name=name), str(MINI), when or datetime.now(UTC), expires
    )
    return issued.token


SHELL_NAME = "Ann $(touch PWNED); rm -rf ~ `id` 'x' \"y\" | cat > /dev/null & echo"
"""A candidate name full of shell metacharacters: it must stay text."""


def submitted_answers(out: Path, candidate_id: str, *, finished: bool = True) -> None:
    """An answers file with one answer for ``candidate_id``, submitted unless told otherwise."""
    q = load_questionnaire(MINI)
    session = TakeSession.new(q, Candidate(id=candidate_id), datetime.now(UTC), None)
    session.record(3, 1000)
    session.finished = datetime.now(UTC) if finished else None
    save_answers(out / f"{candidate_id}.answers.yaml", session.to_answers())


def child_pids() -> set[int]:
    """Processes this test process started and that are still running (Linux /proc)."""
    pids: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(OSError):
            pids.update(int(pid) for pid in (task / "children").read_text().split())
    return pids


@contextlib.asynccontextmanager
async def running(server: RemoteServer) -> AsyncIterator[str]:
    """Serve ``server`` on 127.0.0.1 at an ephemeral port; yields the base URL."""
    runner = server.runner()
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)  # loopback only, any free port
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def make_server(out: Path, **options: object) -> RemoteServer:
    """A server over ``out`` (links as if served at http://127.0.0.1)."""
    return RemoteServer(ServeConfig(out_dir=out, public_url="http://127.0.0.1"), **options)  # type: ignore[arg-type]
