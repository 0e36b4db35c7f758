"""Time sources for the TUI, injectable so tests and snapshots are reproducible."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What the TUI asks of a clock: a wall-clock timestamp and a monotonic millisecond count."""

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...

    def monotonic_ms(self) -> int:
        """Milliseconds from an arbitrary origin; never goes backwards."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current UTC time, to the second."""
        return datetime.now(UTC).replace(microsecond=0)

    def monotonic_ms(self) -> int:
        """``time.monotonic`` in milliseconds."""
        return int(time.monotonic() * 1000)


class FrozenClock:
    """A clock that moves only when told to (tests, snapshots, screenshots)."""

    def __init__(self, start: datetime = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)) -> None:
        self._start = start
        self._elapsed_ms = 0

    def advance(self, ms: int) -> None:
        """Move the clock forward by ``ms`` milliseconds."""
        self._elapsed_ms += ms

    def now(self) -> datetime:
        """The start time plus everything elapsed so far, to the second."""
        return (self._start + timedelta(milliseconds=self._elapsed_ms)).replace(microsecond=0)

    def monotonic_ms(self) -> int:
        """Milliseconds advanced so far."""
        return self._elapsed_ms
