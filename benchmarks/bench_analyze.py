"""``assess analyze`` on 100,000 respondents × the bundled questionnaire (``--quick``: 10,000).

The bundled questionnaire has 140 items; issue 14 names 100,000 × 120, so the command is also
timed on the bundled questionnaire less its 15 situational items and 5 of its 14
social-desirability items (120 items, every trait item kept).

Generates a synthetic answers CSV (seeded: one latent level per trait, noise per
item, a few careless straight-liners, 1 % skipped answers), then runs the whole
command as a user does, in a child process (``--format json`` and ``--format
table``; wall clock, CPU seconds from ``os.wait4`` (the steadier figure on a shared
machine) and peak memory), and times its parts in this process: reading the CSV,
the analysis, writing the JSON text. Ends with the README's table rows.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from assess.model import LikertItem, Questionnaire
from assess.profiles import load_questionnaire, read_answers_table
from assess.psychometrics_analysis import analyze_sample


def synthetic_answers(q: Questionnaire, respondents: int, path: Path, seed: int = 2026) -> None:
    """Write a bulk answers CSV for ``q`` with plausible, seeded answers."""
    rng = np.random.default_rng(seed)
    trait_index = {trait_id: i for i, trait_id in enumerate(q.trait_ids())}
    levels = rng.normal(size=(respondents, len(trait_index)))
    span = q.scale.max - q.scale.min
    middle = (q.scale.max + q.scale.min) / 2
    columns: list[np.ndarray] = []
    for item in q.items:
        if isinstance(item, LikertItem) and item.expect is not None:
            columns.append(np.full(respondents, float(item.expect)))  # attention check passed
        elif isinstance(item, LikertItem):
            if item.trait is not None:
                sign = 1.0 if item.keyed == "+" else -1.0
                latent = sign * levels[:, trait_index[item.trait]]
            else:
                latent = np.zeros(respondents)
            noise = rng.normal(0.0, 0.8, size=respondents)
            value = np.rint(middle + span / 4 * (latent + noise))
            columns.append(np.clip(value, q.scale.min, q.scale.max))
        else:
            columns.append(rng.integers(1, len(item.options) + 1, size=respondents).astype(float))
    answers = np.column_stack(columns)
    careless = rng.random(respondents) < 0.02
    answers[careless] = np.where(np.array([isinstance(i, LikertItem) for i in q.items]), 4.0, 1.0)
    answers[rng.random(answers.shape) < 0.01] = np.nan
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate_id", *q.item_ids()])
        for row in range(respondents):
            cells = ["" if np.isnan(v) else str(int(v)) for v in answers[row]]
            writer.writerow([f"r{row:06d}", *cells])


def _run(*args: str) -> tuple[float, float, float]:
    """Run ``assess ARGS`` in a child process as a user would: wall seconds, CPU seconds
    (user + system, from ``os.wait4``) and peak MiB."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "assess", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    error = child.stderr.read().decode() if child.stderr is not None else ""
    if child.stderr is not None:
        child.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"assess {' '.join(args)} failed: {error}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def issue_questionnaire(folder: Path) -> Path:
    """The bundled questionnaire cut to issue 14's 120 items (see the module's docstring),
    written to ``folder``."""
    import yaml

    from questionnaires import bundled

    with bundled("sales-traits").open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    items = document["items"]
    desirability = [item["id"] for item in items if item.get("validity") == "social_desirability"]
    left_out = {item["id"] for item in items if item["type"] == "situational"}
    left_out.update(desirability[-5:])
    document["items"] = [item for item in items if item["id"] not in left_out]
    path = folder / "sales-traits-120.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def main(quick: bool) -> None:
    """Print the figures."""
    respondents = 10_000 if quick else 100_000
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        cut = issue_questionnaire(Path(folder))
        for ref in (None, cut):
            rows += _measure(respondents, ref, Path(folder))
    print("README rows (| command | wall s | CPU s | respondents per CPU-s | MiB |):")
    for row in rows:
        print(row)


def _measure(respondents: int, ref: Path | None, folder: Path) -> list[str]:
    """Time the command on one questionnaire (``None``: the bundled one); its README rows."""
    q = load_questionnaire(ref)
    answers = folder / "answers.csv"
    synthetic_answers(q, respondents, answers)
    size_mb = answers.stat().st_size / 1e6
    shape = f"{respondents:,} × {len(q.items)}"
    print(
        f"{respondents:,} respondents × {len(q.items)} items "
        f"({len(q.likert_items())} Likert), CSV {size_mb:.1f} MB"
    )
    heading = f"{'wall s':>7} {'CPU s':>7} {'resp/CPU-s':>11} {'MiB':>5}"
    print(f"{'assess analyze (end to end)':44} {heading}")
    rows: list[str] = []
    chosen = [] if ref is None else ["-q", str(ref)]
    for label, fmt in (("--format json", "json"), ("--format table", "table")):
        wall, cpu, mib = _run(
            "analyze", str(answers), *chosen, "--format", fmt, "-o", f"{folder}/a.{fmt}"
        )
        figures = f"{wall:7.1f} {cpu:7.1f} {respondents / cpu:11,.0f} {mib:5.0f}"
        print(f"{label + ', ' + shape:44} {figures}")
        rows.append(
            f"| `assess analyze {label}`, {shape} | {wall:.1f} | {cpu:.1f} | "
            f"{respondents / cpu:,.0f} | {mib:.0f} |"
        )

    # The parts, in this process (CPU seconds; imports already done).
    cpu = time.process_time()
    table = read_answers_table(answers, q)
    read = time.process_time() - cpu
    cpu = time.process_time()
    with threadpool_limits(limits=1, user_api="blas"):  # as the command does
        analysis = analyze_sample(q, table.matrix, table.candidate_ids)
    analyse = time.process_time() - cpu
    cpu = time.process_time()
    analysis.json_text()
    dump = time.process_time() - cpu
    print(f"  reading and checking the CSV: {read:.1f} CPU-s")
    print(f"  analysis (reliability, careless, Mahalanobis): {analyse:.1f} CPU-s")
    print(f"  JSON document: {dump:.1f} CPU-s")
    print(f"  flagged as careless: {analysis.flagged:,} of {respondents:,}")
    return rows
