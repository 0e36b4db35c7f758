"""``simulate tui``: a dashboard of staffing what-ifs over the Monte Carlo engine.

:mod:`simulate.tui.view` (the edits as overrides, KPI cards, baseline deltas,
fan-chart cells) and :mod:`simulate.tui.runner` (the engine in growing stages)
hold the logic and know nothing of Textual; :mod:`simulate.tui.app` draws them
and runs the engine on a background thread.
"""
