"""The keyboard contract of ``simulate tui`` (shown by ``?``; the README repeats it)."""

from __future__ import annotations

DASHBOARD_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "move between the team, policies, run settings and assumptions"),
    ("+ / − (or → / ←)", "on a team row: one seat more / fewer (or click its + and − buttons)"),
    ("a", "add a candidate: pick their profile (*.yaml), then the role they would take"),
    ("x / Delete", "on a candidate's row: remove the candidate (⚠ marks validity flags)"),
    ("Enter (in a field)", "apply the typed horizon, trials or assumption (checked first)"),
    ("Escape", "leave a text field (keys work again)"),
    ("PageUp / PageDown", "scroll the outcomes (cards, fan chart, tables); the mouse wheel too"),
    ("b", "pin the current result as the baseline: cards then show Δ ± 95 % CI"),
    ("c", "clear the baseline"),
    ("r", "run again from the first trials"),
    ("Ctrl+S", "save the edited scenario (asks before overwriting a file changed on disk)"),
    ("e", "export the HTML report of the current result (as simulate run --report)"),
    ("Ctrl+P", "command palette: every action by name"),
    ("?", "this help"),
    ("q", "quit (asks only when there are unsaved edits); also during a run"),
    ("Ctrl+C", "quit at once, without asking (exit status 130)"),
)
"""What each key does in ``simulate tui``."""
