"""Matplotlib figures as byte-stable SVG and PNG (the optional extra ``repfit[reports]``).

Matplotlib is chosen for the reports because its SVG is static (no script to run
when the page opens, so no network and nothing to break when printed to PDF), can be
inlined in a page, and is deterministic once the metadata that changes between runs
(creation date, software version) is dropped and the SVG ids are salted with a fixed
string (``svg.hashsalt``). Text is kept as text (``svg.fonttype = none``) so the
charts stay small and selectable.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess.errors import RepfitError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

INSTALL_HINT = "pip install 'repfit[reports]'"
PLOT_FORMATS = (".svg", ".png")
PNG_DPI = 110
"""Resolution of PNG charts (dots per inch)."""
COLORS = ("#2f6fdf", "#e07b39", "#3a9e5c", "#b3261e", "#7a4fbf", "#59627a")
"""Series colours, in order (colour-blind-distinguishable pairs first)."""


class MissingExtraError(RepfitError):
    """A report or chart was asked for without the optional plotting library."""


def require_matplotlib() -> Any:
    """The ``matplotlib.pyplot``-free Figure class, or a clear error naming the extra."""
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingExtraError(
            "--report and --plot draw charts with Matplotlib, which is not installed; install "
            f"the optional extra with `{INSTALL_HINT}` (the dev extra includes it)."
        ) from None
    return Figure


@contextmanager
def _stable(salt: str) -> Iterator[None]:
    import matplotlib

    settings: dict[str, Any] = {
        "svg.hashsalt": salt,
        "svg.fonttype": "none",
        "font.family": ["DejaVu Sans"],
        "font.size": 9.0,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "path.simplify": True,
    }
    with matplotlib.rc_context(settings):  # type: ignore[arg-type]
        yield


def new_figure(width: float = 7.0, height: float = 3.6) -> Figure:
    """An empty figure (inches) made without pyplot, so nothing global is kept."""
    figure_class = require_matplotlib()
    with _stable("repfit"):
        figure: Figure = figure_class(figsize=(width, height), layout="constrained")
    return figure


def svg_text(figure: Figure, salt: str) -> str:
    """The figure as SVG markup (no XML prolog), identical for identical figures."""
    buffer = io.StringIO()
    with _stable(f"repfit-{salt}"):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def figure_bytes(figure: Figure, suffix: str, salt: str) -> bytes:
    """The figure as a whole SVG or PNG file with no date or version in it."""
    if suffix == ".svg":
        buffer = io.StringIO()
        with _stable(f"repfit-{salt}"):
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        return buffer.getvalue().encode("utf-8")
    if suffix == ".png":
        binary = io.BytesIO()
        with _stable(f"repfit-{salt}"):
            figure.savefig(binary, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return binary.getvalue()
    raise RepfitError(
        f"--plot: expected a file ending in .svg or .png; found '{suffix or 'no suffix'}'."
    )


def plot_suffix(path: Path) -> str:
    """The chart format from a --plot file name, or a clear error."""
    suffix = path.suffix.lower()
    if suffix not in PLOT_FORMATS:
        raise RepfitError(
            f"{path}: --plot writes .svg or .png; found '{path.suffix or 'no suffix'}'."
        )
    return suffix
