"""Screens of the ``simulate tui`` dashboard."""
