"""Reports a sales leader can forward: HTML pages, chart files and the terminal headline.

- :mod:`simulate.reports.headline`: the answer first, in plain words (pure strings);
  every command prints it before its tables, and every HTML report opens with it.
- :mod:`simulate.reports.charts`: Matplotlib charts (fan chart, survival, wallet share,
  revenue by archetype, sweep heat map and cost frontier, tornado, fitted survival),
  deterministic so golden tests compare files (optional extra ``repfit[reports]``).
- :mod:`simulate.reports.html`: one ``render_*_html(...) -> str`` per command (pure) and
  :func:`simulate.reports.html.write_report`, the one writer.
- :mod:`simulate.reports.options`: the shared ``--report`` / ``--plot`` options.
"""
