"""repfit simulation: scenarios, books, rep archetypes and the Monte Carlo staffing engine."""

from assess import __version__

__all__ = ["__version__"]
