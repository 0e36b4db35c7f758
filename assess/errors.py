"""The project's user-facing error types.

:class:`RepfitError` is the base of every error meant for the user (its
message is one self-contained paragraph); each package derives its own type
from it: :class:`AssessError` here, ``simulate.errors.SimulateError`` there.
This module imports nothing else, so pure modules can raise these errors
without pulling in the file layer.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class RepfitError(Exception):
    """An error meant for the user: its message is one self-contained paragraph.

    The CLIs print the message on stderr as ``error: ...`` and exit with ``exit_code``.
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class AssessError(RepfitError):
    """Bad input or a refused operation in ``assess``; the message is shown to the user."""


def closest(word: str, choices: Iterable[str], limit: int = 1) -> list[str]:
    """The names in ``choices`` closest to a misspelt ``word`` (for a "did you mean")."""
    return difflib.get_close_matches(str(word), [str(c) for c in choices], n=limit, cutoff=0.6)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``" (did you mean 'horizon_months'?)"`` or an empty string when nothing is close."""
    matches = closest(word, choices)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
