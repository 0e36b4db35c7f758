"""Widgets of the ``simulate tui`` dashboard."""
