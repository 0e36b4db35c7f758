#!/usr/bin/env bash
# `make demo`: the main job on the bundled defaults.
set -euo pipefail
bin=${1:-.venv/bin}
out=out/profiles

# HR analyst / hiring manager: score the 44 bundled sample candidates
# (examples/answers.csv) on the bundled sales-traits questionnaire.
echo "== assess score examples/answers.csv --format table =="
"$bin/assess" score examples/answers.csv --format table
"$bin/assess" score examples/answers.csv --out "$out"
echo
echo "== assess show $out/c-003.profile.yaml (applied as farmer, answers like an order-taker) =="
"$bin/assess" show "$out/c-003.profile.yaml"

# Sales leader: project the demo book (300 accounts, examples/book.csv) worked by two
# farmers and a hunter for 36 months, 2,000 trials; progress and notes go to stderr.
echo
echo "== simulate run examples/scenario.yaml =="
"$bin/simulate" run examples/scenario.yaml
echo
echo "Profiles written to $out/. Next: '$bin/assess review $out' compares them side by side;"
echo "'$bin/assess take' runs the questionnaire; 'simulate init' starts your own scenario."
