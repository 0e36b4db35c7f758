"""The project's user-facing error types.

:class:`RepfitError` is the base of every error meant for the user (its
message is one self-contained paragraph); each package derives its own type
from it: :class:`AssessError` here, ``simulate.errors.SimulateError`` there.
This module imports nothing else, so pure modules can raise these errors
without pulling in the file layer.
"""

from __future__ import annotations


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
