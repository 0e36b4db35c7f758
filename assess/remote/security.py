"""What keeps the server's pages safe: headers, a bad-token throttle, a log without tokens.

* :func:`security_headers`: the headers every response carries (content security
  policy, no framing, no referrer, no sniffing, no caching).
* :class:`BadTokenThrottle`: an address that sent :data:`FREE_BAD_TOKENS` bad tokens
  within :data:`BAD_TOKEN_WINDOW_S` waits before each further token is checked, the
  wait doubling up to :data:`MAX_DELAY_S`, and its requests are checked one at a time.
* :class:`RedactingAccessLogger`: aiohttp's access log with every token replaced.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

FREE_BAD_TOKENS = 5
"""Bad tokens an address may send within the window before it is slowed down (a candidate
mistyping a link a few times is not slowed)."""
BAD_TOKEN_WINDOW_S = 600.0
"""Window in seconds over which bad tokens are counted (10 minutes)."""
FIRST_DELAY_S = 0.5
"""Wait in seconds before checking a token once an address is over the limit; it doubles
with every further bad token."""
MAX_DELAY_S = 30.0
"""Longest wait in seconds per request for a slowed-down address."""
MAX_TRACKED_ADDRESSES = 10_000
"""Addresses remembered at once (the oldest is forgotten first), so memory stays bounded."""

_TOKEN_IN_PATH = re.compile(r"/take/[^/?#\s]*")


def content_security_policy(websocket_origin: str) -> str:
    """The policy for the served pages.

    Scripts and styles only from this server (textual-serve's bundled ``textual.js``
    and ``xterm.css`` and our own), inline styles allowed because xterm.js injects
    ``<style>`` elements, the websocket only to ``websocket_origin``, no plugins, no
    forms, no ``<base>``, and no framing by any site.
    """
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {websocket_origin}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ]
    )


def security_headers(websocket_origin: str) -> Mapping[str, str]:
    """Headers set on every response of the server."""
    return {
        "Content-Security-Policy": content_security_policy(websocket_origin),
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


def redact(text: str) -> str:
    """``text`` with the token of every ``/take/<token>`` path replaced by ``<token>``."""
    return _TOKEN_IN_PATH.sub("/take/<token>", text)


class BadTokenThrottle:
    """Counts bad tokens per address and says how long to wait before checking the next.

    ``clock`` gives seconds (monotonic); tests pass their own.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}

    def _recent(self, address: str) -> deque[float]:
        failures = self._failures.get(address)
        if failures is None:
            return deque()
        cutoff = self._clock() - BAD_TOKEN_WINDOW_S
        while failures and failures[0] < cutoff:
            failures.popleft()
        if not failures:
            del self._failures[address]
            self._locks.pop(address, None)
        return failures

    def bad_tokens(self, address: str) -> int:
        """Bad tokens from ``address`` within the window."""
        return len(self._recent(address))

    def delay(self, address: str) -> float:
        """Seconds to wait before checking the next token from ``address`` (0 when not slowed)."""
        over = self.bad_tokens(address) - FREE_BAD_TOKENS
        if over < 0:
            return 0.0
        return min(FIRST_DELAY_S * 2.0**over, MAX_DELAY_S)

    def record_failure(self, address: str) -> None:
        """Count one bad token from ``address``."""
        failures = self._failures.setdefault(address, deque())
        failures.append(self._clock())
        self._failures.move_to_end(address)
        while len(self._failures) > MAX_TRACKED_ADDRESSES:
            oldest, _ = self._failures.popitem(last=False)
            self._locks.pop(oldest, None)

    def lock(self, address: str) -> asyncio.Lock:
        """The lock that makes a slowed-down address's checks wait one after another."""
        return self._locks.setdefault(address, asyncio.Lock())


class RedactingAccessLogger(AbstractAccessLogger):
    """One access-log line per request, the token in the path replaced by ``<token>``.

    aiohttp's own access log writes the request line, which carries the token;
    this one writes the address, method, redacted path, status and duration.
    """

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s" %s %.3fs',
            request.remote,
            request.method,
            redact(request.rel_url.path),
            response.status,
            time,
        )

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)
