"""The one error type of the ``assess`` package (a user-facing message)."""

from __future__ import annotations

from assess.fileio import RepfitError


class AssessError(RepfitError):
    """Bad input or a refused operation in ``assess``; the message is shown to the user."""
