"""``assess analyze`` on 100,000 respondents × the bundled questionnaire (``--quick``: 10,000).

Generates a synthetic answers CSV (seeded: one latent level per trait, noise per
item, a few careless straight-liners), then times the whole command as a user
runs it, and its parts: reading the CSV, the analysis, writing JSON.
"""

from __future__ import annotations

import csv
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from assess.cli import main as assess_main
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


def main(quick: bool) -> None:
    """Print the figures."""
    respondents = 10_000 if quick else 100_000
    q = load_questionnaire()
    with tempfile.TemporaryDirectory() as folder:
        answers = Path(folder) / "answers.csv"
        synthetic_answers(q, respondents, answers)
        size_mb = answers.stat().st_size / 1e6
        print(
            f"{respondents:,} respondents × {len(q.items)} items "
            f"({len(q.likert_items())} Likert), CSV {size_mb:.1f} MB"
        )

        start = time.perf_counter()
        cpu = time.process_time()
        code = assess_main(["analyze", str(answers), "--format", "json", "-o", f"{folder}/a.json"])
        whole = time.perf_counter() - start
        whole_cpu = time.process_time() - cpu
        if code != 0:
            raise SystemExit(f"assess analyze failed with exit code {code}")
        print(
            f"assess analyze --format json: {whole:.1f} s wall, {whole_cpu:.1f} CPU-s "
            f"({respondents / whole:,.0f} resp/s; peak RSS of this process so far "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB)"
        )

        start = time.perf_counter()
        table = read_answers_table(answers, q)
        read = time.perf_counter() - start
        start = time.perf_counter()
        analysis = analyze_sample(q, table.matrix, table.candidate_ids)
        analyse = time.perf_counter() - start
        start = time.perf_counter()
        json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False)
        dump = time.perf_counter() - start
        print(f"  reading and checking the CSV: {read:.1f} s")
        print(f"  analysis (reliability, careless, Mahalanobis): {analyse:.1f} s")
        print(f"  JSON document: {dump:.1f} s")
        print(f"  flagged as careless: {analysis.flagged:,} of {respondents:,}")
