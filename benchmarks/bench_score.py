"""``assess score`` end to end on a bulk CSV: ``python -m benchmarks score [--quick]``.

Each figure is one ``assess score`` command in a child process, as a user runs it
(start-up, reading and checking the CSV, scoring, writing), with its wall-clock
time, its CPU time (user + system, from ``os.wait4``: the steadier figure on a
shared machine), the system part of it (creating files, faulting in large arrays)
and its peak resident memory:

* ``--format csv -o FILE`` for 100,000 candidates (10,000 with ``--quick``): the flat
  CSV written straight from score columns (issue 14's target: under 3 s and 1 GiB);
* ``--out DIR`` for 20,000 candidates (2,000 with ``--quick``): one YAML profile per
  candidate and the folder's manifest (target: 2,000 profiles/s or more).

Each line gives the candidates per wall-clock second and per CPU-second: on a shared
machine the CPU figure is the one to compare.

The answers are :func:`benchmarks.bench_analyze.synthetic_answers` (seeded).
Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_analyze import synthetic_answers

FULL_CSV = 100_000
"""Candidates scored to CSV in a full run."""

FULL_PROFILES = 20_000
"""Candidates scored to a folder of profiles in a full run."""

QUICK_SHARE = 10
"""A quick run uses this fraction (1/n) of each size."""


def _run(*args: str) -> tuple[float, float, float, float]:
    """Run ``assess ARGS`` in a child; wall seconds, CPU seconds, of which system time
    (creating files, faulting in large arrays), and peak MiB."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "assess", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    error = child.stderr.read().decode() if child.stderr is not None else ""
    if child.stderr is not None:
        child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"assess {' '.join(args)} failed ({child.returncode}): {error}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_stime, usage.ru_maxrss / 1024


def main(quick: bool = False) -> None:
    """Print the figures."""
    from assess.profiles import load_questionnaire

    csv_count = FULL_CSV // QUICK_SHARE if quick else FULL_CSV
    profile_count = FULL_PROFILES // QUICK_SHARE if quick else FULL_PROFILES
    q = load_questionnaire()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        answers = root / "answers.csv"
        synthetic_answers(q, csv_count, answers)
        few = root / "few.csv"
        with answers.open(encoding="utf-8") as handle:
            few.write_text("".join(next(handle) for _ in range(profile_count + 1)), "utf-8")
        print(
            f"{'assess score (end to end)':34} {'wall s':>7} {'CPU s':>7} {'sys s':>6} "
            f"{'per s':>8} {'per CPU-s':>10}  MiB"
        )
        runs: list[tuple[str, int, list[str]]] = [
            (
                f"--format csv, {csv_count:,} candidates",
                csv_count,
                [str(answers), "--format", "csv", "-o", str(root / "a.csv")],
            ),
            (
                f"--out DIR, {profile_count:,} profiles",
                profile_count,
                [str(few), "--out", str(root / "profiles")],
            ),
        ]
        for label, count, arguments in runs:
            wall, cpu, system, mib = _run("score", *arguments)
            print(
                f"{label:34} {wall:7.1f} {cpu:7.1f} {system:6.1f} {count / wall:8,.0f} "
                f"{count / cpu:10,.0f} {mib:5.0f}"
            )
