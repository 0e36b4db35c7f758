"""Comparing candidates: sort orders and the CSV export of ``assess review`` (no terminal).

The export is one row per candidate, in the order shown on screen, so a
spreadsheet reader sees the same ranking as the reviewer.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence

from assess import csvsafe
from assess.tui.results_model import ResultsView

BEST_FIT = "best"
"""Sort key meaning "by each candidate's best fit"."""


def role_choices(views: Sequence[ResultsView]) -> list[tuple[str, str]]:
    """(role id, role name) of every role any candidate was fitted to, sorted by role id."""
    seen: dict[str, str] = {}
    for view in views:
        for line in view.fits:
            seen.setdefault(line.role_id, line.name)
    return sorted(seen.items())


def duplicate_candidates(views: Sequence[ResultsView]) -> dict[str, str]:
    """A warning for each candidate id shown in more than one column, naming every file.

    Both columns stay on screen (a retake, or two people given the same id); the
    warning tells the reviewer which files they are. Keyed by candidate id, in the
    order the ids first appear.
    """
    sources: dict[str, list[str]] = {}
    for view in views:
        where = str(view.saved_to) if view.saved_to is not None else "(unsaved profile)"
        sources.setdefault(view.candidate_id, []).append(where)
    warnings = {}
    for candidate_id, files in sources.items():
        if len(files) < 2:
            continue
        times = "twice" if len(files) == 2 else f"{len(files)} times"
        listed = ", ".join(files[:-1]) + " and " + files[-1]
        warnings[candidate_id] = (
            f"Candidate id '{candidate_id}' appears {times}: {listed}. "
            "Both are shown; check which profile is the right one."
        )
    return warnings


def fit_ties(views: Sequence[ResultsView], role_id: str) -> list[bool]:
    """Per view (input order): True when, ranked by the fit for ``role_id``, the view's 90 %
    fit interval overlaps the next-ranked view's, so the two are not distinguishable."""
    lines = [next((f for f in view.fits if f.role_id == role_id), None) for view in views]
    ranked = sorted(
        (i for i, line in enumerate(lines) if line is not None and line.fit is not None),
        key=lambda i: -(lines[i].fit or 0.0),  # type: ignore[union-attr]
    )
    out = [False] * len(views)
    for this, below in itertools.pairwise(ranked):
        upper, lower = lines[this], lines[below]
        if (
            upper is not None
            and lower is not None
            and upper.interval is not None
            and lower.interval is not None
            and upper.interval[0] <= lower.interval[1]
        ):
            out[this] = True
    return out


def sort_views(views: Sequence[ResultsView], sort_key: str | None) -> list[ResultsView]:
    """Candidates best first for ``sort_key`` (a role id or :data:`BEST_FIT`); None keeps the order.

    Candidates without a fit for the key (no norms, too few answers) come last, in
    their original order; ties keep the original order too.
    """
    if sort_key is None:
        return list(views)

    def fit(view: ResultsView) -> float | None:
        if sort_key == BEST_FIT:
            best = view.best_fit()
            return best.fit if best is not None else None
        return view.fit_for(sort_key)

    with_fit = [view for view in views if fit(view) is not None]
    without = [view for view in views if fit(view) is None]
    with_fit.sort(key=lambda view: -(fit(view) or 0.0))
    return with_fit + without


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def comparison_csv(views: Sequence[ResultsView], sort_key: str | None) -> str:
    """The comparison as CSV text: one row per candidate, in the sorted order.

    Columns: ``rank, candidate_id, name, role_applied``, then ``<trait>_t`` and
    ``<trait>_band`` per trait, per role ``fit_<role>``, its 90 % interval
    ``fit_<role>_low``/``_high`` and ``fit_<role>_vs_next`` ("not distinguishable" when the
    interval overlaps the next-ranked candidate's for that role), ``best_fit``,
    ``red_flag_count`` and ``red_flags`` (titles joined with ``; ``).
    """
    ordered = sort_views(views, sort_key)
    trait_ids: list[str] = []
    for view in ordered:
        for line in view.traits:
            if line.trait_id not in trait_ids:
                trait_ids.append(line.trait_id)
    roles = [role_id for role_id, _ in role_choices(ordered)]
    header = ["rank", "candidate_id", "name", "role_applied"]
    for trait_id in trait_ids:
        header += [f"{trait_id}_t", f"{trait_id}_band"]
    for role_id in roles:
        header += [f"fit_{role_id}", f"fit_{role_id}_low", f"fit_{role_id}_high"]
        header += [f"fit_{role_id}_vs_next"]
    header += ["best_fit", "red_flag_count", "red_flags"]
    ties = {role_id: fit_ties(ordered, role_id) for role_id in roles}
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)  # names and flags neutralised, cells quoted
    writer.writerow(header)
    for rank, view in enumerate(ordered, start=1):
        by_trait = {line.trait_id: line for line in view.traits}
        row = [str(rank), view.candidate_id, view.name or "", view.role or ""]
        for trait_id in trait_ids:
            score = by_trait.get(trait_id)
            row += [_number(score.t if score else None), (score.band or "") if score else ""]
        for role_id in roles:
            fit_line = next((f for f in view.fits if f.role_id == role_id), None)
            interval = fit_line.interval if fit_line is not None else None
            row += [
                _number(view.fit_for(role_id)),
                _number(interval[0] if interval else None),
                _number(interval[1] if interval else None),
                "not distinguishable" if ties[role_id][rank - 1] else "",
            ]
        best = view.best_fit()
        row += [
            best.role_id if best else "",
            str(len(view.flags)),
            "; ".join(flag.title for flag in view.flags),
        ]
        writer.writerow(row)
    return buffer.getvalue()
