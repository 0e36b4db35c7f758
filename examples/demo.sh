#!/usr/bin/env bash
# `make demo`: the story in one screen per user, on the bundled defaults.
set -euo pipefail
bin=${1:-.venv/bin}
out=out
mkdir -p "$out"

# HR analyst / hiring manager: score the 44 bundled sample candidates (examples/answers.csv)
# on the bundled sales-traits questionnaire; show the best few, then one candidate's verdict.
# The demo owns out/: a second run replaces its profiles (--overwrite).
echo "== assess score examples/answers.csv --format table --top 8 =="
"$bin/assess" score examples/answers.csv --format table --top 8
"$bin/assess" score examples/answers.csv --out "$out/profiles" --reports --overwrite 2>/dev/null
echo
echo "== assess show $out/profiles/c-003.profile.yaml --report $out/c-003.html =="
echo "   (applied as farmer, answers like an order-taker)"
"$bin/assess" show "$out/profiles/c-003.profile.yaml" --report "$out/c-003.html" 2>/dev/null \
    | sed -n '1,/^$/p'
echo "(traits, role fit, red flags and validity follow in the full 'assess show' and the report)"

# Sales leader: project the demo book (300 accounts, examples/book.csv) worked by two
# farmers and a hunter for 36 months; the answer first, the details in the reports.
echo
echo "== simulate run examples/scenario.yaml --trials 500 --report $out/run.html =="
"$bin/simulate" run examples/scenario.yaml --trials 500 --report "$out/run.html" \
    --plot "$out/revenue.svg" -o "$out/run.txt" 2>/dev/null
sed -n '1,/^$/p' "$out/run.txt"
echo "== simulate compare: two farmers and a hunter vs three farmers (same 500 futures) =="
"$bin/simulate" compare examples/scenario.yaml --trials 500 \
    --variant "three farmers: team.farmer=3, team.hunter=0" \
    --report "$out/compare.html" -o "$out/compare.txt" 2>/dev/null
sed -n '1,/^$/p' "$out/compare.txt"
echo "== simulate hire: two farmer applicants, each added to the team (same 200 futures) =="
"$bin/simulate" hire "$out/profiles/c-002.profile.yaml" "$out/profiles/c-003.profile.yaml" \
    --as farmer --scenario examples/scenario.yaml --trials 200 --report "$out/hire.html" \
    -o "$out/hire.txt" 2>/dev/null
sed -n '1,/^$/p' "$out/hire.txt"
echo "Reports to forward (open in a browser, print to PDF):"
echo "  $out/run.html       the projection: headline, fan chart, survival, wallet share, tables"
echo "  $out/compare.html   the comparison, paired trial by trial"
echo "  $out/hire.html      what hiring c-002 or c-003 as a farmer does to the book"
echo "  $out/c-003.html     one candidate; $out/profiles/ holds all 44 profiles and reports"
echo "Full text: $out/run.txt, $out/compare.txt. Next: '$bin/assess review $out/profiles'"
echo "compares candidates side by side; 'simulate init' starts your own scenario."
