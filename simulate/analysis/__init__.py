"""Analyses for the sales leader (pure: data in, data out; no terminal, no files).

- :mod:`~simulate.analysis.compare`: paired differences of variants on common random numbers;
- :mod:`~simulate.analysis.sweep`: a grid of teams or policies, Pareto points, marginal reps;
- :mod:`~simulate.analysis.sensitivity`: one-at-a-time tornado and Sobol indices;
- :mod:`~simulate.analysis.calibrate`: shifted-beta-geometric churn fitted to history;
- :mod:`~simulate.analysis.book_view`: the size × potential view of a book.
"""
