"""The bad-token throttle and token redaction (pure parts of the server's security)."""

from __future__ import annotations

from assess.remote.security import (
    BAD_TOKEN_WINDOW_S,
    FIRST_DELAY_S,
    FREE_BAD_TOKENS,
    MAX_DELAY_S,
    BadTokenThrottle,
    redact,
    security_headers,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_is_slowed_down_after_the_free_bad_tokens_and_recovers() -> None:
    clock = FakeClock()
    throttle = BadTokenThrottle(clock)
    for _ in range(FREE_BAD_TOKENS - 1):
        throttle.record_failure("203.0.113.9")
    assert throttle.delay("203.0.113.9") == 0.0
    throttle.record_failure("203.0.113.9")
    delays = [throttle.delay("203.0.113.9")]
    for _ in range(12):
        throttle.record_failure("203.0.113.9")
        delays.append(throttle.delay("203.0.113.9"))
    assert delays[0] == FIRST_DELAY_S
    assert delays[1] == 2 * FIRST_DELAY_S
    assert delays == sorted(delays)
    assert delays[-1] == MAX_DELAY_S
    # Another address is not affected.
    assert throttle.delay("198.51.100.7") == 0.0
    # Bad tokens older than the window are forgotten.
    clock.now += BAD_TOKEN_WINDOW_S + 1
    assert throttle.delay("203.0.113.9") == 0.0


def test_redaction_removes_every_token() -> None:
    token = "jtYdhOSmY5NOL5UyLtDv4fXOjOjaYe7Bh2Y-SciJ1LQ"
    for path in (f"/take/{token}", f"/take/{token}/ws?width=80", f"/take/{token}/static/x.js"):
        assert token not in redact(path)
        assert redact(path).startswith("/take/<token>")


def test_headers_forbid_framing_referrers_and_foreign_scripts() -> None:
    headers = security_headers("wss://assess.example.com")
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "connect-src 'self' wss://assess.example.com" in csp
    assert "'unsafe-eval'" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
