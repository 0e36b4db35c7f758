"""repfit assessment: questionnaires, scoring, profiles, psychometrics and the assessment TUI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("repfit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
