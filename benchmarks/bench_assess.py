"""Candidates scored per second: ``python -m benchmarks assess [--quick]``.

Scores synthetic candidates on the bundled ``sales-traits`` questionnaire (every
item answered at random, with answer times) and prints throughput for scoring
alone (:func:`assess.scoring.score_answers`, which builds the profiles) and for
scoring followed by the flat CSV export. Figures are printed, never asserted.
"""

from __future__ import annotations

import time

import numpy as np

from assess.model import AnswerRecord, Answers, Candidate, LikertItem, Questionnaire
from assess.profiles import export_profiles, load_questionnaire
from assess.scoring import score_answers

FULL_CANDIDATES = 100_000
"""Candidates in a full run (issue 4)."""

QUICK_CANDIDATES = 10_000
"""Candidates in a quick run."""

SEED = 20261123
"""Seed of the synthetic answers."""


def synthetic_answers(q: Questionnaire, count: int, rng: np.random.Generator) -> list[Answers]:
    """``count`` candidates answering every item uniformly at random, 1–20 s per answer."""
    highs = np.array(
        [q.scale.max if isinstance(item, LikertItem) else len(item.options) for item in q.items]
    )
    lows = np.array([q.scale.min if isinstance(item, LikertItem) else 1 for item in q.items])
    values = rng.integers(lows, highs + 1, size=(count, len(q.items)))
    times = rng.integers(1000, 20_000, size=(count, len(q.items)))
    ref = q.ref()
    ids = q.item_ids()
    return [
        Answers(
            questionnaire=ref,
            candidate=Candidate(id=f"s-{row:06d}"),
            answers={
                item_id: AnswerRecord(value=int(value), ms=int(ms))
                for item_id, value, ms in zip(ids, values[row], times[row], strict=True)
            },
        )
        for row in range(count)
    ]


BATCH = 5_000
"""Candidates built and scored at a time, as ``assess score`` does (answers objects for
100,000 candidates at once would need several GB)."""


def main(quick: bool = False) -> None:
    """Print candidates per second for scoring alone and scoring plus CSV export."""
    count = QUICK_CANDIDATES if quick else FULL_CANDIDATES
    q = load_questionnaire()
    rng = np.random.default_rng(SEED)
    building = scoring = both = 0.0
    csv_bytes = flagged = 0
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        began = time.perf_counter()
        answers = synthetic_answers(q, size, rng)
        building += time.perf_counter() - began

        began = time.perf_counter()
        profiles = score_answers(q, answers)
        scoring += time.perf_counter() - began

        began = time.perf_counter()
        text = export_profiles(score_answers(q, answers), "csv")
        both += time.perf_counter() - began
        csv_bytes += len(text.encode("utf-8"))
        flagged += sum(1 for profile in profiles if profile.red_flags)
    print(
        f"questionnaire {q.id} {q.version}: {len(q.traits)} traits, {len(q.items)} items; "
        f"{count:,} synthetic candidates in batches of {BATCH:,} (answers built in "
        f"{building:.1f} s, not counted)"
    )
    print(f"scoring alone:        {count / scoring:>10,.0f} candidates/s ({scoring:.2f} s)")
    print(
        f"scoring + CSV export: {count / both:>10,.0f} candidates/s ({both:.2f} s, "
        f"{csv_bytes / 1e6:.1f} MB of CSV)"
    )
    print(f"(profiles with a red flag: {flagged:,} of {count:,}; random answers look careless)")
