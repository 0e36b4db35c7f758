"""Make the bundled questionnaire's provisional item parameters (``sales-traits.irt.yaml``).

Run it from the repository root (``.venv/bin/python examples/make_irt_parameters.py``); the
same seed always writes the same bytes. Like the provisional norms, these parameters are
not calibrated on people: they are what ``assess calibrate-irt`` recovers from a seeded
simulation, so that IRT scoring and ``assess take --adaptive`` work out of the box. Replace
them with a local calibration (``assess calibrate-irt``, 500+ respondents) before relying
on them.

The simulation (all numbers are assumptions, chosen to look like published graded-response
calibrations of 5-point personality items, e.g. discriminations of 1–2.5 in the logistic
metric and thresholds spread over about −2.5 … +1.5 with agreement more common than
disagreement):

* ``RESPONDENTS`` people, each with an independent θ ~ N(0, 1) per trait;
* per item a discrimination a = exp(N(log ``A_MEDIAN``, ``A_LOG_SD``)) clipped to
  ``A_RANGE``; thresholds = ``BASE_THRESHOLDS`` + an item shift N(0, ``SHIFT_SD``) + per
  threshold N(0, ``JITTER_SD``), sorted;
* answers drawn from the graded response model on the keyed scale (categories 0–4 ->
  answers 1–5, mirrored for reverse-keyed items);
* then ``assess calibrate-irt --provisional`` on the simulated answers CSV.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from pathlib import Path

import numpy as np

from assess.irt import GrmItem, simulate_responses
from assess.profiles import load_questionnaire

SEED = 18
"""Seed of the simulation (issue 18)."""
RESPONDENTS = 3000
"""Simulated calibration sample (respondents)."""
A_MEDIAN = 1.4
"""Median discrimination (logistic metric)."""
A_LOG_SD = 0.3
"""SD of log discrimination."""
A_RANGE = (0.8, 3.0)
"""Discriminations are clipped to this range."""
BASE_THRESHOLDS = (-2.4, -1.2, -0.1, 1.2)
"""Typical thresholds of a 5-point item (θ units)."""
SHIFT_SD = 0.35
"""SD of an item's overall threshold shift (θ units)."""
JITTER_SD = 0.12
"""SD of each threshold's own jitter (θ units)."""

SOURCE = (
    "provisional: recovered by assess calibrate-irt from 3,000 simulated respondents "
    "(examples/make_irt_parameters.py, seed 18); not calibrated on people"
)


def generating_items(n_items: int, rng: np.random.Generator) -> list[GrmItem]:
    """The simulation's true parameters for one trait's items."""
    items = []
    for _ in range(n_items):
        a = float(np.clip(np.exp(rng.normal(np.log(A_MEDIAN), A_LOG_SD)), *A_RANGE))
        b = np.asarray(BASE_THRESHOLDS) + rng.normal(0, SHIFT_SD) + rng.normal(0, JITTER_SD, 4)
        items.append(GrmItem(a=a, b=tuple(float(v) for v in np.sort(b))))
    return items


def simulated_csv(seed: int = SEED, respondents: int = RESPONDENTS) -> str:
    """The simulated answers CSV (trait items only)."""
    q = load_questionnaire("sales-traits")
    rng = np.random.default_rng(seed)
    columns: dict[str, np.ndarray] = {}
    for trait_id in q.trait_ids():
        items = q.likert_items_of(trait_id)
        truth = generating_items(len(items), rng)
        theta = rng.standard_normal(respondents)
        categories = simulate_responses(truth, theta, rng)
        for column, item in enumerate(items):
            keyed = categories[:, column] + q.scale.min
            columns[item.id] = q.scale.min + q.scale.max - keyed if item.keyed == "-" else keyed
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    ids = [item.id for item in q.likert_items() if item.id in columns]
    writer.writerow(["candidate_id", *ids])
    for row in range(respondents):
        writer.writerow([f"sim-{row + 1:04d}", *(int(columns[i][row]) for i in ids)])
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write the simulated sample and calibrate it into ``--output``."""
    from assess.cli import main as assess_main

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("questionnaires/sales-traits.irt.yaml"))
    parser.add_argument("--csv", type=Path, help="Also keep the simulated answers CSV here.")
    args = parser.parse_args(argv)
    text = simulated_csv()
    with tempfile.TemporaryDirectory() as folder:
        path = args.csv or Path(folder) / "irt-sample.csv"
        path.write_text(text, encoding="utf-8")
        return assess_main(
            [
                "calibrate-irt",
                str(path),
                "--source",
                SOURCE,
                "--provisional",
                "--include-careless",
                "--date",
                "2026-11-25",
                "-o",
                str(args.output),
            ]
        )


if __name__ == "__main__":
    sys.exit(main())
