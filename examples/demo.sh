#!/usr/bin/env bash
# `make demo`: the main job on the bundled defaults.
set -euo pipefail
bin=${1:-.venv/bin}

# Sales leader: project the demo book (300 accounts, examples/book.csv) worked by two
# farmers and a hunter for 36 months, 2,000 trials; progress and notes go to stderr.
echo
echo "== simulate run examples/scenario.yaml =="
"$bin/simulate" run examples/scenario.yaml
