"""``assess serve``: the take app in the browser, one process per visit, for invited candidates.

Built on textual-serve: its browser terminal (``textual.js``, ``xterm.css``) and its
:class:`~textual_serve.app_service.AppService`, which runs a Textual app in a
child process and relays it over a websocket. What this module adds in front:

* Every route is under ``/take/<token>``; the token is checked (the invitation it
  belongs to must be open: not expired, revoked or submitted) before a page, a
  file or a process is served. Anything else is a plain 404.
* The child process is started from an argument list (``create_subprocess_exec``),
  never a shell string: ``python -m assess.remote.session_app --out DIR --candidate-id
  ID``. The id was checked to be a safe file name when the invitation was made.
* One sitting per invitation: opening the link again closes the earlier process
  first (its answers are flushed), so two tabs never write the same file.
* A sitting whose link is revoked or expires is closed within :data:`WATCH_INTERVAL_S`.
* Security headers on every response; a bad-token throttle per address; an access
  log with tokens redacted (:mod:`assess.remote.security`).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from assess.fileio import RepfitError
from assess.remote.invitations import Invitation, link_for
from assess.remote.security import (
    BadTokenThrottle,
    RedactingAccessLogger,
    redact,
    security_headers,
)
from assess.remote.store import find_by_token, invitation_path, load_invitation, status_of

log = logging.getLogger("assess.serve")

WATCH_INTERVAL_S = 5.0
"""How often running sittings are checked against their invitation (revoked, expired)."""
STOP_TIMEOUT_S = 10.0
"""How long a sitting may take to save and exit after being asked to; then it is killed."""
MAX_SESSIONS = 32
"""Sittings running at once (one process each); more visitors get 503 until one ends."""
MAX_MESSAGE_BYTES = 64 * 1024
"""Largest websocket message accepted from a browser (keys, resizes, pings are tiny)."""
TERMINAL_LIMITS = (20, 500)
"""Smallest and largest terminal width/height (cells) accepted from the browser."""

_TEXTUAL_SERVE_STATIC = files("textual_serve") / "static"
_OWN_STATIC = files("assess.remote") / "static"
STATIC_FILES = {
    "xterm.css": (_TEXTUAL_SERVE_STATIC / "css" / "xterm.css", "text/css"),
    "textual.js": (_TEXTUAL_SERVE_STATIC / "js" / "textual.js", "text/javascript"),
    "RobotoMono.ttf": (
        _TEXTUAL_SERVE_STATIC / "fonts" / "RobotoMono-VariableFont_wght.ttf",
        "font/ttf",
    ),
    "page.css": (_OWN_STATIC / "page.css", "text/css"),
    "page.js": (_OWN_STATIC / "page.js", "text/javascript"),
}
"""The only files served (each behind the token): no folder is ever listed."""

PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>{title}</title>
    <link rel="stylesheet" href="{static}xterm.css">
    <link rel="stylesheet" href="{static}page.css">
    <script src="{static}textual.js"></script>
    <script src="{static}page.js"></script>
  </head>
  <body>
    <div class="dialog-container intro-dialog">
      <div class="intro">{title}: starting…</div>
    </div>
    <div class="dialog-container closed-dialog">
      <div class="intro">
        <div>The session has ended. If you submitted your answers, you are done: thank you.
        Otherwise your answers so far are saved; reconnect to continue.</div>
        <button type="button" id="reconnect">Reconnect</button>
      </div>
    </div>
    <div id="terminal" class="textual-terminal"
      data-session-websocket-url="{websocket}" data-font-size="16"></div>
  </body>
</html>
"""
"""The page: textual-serve's layout, with no inline script and no font from another site."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _bounded(text: str | None, default: int) -> int:
    try:
        value = int(text) if text is not None else default
    except ValueError:
        value = default
    low, high = TERMINAL_LIMITS
    return max(low, min(high, value))


class ExecAppService(AppService):
    """textual-serve's app service, starting the process from an argument list (no shell)."""

    def __init__(self, argv: list[str], **kwargs: object) -> None:
        super().__init__("assess take --candidate (locked to one invitation)", **kwargs)  # type: ignore[arg-type]
        self.argv = argv
        self.process: asyncio.subprocess.Process | None = None

    async def _open_app_process(
        self, width: int = 80, height: int = 24
    ) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        self.process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        self._process = process
        assert process.stdin is not None
        self._stdin = process.stdin
        return process


@dataclass
class Sitting:
    """One running app process and the websocket it talks to."""

    candidate_id: str
    websocket: web.WebSocketResponse
    service: ExecAppService
    stopped: bool = False

    async def stop(self) -> None:
        """Ask the app to exit (it saves the answers), kill it if it does not, close the socket."""
        if self.stopped:
            return
        self.stopped = True
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(self.service.stop(), STOP_TIMEOUT_S)
        process = self.service.process
        if process is not None:
            # Wait for the exit first: killing a process that already exited races with
            # asyncio's child watcher for its exit status.
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.websocket.close()


@dataclass
class ServeConfig:
    """What ``assess serve`` was started with."""

    out_dir: Path
    """The folder with the invitations and the answers."""
    public_url: str
    """The address candidates' links start with (scheme, host, port; no trailing slash)."""
    trust_forwarded: bool = False
    """Take the client address from the last X-Forwarded-For entry (behind a reverse proxy)."""
    python: str = field(default_factory=lambda: sys.executable)
    """Interpreter that runs each sitting."""


class RemoteServer:
    """The aiohttp application and the sittings it runs."""

    def __init__(
        self,
        config: ServeConfig,
        *,
        now: Callable[[], datetime] = _utc_now,
        throttle: BadTokenThrottle | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.out_dir = config.out_dir.resolve()
        self.public_url = config.public_url.rstrip("/")
        self.now = now
        self.throttle = throttle or BadTokenThrottle()
        self.sleep = sleep
        self.sittings: dict[str, Sitting] = {}
        self.processes_started = 0
        """Processes started since the server began (tests check it stays 0 on refusals)."""
        self._downloads = DownloadManager()
        self._candidate_locks: dict[str, asyncio.Lock] = {}
        self._watch_task: asyncio.Task[None] | None = None
        parts = urlsplit(self.public_url)
        self.public_origin = f"{parts.scheme}://{parts.netloc}"
        ws_scheme = "wss" if parts.scheme == "https" else "ws"
        self.websocket_origin = f"{ws_scheme}://{parts.netloc}"
        self.headers = security_headers(self.websocket_origin)

    # ------------------------------------------------------------------ the application

    def make_app(self) -> web.Application:
        """The aiohttp application (routes, middleware, header hook, startup/shutdown)."""
        app = web.Application(middlewares=[self._only_404], client_max_size=64 * 1024)
        app.add_routes(
            [
                web.get("/take/{token}", self.handle_page, allow_head=False),
                web.get("/take/{token}/", self.handle_page, allow_head=False),
                web.get("/take/{token}/static/{name}", self.handle_static, allow_head=False),
                web.get("/take/{token}/ws", self.handle_websocket, allow_head=False),
            ]
        )
        app.on_response_prepare.append(self._add_headers)
        app.on_startup.append(self._start_watch)
        app.on_shutdown.append(self._shutdown)
        return app

    def runner(self, **options: Any) -> web.AppRunner:
        """The application in a runner whose access log has the tokens redacted (aiohttp's
        own access log writes the request line, token and all)."""
        return web.AppRunner(self.make_app(), access_log_class=RedactingAccessLogger, **options)

    @web.middleware
    async def _only_404(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Every refusal is the same plain 404 (a wrong method too, so routes are not revealed)."""
        try:
            return await handler(request)
        except web.HTTPMethodNotAllowed:
            raise web.HTTPNotFound() from None

    async def _add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        for name, value in self.headers.items():
            response.headers[name] = value
        response.headers["Server"] = "repfit"  # not the versions of Python and aiohttp

    # ------------------------------------------------------------------ the token check

    def client_address(self, request: web.Request) -> str:
        """Who is asking: the peer, or (behind a trusted proxy) the last forwarded address."""
        if self.config.trust_forwarded:
            forwarded = request.headers.get("X-Forwarded-For", "")
            last = forwarded.split(",")[-1].strip()
            if last:
                return last
        return request.remote or "unknown"

    def _open_invitation(self, token: str) -> Invitation | None:
        try:
            invitation = find_by_token(self.out_dir, token)
            if invitation is None:
                return None
            return invitation if status_of(self.out_dir, invitation, self.now()).open else None
        except (RepfitError, OSError) as exc:
            message = exc.message if isinstance(exc, RepfitError) else str(exc)
            log.warning("refused a link: %s", redact(message))
            return None

    async def admit(self, request: web.Request) -> Invitation:
        """The open invitation the request's token belongs to; otherwise a plain 404.

        An address over the bad-token limit waits first, one request at a time.
        """
        address = self.client_address(request)
        token = request.match_info.get("token", "")
        delay = self.throttle.delay(address)
        if delay > 0:
            async with self.throttle.lock(address):
                await self.sleep(self.throttle.delay(address))
                invitation = self._open_invitation(token)
        else:
            invitation = self._open_invitation(token)
        if invitation is None:
            self.throttle.record_failure(address)
            raise web.HTTPNotFound()
        return invitation

    # ------------------------------------------------------------------ handlers

    async def handle_page(self, request: web.Request) -> web.Response:
        """The page with the browser terminal."""
        await self.admit(request)
        token = request.match_info["token"]
        base = link_for(self.public_url, token)
        websocket = self.websocket_origin + urlsplit(base).path + "/ws"
        # Relative, so the files come from wherever the page came from (also behind a
        # proxy that adds a path prefix).
        static = "static/" if request.path.endswith("/") else f"{token}/static/"
        page = PAGE.format(
            title="repfit assessment",
            static=html.escape(static),
            websocket=html.escape(websocket),
        )
        return web.Response(text=page, content_type="text/html")

    async def handle_static(self, request: web.Request) -> web.Response:
        """One of :data:`STATIC_FILES` (behind the token too)."""
        await self.admit(request)
        entry = STATIC_FILES.get(request.match_info["name"])
        if entry is None:
            raise web.HTTPNotFound()
        resource, content_type = entry
        return web.Response(body=resource.read_bytes(), content_type=content_type)

    def _origin_allowed(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        return origin in (self.public_origin, f"{request.scheme}://{request.host}")

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """Check the token, then start (or restart) the invited candidate's sitting."""
        invitation = await self.admit(request)
        if not self._origin_allowed(request):
            raise web.HTTPNotFound()
        candidate_id = invitation.candidate.id
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
        width = _bounded(request.query.get("width"), 80)
        height = _bounded(request.query.get("height"), 24)
        lock = self._candidate_locks.setdefault(candidate_id, asyncio.Lock())
        async with lock:  # one sitting per invitation: a new visit replaces the earlier one
            earlier = self.sittings.pop(candidate_id, None)
            if earlier is not None:
                await earlier.stop()
            if len(self.sittings) >= MAX_SESSIONS:
                raise web.HTTPServiceUnavailable(text="Too many assessments running; try later.")
            await websocket.prepare(request)
            service = ExecAppService(
                self.session_argv(candidate_id),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self._downloads,
            )
            sitting = Sitting(candidate_id, websocket, service)
            self.sittings[candidate_id] = sitting
            self.processes_started += 1
            log.info("started a sitting for candidate %s", candidate_id)
        try:
            await service.start(width, height)
            await self._relay(websocket, service)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            await sitting.stop()
            if self.sittings.get(candidate_id) is sitting:
                del self.sittings[candidate_id]
            log.info("ended a sitting for candidate %s", candidate_id)
        return websocket

    def session_argv(self, candidate_id: str) -> list[str]:
        """The child process's argument list (no shell; the id is a checked file name)."""
        return [
            self.config.python,
            "-m",
            "assess.remote.session_app",
            "--out",
            str(self.out_dir),
            "--candidate-id",
            candidate_id,
        ]

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService) -> None:
        """Forward the browser's keys, resizes and focus changes to the app; answer pings."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1]
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(
                    _bounded(str(data.get("width")), 80), _bounded(str(data.get("height")), 24)
                )
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    # ------------------------------------------------------------------ watching sittings

    async def _start_watch(self, app: web.Application) -> None:
        self._watch_task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(WATCH_INTERVAL_S)
            await self.close_withdrawn()

    async def close_withdrawn(self) -> None:
        """Close every sitting whose invitation was revoked or expired meanwhile."""
        for candidate_id, sitting in list(self.sittings.items()):
            try:
                invitation = load_invitation(invitation_path(self.out_dir, candidate_id))
                state = status_of(self.out_dir, invitation, self.now()).state
            except (RepfitError, OSError):
                state = "revoked"
            if state in ("revoked", "expired"):
                log.info("closing the sitting of candidate %s: link %s", candidate_id, state)
                await sitting.stop()

    async def _shutdown(self, app: web.Application) -> None:
        if self._watch_task is not None:
            self._watch_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch_task
        await asyncio.gather(*(sitting.stop() for sitting in list(self.sittings.values())))
