"""Running :class:`~assess.remote.server.RemoteServer` until Ctrl+C or SIGTERM (I/O edge)."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import sys
from pathlib import Path

from aiohttp import web

from assess.errors import AssessError
from assess.remote.server import RemoteServer, ServeConfig

SHUTDOWN_TIMEOUT_S = 15.0
"""Time given to open sittings to save and exit when the server stops."""


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (an error naming both when it cannot be had)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        raise AssessError(f"cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
    sock.setblocking(False)
    return sock


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    for name in ("aiohttp.access", "assess.serve", "textual-serve"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


async def _serve(
    out_dir: Path, host: str, port: int, public_url: str | None, trust_forwarded: bool
) -> bool:
    """Serve until a signal; True when it was SIGINT (Ctrl+C)."""
    stop = asyncio.Event()
    interrupted = False

    def on_signal(signum: int) -> None:
        nonlocal interrupted
        interrupted = signum == signal.SIGINT
        stop.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal, signum)

    # Bind first: with --port 0 the port (and so the default public URL) is known only then.
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    public_url = public_url or f"http://{_url_host(host)}:{bound_port}"
    server = RemoteServer(
        ServeConfig(out_dir=out_dir, public_url=public_url, trust_forwarded=trust_forwarded)
    )
    runner = server.runner(shutdown_timeout=SHUTDOWN_TIMEOUT_S, handle_signals=False)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    print(
        f"serving invitations from {out_dir} on http://{_url_host(host)}:{bound_port} "
        f"(links start with {server.public_url}/take/); Ctrl+C stops.",
        file=sys.stderr,
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
    return interrupted


def run_server(
    out_dir: Path, host: str, port: int, public_url: str | None, trust_forwarded: bool
) -> None:
    """Serve until stopped; Ctrl+C ends as an interruption (exit 130) after open
    sittings saved their answers."""
    _configure_logging()
    if asyncio.run(_serve(out_dir, host, port, public_url, trust_forwarded)):
        raise KeyboardInterrupt
