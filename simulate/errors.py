"""The one error type of the ``simulate`` package (a user-facing message)."""

from __future__ import annotations

from assess.errors import RepfitError


class SimulateError(RepfitError):
    """Bad input or a refused operation in ``simulate``; the message is shown to the user."""
