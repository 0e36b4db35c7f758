"""The assessment TUI: ``assess take`` (answer a questionnaire) and ``assess review`` (compare).

A thin Textual layer over :mod:`assess.scoring` and :mod:`assess.profiles`: the
screens show items and results, :mod:`assess.tui.session` keeps the answers, and
every file is written through :mod:`assess.profiles` (atomic writes).
"""
