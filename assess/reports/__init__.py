"""Reports a reader can forward: self-contained HTML pages and deterministic chart files.

:mod:`assess.reports.html` builds the page (pure strings, no network: styles inline,
charts as inline SVG); :mod:`assess.reports.figures` turns Matplotlib figures into
byte-stable SVG and PNG (the optional extra ``repfit[reports]``);
:mod:`assess.reports.candidate` is one candidate's report (``assess show --report``).
``simulate`` builds its reports on the same two modules.
"""
