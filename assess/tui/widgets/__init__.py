"""Reusable widgets of the assessment TUI (each carries its own DEFAULT_CSS)."""
