"""Generate ``examples/outcomes.csv``: made-up outcomes for the 44 sample candidates.

Run from the repository root (``.venv/bin/python examples/make_outcomes.py``); the same seed
writes the same bytes. The outcomes are synthetic, for trying ``assess criterion``: quota
attainment rises with farmer fit (0.4 SD per SD, plus noise), tenure in months does not
depend on any score. They describe no real person and prove nothing about the questionnaire.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from assess.fileio import atomic_write
from assess.profiles import load_questionnaire, read_answers_csv
from assess.scoring import score_answers

SEED = 20261125
"""Seed of the committed file."""

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Write the CSV next to this script."""
    q = load_questionnaire()
    profiles = score_answers(q, read_answers_csv(HERE / "answers.csv", q))
    rng = np.random.default_rng(SEED)
    fit = np.array(
        [next((f.fit for f in p.role_fit if f.role == "farmer"), None) or np.nan for p in profiles]
    )
    z = (fit - np.nanmean(fit)) / np.nanstd(fit)
    quota = 1.0 + 0.2 * (0.4 * np.nan_to_num(z) + np.sqrt(1 - 0.16) * rng.standard_normal(len(z)))
    tenure = rng.integers(3, 37, size=len(z))
    lines = ["candidate_id,quota_attainment,tenure_months"]
    lines += [
        f"{p.candidate.id},{q_value:.2f},{t}"
        for p, q_value, t in zip(profiles, quota, tenure, strict=True)
    ]
    atomic_write(HERE / "outcomes.csv", "\n".join(lines) + "\n")
    print(f"wrote {len(lines) - 1} rows to {HERE / 'outcomes.csv'}", file=sys.stderr)


if __name__ == "__main__":
    main()
