"""Performance harness: each ``bench_*.py`` module has ``main(quick: bool) -> None``.

Figures are printed, never asserted: the machines are shared and noisy, so
report ratios measured in one run where possible.
"""
